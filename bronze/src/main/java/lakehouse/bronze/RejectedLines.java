package lakehouse.bronze;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.udf;
import static org.apache.spark.sql.functions.when;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF3;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.util.AccumulatorV2;

/**
 * Which lines of a batch are rejects, noted while the bronze rows are written, so that the rejects
 * write reads and parses only those lines again instead of keeping the whole parsed batch between
 * the two writes. A Spark accumulator: the write job's tasks add the lines whose {@code _reason} is
 * set, the driver reads the union once the job is done (a task run twice adds the same lines).
 *
 * <p>Memory stays bounded: past {@link #MAX_LINES} noted lines, the files they are in are kept
 * whole instead (the rejects write then reads every line of those files, as without the note).
 */
final class RejectedLines extends AccumulatorV2<RejectedLines.Line, RejectedLines.Selection> {
  /** How many line numbers are kept before whole files are kept instead. */
  static final int MAX_LINES = 100_000;

  /** One rejected line. */
  record Line(String file, long number) implements java.io.Serializable {}

  /**
   * The lines to read again: every line of {@code wholeFiles}, the listed lines of the files in
   * {@code lines}. Files in neither have no reject.
   */
  record Selection(Set<String> wholeFiles, Map<String, Set<Long>> lines)
      implements java.io.Serializable {
    /** Whether no line is a reject. */
    boolean isEmpty() {
      return wholeFiles.isEmpty() && lines.isEmpty();
    }

    /** Whether the file has a rejected line. */
    boolean hasRejects(String file) {
      return wholeFiles.contains(file) || lines.containsKey(file);
    }

    /** The rejected line numbers of a file; null when every line of it is to be read. */
    Set<Long> linesOf(String file) {
      return wholeFiles.contains(file) ? null : lines.getOrDefault(file, Set.of());
    }
  }

  private final Set<String> wholeFiles = new HashSet<>();
  private final Map<String, Set<Long>> lines = new HashMap<>();
  private int lineCount;

  /** A new accumulator, registered with the session's Spark context. */
  static RejectedLines register(SparkSession spark) {
    RejectedLines noted = new RejectedLines();
    spark.sparkContext().register(noted, "bronze rejected lines");
    return noted;
  }

  /**
   * The parsed lines as they are, noting the file and line number of every line with a {@code
   * _reason} as the rows are computed. Only reject lines reach the note.
   */
  Dataset<Row> noting(Dataset<Row> parsed) {
    RejectedLines accumulator = this;
    UserDefinedFunction note =
        udf(
                (UDF3<String, String, Long, String>)
                    (reason, file, line) -> {
                      accumulator.add(new Line(file, line));
                      return reason;
                    },
                DataTypes.StringType)
            .asNondeterministic() // a side effect: keep it where it is, evaluated once a row
            .withName("note_rejected_line");
    return parsed.withColumn(
        BronzeSchema.REASON,
        when(
            col(BronzeSchema.REASON).isNotNull(),
            note.apply(
                col(BronzeSchema.REASON),
                col(BronzeSchema.SOURCE_FILE),
                col(BronzeSchema.LINE_NUMBER))));
  }

  @Override
  public boolean isZero() {
    return wholeFiles.isEmpty() && lines.isEmpty();
  }

  @Override
  public RejectedLines copy() {
    RejectedLines copy = new RejectedLines();
    copy.merge(this);
    return copy;
  }

  @Override
  public void reset() {
    wholeFiles.clear();
    lines.clear();
    lineCount = 0;
  }

  @Override
  public synchronized void add(Line line) {
    if (wholeFiles.contains(line.file())) {
      return;
    }
    if (lines.computeIfAbsent(line.file(), f -> new HashSet<>()).add(line.number())) {
      lineCount++;
    }
    if (lineCount > MAX_LINES) {
      wholeFiles.addAll(lines.keySet());
      lines.clear();
      lineCount = 0;
    }
  }

  @Override
  public synchronized void merge(AccumulatorV2<Line, Selection> other) {
    RejectedLines them = (RejectedLines) other;
    if (!them.wholeFiles.isEmpty()) {
      wholeFiles.addAll(them.wholeFiles);
      for (String file : them.wholeFiles) {
        Set<Long> dropped = lines.remove(file);
        lineCount -= dropped == null ? 0 : dropped.size();
      }
    }
    them.lines.forEach((file, numbers) -> numbers.forEach(number -> add(new Line(file, number))));
  }

  @Override
  public synchronized Selection value() {
    Map<String, Set<Long>> copied = new HashMap<>();
    lines.forEach((file, numbers) -> copied.put(file, Set.copyOf(numbers)));
    return new Selection(Set.copyOf(wholeFiles), Map.copyOf(copied));
  }
}
