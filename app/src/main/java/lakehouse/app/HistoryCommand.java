package lakehouse.app;

import io.delta.tables.DeltaTable;
import lakehouse.common.ExitCode;
import lakehouse.common.catalog.TableId;
import lakehouse.common.cli.LakehouseCommand;
import lakehouse.common.cli.TablePrinter;
import lakehouse.common.settings.LakehouseSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code history TABLE}: the table's Delta versions, newest first. */
@Command(name = "history", description = "Show a table's Delta history: version, commit time, "
    + "operation, its parameters and metrics.")
public final class HistoryCommand extends LakehouseCommand {
  @Parameters(paramLabel = "TABLE", description = "Logical table name, e.g. silver.orders.")
  String table;

  @Option(names = "--limit", description = "Newest versions to show (default: ${DEFAULT-VALUE}).")
  int limit = 20;

  @Option(names = "--format", description = "table, csv or json (default: ${DEFAULT-VALUE}).")
  String format = "table";

  @Override
  protected ExitCode run(LakehouseSettings settings) {
    TablePrinter.Format chosen = TablePrinter.Format.parse(format);
    return withRuntime(settings, runtime -> {
      TableId id = runtime.catalog().require(table);
      TablePrinter.print(out(), DeltaTable.forPath(runtime.spark(), runtime.catalog().location(id))
          .history(limit)
          .selectExpr("version", "timestamp", "operation", "operationParameters",
              "operationMetrics"), chosen, limit);
      return ExitCode.OK;
    });
  }
}
