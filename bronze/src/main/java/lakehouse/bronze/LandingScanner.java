package lakehouse.bronze;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import lakehouse.common.LakehouseException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.GlobPattern;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionCodecFactory;

/**
 * Lists the files of a source: {@code <location>/<yyyy-MM-dd>/<file-pattern>}. Names starting with
 * {@code _} or {@code .} (markers, checksums, work folders) are not data and are ignored. A
 * compressed file (an extension a Hadoop codec reads: {@code .gz}, {@code .bz2}, ...) matches when
 * its name without that extension does, so {@code *.json} takes {@code a.json.gz} too. Other files
 * of a date folder that the pattern does not take are counted, never silently passed over.
 */
public final class LandingScanner {
  private final Configuration hadoopConf;
  private final CompressionCodecFactory codecs;

  public LandingScanner(Configuration hadoopConf) {
    this.hadoopConf = hadoopConf;
    this.codecs = new CompressionCodecFactory(hadoopConf);
  }

  /**
   * What a listing found.
   *
   * @param files the data files, sorted by landing date and path
   * @param unmatched files in the date folders (not hidden) that the pattern does not take
   */
  public record Listing(List<LandedFile> files, List<String> unmatched) {}

  /** The data files only; see {@link #list}. */
  public List<LandedFile> scan(
      SourceDefinition source, String landingRoot, Optional<LocalDate> upTo) {
    return list(source, landingRoot, upTo).files();
  }

  /**
   * Every data file of the source in date folders up to and including {@code upTo} (all when
   * empty), sorted by landing date and path.
   *
   * @throws LakehouseException usage error when the landing root or the location is missing; data
   *     error for a folder that is not a date
   */
  public Listing list(SourceDefinition source, String landingRoot, Optional<LocalDate> upTo) {
    try {
      Path root = new Path(landingRoot);
      if (source.location().startsWith(landingRoot)
          && !root.getFileSystem(hadoopConf).exists(root)) {
        throw BronzeErrors.landingRootMissing(landingRoot);
      }
      Path location = new Path(source.location());
      FileSystem fs = location.getFileSystem(hadoopConf);
      if (!fs.exists(location)) {
        throw BronzeErrors.locationMissing(source.name(), source.location());
      }
      List<LandedFile> files = new ArrayList<>();
      List<String> unmatched = new ArrayList<>();
      // Patterns with a folder part are matched by Hadoop's glob only.
      GlobPattern glob =
          source.filePattern().contains("/") ? null : new GlobPattern(source.filePattern());
      for (FileStatus folder : fs.listStatus(location)) {
        String folderName = folder.getPath().getName();
        if (hidden(folderName)) {
          continue;
        }
        LocalDate date = parseDate(folderName);
        if (!folder.isDirectory() || date == null) {
          throw BronzeErrors.notADateFolder(source.name(), folder.getPath().toString());
        }
        if (upTo.isPresent() && date.isAfter(upTo.get())) {
          continue;
        }
        Map<String, FileStatus> taken = new LinkedHashMap<>();
        if (glob == null) { // a pattern reaching into sub-folders: Hadoop's glob lists them
          FileStatus[] matches = fs.globStatus(new Path(folder.getPath(), source.filePattern()));
          for (FileStatus file : matches == null ? new FileStatus[0] : matches) {
            if (file.isFile() && !hidden(file.getPath().getName())) {
              taken.put(fs.makeQualified(file.getPath()).toString(), file);
            }
          }
        }
        // One listing of the folder (one LIST request on S3) decides every file in it.
        for (FileStatus file : fs.listStatus(folder.getPath())) {
          String name = file.getPath().getName();
          String uri = fs.makeQualified(file.getPath()).toString();
          if (!file.isFile() || hidden(name) || taken.containsKey(uri)) {
            continue;
          }
          if (glob != null && matches(glob, name, codecs.getCodec(file.getPath()))) {
            taken.put(uri, file);
          } else {
            unmatched.add(uri);
          }
        }
        for (FileStatus file : taken.values()) {
          files.add(
              new LandedFile(
                  fs.makeQualified(file.getPath()).toString(),
                  date,
                  file.getLen(),
                  file.getModificationTime()));
        }
      }
      files.sort(Comparator.comparing(LandedFile::landingDate).thenComparing(LandedFile::uri));
      unmatched.sort(Comparator.naturalOrder());
      return new Listing(files, List.copyOf(unmatched));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + source.location(), e);
    }
  }

  /** The name matches, or it is compressed and matches without the codec's extension. */
  private static boolean matches(GlobPattern glob, String name, CompressionCodec codec) {
    return glob.matches(name)
        || (codec != null
            && glob.matches(
                name.substring(0, name.length() - codec.getDefaultExtension().length())));
  }

  private static boolean hidden(String name) {
    return name.startsWith("_") || name.startsWith(".");
  }

  private static LocalDate parseDate(String name) {
    if (!name.matches("\\d{4}-\\d{2}-\\d{2}")) {
      return null;
    }
    try {
      return LocalDate.parse(name);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
