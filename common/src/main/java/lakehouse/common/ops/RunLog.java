package lakehouse.common.ops;

import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import lakehouse.common.ExitCode;
import lakehouse.common.catalog.LakeCatalog;
import lakehouse.common.catalog.TableId;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The operations table {@code _ops.runs}: one row per job run, failed runs included. Rows are
 * blind appends, which Delta commits without conflicts when jobs run side by side.
 */
public final class RunLog {
  public static final TableId TABLE = TableId.of("_ops", "runs");
  public static final StructType SCHEMA = new StructType()
      .add("run_id", DataTypes.StringType, false)
      .add("job", DataTypes.StringType, false)
      .add("target", DataTypes.StringType)
      .add("run_date", DataTypes.DateType)
      .add("env", DataTypes.StringType)
      .add("started_at", DataTypes.TimestampType, false)
      .add("finished_at", DataTypes.TimestampType, false)
      .add("duration_ms", DataTypes.LongType, false)
      .add("status", DataTypes.StringType, false)
      .add("exit_code", DataTypes.IntegerType, false)
      .add("rows_read", DataTypes.LongType, false)
      .add("rows_written", DataTypes.LongType, false)
      .add("rows_quarantined", DataTypes.LongType, false)
      .add("rows_rejected", DataTypes.LongType, false)
      .add("spark_app_id", DataTypes.StringType)
      .add("versions_read", DataTypes.createMapType(DataTypes.StringType, DataTypes.LongType))
      .add("versions_written", DataTypes.createMapType(DataTypes.StringType, DataTypes.LongType))
      .add("error", DataTypes.StringType);

  private final SparkSession spark;
  private final LakeCatalog catalog;

  public RunLog(SparkSession spark, LakeCatalog catalog) {
    this.spark = spark;
    this.catalog = catalog;
  }

  /** Appends one run. */
  public void record(String job, String env, Instant startedAt, Instant finishedAt,
      ExitCode exitCode, RunStats stats, String error) {
    Row row = RowFactory.create(
        UUID.randomUUID().toString(),
        job,
        stats.target(),
        stats.runDate() == null ? null : Date.valueOf(stats.runDate()),
        env,
        Timestamp.from(startedAt),
        Timestamp.from(finishedAt),
        finishedAt.toEpochMilli() - startedAt.toEpochMilli(),
        exitCode == ExitCode.OK ? "succeeded" : "failed",
        exitCode.code(),
        stats.rowsRead(),
        stats.rowsWritten(),
        stats.rowsQuarantined(),
        stats.rowsRejected(),
        spark.sparkContext().applicationId(),
        stats.versionsRead(),
        written(stats),
        error);
    spark.createDataFrame(List.of(row), SCHEMA).coalesce(1)
        .write().format("delta").mode("append").save(catalog.location(TABLE));
    catalog.register(TABLE);
  }

  /** Tables written by name, then Delta tables written by path (keyed by their location). */
  private static Map<String, Long> written(RunStats stats) {
    Map<String, Long> written = new LinkedHashMap<>(stats.versionsWritten());
    written.putAll(stats.pathsWritten());
    return written;
  }

  /** The runs, newest first, optionally of one target only. */
  public Dataset<Row> runs(String target) {
    if (!catalog.exists(TABLE)) {
      return spark.createDataFrame(List.of(), SCHEMA);
    }
    Dataset<Row> runs = catalog.read(TABLE);
    if (target != null) {
      runs = runs.where(runs.col("target").equalTo(target));
    }
    return runs.orderBy(runs.col("started_at").desc());
  }
}
