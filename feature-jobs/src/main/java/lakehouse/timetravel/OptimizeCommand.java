package lakehouse.timetravel;

import java.util.ArrayList;
import java.util.List;
import lakehouse.common.ExitCode;
import lakehouse.common.catalog.TableId;
import lakehouse.common.cli.LakehouseCommand;
import lakehouse.common.cli.TablePrinter;
import lakehouse.common.settings.LakehouseSettings;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code maintenance optimize [--table T ...] [--if-exists]}: Delta OPTIMIZE (bin-packing
 * compaction of small files) on the tables named, or every table. Readers and time travel are
 * unaffected: the compacted files replace the small ones in a new version, and the small ones
 * stay until VACUUM.
 */
@Command(name = "optimize", description = "Compact small files with Delta OPTIMIZE, on one "
    + "table or every table of the lake.")
public final class OptimizeCommand extends LakehouseCommand {
  @Mixin
  MaintenanceTables tables;

  @Override
  protected ExitCode run(LakehouseSettings settings) {
    MaintenanceSettings maintenance = MaintenanceSettings.from(settings);
    return withRuntime(settings, runtime -> {
      List<TableId> tables = this.tables.select(runtime.catalog(), err());
      DeltaMaintenance delta = new DeltaMaintenance(runtime.spark(), runtime.catalog(),
          maintenance);
      List<Row> rows = new ArrayList<>();
      for (TableId id : tables) {
        runtime.describe("maintenance optimize", id.toString());
        DeltaMaintenance.Compaction done = delta.optimize(id);
        rows.add(RowFactory.create(id.toString(), done.versionBefore(), done.versionAfter(),
            done.filesRemoved(), done.filesAdded()));
      }
      TablePrinter.printTable(out(), new String[] {"table", "version_before", "version_after",
          "files_removed", "files_added"}, rows);
      out().flush();
      return ExitCode.OK;
    });
  }
}
