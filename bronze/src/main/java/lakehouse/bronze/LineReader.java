package lakehouse.bronze;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionCodecFactory;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.SerializableConfiguration;

/**
 * Reads landed text files into one row per physical line, keeping what a reject needs: the file,
 * the 1-based line number, the raw text and, for a line that cannot be a record, why. Spark's own
 * text and JSON readers split files at arbitrary offsets and decode invalid UTF-8 silently, so they
 * can give neither line numbers nor a trustworthy encoding check; this reader reads each file from
 * start to end in one task, streaming, with constant memory.
 *
 * <p>Compressed files are read through the Hadoop codec their extension names ({@code .gz}, {@code
 * .bz2}, {@code .deflate}, {@code .lz4}, {@code .zst}, ...); line numbers count the decompressed
 * lines, and the size check counts the compressed bytes as listed.
 *
 * <p>Blank lines carry no record and are skipped (their line numbers are still counted). A line
 * longer than the limit is not held in memory: it becomes a reject saying so, with its first bytes.
 * For CSV the declared columns are the batch's columns: a file's header line must name only
 * declared columns, each once (in any order; missing ones are null); a file whose first line does
 * not is rejected line by line — that line with the reason, every other line with the reason that
 * its file was set aside — so a record is never taken for a header. Without a header ({@code header
 * = false}) every line is a record with the declared columns in order.
 */
public final class LineReader {
  /** The columns of the lines dataset. */
  public static final StructType SCHEMA =
      new StructType()
          .add("_source_file", DataTypes.StringType, false)
          .add("_landing_date", DataTypes.StringType, false)
          .add("_line_number", DataTypes.LongType, false)
          .add("_raw", DataTypes.StringType, true)
          .add("_error", DataTypes.StringType, true)
          .add("_fields", DataTypes.createArrayType(DataTypes.StringType, true), true);

  /** How much of a line longer than the limit a reject keeps in {@code _raw}. */
  static final int LONG_LINE_PREFIX = 4096;

  private LineReader() {}

  /**
   * How to read a source's files.
   *
   * @param csv whether lines are CSV records (else JSON lines)
   * @param header CSV: whether each file starts with a header line
   * @param delimiter CSV field delimiter
   * @param quote CSV quote character
   * @param columns CSV: the declared columns, the order of {@code _fields}
   * @param maxLineBytes lines longer than this are rejected as too long
   * @param nullValues CSV: field values that stand for null (the source's {@code nullValue})
   */
  record Format(
      boolean csv,
      boolean header,
      char delimiter,
      char quote,
      List<String> columns,
      int maxLineBytes,
      List<String> nullValues)
      implements java.io.Serializable {
    Format(
        boolean csv,
        boolean header,
        char delimiter,
        char quote,
        List<String> columns,
        int maxLineBytes) {
      this(csv, header, delimiter, quote, columns, maxLineBytes, List.of());
    }

    static Format of(SourceDefinition source, int maxLineBytes) {
      return new Format(
          source.format() == SourceFormat.CSV,
          source.header(),
          source.csvChar("delimiter", ','),
          source.csvChar("quote", '"'),
          List.copyOf(source.columns()),
          maxLineBytes,
          List.copyOf(source.nullValues()));
    }
  }

  /**
   * The lines of the files, lazily: one Spark partition per group of files, files grouped so that
   * groups hold about the same number of bytes. Each file is checked against its listing when it is
   * opened and at its end (see {@link FileCheck}): a file gone or changed fails the read with a
   * data error naming it.
   *
   * @param batch the planned batch the files belong to (null for the checking read before the
   *     plan), for the messages
   */
  public static Dataset<Row> read(
      SparkSession spark,
      SourceDefinition source,
      List<LandedFile> files,
      int maxLineBytes,
      Long batch) {
    return read(spark, source, files, maxLineBytes, batch, null);
  }

