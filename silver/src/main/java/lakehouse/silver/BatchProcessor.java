package lakehouse.silver;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.size;

import io.delta.tables.DeltaTable;
import java.sql.Date;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import lakehouse.common.ExitCode;
import lakehouse.common.LakehouseException;
import lakehouse.common.catalog.LakeCatalog;
import lakehouse.common.ops.StepLog;
import lakehouse.silver.contract.CheckSpec;
import lakehouse.silver.contract.CheckSpec.CheckType;
import lakehouse.silver.contract.DerivedColumns;
import lakehouse.silver.contract.TableContract;
import lakehouse.silver.quality.CheckOutcome;
import lakehouse.silver.quality.CheckOutcome.Status;
import lakehouse.silver.quality.Deequ;
import lakehouse.silver.quality.QualityMetricsStore;
import lakehouse.silver.quality.QualityMetricsStore.BatchMetrics;
import lakehouse.silver.quality.QualityMetricsStore.Volume;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Processes one batch of bronze rows as one write-audit-publish unit: conform, route failing rows
 * to quarantine, deduplicate, plan the MERGE, run the quality gate and only then write (quarantine,
 * silver, metrics). An {@code error} check that fails throws a {@link LakehouseException} with
 * {@link ExitCode#QUALITY_GATE} before anything but the metrics history is written, so the silver
 * and quarantine tables stay as they were.
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
  private final StepLog steps;
  private BatchResult rejected;

  /** What one batch did. */
  public record BatchResult(
      long rowsRead,
      long inserted,
      long updated,
      long duplicates,
      long quarantined,
      long versionsClosed,
      List<CheckOutcome> outcomes,
      Dedupe dedupe) {
    static BatchResult empty() {
      return new BatchResult(0, 0, 0, 0, 0, 0, List.of(), Dedupe.NONE);
    }
  }

  /**
   * Why rows were not taken, in the batch and against silver (see {@link Deduplicator}).
   *
   * @param exact discarded: the same version (key and event time) with the same values is kept or
   *     already in silver
   * @param conflicting discarded: the same version with other values is kept or in silver
   * @param superseded discarded: a newer version of the key is kept or in silver
   * @param conflictingUpdates taken as updates (a later ingestion of the same version), replacing
   *     silver's row of the same key and event time, whose values differ; part of the updates
   */
  public record Dedupe(long exact, long conflicting, long superseded, long conflictingUpdates) {
    static final Dedupe NONE = new Dedupe(0, 0, 0, 0);

    /** Rows discarded: exact + conflicting + superseded. */
    public long discarded() {
      return exact + conflicting + superseded;
    }

    /** Rows in conflict with another row of the same version: what the conflicts check counts. */
    public long conflicts() {
      return conflicting + conflictingUpdates;
    }
  }

  public BatchProcessor(
      SparkSession spark,
      LakeCatalog catalog,
      TableContract contract,
      String salt,
      LocalDate runDate,
      String runId,
      Instant recordedAt,
      QualityMetricsStore metrics,
      StepLog steps) {
    this.spark = spark;
    this.catalog = catalog;
    this.contract = DerivedColumns.resolve(spark, contract);
    this.salt = salt;
    this.runDate = runDate;
    this.runId = runId;
    this.recordedAt = recordedAt;
    this.metrics = metrics;
    this.steps = steps;
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
      throw SilverErrors.missingRequiredColumn(
          contract.name(), contract.source().toString(), missing);
    }
    List<Dataset<?>> cached = new ArrayList<>();
    String b = "batch " + batchId + ": ";
    try {
      steps.working(b + "reading and typing the new rows of " + contract.source());
      Dataset<Row> conformed = keep(cached, Conformer.conform(batch, contract, salt));
      long read = conformed.count();
      if (read == 0) {
        return BatchResult.empty();
      }
      steps.step(b + read + " new rows read from " + contract.source());
      steps.working(b + "running the row checks");
      Dataset<Row> castOk = conformed.filter(size(col(Conformer.FAILED_RULES)).equalTo(0));
      Dataset<Row> castFailed = conformed.filter(size(col(Conformer.FAILED_RULES)).gt(0));
      Deequ.RowLevelResult rowLevel =
          Deequ.verifyRows(spark, castOk, contract.rowLevelChecks(), Conformer.FAILED_RULES);
      Dataset<Row> checked = keep(cached, rowLevel.rows());
      Dataset<Row> good =
          checked.filter(size(col(Conformer.FAILED_RULES)).equalTo(0)).drop(Conformer.FAILED_RULES);
      Dataset<Row> quarantine =
          keep(
              cached,
              castFailed
                  .unionByName(checked.filter(size(col(Conformer.FAILED_RULES)).gt(0)))
                  .select(
                      col(Conformer.FAILED_RULES),
                      col(Conformer.RAW),
                      col(Conformer.INGESTED_AT),
                      col(Conformer.SOURCE_FILE),
                      lit(Date.valueOf(runDate)).as("_run_date"),
                      lit(runId).as("_silver_run_id")));
      long quarantined = quarantine.count();
      steps.step(
          b
              + "typed and row-checked: "
              + (read - quarantined)
              + " good, "
              + quarantined
              + " to quarantine");
      steps.working(b + "deduplicating against " + contract.target());

      Dataset<Row> classified = keep(cached, Deduplicator.classify(good, contract));
      Map<String, Long> inBatch = countBy(classified, col(Deduplicator.KIND));
      Dataset<Row> deduped =
          classified
              .filter(col(Deduplicator.KIND).equalTo(lit(Deduplicator.KEPT)))
              .drop(Deduplicator.KIND, Conformer.RAW);
      Dataset<Row> silver =
          catalog.exists(contract.target())
              ? catalog.read(contract.target())
              : spark.createDataFrame(List.of(), SilverTables.silverSchema(contract));
      Dataset<Row> planned = keep(cached, SilverMerge.plan(deduped, silver, contract));
      Map<String, Long> plan =
          countBy(
              planned,
              concat_ws(":", col(SilverMerge.ACTION), coalesce(col(Deduplicator.KIND), lit(""))));
      long inserted = sumWhere(plan, "insert:");
      long updated = sumWhere(plan, "update:");
      Dedupe dedupe =
          new Dedupe(
              inBatch.getOrDefault(Deduplicator.EXACT, 0L) + sumWhere(plan, "stale:exact"),
              inBatch.getOrDefault(Deduplicator.CONFLICTING, 0L)
                  + sumWhere(plan, "stale:conflicting"),
              inBatch.getOrDefault(Deduplicator.SUPERSEDED, 0L)
                  + sumWhere(plan, "stale:superseded"),
              sumWhere(plan, "update:conflicting"));
      long duplicates = dedupe.discarded();
      steps.step(
          b
              + "deduplicated: "
              + inserted
              + " to insert, "
              + updated
              + " to update, "
              + duplicates
              + " duplicates discarded");
      steps.working(b + "running the quality checks (Deequ)");

      List<CheckOutcome> outcomes = new ArrayList<>(rowLevel.outcomes());
      Instant endOfRunDate = runDate.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
      // Uniqueness is measured on what arrived (exact copies aside), before the key collapses
      // it: measured after deduplication it could never fail. The other table checks measure
      // the rows this batch publishes.
      List<CheckSpec> onInput =
          contract.datasetChecks().stream().filter(c -> c.type() == CheckType.UNIQUENESS).toList();
      List<CheckSpec> onPublished =
          contract.datasetChecks().stream().filter(c -> c.type() != CheckType.UNIQUENESS).toList();
      List<CheckOutcome> tableOutcomes = new ArrayList<>();
      if (!onInput.isEmpty()) {
        tableOutcomes.addAll(
            Deequ.verifyTable(
                classified
                    .filter(col(Deduplicator.KIND).notEqual(lit(Deduplicator.EXACT)))
                    .drop(Deduplicator.KIND),
                onInput,
                endOfRunDate));
      }
      tableOutcomes.addAll(
          Deequ.verifyTable(
              planned
                  .filter(col(SilverMerge.ACTION).notEqual(lit("stale")))
                  .drop(SilverMerge.ACTION, Deduplicator.KIND),
              onPublished,
              endOfRunDate));
      for (CheckSpec spec : contract.datasetChecks()) {
        if (spec.type() == CheckType.QUARANTINE_RATE) {
          tableOutcomes.add(quarantineRate(spec, quarantined, read));
        } else if (spec.type() == CheckType.ROW_COUNT_ANOMALY) {
          tableOutcomes.add(anomaly(spec, read));
        } else if (spec.type() == CheckType.CONFLICTING_DUPLICATES) {
          tableOutcomes.add(conflicts(spec, dedupe, read, classified, planned));
        }
      }
      outcomes.addAll(inDeclarationOrder(tableOutcomes));
      List<Volume> volumes =
          List.of(
              new Volume(QualityMetricsStore.ROWS_READ, read),
              new Volume("inserted", inserted),
              new Volume("updated", updated),
              new Volume("duplicates_discarded", duplicates),
              new Volume("quarantined", quarantined),
              new Volume("exact_duplicates", dedupe.exact()),
              new Volume("conflicting_duplicates", dedupe.conflicting()),
              new Volume("superseded_versions", dedupe.superseded()),
              new Volume("conflicting_updates", dedupe.conflictingUpdates()));

      List<String> blocking =
          outcomes.stream().filter(CheckOutcome::blocks).map(CheckOutcome::describe).toList();
      long failed = outcomes.stream().filter(o -> o.status() == Status.FAILED).count();
      steps.step(
          b
              + "quality checks run: "
              + outcomes.size()
              + " checks, "
              + failed
              + " failed"
              + (blocking.isEmpty() ? "" : ", " + blocking.size() + " blocking"));
      if (!blocking.isEmpty()) {
        metrics.append(
            new BatchMetrics(
                contract.name(),
                runDate,
                runId,
                batchId,
                "rejected",
                recordedAt,
                outcomes,
                volumes));
        steps.step(b + "metrics written to " + contract.metrics() + "; nothing published");
        rejected =
            new BatchResult(read, inserted, updated, duplicates, quarantined, 0, outcomes, dedupe);
        throw SilverErrors.gateFailed(contract.name(), runDate.toString(), blocking);
      }

      // Publish: quarantine first (idempotent per batch), then the one MERGE into silver.
      SilverTables.ensure(spark, catalog, contract.quarantine(), SilverTables.quarantineSchema());
      if (quarantined > 0) {
        steps.working(b + "writing " + contract.quarantine());
        quarantine
            .write()
            .format("delta")
            .mode("append")
            .option("txnAppId", txnAppId + ":quarantine")
            .option("txnVersion", batchId)
            .save(catalog.location(contract.quarantine()));
        steps.step(b + quarantined + " rows written to " + contract.quarantine());
      }
      SilverTables.ensureTarget(spark, catalog, contract);
      long closed = 0;
      if (inserted + updated > 0) {
        steps.working(b + "merging into " + contract.target());
        closed =
            SilverMerge.apply(
                DeltaTable.forPath(spark, catalog.location(contract.target())), planned, contract);
        steps.step(
            b
                + "merged into "
                + contract.target()
                + " (version "
                + catalog.currentVersion(contract.target())
                + ")");
      }
      steps.working(b + "writing the metrics to " + contract.metrics());
      metrics.append(
          new BatchMetrics(
              contract.name(),
              runDate,
              runId,
              batchId,
              "published",
              recordedAt,
              outcomes,
              volumes));
      steps.step(b + "metrics written to " + contract.metrics());
      return new BatchResult(
          read, inserted, updated, duplicates, quarantined, closed, outcomes, dedupe);
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

  /** Rows per value of {@code by}, in one pass. */
  private static Map<String, Long> countBy(Dataset<Row> rows, Column by) {
    Map<String, Long> counts = new HashMap<>();
    for (Row row : rows.groupBy(by.as("_by")).count().collectAsList()) {
      counts.put(row.getString(0), row.getLong(1));
    }
    return counts;
  }

  private static long sumWhere(Map<String, Long> counts, String prefix) {
    return counts.entrySet().stream()
        .filter(e -> e.getKey().startsWith(prefix))
        .mapToLong(Map.Entry::getValue)
        .sum();
  }

  /** The table checks' outcomes in the order the contract declares them. */
  private List<CheckOutcome> inDeclarationOrder(List<CheckOutcome> outcomes) {
    List<String> order = contract.checks().stream().map(CheckSpec::name).toList();
    List<CheckOutcome> sorted = new ArrayList<>(outcomes);
    sorted.sort(java.util.Comparator.comparingInt(o -> order.indexOf(o.check())));
    return sorted;
  }

  /**
   * Rows in conflict (the same business key and event time as another row of the batch or silver's,
   * other values) against {@code max-fraction} of the rows read; a failure names a few of the
   * conflicting versions.
   */
  private CheckOutcome conflicts(
      CheckSpec spec, Dedupe dedupe, long read, Dataset<Row> classified, Dataset<Row> planned) {
    double fraction = (double) dedupe.conflicts() / read;
    boolean ok = fraction <= spec.maxFraction();
    String detail = "";
    if (!ok) {
      List<String> version = new ArrayList<>(contract.businessKey());
      version.add(contract.eventTime());
      Column[] columns = version.stream().map(c -> col("`" + c + "`")).toArray(Column[]::new);
      List<Row> examples =
          classified
              .filter(col(Deduplicator.KIND).equalTo(lit(Deduplicator.CONFLICTING)))
              .select(columns)
              .union(
                  planned
                      .filter(col(Deduplicator.KIND).equalTo(lit(Deduplicator.CONFLICTING)))
                      .select(columns))
              .distinct()
              .limit(3)
              .collectAsList();
      List<String> shown = new ArrayList<>();
      for (Row row : examples) {
        List<String> pairs = new ArrayList<>();
        for (int i = 0; i < version.size(); i++) {
          Object value = row.get(i);
          pairs.add(
              version.get(i)
                  + "="
                  + (value instanceof java.sql.Timestamp t
                      ? t.toInstant()
                      : value)); // an instant reads the same in any time zone
        }
        shown.add("(" + String.join(", ", pairs) + ")");
      }
      detail =
          dedupe.conflicts()
              + " of "
              + read
              + " rows share business key and "
              + contract.eventTime()
              + " with a row of other values ("
              + dedupe.conflicting()
              + " discarded, "
              + dedupe.conflictingUpdates()
              + " replaced silver's row), e.g. "
              + String.join(", ", shown)
              + "; is the business key "
              + contract.businessKey()
              + " complete?";
    }
    return new CheckOutcome(
        spec.name(),
        spec.type().label(),
        spec.severity().label(),
        "ConflictingFraction",
        fraction,
        "<= " + spec.maxFraction(),
        ok ? Status.PASSED : Status.FAILED,
        detail);
  }

  private static CheckOutcome quarantineRate(CheckSpec spec, long quarantined, long read) {
    double rate = (double) quarantined / read;
    boolean ok = rate <= spec.maxFraction();
    return new CheckOutcome(
        spec.name(),
        spec.type().label(),
        spec.severity().label(),
        "QuarantinedFraction",
        rate,
        "<= " + spec.maxFraction(),
        ok ? Status.PASSED : Status.FAILED,
        ok ? "" : quarantined + " of " + read + " rows quarantined");
  }

  private CheckOutcome anomaly(CheckSpec spec, long read) {
    List<Double> history = metrics.publishedRowsRead(contract.name());
    String threshold =
        "change vs previous run within -"
            + orDash(spec.maxDecrease())
            + "/+"
            + orDash(spec.maxIncrease());
    if (history.size() < spec.minHistory()) {
      return new CheckOutcome(
          spec.name(),
          spec.type().label(),
          spec.severity().label(),
          "RowsRead",
          read,
          threshold,
          Status.SKIPPED,
          "history has "
              + history.size()
              + " published run(s), the check needs "
              + spec.minHistory());
    }
    Deequ.Anomaly verdict =
        Deequ.relativeRateOfChange(history, read, spec.maxDecrease(), spec.maxIncrease());
    return new CheckOutcome(
        spec.name(),
        spec.type().label(),
        spec.severity().label(),
        "RowsRead",
        read,
        threshold,
        verdict.anomalous() ? Status.FAILED : Status.PASSED,
        verdict.anomalous()
            ? "previous run read "
                + CheckOutcome.format(history.get(history.size() - 1))
                + " rows; "
                + verdict.detail()
            : "");
  }

  private static String orDash(Double value) {
    return value == null ? "inf" : String.valueOf(value);
  }
}
