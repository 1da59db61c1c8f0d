package lakehouse.app;

import java.io.PrintWriter;
import java.time.LocalDate;
import java.util.List;
import lakehouse.common.ExitCode;
import lakehouse.common.LakehouseRuntime;
import lakehouse.common.catalog.TableId;
import lakehouse.common.cli.LakehouseCommand;
import lakehouse.common.cli.TablePrinter;
import lakehouse.common.sample.SampleManifest;
import lakehouse.common.sample.SampleOptions;
import lakehouse.common.settings.LakehouseSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code demo}: generates the sample data and runs the whole pipeline on the configured (by
 * default local) lake, then shows what it built and a time-travel query.
 */
@Command(name = "demo", description = "Generate the sample data, run every layer end to end on "
    + "the configured lake (default ./work), and show the tables and a time-travel query.")
public final class DemoCommand extends LakehouseCommand {
  @Option(names = "--days", description = "Landing days to generate (default: ${DEFAULT-VALUE}).")
  int days = SampleOptions.defaults().days();

  @Option(names = "--customers",
      description = "Customers on the first day (default: ${DEFAULT-VALUE}).")
  int customers = SampleOptions.defaults().customers();

  @Option(names = "--seed", description = "Random seed (default: ${DEFAULT-VALUE}).")
  long seed = SampleOptions.defaults().seed();

  /** One layer's part of the demo. */
  interface Step {
    void run(LakehouseRuntime runtime, SampleManifest sample, PrintWriter out);
  }

  /** The pipeline in order; each layer adds its step here. */
  private static List<Step> pipeline() {
    return List.of(
        // bronze: every declared source, its landed files exactly once.
        (runtime, sample, out) -> lakehouse.bronze.BronzeJob.ingestAll(runtime,
            java.util.Optional.of(lastDay(sample))).forEach(report -> out.println(report.summary())),
        // silver: every declared table, each behind its quality gate (after bronze).
        (runtime, sample, out) -> lakehouse.silver.SilverJob.runAll(runtime, lastDay(sample))
            .forEach(report -> report.lines().forEach(out::println)),
        // gold: every declared feature set, one snapshot per sample day (after silver).
        (runtime, sample, out) -> lakehouse.gold.GoldJob.runAll(runtime,
            sample.landingDates().get(0), lastDay(sample))
            .forEach(report -> out.println(report.summary())),
        // training sets: the churn training set, point-in-time over gold (after gold).
        (runtime, sample, out) -> lakehouse.training.TrainingDemo.run(runtime, out),
        // time travel: a diff between versions and the vacuum guard's plan (after training).
        (runtime, sample, out) -> lakehouse.timetravel.TimeTravelDemo.run(runtime, out)
    );
  }

  @Override
  protected ExitCode run(LakehouseSettings settings) {
    SampleOptions options = new SampleOptions(SampleOptions.defaults().startDate(), days,
        customers, seed);
    SampleManifest sample =
        GenerateSampleCommand.generate(settings, settings.landingRoot(), options);
    SampleSummary.print(out(), settings.landingRoot(), sample);
    return withRuntime(settings, runtime -> {
      for (Step step : pipeline()) {
        step.run(runtime, sample, out());
      }
      runtime.catalog().registerAll();
      out().println();
      out().println("Tables in " + settings.lakeRoot() + ":");
      TablePrinter.print(out(), TablesCommand.describe(runtime), TablePrinter.Format.TABLE,
          Integer.MAX_VALUE);
      showTimeTravel(runtime, out());
      return ExitCode.OK;
    });
  }

  /** Shows the oldest and newest version of the table with the most versions. */
  private static void showTimeTravel(LakehouseRuntime runtime, PrintWriter out) {
    TableId richest = null;
    long versions = -1;
    for (TableId id : runtime.catalog().discover()) {
      long version = runtime.catalog().currentVersion(id);
      if (version > versions && !id.layer().startsWith("_") && !id.name().startsWith("_")) {
        richest = id;
        versions = version;
      }
    }
    if (richest == null) {
      return;
    }
    String query = "SELECT " + versions + " AS version, count(*) AS rows FROM " + richest
        + " UNION ALL SELECT 0, count(*) FROM " + richest + " VERSION AS OF 0";
    out.println();
    out.println("Time travel: bin/lakehouse sql \"" + query + "\"");
    TablePrinter.print(out, runtime.spark().sql(query), TablePrinter.Format.TABLE, 10);
    out.println("More: bin/lakehouse history " + richest + "   and   bin/lakehouse sql "
        + "\"SELECT * FROM " + richest + " VERSION AS OF 0 LIMIT 10\"");
  }

  static LocalDate lastDay(SampleManifest sample) {
    return sample.landingDates().get(sample.landingDates().size() - 1);
  }
}