  /**
   * Like {@link #read(SparkSession, SourceDefinition, List, int, Long)}, but only the lines {@code
   * only} selects (every line when null): a file it has no rejected line for is not opened, and the
   * other lines of a file are counted but not made into rows.
   */
  static Dataset<Row> read(
      SparkSession spark,
      SourceDefinition source,
      List<LandedFile> files,
      int maxLineBytes,
      Long batch,
      RejectedLines.Selection only) {
    if (only != null) {
      files = files.stream().filter(file -> only.hasRejects(file.uri())).toList();
    }
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Broadcast<SerializableConfiguration> conf =
        jsc.broadcast(new SerializableConfiguration(spark.sparkContext().hadoopConfiguration()));
    int groups = Math.max(1, Math.min(files.size(), spark.sparkContext().defaultParallelism() * 2));
    List<List<LandedFile>> bins = balance(files, groups);
    ReadFiles reader =
        new ReadFiles(conf, source.name(), batch, Format.of(source, maxLineBytes), only);
    JavaRDD<Row> rows = jsc.parallelize(bins, Math.max(1, bins.size())).flatMap(reader);
    return spark.createDataFrame(rows, SCHEMA);
  }

  static String[] header(String line, char delimiter, char quote) {
    String[] names =
        CsvLine.split(line.startsWith("\uFEFF") ? line.substring(1) : line, delimiter, quote);
    for (int i = 0; i < names.length; i++) {
      names[i] = names[i] == null ? "" : names[i].trim();
    }
    return names;
  }

  /**
   * Where each header field goes among the declared columns, or null when the header does not match
   * them; {@code problem[0]} then says why.
   */
  static int[] headerPositions(String[] names, Map<String, Integer> declared, String[] problem) {
    int[] positions = new int[names.length];
    List<String> unknown = new ArrayList<>();
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (int i = 0; i < names.length; i++) {
      Integer index = declared.get(names[i]);
      if (index == null) {
        unknown.add(names[i]);
      } else if (!seen.add(names[i])) {
        problem[0] = "names column '" + names[i] + "' twice";
        return null;
      } else {
        positions[i] = index;
      }
    }
    if (!unknown.isEmpty()) {
      List<String> shown = new ArrayList<>();
      for (String name : unknown.subList(0, Math.min(3, unknown.size()))) {
        shown.add("'" + (name.length() > 40 ? name.substring(0, 37) + "..." : name) + "'");
      }
      problem[0] =
          "has "
              + (unknown.size() == 1 ? "a field that is" : unknown.size() + " fields that are")
              + " not a declared column: "
              + String.join(", ", shown)
              + (unknown.size() > 3 ? ", ..." : "");
      return null;
    }
    return positions;
  }

  /** Longest-processing-time-first: biggest file to the lightest group. */
  static List<List<LandedFile>> balance(List<LandedFile> files, int groups) {
    List<List<LandedFile>> bins = new ArrayList<>();
    long[] weight = new long[groups];
    for (int i = 0; i < groups; i++) {
      bins.add(new ArrayList<>());
    }
    List<LandedFile> bySize = new ArrayList<>(files);
    bySize.sort(
        Comparator.comparingLong(LandedFile::size).reversed().thenComparing(LandedFile::uri));
    for (LandedFile file : bySize) {
      int lightest = 0;
      for (int i = 1; i < groups; i++) {
        if (weight[i] < weight[lightest]) {
          lightest = i;
        }
      }
      bins.get(lightest).add(file);
      weight[lightest] += Math.max(1, file.size());
    }
    bins.removeIf(List::isEmpty);
    return bins;
  }

  static String decodeLenient(byte[] bytes, int length) {
    return new String(bytes, 0, length, StandardCharsets.UTF_8);
  }

  /** The per-partition work; serialisable, holds only settings. */
  static final class ReadFiles implements FlatMapFunction<List<LandedFile>, Row> {
    private final Broadcast<SerializableConfiguration> conf;
    private final String source;
    private final Long batch;
    private final Format format;
    private final RejectedLines.Selection only;

