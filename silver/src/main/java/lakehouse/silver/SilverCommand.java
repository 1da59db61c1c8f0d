package lakehouse.silver;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import lakehouse.common.ExitCode;
import lakehouse.common.LakehouseException;
import lakehouse.common.settings.LakehouseSettings;
import lakehouse.common.cli.LakehouseCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code lakehouse run silver --table NAME [--date D]} (or {@code --all-tables}): conforms the
 * bronze rows not processed yet into {@code silver.<name>}, behind the table's quality gate.
 * Exit code 3 when an {@code error} check fails (the silver table is then unchanged).
 */
@Command(name = "silver",
    description = "Conform new bronze rows into silver tables behind their quality gates.")
public class SilverCommand extends LakehouseCommand {
  @Option(names = "--table", paramLabel = "NAME",
      description = "The table to run, declared in conf/tables/NAME.conf (e.g. orders).")
  String table;

  @Option(names = "--all-tables", description = "Run every declared table, in name order.")
  boolean allTables;

  @Option(names = "--date", paramLabel = "YYYY-MM-DD",
      description = "The logical run date (default: today, UTC).")
  LocalDate date;

  @Override
  protected ExitCode run(LakehouseSettings settings) {
    if ((table == null) == !allTables) {
      throw LakehouseException.usage(SilverMessages.TABLE_OR_ALL);
    }
    LocalDate runDate = date != null ? date : LocalDate.now(ZoneOffset.UTC);
    // Fail on a bad contract or setting before Spark starts.
    SilverSettings silver = SilverSettings.from(settings);
    if (table != null) {
      var contract = lakehouse.silver.contract.TableContracts.load(settings.confDir(), table);
      if (contract.hasPii() && silver.piiSalt() == null) {
        silver.saltFor(settings.env());
        err().println(SilverMessages.DEVELOPMENT_SALT_WARNING);
      }
    }
    return runJob(settings, runtime -> {
      List<SilverReport> reports = table != null
          ? List.of(SilverJob.run(runtime, table, runDate))
          : SilverJob.runAll(runtime, runDate);
      for (SilverReport report : reports) {
        report.lines().forEach(out()::println);
      }
      out().flush();
      return ExitCode.OK;
    });
  }
}
