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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import lakehouse.common.LakehouseException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
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
 * text and JSON readers split files at arbitrary offsets and decode invalid UTF-8 silently, so
 * they can give neither line numbers nor a trustworthy encoding check; this reader reads each file
 * from start to end in one task, streaming, with constant memory.
 *
 * <p>Blank lines carry no record and are skipped (their line numbers are still counted). For CSV
 * the first line is the header; each record's fields come out aligned with the batch's columns
 * (the union of every file's header), so files with fewer or more columns line up by name.
 */
public final class LineReader {
  /** The columns of the lines dataset. */
  public static final StructType SCHEMA = new StructType()
      .add("_source_file", DataTypes.StringType, false)
      .add("_landing_date", DataTypes.StringType, false)
      .add("_line_number", DataTypes.LongType, false)
      .add("_raw", DataTypes.StringType, true)
      .add("_error", DataTypes.StringType, true)
      .add("_fields", DataTypes.createArrayType(DataTypes.StringType, true), true);

  private LineReader() {}

  /**
   * The lines of the files, lazily: one Spark partition per group of files, files grouped so that
   * groups hold about the same number of bytes. Each file is checked against its listing when it
   * is opened and at its end (see {@link FileCheck}): a file gone or changed fails the read with a
   * data error naming it.
   *
   * @param batch the planned batch the files belong to (null for the checking read before the
   *     plan), for the messages
   */
  public static Dataset<Row> read(SparkSession spark, SourceDefinition source,
      List<LandedFile> files, List<String> csvColumns, Long batch) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Broadcast<SerializableConfiguration> conf =
        jsc.broadcast(new SerializableConfiguration(spark.sparkContext().hadoopConfiguration()));
    int groups = Math.max(1, Math.min(files.size(), spark.sparkContext().defaultParallelism() * 2));
    List<List<LandedFile>> bins = balance(files, groups);
    ReadFiles reader = new ReadFiles(conf, source.name(), batch,
        source.format() == SourceFormat.CSV,
        source.csvChar("delimiter", ','), source.csvChar("quote", '"'),
        csvColumns == null ? List.of() : List.copyOf(csvColumns));
    JavaRDD<Row> rows = jsc.parallelize(bins, bins.size()).flatMap(reader);
    return spark.createDataFrame(rows, SCHEMA);
  }

  /**
   * The CSV columns of a batch: every file's header, in order of first appearance.
   *
   * @throws LakehouseException data error for a header naming a column twice
   */
  public static List<String> csvColumns(Configuration hadoopConf, SourceDefinition source,
      List<LandedFile> files) {
    LinkedHashSet<String> columns = new LinkedHashSet<>();
    for (LandedFile file : files) {
      FileCheck.verify(hadoopConf, source.name(), null, file);
      try (InputStream in = open(hadoopConf, file.uri())) {
        LineSource lines = new LineSource(in);
        byte[] header = lines.next();
        if (header == null) {
          continue;
        }
        String[] names = header(decodeLenient(header, lines.length()), source.csvChar("delimiter", ','),
            source.csvChar("quote", '"'));
        LinkedHashSet<String> seen = new LinkedHashSet<>();
        for (String name : names) {
          if (!seen.add(name)) {
            throw LakehouseException.data(BronzeMessages.duplicateHeader(source.name(), file.uri(), name));
          }
        }
        columns.addAll(seen);
      } catch (FileNotFoundException e) {
        throw FileCheck.gone(source.name(), null, file);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the header of " + file.uri(), e);
      }
    }
    return List.copyOf(columns);
  }

  static String[] header(String line, char delimiter, char quote) {
    String[] names = CsvLine.split(line.startsWith("\uFEFF") ? line.substring(1) : line,
        delimiter, quote);
    for (int i = 0; i < names.length; i++) {
      names[i] = names[i] == null ? "_c" + i : names[i].trim();
    }
    return names;
  }

  /** Longest-processing-time-first: biggest file to the lightest group. */
  static List<List<LandedFile>> balance(List<LandedFile> files, int groups) {
    List<List<LandedFile>> bins = new ArrayList<>();
    long[] weight = new long[groups];
    for (int i = 0; i < groups; i++) {
      bins.add(new ArrayList<>());
    }
    List<LandedFile> bySize = new ArrayList<>(files);
    bySize.sort(Comparator.comparingLong(LandedFile::size).reversed()
        .thenComparing(LandedFile::uri));
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

  static InputStream open(Configuration conf, String uri) throws IOException {
    Path path = new Path(uri);
    FileSystem fs = path.getFileSystem(conf);
    return fs.open(path);
  }

  static String decodeLenient(byte[] bytes, int length) {
    return new String(bytes, 0, length, StandardCharsets.UTF_8);
  }

  /** The per-partition work; serialisable, holds only settings. */
  static final class ReadFiles implements FlatMapFunction<List<LandedFile>, Row> {
    private final Broadcast<SerializableConfiguration> conf;
    private final String source;
    private final Long batch;
    private final boolean csv;
    private final char delimiter;
    private final char quote;
    private final List<String> columns;

    ReadFiles(Broadcast<SerializableConfiguration> conf, String source, Long batch, boolean csv,
        char delimiter, char quote, List<String> columns) {
      this.conf = conf;
      this.source = source;
      this.batch = batch;
      this.csv = csv;
      this.delimiter = delimiter;
      this.quote = quote;
      this.columns = columns;
    }

    @Override
    public Iterator<Row> call(List<LandedFile> files) {
      return new FileLines(files.iterator(), conf.value().value(), source, batch, csv, delimiter,
          quote, columns);
    }
  }

  /** Streams the lines of several files, one after the other. */
  static final class FileLines implements Iterator<Row> {
    private final Iterator<LandedFile> files;
    private final Configuration conf;
    private final String source;
    private final Long batch;
    private final boolean csv;
    private final char delimiter;
    private final char quote;
    private final Map<String, Integer> columnIndex;
    private final int width;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    private LandedFile file;
    private long modifiedAt;
    private InputStream in;
    private LineSource lines;
    private long lineNumber;
    private int[] positions; // CSV: where each header field goes in the batch's columns
    private Row next;

    FileLines(Iterator<LandedFile> files, Configuration conf, String source, Long batch,
        boolean csv, char delimiter, char quote, List<String> columns) {
      this.files = files;
      this.conf = conf;
      this.source = source;
      this.batch = batch;
      this.csv = csv;
      this.delimiter = delimiter;
      this.quote = quote;
      this.width = columns.size();
      this.columnIndex = new java.util.HashMap<>();
      for (int i = 0; i < columns.size(); i++) {
        columnIndex.put(columns.get(i), i);
      }
    }

    @Override
    public boolean hasNext() {
      while (next == null) {
        if (lines == null && !openNext()) {
          return false;
        }
        try {
          byte[] line = lines.next();
          if (line == null) {
            in.close();
            if (lines.bytesRead() != file.size()) { // changed while read: never a partial file
              throw FileCheck.changed(source, batch, file, lines.bytesRead(), modifiedAt);
            }
            lines = null;
            continue;
          }
          lineNumber++;
          next = toRow(line, lines.length());
        } catch (IOException e) {
          throw new UncheckedIOException("cannot read " + file.uri(), e);
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

    private boolean openNext() {
      if (!files.hasNext()) {
        return false;
      }
      file = files.next();
      modifiedAt = FileCheck.verify(conf, source, batch, file).getModificationTime();
      try {
        in = open(conf, file.uri());
      } catch (FileNotFoundException e) {
        throw FileCheck.gone(source, batch, file);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot open " + file.uri(), e);
      }
      lines = new LineSource(in);
      lineNumber = 0;
      positions = null;
      if (csv) {
        try {
          byte[] header = lines.next();
          if (header == null) {
            return true;
          }
          lineNumber = 1;
          String[] names = header(decodeLenient(header, lines.length()), delimiter, quote);
          positions = new int[names.length];
          for (int i = 0; i < names.length; i++) {
            positions[i] = columnIndex.getOrDefault(names[i], -1);
          }
        } catch (IOException e) {
          throw new UncheckedIOException("cannot read " + file.uri(), e);
        }
      }
      return true;
    }

    /** A row for a line, or null for a blank one. */
    private Row toRow(byte[] bytes, int length) {
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
          error = BronzeMessages.BAD_ENCODING;
        }
      }
      if (lineNumber == 1 && text.startsWith("\uFEFF")) {
        text = text.substring(1);
      }
      if (text.isBlank()) {
        return null; // no record; the caller's loop moves on to the next line
      }
      String[] fields = null;
      if (csv && error == null) {
        try {
          String[] values = CsvLine.split(text, delimiter, quote);
          if (values.length != positions.length) {
            error = BronzeMessages.wrongColumnCount(positions.length, values.length);
          } else {
            fields = new String[width];
            for (int i = 0; i < values.length; i++) {
              if (positions[i] >= 0) {
                fields[positions[i]] = values[i];
              }
            }
          }
        } catch (IllegalArgumentException e) {
          error = BronzeMessages.MALFORMED_CSV + e.getMessage();
        }
      }
      return RowFactory.create(file.uri(), file.landingDate().toString(), lineNumber, text, error,
          fields);
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

  /** Splits a byte stream at {@code \n}, dropping a {@code \r} before it; reuses its buffers. */
  static final class LineSource {
    private final InputStream in;
    private final byte[] chunk = new byte[1 << 16];
    private int chunkPos;
    private int chunkEnd;
    private byte[] line = new byte[1024];
    private int length;
    private long bytesRead;

    LineSource(InputStream in) {
      this.in = in;
    }

    /** The next line's bytes (valid up to {@link #length()}), or null at the end. */
    byte[] next() throws IOException {
      length = 0;
      boolean any = false;
      while (true) {
        if (chunkPos == chunkEnd) {
          int read = in.read(chunk);
          if (read < 0) {
            break;
          }
          chunkPos = 0;
          chunkEnd = read;
          bytesRead += read;
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
        append(start, end - start);
        chunkPos = newline < 0 ? chunkEnd : newline + 1;
        if (newline >= 0) {
          break;
        }
      }
      if (!any) {
        return null;
      }
      if (length > 0 && line[length - 1] == '\r') {
        length--;
      }
      return line;
    }

    private void append(int from, int count) {
      if (length + count > line.length) {
        line = Arrays.copyOf(line, Math.max(line.length * 2, length + count));
      }
      System.arraycopy(chunk, from, line, length, count);
      length += count;
    }

    int length() {
      return length;
    }

    /** How many bytes have been read from the stream so far (all of it, at the end). */
    long bytesRead() {
      return bytesRead;
    }
  }
}
