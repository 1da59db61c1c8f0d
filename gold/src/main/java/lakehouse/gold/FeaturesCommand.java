package lakehouse.gold;

import static org.apache.spark.sql.functions.col;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import lakehouse.common.ExitCode;
import lakehouse.common.LakehouseRuntime;
import lakehouse.common.catalog.TableId;
import lakehouse.common.cli.LakehouseCommand;
import lakehouse.common.cli.TablePrinter;
import lakehouse.common.settings.LakehouseSettings;
import lakehouse.gold.compute.FeatureColumns;
import lakehouse.gold.drift.FeaturesDriftCommand;
import lakehouse.gold.registry.FeatureRegistry;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.NumericType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code features}: lists the features of the registry ({@code gold._feature_registry_<set>});
 * {@code features describe NAME} shows one, with its null rate and basic statistics in the latest
 * snapshot of its feature table.
 */
@Command(
    name = "features",
    description =
        "List the registered features (gold._feature_registry_<set>): name, set, kind, type, "
            + "window, version, owner, first/last computed dates, description.",
    subcommands = {FeaturesCommand.Describe.class, FeaturesDriftCommand.class})
public final class FeaturesCommand extends LakehouseCommand {
  @Option(names = "--feature-set", paramLabel = "NAME", description = "Only this feature set.")
  String featureSet;

  @Option(
      names = "--all-versions",
      description = "Also superseded definition versions and retired features.")
  boolean allVersions;

  @Option(names = "--format", description = "table, csv or json (default: ${DEFAULT-VALUE}).")
  String format = "table";

  @Override
  protected ExitCode run(LakehouseSettings settings) {
    TablePrinter.Format chosen = TablePrinter.Format.parse(format);
    return withRuntime(
        settings,
        runtime -> {
          Dataset<Row> rows = registry(runtime).read();
          if (featureSet != null) {
            rows = rows.filter(col("feature_set").equalTo(featureSet));
          }
          if (!allVersions) {
            rows = rows.filter(col("is_current"));
          }
          TablePrinter.print(
              out(),
              rows.orderBy("feature_set", "feature", "version")
                  .select(
                      "feature",
                      "feature_set",
                      "kind",
                      "type",
                      "window",
                      "version",
                      "is_current",
                      "owner",
                      "first_computed_date",
                      "last_computed_date",
                      "description"),
              chosen,
              Integer.MAX_VALUE);
          return ExitCode.OK;
        });
  }

  static FeatureRegistry registry(LakehouseRuntime runtime) {
    GoldSettings gold = GoldSettings.from(runtime.settings());
    FeatureRegistry registry =
        new FeatureRegistry(runtime.spark(), runtime.catalog(), gold.registryPrefix());
    if (!registry.exists()) {
      throw GoldErrors.emptyRegistry();
    }
    return registry;
  }

  /** {@code features describe NAME}: one feature's registry entry and snapshot statistics. */
  @Command(
      name = "describe",
      description =
          "Show one feature (NAME or FEATURE_SET.NAME): its registry entry, and its "
              + "null rate and statistics in the latest snapshot.")
  public static final class Describe extends LakehouseCommand {
    @Parameters(index = "0", paramLabel = "NAME", description = "Feature name.")
    String name;

    @Override
    protected ExitCode run(LakehouseSettings settings) {
      return withRuntime(
          settings,
          runtime -> {
            describe(runtime, name, out());
            return ExitCode.OK;
          });
    }
  }

  /** Prints the registry entry and the latest snapshot's statistics of a feature. */
  static void describe(LakehouseRuntime runtime, String name, PrintWriter out) {
    Dataset<Row> current = registry(runtime).read().filter(col("is_current"));
    List<Row> matches =
        current
            .filter(
                name.contains(".")
                    ? functions.concat_ws(".", col("feature_set"), col("feature")).equalTo(name)
                    : col("feature").equalTo(name))
            .collectAsList();
    if (matches.isEmpty()) {
      List<String> known =
          current.select("feature").distinct().orderBy("feature").collectAsList().stream()
              .map(r -> r.getString(0))
              .toList();
      throw GoldErrors.unknownFeature(name, known);
    }
    if (matches.size() > 1) {
      throw GoldErrors.ambiguousFeature(
          name,
          matches.stream()
              .map(r -> r.getAs("feature_set") + "." + r.getAs("feature"))
              .sorted()
              .toList());
    }
    Row entry = matches.get(0);
    for (String field : FeatureRegistry.SCHEMA.fieldNames()) {
      Object value = entry.get(entry.fieldIndex(field));
      if (value instanceof scala.collection.Seq<?> seq) {
        value =
            String.join(
                ", ",
                scala.collection.JavaConverters.seqAsJavaList(seq).stream()
                    .map(String::valueOf)
                    .toList());
      }
      out.println(String.format("%-20s %s", field, value));
    }
    TableId table = TableId.of("gold", entry.getAs("feature_set"));
    String feature = entry.getAs("feature");
    if (!runtime.catalog().exists(table)) {
      out.println("feature table " + table + " has no snapshot yet");
      out.flush();
      return;
    }
    Dataset<Row> rows = runtime.catalog().read(table);
    Row latest = rows.agg(functions.max(FeatureColumns.FEATURE_DATE)).first();
    if (latest.isNullAt(0)) {
      out.println("feature table " + table + " has no snapshot yet");
      out.flush();
      return;
    }
    Dataset<Row> snapshot = rows.filter(col(FeatureColumns.FEATURE_DATE).equalTo(latest.get(0)));
    out.println();
    out.println(
        "Latest snapshot: "
            + table
            + " feature_date = "
            + latest.get(0)
            + " (version "
            + runtime.catalog().currentVersion(table)
            + ")");
    TablePrinter.print(out, statistics(snapshot, feature), TablePrinter.Format.TABLE, 1);
  }

  /** Rows, nulls, null rate, distinct values and, for numbers, min/max/mean/stddev. */
  static Dataset<Row> statistics(Dataset<Row> snapshot, String feature) {
    Column value = col(feature);
    DataType type = snapshot.schema().apply(feature).dataType();
    List<Column> stats = new ArrayList<>();
    stats.add(functions.count(functions.lit(1)).as("rows"));
    stats.add(
        functions.sum(functions.when(value.isNull(), 1).otherwise(0)).cast("long").as("nulls"));
    stats.add(
        functions
            .round(functions.avg(functions.when(value.isNull(), 1.0).otherwise(0.0)), 4)
            .as("null_rate"));
    stats.add(functions.approx_count_distinct(value).as("distinct_approx"));
    if (type instanceof NumericType) {
      stats.add(functions.min(value).cast("string").as("min"));
      stats.add(functions.max(value).cast("string").as("max"));
      stats.add(functions.round(functions.avg(value.cast("double")), 6).as("mean"));
      stats.add(functions.round(functions.stddev_samp(value.cast("double")), 6).as("stddev"));
    } else {
      stats.add(functions.min(value).cast("string").as("min"));
      stats.add(functions.max(value).cast("string").as("max"));
    }
    return snapshot.agg(stats.get(0), stats.subList(1, stats.size()).toArray(Column[]::new));
  }
}
