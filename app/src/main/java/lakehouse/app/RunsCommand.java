package lakehouse.app;

import lakehouse.common.ExitCode;
import lakehouse.common.cli.LakehouseCommand;
import lakehouse.common.cli.TablePrinter;
import lakehouse.common.ops.RunHistory;
import lakehouse.common.settings.LakehouseSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code runs}: the run history (see {@link RunHistory}), newest first, unfinished runs included;
 * with {@code --fold}, the one writer of {@code _ops.runs} instead.
 */
@Command(
    name = "runs",
    description =
        "Show the run history: job, target, run date, status "
            + "(running, succeeded, failed, or abandoned: still running after "
            + "lakehouse.runs.abandoned-after), exit code, row counts, duration, versions read and "
            + "written, error. With --fold, move the finished runs' records into _ops.runs.")
public final class RunsCommand extends LakehouseCommand {
  @Option(
      names = "--table",
      paramLabel = "TARGET",
      description = "Only runs on this table, source or feature set.")
  String table;

  @Option(
      names = "--last",
      paramLabel = "N",
      description = "Newest N runs (default: ${DEFAULT-VALUE}).")
  int last = 20;

  @Option(names = "--format", description = "table, csv or json (default: ${DEFAULT-VALUE}).")
  String format = "table";

  @Option(
      names = "--fold",
      description =
          "Fold the records of finished runs into _ops.runs "
              + "(its one writer: run it where no other fold runs, e.g. as the DAGs' last task).")
  boolean fold;

  @Override
  protected ExitCode run(LakehouseSettings settings) {
    TablePrinter.Format chosen = TablePrinter.Format.parse(format);
    return withRuntime(
        settings,
        runtime -> {
          RunHistory history = RunHistory.of(runtime);
          if (fold) {
            RunHistory.Fold done = history.fold();
            out()
                .println(
                    "folded "
                        + done.folded()
                        + " finished runs into "
                        + RunHistory.TABLE
                        + (done.alreadyInTable() == 0
                            ? ""
                            : " ("
                                + done.alreadyInTable()
                                + " more were already there: a fold had stopped before deleting"
                                + " their records)")
                        + "; "
                        + done.stillRunning()
                        + " still running");
            return ExitCode.OK;
          }
          TablePrinter.print(
              out(),
              history
                  .runs(table)
                  .select(
                      "started_at",
                      "job",
                      "target",
                      "run_date",
                      "status",
                      "exit_code",
                      "rows_read",
                      "rows_written",
                      "rows_quarantined",
                      "rows_rejected",
                      "duration_ms",
                      "versions_read",
                      "versions_written",
                      "error"),
              chosen,
              last);
          return ExitCode.OK;
        });
  }
}
