package lakehouse.silver;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import lakehouse.common.ExitCode;
import lakehouse.common.LakehouseException;
import lakehouse.common.LakehouseRuntime;
import lakehouse.common.catalog.LakeCatalog;
import lakehouse.common.cli.Cli;
import lakehouse.common.ops.RunStats;
import lakehouse.common.ops.StepLog;
import lakehouse.common.settings.LakePaths;
import lakehouse.silver.BatchProcessor.BatchResult;
import lakehouse.silver.contract.DerivedColumns;
import lakehouse.silver.contract.TableContract;
import lakehouse.silver.contract.TableContracts;
import lakehouse.silver.quality.CheckOutcome;
import lakehouse.silver.quality.QualityMetricsStore;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.SourceProgress;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryException;
import org.apache.spark.sql.streaming.StreamingQueryProgress;
import org.apache.spark.sql.streaming.Trigger;

/**
 * Runs the silver layer for one table: reads the bronze rows no earlier run has processed, and
 * hands each micro-batch to a {@link BatchProcessor}.
 *
 * <p>Incremental reads use Delta's streaming source with {@code Trigger.AvailableNow} and a
 * checkpoint under {@code <lake-root>/_checkpoints/silver/<table>}: the checkpoint records the
 * bronze version and file index each batch ended at, so a rerun reads nothing new and changes
 * nothing, and a batch that failed (a quality gate, a crash) is read again by the next run. It
 * needs nothing from bronze but being an append-only Delta table (no change data feed).
 */
public final class SilverJob {
  private SilverJob() {}

  /**
   * What to run.
   *
   * @param contract the table's contract, as declared ({@link TableContracts#load}) or built
   * @param runDate the logical run date
   */
  public record Request(TableContract contract, LocalDate runDate) {
    /** The request of a declared table ({@code conf/tables/<table>.conf}); a bad one is exit 2. */
    public static Request load(LakehouseRuntime runtime, String table, LocalDate runDate) {
      return new Request(TableContracts.load(runtime.settings().confDir(), table), runDate);
    }
  }

  /** Runs one table; the report says what was read and where every row went. */
  public static SilverReport run(LakehouseRuntime runtime, Request request) {
    try (StepLog steps = StepLog.start("silver " + request.contract().name())) {
      return run(runtime, request.contract(), request.runDate(), steps);
    }
  }

  private static SilverReport run(
      LakehouseRuntime runtime, TableContract declared, LocalDate runDate, StepLog steps) {
    steps.working("loading the contract");
    // Derived columns resolved against the typed columns first: a bad expression is exit 2.
    TableContract contract = DerivedColumns.resolve(runtime.spark(), declared);
    SilverSettings settings = SilverSettings.from(runtime.settings());
    String salt = contract.hasPii() ? settings.saltFor(runtime.settings().env()) : "";
    LakeCatalog catalog = runtime.catalog();
    if (!catalog.exists(contract.source())) {
      throw SilverErrors.missingBronze(contract.source().toString(), contract.name());
    }
    List<String> missing = Conformer.missingRequired(catalog.read(contract.source()), contract);
    if (!missing.isEmpty()) {
      throw SilverErrors.missingRequiredColumn(
          contract.name(), contract.source().toString(), missing);
    }
    steps.step(
        "contract loaded ("
            + contract.columns().size()
            + " columns, "
            + contract.checks().size()
            + " checks)");
    SparkSession spark = runtime.spark();
    runtime.describe("silver " + contract.name(), runDate.toString());
    // The job's run id, so the audit columns point at its row in the run history.
    String runId =
        runtime.stats().runId() != null ? runtime.stats().runId() : UUID.randomUUID().toString();
    Instant startedAt = Instant.now();
    long start = System.nanoTime();
    QualityMetricsStore metrics = new QualityMetricsStore(spark, catalog, contract.metrics());
    BatchProcessor processor =
        new BatchProcessor(
            spark, catalog, contract, salt, runDate, runId, startedAt, metrics, steps);
    String checkpoint =
        LakePaths.join(catalog.lakeRoot(), settings.checkpointDir(), "silver", contract.name());
    List<BatchResult> results = Collections.synchronizedList(new ArrayList<>());

    StreamingQuery query = null;
    LakehouseException failure = null;
    quietStreamErrors();
    steps.working("reading the new rows of " + contract.source());
    try {
      Dataset<Row> bronze =
          spark
              .readStream()
              .format("delta")
              .option("maxFilesPerTrigger", settings.maxFilesPerBatch())
              .load(catalog.location(contract.source()));
      query =
          bronze
              .writeStream()
              .option("checkpointLocation", checkpoint)
              .trigger(Trigger.AvailableNow())
              .foreachBatch(
                  (VoidFunction2<Dataset<Row>, Long>)
                      (batch, batchId) ->
                          results.add(processor.process(batch, batchId, txnAppId(batch, contract))))
              .start();
      query.awaitTermination();
    } catch (StreamingQueryException e) {
      failure = Cli.findKnown(e);
      if (failure == null) {
        throw SilverErrors.streamFailed(contract.name(), e.getMessage(), e);
      }
    } catch (TimeoutException e) {
      throw SilverErrors.streamFailed(
          contract.name(), "the streaming query did not start: " + e.getMessage(), e);
    }

    if (failure != null && processor.rejected() != null) {
      // Counted so the run row says what the rejected batch held; nothing of it was written.
      results.add(processor.rejected());
    }
    if (failure == null) {
      SilverTables.ensureTarget(spark, catalog, contract);
      SilverTables.ensure(spark, catalog, contract.quarantine(), SilverTables.quarantineSchema());
      if (results.stream().noneMatch(r -> r.rowsRead() > 0)) {
        steps.step("no new rows in " + contract.source());
      }
    }
    Long[] versions = bronzeVersions(query);
    String status =
        failure != null
            ? (failure.exitCode() == ExitCode.QUALITY_GATE ? "quality_gate_failed" : "failed")
            : results.stream().anyMatch(r -> r.rowsRead() > 0) ? "published" : "no_new_data";
    List<CheckOutcome> outcomes = new ArrayList<>();
    results.forEach(r -> outcomes.addAll(r.outcomes()));
    Long silverVersion =
        catalog.exists(contract.target()) ? catalog.currentVersion(contract.target()) : null;
    SilverReport report =
        new SilverReport(
            contract.name(),
            runDate,
            runId,
            status,
            results.stream().mapToLong(BatchResult::rowsRead).sum(),
            results.stream().mapToLong(BatchResult::inserted).sum(),
            results.stream().mapToLong(BatchResult::updated).sum(),
            results.stream().mapToLong(BatchResult::duplicates).sum(),
            results.stream().mapToLong(BatchResult::quarantined).sum(),
            results.stream().mapToLong(BatchResult::versionsClosed).sum(),
            (int) results.stream().filter(r -> r.rowsRead() > 0).count(),
            versions[0],
            versions[1],
            silverVersion,
            (System.nanoTime() - start) / 1_000_000,
            outcomes,
            results.stream().mapToLong(r -> r.dedupe().exact()).sum(),
            results.stream().mapToLong(r -> r.dedupe().conflicting()).sum(),
            results.stream().mapToLong(r -> r.dedupe().superseded()).sum(),
            results.stream().mapToLong(r -> r.dedupe().conflictingUpdates()).sum());
    recordStats(runtime, contract, report, failure == null ? null : failure.getMessage());
    steps.step(
        "finished: "
            + status.replace('_', ' ')
            + (status.equals("published")
                ? " (" + contract.target() + " version " + silverVersion + ")"
                : ""));
    if (failure != null) {
      throw failure;
    }
    return report;
  }

