package lakehouse.silver.quality;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import lakehouse.common.catalog.LakeCatalog;
import lakehouse.common.catalog.TableId;
import lakehouse.silver.SilverTables;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;

/**
 * A table's metrics history, a Delta table of its own ({@code silver.<table>_quality_metrics}):
 * every batch's check outcomes and volume metrics are appended, whether the batch was published or
 * rejected. It replaces Deequ's file-system repository, which rewrites one JSON file per save
 * without locking; a Delta append is atomic on local disks and on s3a alike. The history of
 * published batches feeds the anomaly checks.
 */
public final class QualityMetricsStore {
  /** The pseudo-check under which the volume of each batch is recorded. */
  public static final String VOLUME = "_volume";

  public static final String ROWS_READ = "rows_read";

  private final SparkSession spark;
  private final LakeCatalog catalog;
  private final TableId id;

  public QualityMetricsStore(SparkSession spark, LakeCatalog catalog, TableId id) {
    this.spark = spark;
    this.catalog = catalog;
    this.id = id;
  }

  /** One batch's record: identity, outcome of the batch and what was measured. */
  public record BatchMetrics(
      String table,
      LocalDate runDate,
      String runId,
      long batchId,
      String batchStatus,
      Instant recordedAt,
      List<CheckOutcome> outcomes,
      List<Volume> volumes) {}

  /** A count recorded with every batch (rows read, inserted, ...). */
  public record Volume(String metric, long value) {}

  /** Appends one batch's outcomes and volumes. */
  public void append(BatchMetrics batch) {
    SilverTables.ensure(spark, catalog, id, SilverTables.metricsSchema());
    List<Row> rows = new ArrayList<>();
    Date runDate = Date.valueOf(batch.runDate());
    Timestamp at = Timestamp.from(batch.recordedAt());
    for (CheckOutcome o : batch.outcomes()) {
      rows.add(
          RowFactory.create(
              batch.table(),
              runDate,
              batch.runId(),
              batch.batchId(),
              o.check(),
              o.type(),
              o.severity(),
              o.metric(),
              Double.isNaN(o.value()) ? null : o.value(),
              o.threshold(),
              o.status().label(),
              o.detail(),
              batch.batchStatus(),
              at));
    }
    for (Volume v : batch.volumes()) {
      rows.add(
          RowFactory.create(
              batch.table(),
              runDate,
              batch.runId(),
              batch.batchId(),
              VOLUME,
              "volume",
              "info",
              v.metric(),
              (double) v.value(),
              null,
              "recorded",
              null,
              batch.batchStatus(),
              at));
    }
    spark
        .createDataFrame(rows, SilverTables.metricsSchema())
        .write()
        .format("delta")
        .mode("append")
        .save(catalog.location(id));
  }

  /**
   * The rows read by the table's published batches, oldest first: the history an anomaly check
   * compares the next batch with.
   */
  public List<Double> publishedRowsRead(String table) {
    if (!catalog.exists(id)) {
      return List.of();
    }
    List<Row> rows =
        catalog
            .read(id)
            .filter(
                col("table")
                    .equalTo(lit(table))
                    .and(col("check").equalTo(lit(VOLUME)))
                    .and(col("metric").equalTo(lit(ROWS_READ)))
                    .and(col("batch_status").equalTo(lit("published"))))
            .orderBy(col("recorded_at"), col("run_date"), col("batch_id"))
            .select("value")
            .collectAsList();
    return rows.stream().map(r -> r.getDouble(0)).toList();
  }
}
