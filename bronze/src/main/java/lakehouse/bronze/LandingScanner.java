package lakehouse.bronze;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import lakehouse.common.LakehouseException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Lists the files of a source: {@code <location>/<yyyy-MM-dd>/<file-pattern>}. Names starting
 * with {@code _} or {@code .} (markers, checksums, work folders) are not data and are ignored.
 */
public final class LandingScanner {
  private final Configuration hadoopConf;

  public LandingScanner(Configuration hadoopConf) {
    this.hadoopConf = hadoopConf;
  }

  /**
   * Every data file of the source in date folders up to and including {@code upTo} (all when
   * empty), sorted by landing date and path.
   *
   * @throws LakehouseException usage error when the landing root or the location is missing;
   *     data error for a folder that is not a date
   */
  public List<LandedFile> scan(SourceDefinition source, String landingRoot,
      Optional<LocalDate> upTo) {
    try {
      Path root = new Path(landingRoot);
      if (source.location().startsWith(landingRoot)
          && !root.getFileSystem(hadoopConf).exists(root)) {
        throw LakehouseException.usage(BronzeMessages.landingRootMissing(landingRoot));
      }
      Path location = new Path(source.location());
      FileSystem fs = location.getFileSystem(hadoopConf);
      if (!fs.exists(location)) {
        throw LakehouseException.usage(
            BronzeMessages.locationMissing(source.name(), source.location()));
      }
      List<LandedFile> files = new ArrayList<>();
      for (FileStatus folder : fs.listStatus(location)) {
        String folderName = folder.getPath().getName();
        if (hidden(folderName)) {
          continue;
        }
        LocalDate date = parseDate(folderName);
        if (!folder.isDirectory() || date == null) {
          throw LakehouseException.data(
              BronzeMessages.notADateFolder(source.name(), folder.getPath().toString()));
        }
        if (upTo.isPresent() && date.isAfter(upTo.get())) {
          continue;
        }
        FileStatus[] matches = fs.globStatus(new Path(folder.getPath(), source.filePattern()));
        if (matches == null) {
          continue;
        }
        for (FileStatus file : matches) {
          if (file.isFile() && !hidden(file.getPath().getName())) {
            files.add(new LandedFile(fs.makeQualified(file.getPath()).toString(), date,
                file.getLen(), file.getModificationTime()));
          }
        }
      }
      files.sort(Comparator.comparing(LandedFile::landingDate).thenComparing(LandedFile::uri));
      return files;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + source.location(), e);
    }
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
