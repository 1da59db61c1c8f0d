package lakehouse.training;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.input_file_name;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.regexp_extract;
import static org.apache.spark.sql.functions.split;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import lakehouse.common.settings.LakePaths;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.delta.DeltaLog;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Which commit wrote the values of each row of a Delta table version — the "committed last" of the
 * point-in-time rules — and whether that commit is exact or only an upper bound.
 *
 * <p>With row tracking ({@code delta.enableRowTracking}), a row keeps its commit across DELETE,
 * UPDATE of other rows, MERGE, OPTIMIZE, ZORDER, RESTORE and log clean-up: {@code
 * _metadata.row_commit_version} is exact — except for rows that existed before row tracking was
 * switched on later in the table's life (the switch gives them its own version), which are an upper
 * bound when the switch is still in the retained log. A table whose switch is no longer in the
 * retained log is taken as tracked from its creation.
 *
 * <p>Without row tracking the log is read: a row's commit is the first version that added its data
 * file (a RESTORE re-adds the same file, so it keeps its commit). That is exact when that version
 * only wrote new rows (a WRITE, CTAS or streaming append); a file first written by DELETE, UPDATE,
 * MERGE, OPTIMIZE or ZORDER also holds copies of older rows, and a file added before the oldest
 * retained log entry has an unknown version, so for their rows the version is only an upper bound.
 * The point-in-time join fails where such rows tie (see {@link PointInTimeJoin}) rather than pick
 * between them.
 */
final class RowCommits {
  /** Operations whose new files hold only rows written by that commit. */
  private static final Set<String> APPENDS =
      Set.of(
          "WRITE",
          "CREATE TABLE AS SELECT",
          "REPLACE TABLE AS SELECT",
          "CREATE OR REPLACE TABLE AS SELECT",
          "STREAMING UPDATE",
          "COPY INTO");

