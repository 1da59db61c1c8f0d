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
import lakehouse.common.ops.RunHistory;
import lakehouse.common.ops.StepLog;
import lakehouse.common.spark.SparkSessions;
import lakehouse.report.ReportFacts.TableFacts;
import org.apache.spark.sql.SparkSession;

/**
 * Gathers the report's figures from the lake. Each section's source table may not exist yet (a
 * fresh lake, a layer not run); that section then carries a note instead of data. Every step says
 * so on stderr (a {@link StepLog} line), with the time taken so far, and a step that takes longer
 * than {@value StepLog#QUIET_SECONDS} s is named again every {@value StepLog#QUIET_SECONDS} s.
 */
public final class ReportGatherer {
  static final String SNAPSHOT_PARTITIONS = SparkSessions.SNAPSHOT_PARTITIONS;
  static final int SNAPSHOT_PARTITIONS_DEFAULT = SparkSessions.DELTA_SNAPSHOT_PARTITIONS;

  private final LakehouseRuntime runtime;
  private final ReportSettings settings;
  private final BiFunction<TableId, Set<TableId>, TableFacts> tableFacts;
  private StepLog steps;

  public ReportGatherer(LakehouseRuntime runtime, ReportSettings settings) {
    this.runtime = runtime;
    this.settings = settings;
    this.tableFacts = new TableGatherer(runtime.spark(), runtime.catalog(), settings)::gather;
  }

  /**
   * With another way to gather one table's facts (given the table and every table of the lake): the
   * report benchmark plugs in the old per-version counting here.
   */
  ReportGatherer(
      LakehouseRuntime runtime,
      ReportSettings settings,
      BiFunction<TableId, Set<TableId>, TableFacts> tableFacts) {
    this.runtime = runtime;
    this.settings = settings;
    this.tableFacts = tableFacts;
  }

  /**
   * Everything the report shows, with ages relative to {@code now}. Delta rebuilds a table's
   * snapshot in {@value #SNAPSHOT_PARTITIONS_DEFAULT} partitions unless told otherwise, costly for
   * the many small tables the report reads; while gathering, the session uses its default
   * parallelism instead, unless {@code spark.databricks.delta.snapshotPartitions} is set (the
   * lake's own local sessions have it set so from the start: {@link
   * SparkSessions#fitSnapshotPartitions}).
   */
  public ReportFacts gather(Instant now) {
    try (StepLog log = StepLog.start("report")) {
      return gather(now, log);
    }
  }

  /** As {@link #gather(Instant)}, saying each step in {@code steps}. */
  public ReportFacts gather(Instant now, StepLog steps) {
    this.steps = steps;
    SparkSession spark = runtime.spark();
    boolean tune = SparkSessions.fitSnapshotPartitions(spark);
    try {
      return gatherFacts(now);
    } finally {
      if (tune) {
        spark.conf().unset(SNAPSHOT_PARTITIONS);
      }
    }
  }

  private ReportFacts gatherFacts(Instant now) {
    working("listing the tables");
    LakeCatalog catalog = runtime.catalog();
    Set<TableId> all = new LinkedHashSet<>(catalog.discover());
    List<TableId> shown = all.stream().filter(id -> !TableGatherer.isAside(id)).toList();
    step(shown.size() + " tables found under " + catalog.lakeRoot());
    List<TableFacts> tables = new ArrayList<>();
    List<TableFacts> ops = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    for (int i = 0; i < shown.size(); i++) {
      TableId id = shown.get(i);
      working("table " + (i + 1) + "/" + shown.size() + " " + id);
      runtime.describe("report", id.toString());
      try {
        (TableGatherer.isOperational(id) ? ops : tables).add(tableFacts.apply(id, all));
      } catch (Exception e) { // one broken table must not cost the whole report
        String message = e.getMessage() == null ? e.toString() : e.getMessage();
        notes.add(ReportMessages.unreadableTable(id, message.split("\n", 2)[0]));
      }
      step("table " + (i + 1) + "/" + shown.size() + " " + id + " read");
    }
    List<TableId> metricsTables = QualityGatherer.metricsTables(all);
    boolean hasMetrics = !metricsTables.isEmpty();
    boolean hasTrainingSets = all.contains(settings.trainingSetsTable());
    List<TableId> registryTables =
        all.stream()
            .filter(t -> t.toString().startsWith(settings.registryPrefix()))
            .sorted(java.util.Comparator.comparing(TableId::toString))
            .toList();
    boolean hasRegistry = !registryTables.isEmpty();
    GridGatherer grids = new GridGatherer(catalog, RunHistory.of(runtime));
    working("quality checks");
    var checks = hasMetrics ? new QualityGatherer(catalog, settings).gather(metricsTables) : null;
    step("quality checks read");
    working("training sets");
    var trainingSets =
        hasTrainingSets
            ? new TrainingSetGatherer(runtime.spark(), catalog, settings).gather(steps)
            : null;
    step("training sets read");
    working("feature drift");
    List<TableId> driftTables = driftTables(runtime.settings(), all);
    boolean hasDrift = !driftTables.isEmpty();
    var drift = hasDrift ? new DriftGatherer(catalog).gather(driftTables, DRIFT_FEATURES) : null;
    step("feature drift read");
    working("feature registry");
    var registry = hasRegistry ? grids.registry(registryTables) : null;
    step("feature registry read");
    working("recent runs");
    boolean runsShown = settings.recentRuns() > 0;
    var runs = runsShown ? grids.runs(settings.recentRuns()) : null;
    boolean hasRuns = runs != null && !runs.rows().isEmpty();
    step("recent runs read");
    return new ReportFacts(
        settings.title(),
        now,
        catalog.lakeRoot(),
        tables,
        ops,
        notes,
        checks,
        hasMetrics ? null : ReportMessages.NO_METRICS,
        trainingSets,
        hasTrainingSets
            ? null
            : ReportMessages.missing(settings.trainingSetsTable(), ReportMessages.NO_TRAINING_SETS),
        registry,
        hasRegistry ? null : ReportMessages.noRegistry(settings.registryPrefix()),
        hasRuns ? runs : null,
        hasRuns
            ? null
            : runsShown
                ? ReportMessages.missing(RunHistory.TABLE, ReportMessages.NO_RUNS)
                : ReportMessages.RUNS_OFF,
        drift,
        hasDrift ? null : DriftSection.NO_DRIFT);
  }

  /** Features shown per drift comparison (the worst). */
  static final int DRIFT_FEATURES = 40;

  /**
   * The drift tables gold writes, one per feature set and training set ({@code
   * lakehouse.gold.drift.drift-table-prefix} and {@code training-drift-table-prefix}).
   */
  static List<TableId> driftTables(
      lakehouse.common.settings.LakehouseSettings settings, java.util.Collection<TableId> all) {
    List<String> prefixes = new ArrayList<>();
    for (String key :
        List.of(
            "lakehouse.gold.drift.drift-table-prefix",
            "lakehouse.gold.drift.training-drift-table-prefix")) {
      if (settings.config().hasPath(key)) {
        prefixes.add(settings.config().getString(key));
      }
    }
    return all.stream()
        .filter(t -> prefixes.stream().anyMatch(p -> t.toString().startsWith(p)))
        .sorted(java.util.Comparator.comparing(TableId::toString))
        .toList();
  }

  private void step(String done) {
    steps.step(done);
  }

  private void working(String what) {
    steps.working(what);
  }
}
