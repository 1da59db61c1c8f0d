package lakehouse.app;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import lakehouse.common.ExitCode;
import lakehouse.common.LakehouseRuntime;
import lakehouse.common.catalog.LakeCatalog;
import lakehouse.common.catalog.TableId;
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

/** {@code tables}: every table of the lake with its current version and row count. */
@Command(
    name = "tables",
    description = "List the lake's tables: name, layer, location, " + "current version, rows.")
public final class TablesCommand extends LakehouseCommand {
  static final StructType SCHEMA =
      new StructType()
          .add("name", DataTypes.StringType)
          .add("layer", DataTypes.StringType)
          .add("location", DataTypes.StringType)
          .add("version", DataTypes.LongType)
          .add("rows", DataTypes.LongType);

  @Option(names = "--format", description = "table, csv or json (default: ${DEFAULT-VALUE}).")
  String format = "table";

  @Override
  protected ExitCode run(LakehouseSettings settings) {
    TablePrinter.Format chosen = TablePrinter.Format.parse(format);
    return withRuntime(
        settings,
        runtime -> {
          TablePrinter.print(out(), describe(runtime, err()), chosen, Integer.MAX_VALUE);
          return ExitCode.OK;
        });
  }

  /**
   * One row per table, from the lake's layout: nothing is registered, and rows come from each
   * table's Delta log ({@link LakeCatalog#rows}), not from a Spark job per table. A table folder
   * without a commit is left out with one warning line on {@code warnings}. Used by the demo and
   * the Python API too.
   */
  static Dataset<Row> describe(LakehouseRuntime runtime, PrintWriter warnings) {
    LakeCatalog catalog = runtime.catalog();
    List<Row> rows = new ArrayList<>();
    for (TableId id :
        catalog.discover(
            warning -> {
              warnings.println(warning);
              warnings.flush();
            })) {
      rows.add(
          RowFactory.create(
              id.toString(),
              id.layer(),
              catalog.location(id),
              catalog.currentVersion(id),
              catalog.rows(id)));
    }
    return runtime.spark().createDataFrame(rows, SCHEMA);
  }
}