    ReadFiles(
        Broadcast<SerializableConfiguration> conf,
        String source,
        Long batch,
        Format format,
        RejectedLines.Selection only) {
      this.conf = conf;
      this.source = source;
      this.batch = batch;
      this.format = format;
      this.only = only;
    }

    @Override
    public Iterator<Row> call(List<LandedFile> files) {
      return new FileLines(files.iterator(), conf.value().value(), source, batch, format, only);
    }
  }

  /** Counts the bytes read through it: a compressed file's listed size is its compressed size. */
  static final class CountingInputStream extends java.io.FilterInputStream {
    private long count;

    CountingInputStream(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count++;
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = super.read(buffer, offset, length);
      if (n > 0) {
        count += n;
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      long skipped = super.skip(n);
      count += skipped;
      return skipped;
    }

    /** Reads what is left (a decompressor may stop before the stream's end), counting it. */
    long drain() throws IOException {
      byte[] buffer = new byte[1 << 16];
      while (read(buffer, 0, buffer.length) >= 0) {
        // counted by read
      }
      return count;
    }
  }

  /** Streams the lines of several files, one after the other. */
  static final class FileLines implements Iterator<Row> {
    private final Iterator<LandedFile> files;
    private final Configuration conf;
    private final String source;
    private final Long batch;
    private final Format format;
    private final RejectedLines.Selection only; // null: every line
    private java.util.Set<Long> wanted; // the current file's lines to make rows of; null: all
    private final Map<String, Integer> columnIndex;
    private final java.util.Set<String> nullValues;
    private final CompressionCodecFactory codecs;
    private final CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private LandedFile file;
    private long modifiedAt;
    private CountingInputStream raw;
    private boolean compressed;
    private InputStream in;
    private LineSource lines;
    private long lineNumber;
    private int[] positions; // CSV: where each field of the file goes in the declared columns
    private String fileRejected; // CSV: why every line of the current file is a reject
    private Row next;

    FileLines(
        Iterator<LandedFile> files, Configuration conf, String source, Long batch, Format format) {
      this(files, conf, source, batch, format, null);
    }

    FileLines(
        Iterator<LandedFile> files,
        Configuration conf,
        String source,
        Long batch,
        Format format,
        RejectedLines.Selection only) {
      this.files = files;
      this.conf = conf;
      this.source = source;
      this.batch = batch;
      this.format = format;
      this.only = only;
      this.columnIndex = new java.util.HashMap<>();
      for (int i = 0; i < format.columns().size(); i++) {
        columnIndex.put(format.columns().get(i), i);
      }
      this.nullValues = new java.util.HashSet<>(format.nullValues());
      this.codecs = new CompressionCodecFactory(conf);
    }

    @Override
    public boolean hasNext() {
      while (next == null) {
        if (lines == null) {
          if (!openNext()) {
            return false;
          }
          if (next != null && !selected(1)) {
            next = null;
          }
          continue; // a rejected first line (CSV header, gzip) is already the next row
        }
        try {
          byte[] line = lines.next();
          if (line == null) {
            long size = raw.drain();
            in.close();
            if (size != file.size()) { // changed while read: never a partial file
              throw FileCheck.changed(source, batch, file, size, modifiedAt);
            }
            lines = null;
            continue;
          }
          lineNumber++;
          if (selected(lineNumber)) {
            next = toRow(line, lines.length(), lines.overLimit());
          }
        } catch (IOException e) {
          throw readFailure(e);
        }
      }
      return true;
    }

    @Override
    public Row next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      Row row = next;
      next = null;
      return row;
    }

    private boolean selected(long number) {
      return wanted == null || wanted.contains(number);
    }

