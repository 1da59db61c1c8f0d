package lakehouse.sample.demo;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import lakehouse.common.LakehouseRuntime;
import lakehouse.common.catalog.TableId;
import lakehouse.common.cli.TablePrinter;
import lakehouse.timetravel.DeltaMaintenance;
import lakehouse.timetravel.DiffCommand;
import lakehouse.timetravel.Durations;
import lakehouse.timetravel.MaintenanceSettings;
import lakehouse.timetravel.RetentionGuard;
import lakehouse.timetravel.TableDiff;
import lakehouse.training.TrainingSetManifests;
import lakehouse.training.TrainingSetManifests.Pin;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.functions;

/**
 * The demo's time-travel step (after the training set is built): what the last commit that changed
 * rows of the table with the most versions changed, and what a guarded vacuum would keep for the
 * recorded training sets. Changes nothing.
 */
final class TimeTravelStep {
  private static final int ROWS = 5;
  private static final int LOOK_BACK = 10;
  private static final int VALUE_COLUMNS = 4;

  private TimeTravelStep() {}

  static void run(LakehouseRuntime runtime, PrintWriter out) {
    TableId table = mostVersions(runtime);
    TableDiff.Result diff = table == null ? null : lastRowChange(runtime, table);
    if (diff != null) {
      out.println();
      out.println(
          "Diff: bin/lakehouse diff " + table + " --from " + diff.from() + " --to " + diff.to());
      out.println(DiffCommand.header(diff));
      Dataset<Row> rows = diff.rows().cache();
      List<String> shown = readableColumns(rows.limit(ROWS), diff.key());
      TablePrinter.print(
          out,
          rows.select(shown.stream().map(functions::col).toArray(Column[]::new)),
          TablePrinter.Format.TABLE,
          ROWS);
      int hidden = rows.columns().length - shown.size();
      if (hidden > 0) {
        out.println(
            "("
                + hidden
                + " value columns of unchanged or further features not shown;"
                + " the diff command shows them all)");
      }
      out.println(DiffCommand.summary(TableDiff.summary(rows), ROWS));
      rows.unpersist();
    } else if (table != null) {
      out.println();
      out.println(
          "Diff: none of the last " + LOOK_BACK + " commits of " + table + " changed a row");
    }
    showGuard(runtime, out);
  }

  /**
   * The diff of the table's last commit that changed rows (version v - 1 to v), looking back at
   * most {@value #LOOK_BACK} commits; null when none of them changed a row (a rewrite of the same
   * values changes none).
   */
  private static TableDiff.Result lastRowChange(LakehouseRuntime runtime, TableId table) {
    TableDiff differ = new TableDiff(runtime.spark(), runtime.catalog());
    long latest = runtime.catalog().currentVersion(table);
    for (long to = latest; to >= 1 && to > latest - LOOK_BACK; to--) {
      TableDiff.Result diff = differ.diff(table, to - 1, to, null, true);
      if (!diff.rows().isEmpty()) {
        return diff;
      }
    }
    return null;
  }

  /**
   * A wide table stays readable: the change, the key, the changed columns' names, and the from/to
   * pairs of at most {@value #VALUE_COLUMNS} value columns, those that changed in the rows shown
   * first.
   */
  private static List<String> readableColumns(Dataset<Row> shownRows, List<String> key) {
    List<String> all = List.of(shownRows.columns());
    if (key.isEmpty()) {
      return all.subList(0, Math.min(all.size(), VALUE_COLUMNS + 1));
    }
    Set<String> values = new LinkedHashSet<>();
    for (Row row : shownRows.select(TableDiff.CHANGED_COLUMNS).collectAsList()) {
      if (!row.isNullAt(0) && !row.getString(0).isEmpty()) {
        values.addAll(List.of(row.getString(0).split(",")));
      }
    }
    for (String column : all) { // added or removed rows: their first values
      if (column.startsWith(TableDiff.TO_PREFIX)) {
        values.add(column.substring(TableDiff.TO_PREFIX.length()));
      }
    }
    List<String> columns = new ArrayList<>(List.of(TableDiff.CHANGE));
    columns.addAll(key);
    columns.add(TableDiff.CHANGED_COLUMNS);
    values.stream()
        .limit(VALUE_COLUMNS)
        .forEach(
            value -> {
              columns.add(TableDiff.FROM_PREFIX + value);
              columns.add(TableDiff.TO_PREFIX + value);
            });
    return columns;
  }

  /** The vacuum plan for the tables recorded training sets read (a dry run). */
  private static void showGuard(LakehouseRuntime runtime, PrintWriter out) {
    TrainingSetManifests manifests = new TrainingSetManifests(runtime.spark(), runtime.catalog());
    if (!manifests.exists()) {
      return;
    }
    MaintenanceSettings settings = MaintenanceSettings.from(runtime.settings());
    RetentionGuard guard =
        new RetentionGuard(
            runtime.spark(),
            runtime.catalog(),
            settings,
            new DeltaMaintenance(runtime.spark(), runtime.catalog(), settings));
    Instant now = Instant.now();
    Map<TableId, List<Pin>> pins = guard.pinsInWindow(manifests.pins(), now);
    List<Row> rows = new ArrayList<>();
    for (Map.Entry<TableId, List<Pin>> entry : pins.entrySet()) {
      if (!runtime.catalog().exists(entry.getKey())) {
        continue;
      }
      RetentionGuard.Plan plan = guard.plan(entry.getKey(), entry.getValue(), null, false, now);
      rows.add(
          RowFactory.create(
              plan.table().toString(),
              Durations.text(plan.retention()),
              plan.reason(),
              (long) plan.deletable().size(),
              String.join(", ", plan.protectedSets())));
    }
    out.println();
    out.println("Retention guard: bin/lakehouse maintenance vacuum --dry-run");
    TablePrinter.printTable(
        out,
        new String[] {"table", "retention", "because", "files_to_delete", "keeps_training_sets"},
        rows);
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
