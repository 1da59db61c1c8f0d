package lakehouse.silver;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import lakehouse.common.ExitCode;
import lakehouse.common.LakehouseRuntime;
import lakehouse.common.cli.DeclaredJob;
import lakehouse.common.cli.LakehouseCommand;
import lakehouse.common.ops.Job;
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
public class SilverCommand extends LakehouseCommand
    implements DeclaredJob<SilverJob.Request, SilverReport> {
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

  /** The contract of {@code --table}, loaded before Spark starts. */
  private TableContract checked;

  @Override
  protected ExitCode run(LakehouseSettings settings) {
    if ((table == null) == !allTables) {
      throw SilverErrors.tableOrAll();
    }
    LocalDate runDate = date != null ? date : LocalDate.now(ZoneOffset.UTC);
    // Fail on a bad contract or setting before Spark starts; each contract is loaded once.
    SilverSettings silver = SilverSettings.from(settings);
    checked = table == null ? null : TableContracts.load(settings.confDir(), table);
    if (checked != null && checked.hasPii() && silver.piiSalt() == null) {
      silver.saltFor(settings.env());
      err().println(SilverSettings.DEVELOPMENT_SALT_WARNING);
    }
    List<String> tables =
        table != null ? List.of(table) : Declarations.of(settings).names(Kind.TABLE);
    String target = String.join(",", tables.stream().map(t -> "silver." + t).toList());
    return runJob(
        settings,
        target,
        runtime ->
            runEach(
                "silver",
                "tables",
                tables,
                allTables,
                name -> runOne(runtime, name, runDate, runDate, out())));
  }

  @Override
  public Kind kind() {
    return Kind.TABLE;
  }

  @Override
  public String target(LakehouseRuntime runtime, String table) {
    return "silver." + table;
  }

  @Override
  public Job<SilverJob.Request, SilverReport> job() {
    return SilverJob::run;
  }

  /** Runs one table for the run date {@code to}. */
  @Override
  public SilverJob.Request request(
      LakehouseRuntime runtime, String table, LocalDate from, LocalDate to) {
    // The contract --table loaded to check it before Spark started, not loaded twice.
    return checked != null && checked.name().equals(table)
        ? new SilverJob.Request(checked, to)
        : SilverJob.Request.load(runtime, table, to);
  }
}
