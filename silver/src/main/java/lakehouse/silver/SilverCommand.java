package lakehouse.silver;

import java.io.PrintWriter;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import lakehouse.common.ExitCode;
import lakehouse.common.LakehouseException;
import lakehouse.common.LakehouseRuntime;
import lakehouse.common.cli.Cli;
import lakehouse.common.cli.DeclaredJob;
import lakehouse.common.cli.LakehouseCommand;
import lakehouse.common.settings.Declarations;
import lakehouse.common.settings.Declarations.Kind;
import lakehouse.common.settings.LakehouseSettings;
import lakehouse.silver.contract.TableContract;
import lakehouse.silver.contract.TableContracts;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code lakehouse run silver --table NAME [--date D]} (or {@code --all-tables}): conforms the
 * bronze rows not processed yet into {@code silver.<name>}, behind the table's quality gate. Exit
 * code 3 when an {@code error} check fails (the silver table is then unchanged). With {@code
 * --all-tables} every declared table runs whatever happens to the others; the failures are listed
 * at the end, one line each, and the command exits with the most serious code ({@link
 * ExitCode#mostSerious}: 1 > 4 > 3 > 5 > 2).
 */
@Command(
    name = "silver",
    description = "Conform new bronze rows into silver tables behind their quality gates.")
public class SilverCommand extends LakehouseCommand implements DeclaredJob {
  @Option(
      names = "--table",
      paramLabel = "NAME",
      description = "The table to run, declared in conf/tables/NAME.conf (e.g. orders).")
  String table;

  @Option(names = "--all-tables", description = "Run every declared table, in name order.")
  boolean allTables;

  @Option(
      names = "--date",
      paramLabel = "YYYY-MM-DD",
      description = "The logical run date (default: today, UTC).")
  LocalDate date;

  @Override
  protected ExitCode run(LakehouseSettings settings) {
    if ((table == null) == !allTables) {
      throw SilverErrors.tableOrAll();
    }
    LocalDate runDate = date != null ? date : LocalDate.now(ZoneOffset.UTC);
    // Fail on a bad contract or setting before Spark starts; each contract is loaded once.
    SilverSettings silver = SilverSettings.from(settings);
    TableContract only = table == null ? null : TableContracts.load(settings.confDir(), table);
    if (only != null && only.hasPii() && silver.piiSalt() == null) {
      silver.saltFor(settings.env());
      err().println(SilverSettings.DEVELOPMENT_SALT_WARNING);
    }
    List<String> tables =
        table != null ? List.of(table) : Declarations.of(settings).names(Kind.TABLE);
    String target = String.join(",", tables.stream().map(t -> "silver." + t).toList());
    return runJob(
        settings,
        target,
        runtime -> {
          List<ExitCode> outcomes = new ArrayList<>();
          List<String> failures = new ArrayList<>();
          for (String name : tables) {
            try {
              run(
                  runtime,
                  only != null ? only : TableContracts.load(settings.confDir(), name),
                  runDate,
                  out());
            } catch (Exception e) { // Spark's checked exceptions arrive undeclared; rethrown as is
              if (!allTables) {
                throw e;
              }
              // One table's failure must not keep the others from running: note it, go on.
              LakehouseException known = Cli.findKnown(e);
              ExitCode outcome = known != null ? known.exitCode() : ExitCode.JOB_FAILED;
              String message = known != null ? known.getMessage() : "job failed: " + e;
              if (known == null) { // unexpected: the trace now, the one line at the end
                err().println("error: silver " + name + ": " + message);
                e.printStackTrace(err());
              }
              outcomes.add(outcome);
              failures.add(
                  "silver "
                      + name
                      + " (exit "
                      + outcome.code()
                      + "): "
                      + String.join("; ", message.strip().lines().toList()));
            }
          }
          if (!failures.isEmpty()) {
            err()
                .println(
                    "error: "
                        + failures.size()
                        + " of "
                        + tables.size()
                        + " tables failed; the others ran:");
            failures.forEach(line -> err().println("error: " + line));
            err().flush();
          }
          return ExitCode.mostSerious(outcomes);
        });
  }

  @Override
  public Kind kind() {
    return Kind.TABLE;
  }

  @Override
  public String target(LakehouseRuntime runtime, String table) {
    return "silver." + table;
  }

  /** Runs one table for the run date {@code to} and prints its lines. */
  @Override
  public void runOne(
      LakehouseRuntime runtime, String table, LocalDate from, LocalDate to, PrintWriter out) {
    run(runtime, TableContracts.load(runtime.settings().confDir(), table), to, out);
  }

  private static void run(
      LakehouseRuntime runtime, TableContract contract, LocalDate runDate, PrintWriter out) {
    SilverJob.run(runtime, contract, runDate).lines().forEach(out::println);
    out.flush();
  }
}
