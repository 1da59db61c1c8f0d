package lakehouse.timetravel;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import lakehouse.common.ExitCode;
import lakehouse.common.LakehouseRuntime;
import lakehouse.common.catalog.TableId;
import lakehouse.common.cli.LakehouseCommand;
import lakehouse.common.cli.OptionValues;
import lakehouse.common.cli.TablePrinter;
import lakehouse.common.ops.StepLog;
import lakehouse.common.settings.LakehouseSettings;
import lakehouse.training.TrainingSetManifests;
import lakehouse.training.TrainingSetManifests.Pin;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code maintenance vacuum [--table T ...] [--if-exists] [--retain D] [--dry-run] [--force]}:
 * Delta VACUUM behind the retention guard (see {@link RetentionGuard}). Every table is planned
 * before any file is deleted; if one plan would remove files a training set within the
 * reproducibility window needs, nothing is vacuumed and the command exits 2 naming them.
 */
@Command(
    name = "vacuum",
    description = {
      "Remove files no longer needed (Delta VACUUM), keeping every file the table versions read "
          + "by training sets built within lakehouse.maintenance.reproducibility-window need.",
      "Without --retain the retention is the window, or longer where a pinned version is older. "
          + "A --retain that would remove pinned files is refused (exit 2) unless --force. Sets "
          + "each table's delta.deletedFileRetentionDuration / logRetentionDuration to match."
    })
public final class VacuumCommand extends LakehouseCommand {
  @Mixin MaintenanceTables tables;

  @Option(
      names = "--retain",
      paramLabel = "DURATION",
      description =
          "Keep removed files younger than this, e.g. '7 days' or 168h (default: the "
              + "reproducibility window, or what pinned versions need).")
  String retain;

  @Option(names = "--dry-run", description = "Show what would be deleted; change nothing.")
  boolean dryRun;

  @Option(
      names = "--force",
      description =
          "Vacuum even if training sets lose versions they "
              + "need (they can no longer be rebuilt), and accept a --retain below "
              + "lakehouse.maintenance.min-retention.")
  boolean force;

  private final Clock clock;

  public VacuumCommand() {
    this(Clock.systemUTC());
  }

  /** For tests that need training sets to have aged. */
  VacuumCommand(Clock clock) {
    this.clock = clock;
  }

  @Override
  protected ExitCode run(LakehouseSettings settings) {
    MaintenanceSettings maintenance = MaintenanceSettings.from(settings);
    Duration requested = retain == null ? null : OptionValues.duration("--retain", retain);
    if (requested != null && requested.compareTo(maintenance.minRetention()) < 0 && !force) {
      throw TimeTravelErrors.retentionBelowMinimum(requested, maintenance.minRetention());
    }
    Instant now = clock.instant();
    return withRuntime(
        settings,
        runtime -> {
          try (StepLog steps = StepLog.start("maintenance vacuum")) {
            return vacuum(runtime, maintenance, requested, now, steps);
          }
        });
  }

  private ExitCode vacuum(
      LakehouseRuntime runtime,
      MaintenanceSettings maintenance,
      Duration requested,
      Instant now,
      StepLog steps) {
    steps.working("listing the tables");
    List<TableId> tables = this.tables.select(runtime.catalog(), err());
    steps.step(
        tables.size()
            + (tables.size() == 1 ? " table" : " tables")
            + " to vacuum"
            + (dryRun ? " (dry run)" : ""));
    DeltaMaintenance delta = new DeltaMaintenance(runtime.spark(), runtime.catalog(), maintenance);
    RetentionGuard guard =
        new RetentionGuard(runtime.spark(), runtime.catalog(), maintenance, delta);
    steps.working("reading the versions training sets pin");
    Map<TableId, List<Pin>> pins = guard.pinsInWindow(pins(runtime), now);
    steps.step(
        "training-set pins read (tables with versions pinned within the window: "
            + pins.size()
            + ")");

    List<RetentionGuard.Plan> plans = new ArrayList<>();
    for (int i = 0; i < tables.size(); i++) {
      TableId id = tables.get(i);
      String which = "table " + (i + 1) + "/" + tables.size() + " " + id;
      runtime.describe("maintenance vacuum plan", id.toString());
      steps.working("planning " + which);
      RetentionGuard.Plan plan =
          guard.plan(id, pins.getOrDefault(id, List.of()), requested, force, now);
      plans.add(plan);
      steps.step(
          which
              + " planned ("
              + plan.deletable().size()
              + " files to delete, retention "
              + Durations.text(plan.retention())
              + ")");
    }
    List<String> blocks = plans.stream().flatMap(p -> p.blocks().stream()).toList();
    if (!blocks.isEmpty()) {
      throw TimeTravelErrors.vacuumBlocked(blocks);
    }
    plans.forEach(p -> p.lost().forEach(err()::println));
    plans.forEach(p -> p.losses().forEach(err()::println));
    err().flush();

    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < plans.size(); i++) {
      RetentionGuard.Plan plan = plans.get(i);
      if (!dryRun) {
        String which = "table " + (i + 1) + "/" + plans.size() + " " + plan.table();
        runtime.describe("maintenance vacuum", plan.table().toString());
        steps.working("vacuuming " + which);
        delta.setProperties(plan.table(), plan.properties());
        delta.vacuum(plan.table(), plan.retention());
        steps.step(which + " vacuumed (" + plan.deletable().size() + " files deleted)");
      }
      rows.add(
          RowFactory.create(
              plan.table().toString(),
              Durations.text(plan.retention()),
              plan.reason(),
              (long) plan.deletable().size(),
              plan.protectedSets().isEmpty() ? "" : String.join(", ", plan.protectedSets()),
              properties(plan.properties())));
    }
    if (dryRun) {
      out().println("dry run: nothing deleted, no property changed");
    }
    TablePrinter.printTable(
        out(),
        new String[] {
          "table",
          "retention",
          "because",
          dryRun ? "files_to_delete" : "files_deleted",
          "keeps_training_sets",
          dryRun ? "properties_to_set" : "properties_set"
        },
        rows);
    out().flush();
    return ExitCode.OK;
  }

  private static List<Pin> pins(LakehouseRuntime runtime) {
    TrainingSetManifests manifests = new TrainingSetManifests(runtime.spark(), runtime.catalog());
    return manifests.exists() ? manifests.pins() : List.of();
  }

  private static String properties(Map<String, String> properties) {
    List<String> parts = new ArrayList<>();
    properties.forEach((k, v) -> parts.add(k.replace("delta.", "") + "=" + v));
    return String.join(", ", parts);
  }
}
