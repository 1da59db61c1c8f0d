package lakehouse.silver;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.size;

import io.delta.tables.DeltaTable;
import java.sql.Date;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import lakehouse.common.ExitCode;
import lakehouse.common.LakehouseException;
import lakehouse.common.catalog.LakeCatalog;
import lakehouse.silver.contract.CheckSpec;
import lakehouse.silver.contract.CheckSpec.CheckType;
import lakehouse.silver.contract.TableContract;
import lakehouse.silver.quality.CheckOutcome;
import lakehouse.silver.quality.CheckOutcome.Status;
import lakehouse.silver.quality.Deequ;
import lakehouse.silver.quality.QualityMetricsStore;
import lakehouse.silver.quality.QualityMetricsStore.BatchMetrics;
import lakehouse.silver.quality.QualityMetricsStore.Volume;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Processes one batch of bronze rows as one write-audit-publish unit: conform, route failing
 * rows to quarantine, deduplicate, plan the MERGE, run the quality gate and only then write
 * (quarantine, silver, metrics). An {@code error} check that fails throws a
 * {@link LakehouseException} with {@link ExitCode#QUALITY_GATE} before anything but the metrics
 * history is written, so the silver and quarantine tables stay as they were.
 */
public final class BatchProcessor {
  private final SparkSession spark;
  private final LakeCatalog catalog;
  private final TableContract contract;
  private final String salt;
  private final LocalDate runDate;
  private final String runId;
  private final Instant recordedAt;
  private final QualityMetricsStore metrics;
  private BatchResult rejected;

  /** What one batch did. */
  public record BatchResult(long rowsRead, long inserted, long updated, long duplicates,
      long quarantined, long versionsClosed, List<CheckOutcome> outcomes) {
    static BatchResult empty() {
      return new BatchResult(0, 0, 0, 0, 0, 0, List.of());
    }
  }

  public BatchProcessor(SparkSession spark, LakeCatalog catalog, TableContract contract,
      String salt, LocalDate runDate, String runId, Instant recordedAt,
      QualityMetricsStore metrics) {
    this.spark = spark;
    this.catalog = catalog;
    this.contract = contract;
    this.salt = salt;
    this.runDate = runDate;
    this.runId = runId;
    this.recordedAt = recordedAt;
    this.metrics = metrics;
  }

  /**
   * Processes one batch.
   *
   * @param batchId the micro-batch id (with {@code txnAppId}, makes the quarantine append
   *     idempotent when a batch is replayed after a crash)
   * @param txnAppId identifies the incremental read the batch belongs to
   */
  public BatchResult process(Dataset<Row> batch, long batchId, String txnAppId) {
    List<String> missing = Conformer.missingRequired(batch, contract);
    if (!missing.isEmpty()) {
      throw LakehouseException.data(SilverMessages.missingRequiredColumn(contract.name(),
          contract.source().toString(), missing));
    }
    List<Dataset<?>> cached = new ArrayList<>();
    try {
      Dataset<Row> conformed = keep(cached, Conformer.conform(batch, contract, salt));
      long read = conformed.count();
      if (read == 0) {
        return BatchResult.empty();
      }
      Dataset<Row> castOk = conformed.filter(size(col(Conformer.FAILED_RULES)).equalTo(0));
      Dataset<Row> castFailed = conformed.filter(size(col(Conformer.FAILED_RULES)).gt(0));
      Deequ.RowLevelResult rowLevel = Deequ.verifyRows(spark, castOk, contract.rowLevelChecks(),
          Conformer.FAILED_RULES);
      Dataset<Row> checked = keep(cached, rowLevel.rows());
      Dataset<Row> good = checked.filter(size(col(Conformer.FAILED_RULES)).equalTo(0))
          .drop(Conformer.FAILED_RULES);
      Dataset<Row> quarantine = keep(cached, castFailed
          .unionByName(checked.filter(size(col(Conformer.FAILED_RULES)).gt(0)))
          .select(col(Conformer.FAILED_RULES), col(Conformer.RAW), col(Conformer.INGESTED_AT),
              col(Conformer.SOURCE_FILE), lit(Date.valueOf(runDate)).as("_run_date"),
              lit(runId).as("_silver_run_id")));
      long quarantined = quarantine.count();
      long goodCount = read - quarantined;

      Dataset<Row> deduped = keep(cached, Deduplicator.latest(good, contract)
          .drop(Conformer.RAW));
      long dedupedCount = deduped.count();
      Dataset<Row> silver = catalog.exists(contract.target())
          ? catalog.read(contract.target())
          : spark.createDataFrame(List.of(), SilverTables.silverSchema(contract));
      Dataset<Row> planned = keep(cached, SilverMerge.plan(deduped, silver, contract));
      long inserted = countAction(planned, "insert");
      long updated = countAction(planned, "update");
      long stale = dedupedCount - inserted - updated;
      long duplicates = (goodCount - dedupedCount) + stale;

      List<CheckOutcome> outcomes = new ArrayList<>(rowLevel.outcomes());
      Instant endOfRunDate = runDate.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
      outcomes.addAll(Deequ.verifyTable(deduped, contract.datasetChecks(), endOfRunDate));
      for (CheckSpec spec : contract.datasetChecks()) {
        if (spec.type() == CheckType.QUARANTINE_RATE) {
          outcomes.add(quarantineRate(spec, quarantined, read));
        } else if (spec.type() == CheckType.ROW_COUNT_ANOMALY) {
          outcomes.add(anomaly(spec, read));
        }
      }
      List<Volume> volumes = List.of(new Volume(QualityMetricsStore.ROWS_READ, read),
          new Volume("inserted", inserted), new Volume("updated", updated),
          new Volume("duplicates_discarded", duplicates), new Volume("quarantined", quarantined));

      List<String> blocking = outcomes.stream().filter(CheckOutcome::blocks)
          .map(CheckOutcome::describe).toList();
      if (!blocking.isEmpty()) {
        metrics.append(new BatchMetrics(contract.name(), runDate, runId, batchId, "rejected",
            recordedAt, outcomes, volumes));
        rejected = new BatchResult(read, inserted, updated, duplicates, quarantined, 0, outcomes);
        throw new LakehouseException(ExitCode.QUALITY_GATE, SilverMessages.gateFailed(
            contract.name(), runDate.toString(), blocking));
      }

      // Publish: quarantine first (idempotent per batch), then the one MERGE into silver.
      SilverTables.ensure(spark, catalog, contract.quarantine(), SilverTables.quarantineSchema());
      if (quarantined > 0) {
        quarantine.write().format("delta").mode("append")
            .option("txnAppId", txnAppId + ":quarantine")
            .option("txnVersion", batchId)
            .save(catalog.location(contract.quarantine()));
      }
      SilverTables.ensureTarget(spark, catalog, contract);
      long closed = 0;
      if (inserted + updated > 0) {
        closed = SilverMerge.apply(DeltaTable.forPath(spark, catalog.location(contract.target())),
            planned, contract);
      }
      metrics.append(new BatchMetrics(contract.name(), runDate, runId, batchId, "published",
          recordedAt, outcomes, volumes));
      return new BatchResult(read, inserted, updated, duplicates, quarantined, closed, outcomes);
    } finally {
      cached.forEach(Dataset::unpersist);
    }
  }

  /** What the batch rejected by the quality gate would have done; null when none was. */
  public BatchResult rejected() {
    return rejected;
  }

  private static Dataset<Row> keep(List<Dataset<?>> cached, Dataset<Row> data) {
    Dataset<Row> persisted = data.persist();
    cached.add(persisted);
    return persisted;
  }

  private static long countAction(Dataset<Row> planned, String action) {
    return planned.filter(col(SilverMerge.ACTION).equalTo(lit(action))).count();
  }

  private static CheckOutcome quarantineRate(CheckSpec spec, long quarantined, long read) {
    double rate = (double) quarantined / read;
    boolean ok = rate <= spec.maxFraction();
    return new CheckOutcome(spec.name(), spec.type().label(), spec.severity().label(),
        "QuarantinedFraction", rate, "<= " + spec.maxFraction(),
        ok ? Status.PASSED : Status.FAILED,
        ok ? "" : quarantined + " of " + read + " rows quarantined");
  }

  private CheckOutcome anomaly(CheckSpec spec, long read) {
    List<Double> history = metrics.publishedRowsRead(contract.name());
    String threshold = "change vs previous run within -" + orDash(spec.maxDecrease()) + "/+"
        + orDash(spec.maxIncrease());
    if (history.size() < spec.minHistory()) {
      return new CheckOutcome(spec.name(), spec.type().label(), spec.severity().label(),
          "RowsRead", read, threshold, Status.SKIPPED, "history has " + history.size()
          + " published run(s), the check needs " + spec.minHistory());
    }
    Deequ.Anomaly verdict = Deequ.relativeRateOfChange(history, read, spec.maxDecrease(),
        spec.maxIncrease());
    return new CheckOutcome(spec.name(), spec.type().label(), spec.severity().label(),
        "RowsRead", read, threshold, verdict.anomalous() ? Status.FAILED : Status.PASSED,
        verdict.anomalous() ? "previous run read " + CheckOutcome.format(history.get(
            history.size() - 1)) + " rows; " + verdict.detail() : "");
  }

  private static String orDash(Double value) {
    return value == null ? "inf" : String.valueOf(value);
  }
}
