package lakehouse.training;

import java.time.Duration;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * One feature table's rows, prepared for {@link PointInTimeJoin}: the spine's key columns (same
 * names and types as in the spine), {@value #FEATURE_TIME} (timestamp), {@value #COMMIT} (the Delta
 * version that wrote the row's values, for ties; see {@link RowCommits}), {@value #EXACT} (false
 * when that version is only an upper bound) and the output feature columns. For known-at mode the
 * rows are change-feed row versions with {@value #OP} ({@code 1} the row version became current,
 * {@code 0} it stopped being current) and {@value #KNOWN_AT} (the commit's timestamp in
 * microseconds since the epoch).
 *
 * @param table the feature table's logical name, for messages
 * @param outputs the output feature column names, in output order
 * @param ttl the largest age of a usable feature row, or null for no limit
 * @param certain every row's commit is exact, so no tie on feature time can be ambiguous
 */
public record FeatureInput(
    String table, Dataset<Row> rows, List<String> outputs, Duration ttl, boolean certain) {
  public static final String FEATURE_TIME = "__ft";
  public static final String COMMIT = "__commit";
  public static final String EXACT = "__exact";
  public static final String OP = "__op";
  public static final String KNOWN_AT = "__kt";

  /** Rows whose commits are all exact (no {@value #EXACT} column needed). */
  public FeatureInput(String table, Dataset<Row> rows, List<String> outputs, Duration ttl) {
    this(table, rows, outputs, ttl, true);
  }
}