  private static final String ROW_TRACKING = "delta.enableRowTracking";
  private static final String FILE = "__file";
  private static final StructType LOG_SCHEMA =
      new StructType()
          .add("add", new StructType().add("path", DataTypes.StringType))
          .add("commitInfo", new StructType().add("operation", DataTypes.StringType))
          .add(
              "metaData",
              new StructType()
                  .add(
                      "configuration",
                      DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType)));

  /**
   * A version's rows with {@value FeatureInput#COMMIT} and {@value FeatureInput#EXACT}.
   *
   * @param certain every row's commit is exact (no tie can be ambiguous)
   */
  record Read(Dataset<Row> rows, boolean certain) {}

  /** What the retained log says about a table up to one version. */
  private record Log(long oldest, Map<Long, String> operations, Long rowTrackingSince) {}

  private RowCommits() {}

  /** Reads a table at {@code version}, selecting {@code columns} plus the commit columns. */
  static Read read(SparkSession spark, String location, long version, Column... columns) {
    Dataset<Row> table = spark.read().format("delta").option("versionAsOf", version).load(location);
    Dataset<Row> entries = logEntries(spark, location);
    Log log = log(entries, version);
    if (rowTracking(spark, location, version)) {
      long since = log.rowTrackingSince() == null ? -1 : log.rowTrackingSince();
      Column commit = col("_metadata.row_commit_version");
      return new Read(
          table.select(
              with(
                  columns,
                  commit.as(FeatureInput.COMMIT),
                  commit.gt(since).as(FeatureInput.EXACT))),
          since <= 0);
    }
    Map<String, long[]> files = fileCommits(entries, log, version);
    List<Row> snapshotFiles = new ArrayList<>();
    boolean certain = true;
    for (String path : table.inputFiles()) {
      String name = path.substring(path.lastIndexOf('/') + 1);
      long[] commit = files.getOrDefault(name, new long[] {log.oldest() - 1, 0});
      certain &= commit[1] == 1;
      snapshotFiles.add(RowFactory.create(name, commit[0], commit[1] == 1));
    }
    Dataset<Row> byFile =
        spark.createDataFrame(
            snapshotFiles,
            new StructType()
                .add(FILE, DataTypes.StringType)
                .add(FeatureInput.COMMIT, DataTypes.LongType)
                .add(FeatureInput.EXACT, DataTypes.BooleanType));
    Dataset<Row> rows = table.select(with(columns, col("_metadata.file_name").as(FILE)));
    List<Column> out = new ArrayList<>();
    for (String name : rows.columns()) {
      if (!name.equals(FILE)) {
        out.add(rows.col(name));
      }
    }
    out.add(byFile.col(FeatureInput.COMMIT));
    out.add(byFile.col(FeatureInput.EXACT));
    return new Read(
        rows.join(broadcast(byFile), rows.col(FILE).equalTo(byFile.col(FILE)))
            .select(out.toArray(Column[]::new)),
        certain);
  }

  private static boolean rowTracking(SparkSession spark, String location, long version) {
    var configuration =
        DeltaLog.forTable(spark, location)
            .getSnapshotAt(version, scala.Option.empty(), scala.Option.empty())
            .metadata()
            .configuration();
    return "true".equalsIgnoreCase(configuration.getOrElse(ROW_TRACKING, () -> "false"));
  }

  private static Dataset<Row> logEntries(SparkSession spark, String location) {
    return spark
        .read()
        .schema(LOG_SCHEMA)
        .json(LakePaths.join(location, "_delta_log", "[0-9]*.json"))
        .withColumn(
            "__v",
            regexp_extract(input_file_name(), "(\\d{20})\\.json$", 1).cast(DataTypes.LongType))
        .where(col("__v").isNotNull());
  }

  /**
   * Operations per version, and the version at which row tracking was switched on when the retained
   * log shows the switch (null when it does not: on from before the oldest entry).
   */
  private static Log log(Dataset<Row> entries, long version) {
    // Commit and metadata lines only: a remove line per rewritten file need not reach the driver.
    List<Row> commits =
        entries
            .where(col("commitInfo").isNotNull().or(col("metaData").isNotNull()))
            .select(
                col("__v"),
                col("commitInfo.operation"),
                col("metaData").isNotNull(),
                col("metaData.configuration").getItem(ROW_TRACKING))
            .collectAsList();
    long oldest = Long.MAX_VALUE;
    Map<Long, String> operations = new TreeMap<>();
    TreeMap<Long, Boolean> tracking = new TreeMap<>();
    for (Row row : commits) {
      long v = row.getLong(0);
      oldest = Math.min(oldest, v);
      if (!row.isNullAt(1)) {
        operations.put(v, row.getString(1));
      }
      if (row.getBoolean(2)) {
        tracking.put(v, "true".equalsIgnoreCase(row.getString(3)));
      }
    }
    Boolean before = oldest == 0 ? Boolean.FALSE : null;
    Long since = null;
    for (Map.Entry<Long, Boolean> change : tracking.headMap(version, true).entrySet()) {
      if (change.getValue() && Boolean.FALSE.equals(before)) {
        since = change.getKey();
      }
      before = change.getValue();
    }
    operations.keySet().removeIf(v -> v > version);
    return new Log(oldest == Long.MAX_VALUE ? 0 : oldest, operations, since);
  }

  /** File name → {first version that added it, 1 when that version only appended else 0}. */
  private static Map<String, long[]> fileCommits(Dataset<Row> entries, Log log, long version) {
    Map<String, long[]> files = new HashMap<>();
    for (Row row :
        entries
            .where(col("add").isNotNull().and(col("__v").leq(version)))
            .groupBy(element_at(split(col("add.path"), "/"), -1).as(FILE))
            .agg(min("__v"))
            .collectAsList()) {
      long v = row.getLong(1);
      boolean append = APPENDS.contains(log.operations().getOrDefault(v, ""));
      files.put(row.getString(0), new long[] {v, append ? 1 : 0});
    }
    return files;
  }

  private static Column[] with(Column[] columns, Column... extra) {
    List<Column> all = new ArrayList<>(List.of(columns));
    all.addAll(List.of(extra));
    return all.toArray(Column[]::new);
  }
}
