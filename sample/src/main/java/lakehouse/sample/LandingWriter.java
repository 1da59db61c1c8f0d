package lakehouse.sample;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Writes day batches under a landing root through the Hadoop FileSystem API, so the root may be a
 * local path, a {@code file:} URI or an {@code s3a://} URI. Each day folder is replaced as a whole,
 * which makes a rerun idempotent even when it splits a day into fewer parts.
 */
final class LandingWriter implements Closeable {
  private static final int BUFFER_BYTES = 1 << 20;

  /** The files and malformed lines one day batch became. */
  record WrittenDay(List<LandingFile> files, List<MalformedLine> malformedLines) {}

  private final FileSystem fs;
  private final Path root;
  private final int maxLinesPerFile;

  private LandingWriter(FileSystem fs, Path root, int maxLinesPerFile) {
    this.fs = fs;
    this.root = root;
    this.maxLinesPerFile = maxLinesPerFile;
  }

  static LandingWriter open(String landingRoot, Configuration hadoopConf, int maxLinesPerFile)
      throws IOException {
    Path root = new Path(landingRoot);
    // A private instance: switching off checksum files must not touch the JVM-wide cached one Spark
    // uses.
    FileSystem fs = FileSystem.newInstance(root.toUri(), hadoopConf);
    // Local file systems would otherwise add a hidden .crc file next to every landing file.
    fs.setWriteChecksum(false);
    return new LandingWriter(fs, fs.makeQualified(root), maxLinesPerFile);
  }

  /**
   * Removes the manifest first, so a run that dies half-way never leaves a manifest describing
   * other files.
   */
  void deleteManifest() throws IOException {
    fs.delete(new Path(root, SampleManifest.FILE_NAME), false);
  }

  void writeManifest(String json) throws IOException {
    try (OutputStream out = fs.create(new Path(root, SampleManifest.FILE_NAME), true)) {
      out.write(json.getBytes(StandardCharsets.UTF_8));
    }
  }

  WrittenDay write(SampleSource source, LocalDate landingDate, DayBatch batch) throws IOException {
    String dayFolder = source.sourceName() + "/" + landingDate;
    fs.delete(new Path(root, dayFolder), true);
    List<byte[]> lines = batch.lines();
    int parts = Math.max(1, (lines.size() + maxLinesPerFile - 1) / maxLinesPerFile);
    // Even parts rather than full ones followed by a stub.
    int linesPerPart = Math.max(1, (lines.size() + parts - 1) / parts);
    byte[] header =
        source.hasHeader()
            ? (String.join(",", source.columns()) + "\n").getBytes(StandardCharsets.UTF_8)
            : null;
    int headerLines = header == null ? 0 : 1;
    int[] malformedIndexes = batch.malformedIndexes();
    MalformedKind[] malformedKinds = batch.malformedKinds();

    List<LandingFile> files = new ArrayList<>(parts);
    List<MalformedLine> malformed = new ArrayList<>(malformedIndexes.length);
    int nextMalformed = 0;
    for (int part = 0; part < parts; part++) {
      int from = Math.min(lines.size(), part * linesPerPart);
      int to = Math.min(lines.size(), from + linesPerPart);
      StringBuilder name =
          new StringBuilder(dayFolder)
              .append('/')
              .append(source.sourceName())
              .append('-')
              .append(landingDate)
              .append('-');
      Timestamps.appendPadded(name, part + 1, 3);
      String path = name.append('.').append(source.format()).toString();
      try (OutputStream out =
          new BufferedOutputStream(fs.create(new Path(root, path), true), BUFFER_BYTES)) {
        if (header != null) {
          out.write(header);
        }
        for (int i = from; i < to; i++) {
          out.write(lines.get(i));
          out.write('\n');
        }
      }
      int malformedInPart = 0;
      while (nextMalformed < malformedIndexes.length && malformedIndexes[nextMalformed] < to) {
        long lineNumber = malformedIndexes[nextMalformed] - from + 1L + headerLines;
        malformed.add(new MalformedLine(path, lineNumber, malformedKinds[nextMalformed]));
        malformedInPart++;
        nextMalformed++;
      }
      files.add(new LandingFile(path, landingDate, to - from, to - from - malformedInPart));
    }
    return new WrittenDay(files, malformed);
  }

  @Override
  public void close() throws IOException {
    fs.close();
  }
}
