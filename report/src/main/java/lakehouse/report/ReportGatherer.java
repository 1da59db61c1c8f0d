package lakehouse.report;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;
import lakehouse.common.LakehouseRuntime;
import lakehouse.common.catalog.LakeCatalog;
import lakehouse.common.catalog.TableId;
import lakehouse.common.ops.RunLog;
import lakehouse.report.ReportFacts.TableFacts;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gathers the report's figures from the lake. Each section's source table may not exist yet (a
 * fresh lake, a layer not run); that section then carries a note instead of data. Every step
 * says so on stderr (the log), with the time taken so far.
 */
public final class ReportGatherer {
  private static final Logger LOG = LoggerFactory.getLogger(ReportGatherer.class);
  static final String SNAPSHOT_PARTITIONS = "spark.databricks.delta.snapshotPartitions";
  static final int SNAPSHOT_PARTITIONS_DEFAULT = 50;

  private final LakehouseRuntime runtime;
  private final ReportSettings settings;
  private final BiFunction<TableId, Set<TableId>, TableFacts> tableFacts;
  private long startNanos;

  public ReportGatherer(LakehouseRuntime runtime, ReportSettings settings) {
    this.runtime = runtime;
    this.settings = settings;
    this.tableFacts = new TableGatherer(runtime.spark(), runtime.catalog(), settings)::gather;
  }

  /**
   * With another way to gather one table's facts (given the table and every table of the lake):
   * the report benchmark plugs in the old per-version counting here.
   */
  ReportGatherer(LakehouseRuntime runtime, ReportSettings settings,
      BiFunction<TableId, Set<TableId>, TableFacts> tableFacts) {
    this.runtime = runtime;
    this.settings = settings;
    this.tableFacts = tableFacts;
  }

  /**
   * Everything the report shows, with ages relative to {@code now}. Delta rebuilds a table's
   * snapshot in {@value #SNAPSHOT_PARTITIONS_DEFAULT} partitions unless told otherwise, costly
   * for the many small tables the report reads; while gathering, the session uses its default
   * parallelism instead, unless {@code spark.databricks.delta.snapshotPartitions} is set.
   */
  public ReportFacts gather(Instant now) {
    SparkSession spark = runtime.spark();
    boolean tune = spark.conf().get(SNAPSHOT_PARTITIONS, null) == null;
    if (tune) {
      spark.conf().set(SNAPSHOT_PARTITIONS,
          String.valueOf(Math.max(1, spark.sparkContext().defaultParallelism())));
    }
    try {
      return gatherFacts(now);
    } finally {
      if (tune) {
        spark.conf().unset(SNAPSHOT_PARTITIONS);
      }
    }
  }

  private ReportFacts gatherFacts(Instant now) {
    startNanos = System.nanoTime();
    LakeCatalog catalog = runtime.catalog();
    Set<TableId> all = new LinkedHashSet<>(catalog.discover());
    List<TableId> shown = all.stream().filter(id -> !TableGatherer.isAside(id)).toList();
    step(shown.size() + " tables found under " + catalog.lakeRoot());
    List<TableFacts> tables = new ArrayList<>();
    List<TableFacts> ops = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    for (int i = 0; i < shown.size(); i++) {
      TableId id = shown.get(i);
      runtime.describe("report", id.toString());
      try {
        (TableGatherer.isOperational(id) ? ops : tables).add(tableFacts.apply(id, all));
      } catch (Exception e) { // one broken table must not cost the whole report
        String message = e.getMessage() == null ? e.toString() : e.getMessage();
        notes.add(ReportMessages.unreadableTable(id, message.split("\n", 2)[0]));
      }
      step("table " + (i + 1) + "/" + shown.size() + " " + id + " read");
    }
    boolean hasMetrics = all.contains(settings.metricsTable());
    boolean hasTrainingSets = all.contains(settings.trainingSetsTable());
    boolean hasRegistry = all.contains(settings.registryTable());
    boolean hasRuns = all.contains(RunLog.TABLE);
    GridGatherer grids = new GridGatherer(catalog);
    var checks = hasMetrics ? new QualityGatherer(catalog, settings).gather() : null;
    step("quality checks read");
    var trainingSets = hasTrainingSets
        ? new TrainingSetGatherer(runtime.spark(), catalog, settings).gather() : null;
    step("training sets read");
    var registry = hasRegistry ? grids.registry(settings.registryTable()) : null;
    step("feature registry read");
    var runs = hasRuns ? grids.runs(settings.recentRuns()) : null;
    step("recent runs read");
    return new ReportFacts(settings.title(), now, catalog.lakeRoot(), tables, ops, notes,
        checks, hasMetrics ? null : ReportMessages.missing(settings.metricsTable(),
            ReportMessages.NO_METRICS),
        trainingSets, hasTrainingSets ? null : ReportMessages.missing(
            settings.trainingSetsTable(), ReportMessages.NO_TRAINING_SETS),
        registry, hasRegistry ? null : ReportMessages.missing(settings.registryTable(),
            ReportMessages.NO_REGISTRY),
        runs, hasRuns ? null : ReportMessages.missing(RunLog.TABLE, ReportMessages.NO_RUNS));
  }

  /** One progress line on stderr: what is done, and the seconds since the gathering started. */
  private void step(String done) {
    LOG.info("report: {} ({} s)", done,
        String.format("%.1f", (System.nanoTime() - startNanos) / 1e9));
  }
}
