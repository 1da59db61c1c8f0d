package lakehouse.timetravel;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import lakehouse.common.LakehouseRuntime;
import lakehouse.common.catalog.TableId;
import lakehouse.common.cli.TablePrinter;
import lakehouse.training.TrainingSetManifests;
import lakehouse.training.TrainingSetManifests.Pin;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * The demo's time-travel step (after the training set is built): what changed in the table with
 * the most versions between its first and last version, and what a guarded vacuum would keep for
 * the recorded training sets. Changes nothing.
 */
public final class TimeTravelDemo {
  private static final int ROWS = 5;

  private TimeTravelDemo() {}

  public static void run(LakehouseRuntime runtime, PrintWriter out) {
    TableId table = mostVersions(runtime);
    if (table != null) {
      long to = runtime.catalog().currentVersion(table);
      long from = Math.min(1, to);
      TableDiff.Result diff = new TableDiff(runtime.spark(), runtime.catalog())
          .diff(table, from, to, null, true);
      out.println();
      out.println("Diff: bin/lakehouse diff " + table + " --from " + from + " --to " + to);
      out.println(DiffCommand.header(diff));
      Dataset<Row> rows = diff.rows().cache();
      TablePrinter.print(out, rows, TablePrinter.Format.TABLE, ROWS);
      out.println(DiffCommand.summary(TableDiff.summary(rows), ROWS));
      rows.unpersist();
    }
    showGuard(runtime, out);
  }

  /** The vacuum plan for the tables recorded training sets read (a dry run). */
  private static void showGuard(LakehouseRuntime runtime, PrintWriter out) {
    TrainingSetManifests manifests = new TrainingSetManifests(runtime.spark(), runtime.catalog());
    if (!manifests.exists()) {
      return;
    }
    MaintenanceSettings settings = MaintenanceSettings.from(runtime.settings());
    RetentionGuard guard = new RetentionGuard(runtime.spark(), runtime.catalog(), settings,
        new DeltaMaintenance(runtime.spark(), runtime.catalog(), settings));
    Instant now = Instant.now();
    Map<TableId, List<Pin>> pins = guard.pinsInWindow(manifests.pins(), now);
    List<Row> rows = new ArrayList<>();
    for (Map.Entry<TableId, List<Pin>> entry : pins.entrySet()) {
      if (!runtime.catalog().exists(entry.getKey())) {
        continue;
      }
      RetentionGuard.Plan plan = guard.plan(entry.getKey(), entry.getValue(), null, false, now);
      rows.add(RowFactory.create(plan.table().toString(), Durations.text(plan.retention()),
          plan.reason(), (long) plan.deletable().size(), String.join(", ", plan.protectedSets())));
    }
    out.println();
    out.println("Retention guard: bin/lakehouse maintenance vacuum --dry-run");
    TablePrinter.printTable(out, new String[] {"table", "retention", "because",
        "files_to_delete", "keeps_training_sets"}, rows);
  }

  private static TableId mostVersions(LakehouseRuntime runtime) {
    TableId best = null;
    long most = 0;
    for (TableId id : runtime.catalog().discover()) {
      long version = runtime.catalog().currentVersion(id);
      if (version > most && !id.name().startsWith("_") && !id.layer().startsWith("_")) {
        best = id;
        most = version;
      }
    }
    return best;
  }
}
