package lakehouse.timetravel;

import java.util.ArrayList;
import java.util.List;
import lakehouse.common.ExitCode;
import lakehouse.common.catalog.TableId;
import lakehouse.common.cli.LakehouseCommand;
import lakehouse.common.cli.TablePrinter;
import lakehouse.common.ops.StepLog;
import lakehouse.common.settings.LakehouseSettings;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code maintenance optimize [--table T ...] [--if-exists]}: Delta OPTIMIZE (bin-packing
 * compaction of small files) on the tables named, or every table. Readers and time travel are
 * unaffected: the compacted files replace the small ones in a new version, and the small ones stay
 * until VACUUM.
 */
@Command(
    name = "optimize",
    description =
        "Compact small files with Delta OPTIMIZE, on one " + "table or every table of the lake.")
public final class OptimizeCommand extends LakehouseCommand {
  @Mixin MaintenanceTables tables;

  @Override
  protected ExitCode run(LakehouseSettings settings) {
    MaintenanceSettings maintenance = MaintenanceSettings.from(settings);
    return withRuntime(
        settings,
        runtime -> {
          try (StepLog steps = StepLog.start("maintenance optimize")) {
            steps.working("listing the tables");
            List<TableId> tables = this.tables.select(runtime.catalog(), err());
            steps.step(
                tables.size() + (tables.size() == 1 ? " table" : " tables") + " to optimize");
            DeltaMaintenance delta =
                new DeltaMaintenance(runtime.spark(), runtime.catalog(), maintenance);
            List<Row> rows = new ArrayList<>();
            for (int i = 0; i < tables.size(); i++) {
              TableId id = tables.get(i);
              String which = "table " + (i + 1) + "/" + tables.size() + " " + id;
              runtime.describe("maintenance optimize", id.toString());
              steps.working(which);
              DeltaMaintenance.Compaction done = delta.optimize(id);
              steps.step(
                  which
                      + " optimized ("
                      + done.filesRemoved()
                      + " files compacted into "
                      + done.filesAdded()
                      + ", version "
                      + done.versionAfter()
                      + ")");
              rows.add(
                  RowFactory.create(
                      id.toString(),
                      done.versionBefore(),
                      done.versionAfter(),
                      done.filesRemoved(),
                      done.filesAdded()));
            }
            TablePrinter.printTable(
                out(),
                new String[] {
                  "table", "version_before", "version_after", "files_removed", "files_added"
                },
                rows);
            out().flush();
            return ExitCode.OK;
          }
        });
  }
}
