package lakehouse.bronze;

import java.sql.Date;
import java.sql.Timestamp;
import java.util.List;
import lakehouse.common.LakehouseRuntime;
import lakehouse.common.catalog.TableId;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** Appends run reports to the runs table ({@code _ops.bronze_runs}), one row per run. */
final class RunLog {
  static final StructType SCHEMA = new StructType()
      .add("source", DataTypes.StringType, false)
      .add("run_id", DataTypes.StringType, false)
      .add("run_date", DataTypes.DateType, false)
      .add("up_to", DataTypes.DateType, true)
      .add("started_at", DataTypes.TimestampType, false)
      .add("status", DataTypes.StringType, false)
      .add("files_found", DataTypes.LongType, false)
      .add("files_ingested", DataTypes.LongType, false)
      .add("files_skipped", DataTypes.LongType, false)
      .add("records_read", DataTypes.LongType, false)
      .add("rows_written", DataTypes.LongType, false)
      .add("rows_rejected", DataTypes.LongType, false)
      .add("added_columns", DataTypes.createArrayType(DataTypes.StringType, false), false)
      .add("missing_columns", DataTypes.createArrayType(DataTypes.StringType, false), false)
      .add("batch_ids", DataTypes.createArrayType(DataTypes.LongType, false), false)
      .add("recovered_batch", DataTypes.LongType, true)
      .add("table_version", DataTypes.LongType, true)
      .add("rejects_version", DataTypes.LongType, true)
      .add("duration_ms", DataTypes.LongType, false)
      .add("message", DataTypes.StringType, true)
      // Added after the first release: last, so older runs tables gain it by schema merge.
      .add("files_unmatched", DataTypes.LongType, true);

  private RunLog() {}

  static void append(LakehouseRuntime runtime, TableId table, BronzeReport report) {
    Row row = RowFactory.create(report.source(), report.runId(), Date.valueOf(report.runDate()),
        report.upTo() == null ? null : Date.valueOf(report.upTo()),
        Timestamp.from(report.startedAt()), report.status().name(), report.filesFound(),
        report.filesIngested(), report.filesSkipped(), report.recordsRead(),
        report.rowsWritten(), report.rowsRejected(),
        report.addedColumns().toArray(new String[0]),
        report.missingColumns().toArray(new String[0]),
        report.batchIds().toArray(new Long[0]), report.recoveredBatch(), report.tableVersion(),
        report.rejectsVersion(), report.durationMs(), report.message(),
        report.filesUnmatched());
    runtime.spark().createDataFrame(List.of(row), SCHEMA).write().format("delta")
        .mode("append").option("mergeSchema", "true")
        .save(runtime.catalog().location(table));
    runtime.catalog().register(table);
  }
}
