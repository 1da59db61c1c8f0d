package lakehouse.app;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import lakehouse.common.ExitCode;
import lakehouse.common.LakehouseException;
import lakehouse.common.LakehouseRuntime;
import lakehouse.common.cli.LakehouseCommand;
import lakehouse.common.cli.TablePrinter;
import lakehouse.common.settings.LakehouseSettings;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sql "STATEMENT"}: any Spark SQL over the lake's tables, time travel included; only the
 * tables the statement names are registered, so a statement costs what it reads. {@code VACUUM} is
 * refused (exit 2) before Spark starts: run unguarded, it would delete files of versions that
 * recorded training sets pin; {@code maintenance vacuum} goes through the retention guard instead.
 */
@Command(
    name = "sql",
    description =
        "Run a Spark SQL statement over the lake's tables, e.g. "
            + "\"SELECT * FROM silver.orders VERSION AS OF 3\". csv and json print only the data. "
            + "VACUUM is refused: use 'maintenance vacuum', which keeps pinned versions readable.")
public final class SqlCommand extends LakehouseCommand {
  /**
   * A VACUUM statement, after any whitespace and comments; group 1 is a plain {@code layer.name}
   * target when there is one.
   */
  private static final Pattern VACUUM =
      Pattern.compile(
          "\\A(?:\\s+|--[^\\n]*|/\\*.*?\\*/)*VACUUM(?![\\w$])\\s*"
              + "(?:`?([a-z_][\\w]*)`?\\.`?([a-z_][\\w]*)`?(?![\\w`.]))?",
          Pattern.CASE_INSENSITIVE | Pattern.DOTALL);

  @Parameters(paramLabel = "STATEMENT", description = "The SQL statement.")
  String statement;

  @Option(names = "--format", description = "table, csv or json (default: ${DEFAULT-VALUE}).")
  String format = "table";

  @Option(
      names = "--limit",
      description =
          "At most this many rows (default: ${DEFAULT-VALUE}; "
              + "0: all); a cut result says so on stderr.")
  int limit = 1000;

  @Override
  protected ExitCode run(LakehouseSettings settings) {
    TablePrinter.Format chosen = TablePrinter.Format.parse(format);
    Matcher vacuum = VACUUM.matcher(statement);
    if (vacuum.lookingAt()) {
      boolean named = vacuum.group(1) != null && !vacuum.group(1).equalsIgnoreCase("delta");
      throw LakehouseException.usage(
          vacuumRefused(
              named ? vacuum.group(1).toLowerCase() + "." + vacuum.group(2).toLowerCase() : "T"));
    }
    return withRuntime(
        settings,
        runtime -> {
          if (TablePrinter.print(out(), sql(runtime, statement), chosen, limit)) {
            err().println(TablePrinter.cutNote(limit));
            err().flush();
          }
          return ExitCode.OK;
        });
  }

  /**
   * The statement's result, after registering the lake tables it names and only those (see {@link
   * lakehouse.common.catalog.LakeCatalog#registerReferenced}); Spark's analysis errors (an unknown
   * table or column, bad syntax) are usage errors. Used by the Python API too.
   */
  static Dataset<Row> sql(LakehouseRuntime runtime, String statement) {
    runtime.catalog().registerReferenced(statement);
    try {
      return runtime.spark().sql(statement);
    } catch (Exception e) { // Scala throws the checked AnalysisException undeclared
      if (e instanceof AnalysisException) {
        throw LakehouseException.usage("SQL error: " + firstLine(e.getMessage()));
      }
      throw e instanceof RuntimeException runtimeError
          ? runtimeError
          : new IllegalStateException(e);
    }
  }

  static String vacuumRefused(String table) {
    return "VACUUM is not run through 'sql', which would bypass the retention guard: use "
        + "bin/lakehouse maintenance vacuum --table "
        + table
        + " [--dry-run], which keeps the "
        + "versions recorded training sets pin readable";
  }

  private static String firstLine(String message) {
    return message == null ? "" : message.lines().findFirst().orElse("").trim();
  }
}
