package lakehouse.bronze;

import static org.apache.spark.sql.functions.col;

import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import lakehouse.common.LakehouseRuntime;
import lakehouse.common.catalog.TableId;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The ingested-files log of one source, a Delta table ({@code _ops.bronze_files_<source>} by
 * default): one row per landed file, with the batch that takes it. A batch is planned here first,
 * in one atomic commit, and only then written to the bronze and rejects tables with the batch id as
 * their {@code txnVersion}; so every file belongs to exactly one batch, and a batch is done exactly
 * when both tables carry its id.
 */
final class IngestLog {
  static final StructType SCHEMA =
      new StructType()
          .add("file", DataTypes.StringType, false)
          .add("landing_date", DataTypes.DateType, false)
          .add("size_bytes", DataTypes.LongType, false)
          .add("modified_at", DataTypes.TimestampType, false)
          .add("batch_id", DataTypes.LongType, false)
          .add("run_id", DataTypes.StringType, false)
          .add("planned_at", DataTypes.TimestampType, false);

  private final LakehouseRuntime runtime;
  private final TableId table;
  private final String appId;

  IngestLog(LakehouseRuntime runtime, TableId table, String source) {
    this.runtime = runtime;
    this.table = table;
    this.appId = "lakehouse-bronze-plan-" + source;
  }

  /** A planned batch: its id, the run that planned it and when, and its files. */
  record Batch(long id, String runId, Instant plannedAt, List<LandedFile> files) {}

  TableId table() {
    return table;
  }

  /** Every file any batch has taken. */
  Set<String> takenFiles() {
    if (!runtime.catalog().exists(table)) {
      return Set.of();
    }
    Set<String> files = new HashSet<>();
    for (Row row : runtime.catalog().read(table).select("file").collectAsList()) {
      files.add(row.getString(0));
    }
    return files;
  }

  /**
   * The id of the last batch planned, 0 when none: each plan commit carries its batch id as its
   * {@code txnVersion}, so it is read from the log's snapshot, not from its rows.
   */
  long lastBatchId() {
    return DeltaTxn.committed(runtime.spark(), runtime.catalog().location(table), appId);
  }

  /**
   * Plans a batch: records its files in one commit. If another process planned the same batch id
   * first, Delta skips this write and the batch is what that process recorded; either way the
   * returned batch is the one committed.
   */
  Batch plan(long id, String runId, Instant plannedAt, List<LandedFile> files) {
    List<Row> rows = new ArrayList<>();
    for (LandedFile file : files) {
      rows.add(
          RowFactory.create(
              file.uri(),
              Date.valueOf(file.landingDate()),
              file.size(),
              new Timestamp(file.modifiedAt()),
              id,
              runId,
              Timestamp.from(plannedAt)));
    }
    Dataset<Row> frame = runtime.spark().createDataFrame(rows, SCHEMA).coalesce(1);
    boolean isNew = !runtime.catalog().exists(table);
    try {
      frame
          .write()
          .format("delta")
          .mode("append")
          .option("txnAppId", appId)
          .option("txnVersion", id)
          .save(runtime.catalog().location(table));
    } catch (Exception e) { // Spark throws checked exceptions undeclared
      if (isNew) { // a failed first write leaves no folder without a commit
        runtime.catalog().removeUncommitted(table);
      }
      throw BronzeJob.sneaky(e);
    }
    runtime.catalog().register(table);
    return batch(id);
  }

  /** A planned batch, as the log records it. */
  Batch batch(long id) {
    List<Row> rows =
        runtime
            .catalog()
            .read(table)
            .where(col("batch_id").equalTo(id))
            .orderBy("landing_date", "file")
            .collectAsList();
    List<LandedFile> files = new ArrayList<>();
    for (Row row : rows) {
      files.add(
          new LandedFile(
              row.getString(0),
              row.getDate(1).toLocalDate(),
              row.getLong(2),
              row.getTimestamp(3).getTime()));
    }
    Row first = rows.get(0);
    return new Batch(id, first.getString(5), first.getTimestamp(6).toInstant(), files);
  }
}
