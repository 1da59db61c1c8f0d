package lakehouse.app;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import lakehouse.common.ExitCode;
import lakehouse.common.LakehouseRuntime;
import lakehouse.common.catalog.TableId;
import lakehouse.common.catalog.TableVersions;
import lakehouse.common.cli.LakehouseCommand;
import lakehouse.common.cli.TablePrinter;
import lakehouse.common.settings.LakehouseSettings;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code history TABLE}: the table's Delta versions, newest first, as {@link TableVersions} reads
 * them from the log (the same commit times that {@code --as-of} and the vacuum guard use).
 */
@Command(
    name = "history",
    description =
        "Show a table's Delta history: version, commit time, "
            + "operation, its parameters and metrics.")
public final class HistoryCommand extends LakehouseCommand {
  private static final StructType COLUMNS =
      new StructType()
          .add("version", DataTypes.LongType)
          .add("timestamp", DataTypes.TimestampType)
          .add("operation", DataTypes.StringType)
          .add(
              "operationParameters",
              DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType))
          .add(
              "operationMetrics",
              DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType));

  @Parameters(paramLabel = "TABLE", description = "Logical table name, e.g. silver.orders.")
  String table;

  @Option(names = "--limit", description = "Newest versions to show (default: ${DEFAULT-VALUE}).")
  int limit = 20;

  @Option(names = "--format", description = "table, csv or json (default: ${DEFAULT-VALUE}).")
  String format = "table";

  @Override
  protected ExitCode run(LakehouseSettings settings) {
    TablePrinter.Format chosen = TablePrinter.Format.parse(format);
    return withRuntime(
        settings,
        runtime -> {
          TablePrinter.print(out(), history(runtime, table, limit), chosen, limit);
          return ExitCode.OK;
        });
  }

  /** The newest {@code limit} versions of a table, newest first; the Python API uses it too. */
  static Dataset<Row> history(LakehouseRuntime runtime, String table, int limit) {
    TableId id = runtime.catalog().require(table);
    TableVersions versions = TableVersions.of(runtime.spark(), runtime.catalog(), id);
    List<Long> all = versions.versions();
    List<Row> rows = new ArrayList<>();
    for (int i = all.size() - 1; i >= 0 && rows.size() < limit; i--) {
      long version = all.get(i);
      rows.add(
          RowFactory.create(
              version,
              Timestamp.from(versions.timestamp(version)),
              versions.operation(version),
              versions.operationParameters(version),
              versions.operationMetrics(version)));
    }
    return runtime.spark().createDataFrame(rows, COLUMNS);
  }
}
