package lakehouse.app;

import lakehouse.common.ExitCode;
import lakehouse.common.cli.LakehouseCommand;
import lakehouse.common.cli.TablePrinter;
import lakehouse.common.ops.RunLog;
import lakehouse.common.settings.LakehouseSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code runs}: the run history from {@code _ops.runs}, newest first. */
@Command(name = "runs", description = "Show the run history (_ops.runs): job, target, run date, "
    + "status, exit code, row counts, duration, versions read and written, error.")
public final class RunsCommand extends LakehouseCommand {
  @Option(names = "--table", paramLabel = "TARGET",
      description = "Only runs on this table, source or feature set.")
  String table;

  @Option(names = "--last", paramLabel = "N", description = "Newest N runs (default: ${DEFAULT-VALUE}).")
  int last = 20;

  @Option(names = "--format", description = "table, csv or json (default: ${DEFAULT-VALUE}).")
  String format = "table";

  @Override
  protected ExitCode run(LakehouseSettings settings) {
    TablePrinter.Format chosen = TablePrinter.Format.parse(format);
    return withRuntime(settings, runtime -> {
      TablePrinter.print(out(), new RunLog(runtime.spark(), runtime.catalog()).runs(table)
          .select("started_at", "job", "target", "run_date", "status", "exit_code", "rows_read",
              "rows_written", "rows_quarantined", "rows_rejected", "duration_ms",
              "versions_read", "versions_written", "error"), chosen, last);
      return ExitCode.OK;
    });
  }
}
