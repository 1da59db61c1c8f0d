package lakehouse.report;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import lakehouse.common.LakehouseRuntime;
import lakehouse.common.catalog.LakeCatalog;
import lakehouse.common.catalog.TableId;
import lakehouse.common.ops.RunLog;
import lakehouse.report.ReportFacts.TableFacts;

/**
 * Gathers the report's figures from the lake with Spark. Each section's source table may not exist
 * yet (a fresh lake, a layer not run); that section then carries a note instead of data.
 */
public final class ReportGatherer {
  private final LakehouseRuntime runtime;
  private final ReportSettings settings;

  public ReportGatherer(LakehouseRuntime runtime, ReportSettings settings) {
    this.runtime = runtime;
    this.settings = settings;
  }

  /** Everything the report shows, with ages relative to {@code now}. */
  public ReportFacts gather(Instant now) {
    LakeCatalog catalog = runtime.catalog();
    Set<TableId> all = new LinkedHashSet<>(catalog.discover());
    TableGatherer tableGatherer = new TableGatherer(runtime.spark(), catalog, settings);
    List<TableFacts> tables = new ArrayList<>();
    List<TableFacts> ops = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    for (TableId id : all) {
      if (TableGatherer.isAside(id)) {
        continue; // shown with the table it belongs to
      }
      runtime.describe("report", id.toString());
      try {
        (TableGatherer.isOperational(id) ? ops : tables).add(tableGatherer.gather(id, all));
      } catch (Exception e) { // one broken table must not cost the whole report
        String message = e.getMessage() == null ? e.toString() : e.getMessage();
        notes.add(ReportMessages.unreadableTable(id, message.split("\n", 2)[0]));
      }
    }
    boolean hasMetrics = all.contains(settings.metricsTable());
    boolean hasTrainingSets = all.contains(settings.trainingSetsTable());
    boolean hasRegistry = all.contains(settings.registryTable());
    boolean hasRuns = all.contains(RunLog.TABLE);
    GridGatherer grids = new GridGatherer(catalog);
    return new ReportFacts(settings.title(), now, catalog.lakeRoot(), tables, ops, notes,
        hasMetrics ? new QualityGatherer(catalog, settings).gather() : null,
        hasMetrics ? null : ReportMessages.missing(settings.metricsTable(),
            ReportMessages.NO_METRICS),
        hasTrainingSets ? new TrainingSetGatherer(runtime.spark(), catalog, settings).gather()
            : null,
        hasTrainingSets ? null : ReportMessages.missing(settings.trainingSetsTable(),
            ReportMessages.NO_TRAINING_SETS),
        hasRegistry ? grids.registry(settings.registryTable()) : null,
        hasRegistry ? null : ReportMessages.missing(settings.registryTable(),
            ReportMessages.NO_REGISTRY),
        hasRuns ? grids.runs(settings.recentRuns()) : null,
        hasRuns ? null : ReportMessages.missing(RunLog.TABLE, ReportMessages.NO_RUNS));
  }
}
