package lakehouse.silver;

import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import lakehouse.common.catalog.LakeCatalog;
import lakehouse.common.catalog.TableId;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;

/** Appends each run's summary to the runs table (by default {@code _ops.silver_runs}). */
public final class RunLog {
  private RunLog() {}

  public static void append(SparkSession spark, LakeCatalog catalog, TableId id,
      SilverReport report, Instant startedAt, String message) {
    SilverTables.ensure(spark, catalog, id, SilverTables.runsSchema());
    var row = RowFactory.create(report.table(), Date.valueOf(report.runDate()), report.runId(),
        Timestamp.from(startedAt), report.durationMs(), report.status(), report.rowsRead(),
        report.inserted(), report.updated(), report.duplicatesDiscarded(), report.quarantined(),
        report.batches(), report.bronzeVersionFrom(), report.bronzeVersionTo(),
        report.silverVersion(), message);
    spark.createDataFrame(List.of(row), SilverTables.runsSchema())
        .write().format("delta").mode("append").save(catalog.location(id));
  }
}
