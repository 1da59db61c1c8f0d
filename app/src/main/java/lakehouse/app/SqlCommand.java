package lakehouse.app;

import lakehouse.common.ExitCode;
import lakehouse.common.LakehouseException;
import lakehouse.common.cli.LakehouseCommand;
import lakehouse.common.cli.TablePrinter;
import lakehouse.common.settings.LakehouseSettings;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sql "STATEMENT"}: any Spark SQL over the registered tables, time travel included. */
@Command(name = "sql", description = "Run a Spark SQL statement over the lake's tables, e.g. "
    + "\"SELECT * FROM silver.orders VERSION AS OF 3\". csv and json print only the data.")
public final class SqlCommand extends LakehouseCommand {
  @Parameters(paramLabel = "STATEMENT", description = "The SQL statement.")
  String statement;

  @Option(names = "--format", description = "table, csv or json (default: ${DEFAULT-VALUE}).")
  String format = "table";

  @Option(names = "--limit", description = "At most this many rows (default: ${DEFAULT-VALUE}).")
  int limit = 1000;

  @Override
  protected ExitCode run(LakehouseSettings settings) {
    TablePrinter.Format chosen = TablePrinter.Format.parse(format);
    return withRuntime(settings, runtime -> {
      Dataset<Row> result;
      try {
        result = runtime.spark().sql(statement);
      } catch (Exception e) { // Scala throws the checked AnalysisException undeclared
        if (e instanceof AnalysisException) {
          throw LakehouseException.usage("SQL error: " + firstLine(e.getMessage()));
        }
        throw e instanceof RuntimeException runtimeError ? runtimeError
            : new IllegalStateException(e);
      }
      TablePrinter.print(out(), result, chosen, limit);
      return ExitCode.OK;
    });
  }

  private static String firstLine(String message) {
    return message == null ? "" : message.lines().findFirst().orElse("").trim();
  }
}