  /** What the run history shows for this run: counts, versions, the table's details. */
  private static void recordStats(
      LakehouseRuntime runtime, TableContract contract, SilverReport report, String error) {
    RunStats stats = runtime.stats();
    stats
        .addTarget(contract.target().toString())
        .detail(contract.target().toString(), report.details(error));
    stats.runDate(report.runDate()).addRowsRead(report.rowsRead());
    if (report.status().equals("published")) {
      stats
          .addRowsWritten(report.inserted() + report.updated())
          .addRowsQuarantined(report.quarantined());
    }
    if (report.bronzeVersionTo() != null) {
      stats.versionRead(contract.source(), report.bronzeVersionTo());
    }
    if (report.status().equals("published") && report.silverVersion() != null) {
      stats.versionWritten(contract.target(), report.silverVersion());
    }
  }

  /**
   * A batch that fails its quality gate ends the streaming query with an exception, which Spark's
   * micro-batch engine logs with a full stack trace before this job reports the same failure as one
   * readable message (and any other failure with its stack trace). The engine's log line only
   * repeats it, so it is turned off.
   */
  private static void quietStreamErrors() {
    org.apache.logging.log4j.core.config.Configurator.setLevel(
        "org.apache.spark.sql.execution.streaming.MicroBatchExecution",
        org.apache.logging.log4j.Level.OFF);
  }

  /** The id under which a batch's idempotent appends are recorded: one per checkpoint. */
  private static String txnAppId(Dataset<Row> batch, TableContract contract) {
    String queryId = batch.sparkSession().sparkContext().getLocalProperty("sql.streaming.queryId");
    return "silver:" + contract.name() + ":" + (queryId == null ? "batch" : queryId);
  }

  /** The first and last bronze versions the run's batches covered, from the query's progress. */
  private static Long[] bronzeVersions(StreamingQuery query) {
    Long from = null;
    Long to = null;
    if (query != null) {
      for (StreamingQueryProgress progress : query.recentProgress()) {
        if (progress.numInputRows() == 0) {
          continue;
        }
        for (SourceProgress source : progress.sources()) {
          Long end = DeltaSourceOffset.lastVersionRead(source.endOffset());
          if (from == null) {
            // No start offset: the first batch read the table's snapshot, versions 0..end.
            from =
                source.startOffset() == null
                    ? Long.valueOf(0)
                    : DeltaSourceOffset.nextVersion(source.startOffset());
          }
          if (end != null) {
            to = end;
          }
        }
      }
    }
    return new Long[] {from, to};
  }
}