    private boolean openNext() {
      if (!files.hasNext()) {
        return false;
      }
      file = files.next();
      wanted = only == null ? null : only.linesOf(file.uri());
      modifiedAt = FileCheck.verify(conf, source, batch, file).getModificationTime();
      Path path = new Path(file.uri());
      try {
        raw = new CountingInputStream(path.getFileSystem(conf).open(path));
        CompressionCodec codec = codecs.getCodec(path);
        compressed = codec != null;
        if (codec != null) {
          in = codec.createInputStream(raw);
        } else {
          in = new java.io.BufferedInputStream(raw, 1 << 16);
          if (gzipMagic(in)) {
            // Read as text it would be binary garbage split at random bytes: one reject instead.
            next =
                RowFactory.create(
                    file.uri(),
                    file.landingDate().toString(),
                    1L,
                    null,
                    RejectReasons.gzipWithoutExtension(),
                    null);
            long size = raw.drain();
            in.close();
            if (size != file.size()) {
              throw FileCheck.changed(source, batch, file, size, modifiedAt);
            }
            lines = null;
            return true;
          }
        }
      } catch (FileNotFoundException e) {
        throw FileCheck.gone(source, batch, file);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot open " + file.uri(), e);
      }
      lines = new LineSource(in, format.maxLineBytes());
      lineNumber = 0;
      positions = null;
      fileRejected = null;
      if (format.csv() && !format.header()) {
        positions = new int[format.columns().size()];
        for (int i = 0; i < positions.length; i++) {
          positions[i] = i;
        }
      } else if (format.csv()) {
        try {
          byte[] header = lines.next();
          if (header == null) {
            return true;
          }
          lineNumber = 1;
          String text = decodeLenient(header, lines.length());
          String[] problem = new String[1];
          if (lines.overLimit()) {
            problem[0] = "is " + RejectReasons.lineTooLong(format.maxLineBytes());
          } else {
            try {
              positions =
                  headerPositions(
                      header(text, format.delimiter(), format.quote()), columnIndex, problem);
            } catch (IllegalArgumentException e) {
              problem[0] = "is not valid CSV (" + e.getMessage() + ")";
            }
          }
          if (positions == null) {
            // Its first line may well be a record of a file landed without a header: keep it.
            fileRejected = RejectReasons.fileOfBadHeader();
            next =
                RowFactory.create(
                    file.uri(),
                    file.landingDate().toString(),
                    1L,
                    lines.overLimit()
                        ? text.substring(0, Math.min(text.length(), LONG_LINE_PREFIX))
                        : text.startsWith("\uFEFF") ? text.substring(1) : text,
                    RejectReasons.badHeader(problem[0], format.columns()),
                    null);
          }
        } catch (IOException e) {
          throw readFailure(e);
        }
      }
      return true;
    }

    /**
     * A failed read: a compressed file that is still as listed but cannot be decompressed
     * (truncated, or not in its extension's format) is a data error naming it, not a trace.
     */
    private RuntimeException readFailure(IOException e) {
      if (compressed) {
        FileCheck.verify(conf, source, batch, file); // gone or changed: that is the message
        return BronzeErrors.notDecompressible(source, file.uri(), String.valueOf(e.getMessage()));
      }
      return new UncheckedIOException("cannot read " + file.uri(), e);
    }

    /** Whether the stream starts with gzip's magic bytes (it is left where it was). */
    private static boolean gzipMagic(InputStream in) throws IOException {
      in.mark(2);
      int first = in.read();
      int second = in.read();
      in.reset();
      return first == 0x1f && second == 0x8b;
    }

