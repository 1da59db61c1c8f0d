package lakehouse.training;

import java.time.Duration;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * One feature table's rows, prepared for {@link PointInTimeJoin}: the spine's key columns (same
 * names and types as in the spine), {@value #FEATURE_TIME} (timestamp), {@value #COMMIT} (the
 * Delta version that wrote the row, for ties) and the output feature columns. For known-at mode
 * the rows are change-feed row versions with {@value #OP} ({@code 1} the row version became
 * current, {@code 0} it stopped being current) and {@value #KNOWN_AT} (the commit's timestamp in
 * microseconds since the epoch).
 *
 * @param table the feature table's logical name, for messages
 * @param outputs the output feature column names, in output order
 * @param ttl the largest age of a usable feature row, or null for no limit
 */
public record FeatureInput(String table, Dataset<Row> rows, List<String> outputs, Duration ttl) {
  public static final String FEATURE_TIME = "__ft";
  public static final String COMMIT = "__commit";
  public static final String OP = "__op";
  public static final String KNOWN_AT = "__kt";
}