    /** A row for a line, or null for a blank one. */
    private Row toRow(byte[] bytes, int length, boolean tooLong) {
      if (tooLong) {
        return RowFactory.create(
            file.uri(),
            file.landingDate().toString(),
            lineNumber,
            decodeLenient(bytes, Math.min(length, LONG_LINE_PREFIX)),
            RejectReasons.lineTooLong(format.maxLineBytes()),
            null);
      }
      String text;
      String error = null;
      if (ascii(bytes, length)) {
        text = new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
      } else {
        try {
          CharBuffer chars = decoder.reset().decode(ByteBuffer.wrap(bytes, 0, length));
          text = chars.toString();
        } catch (CharacterCodingException e) {
          text = decodeLenient(bytes, length);
          error = RejectReasons.BAD_ENCODING;
        }
      }
      if (lineNumber == 1 && text.startsWith("\uFEFF")) {
        text = text.substring(1);
      }
      if (text.isBlank()) {
        return null; // no record; the caller's loop moves on to the next line
      }
      if (fileRejected != null) {
        error = fileRejected;
      }
      String[] fields = null;
      if (format.csv() && error == null) {
        try {
          String[] values = CsvLine.split(text, format.delimiter(), format.quote());
          if (values.length != positions.length) {
            error =
                format.header()
                    ? RejectReasons.wrongColumnCount(positions.length, values.length)
                    : RejectReasons.wrongColumnCountDeclared(positions.length, values.length);
          } else {
            fields = new String[format.columns().size()];
            for (int i = 0; i < values.length; i++) {
              // A declared null marker is null, quoted or not, as in Spark's CSV reader.
              fields[positions[i]] =
                  values[i] != null && nullValues.contains(values[i]) ? null : values[i];
            }
          }
        } catch (IllegalArgumentException e) {
          error = RejectReasons.MALFORMED_CSV + e.getMessage();
        }
      }
      return RowFactory.create(
          file.uri(), file.landingDate().toString(), lineNumber, text, error, fields);
    }

    private static boolean ascii(byte[] bytes, int length) {
      for (int i = 0; i < length; i++) {
        if (bytes[i] < 0) {
          return false;
        }
      }
      return true;
    }
  }

  /**
   * Splits a byte stream at {@code \n}, dropping a {@code \r} before it; reuses its buffers. A line
   * longer than the limit keeps only its first bytes (and says so through {@link #overLimit()}), so
   * one huge line never takes more memory than the limit.
   */
  static final class LineSource {
    private final InputStream in;
    private final int maxLineBytes;
    private final byte[] chunk = new byte[1 << 16];
    private int chunkPos;
    private int chunkEnd;
    private byte[] line = new byte[1024];
    private int length;
    private boolean overLimit;

    LineSource(InputStream in, int maxLineBytes) {
      this.in = in;
      this.maxLineBytes = maxLineBytes;
    }

    /** The next line's bytes (valid up to {@link #length()}), or null at the end. */
    byte[] next() throws IOException {
      length = 0;
      overLimit = false;
      long total = 0;
      boolean any = false;
      while (true) {
        if (chunkPos == chunkEnd) {
          int read = in.read(chunk);
          if (read < 0) {
            break;
          }
          chunkPos = 0;
          chunkEnd = read;
          continue;
        }
        any = true;
        int start = chunkPos;
        int newline = -1;
        for (int i = start; i < chunkEnd; i++) {
          if (chunk[i] == '\n') {
            newline = i;
            break;
          }
        }
        int end = newline < 0 ? chunkEnd : newline;
        total += end - start;
        append(start, (int) Math.min(end - start, Math.max(0, maxLineBytes - length)));
        chunkPos = newline < 0 ? chunkEnd : newline + 1;
        if (newline >= 0) {
          break;
        }
      }
      if (!any) {
        return null;
      }
      // The \r of a CRLF ending counts towards the limit: the line's bytes as landed.
      overLimit = total > maxLineBytes;
      if (!overLimit && length > 0 && line[length - 1] == '\r') {
        length--;
      }
      return line;
    }

    private void append(int from, int count) {
      if (count <= 0) {
        return;
      }
      if (length + count > line.length) {
        line = Arrays.copyOf(line, Math.max(line.length * 2, length + count));
      }
      System.arraycopy(chunk, from, line, length, count);
      length += count;
    }

    int length() {
      return length;
    }

    /** Whether the last line was longer than the limit (only its first bytes are held). */
    boolean overLimit() {
      return overLimit;
    }
  }
}
