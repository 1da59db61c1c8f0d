package lakehouse.app;

import java.io.PrintWriter;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import lakehouse.common.ExitCode;
import lakehouse.common.LakehouseRuntime;
import lakehouse.common.catalog.TableId;
import lakehouse.common.cli.LakehouseCommand;
import lakehouse.common.cli.TablePrinter;
import lakehouse.common.ops.JobRun;
import lakehouse.common.ops.RunHistory;
import lakehouse.common.settings.LakehouseSettings;
import lakehouse.sample.SampleManifest;
import lakehouse.sample.SampleOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code demo}: generates the sample data and runs the whole pipeline on the configured (by default
 * local) lake, then shows what it built and a time-travel query. Each job it runs is recorded in
 * {@code _ops.runs} and emits its lineage events exactly as the command that runs it alone ({@code
 * run bronze}, {@code run silver}, {@code run gold}, {@code training-set build}).
 */
@Command(
    name = "demo",
    description =
        "Generate the sample data, run every layer end to end on "
            + "the configured lake (default ./work), and show the tables and a time-travel query.")
public final class DemoCommand extends LakehouseCommand {
  @Option(names = "--days", description = "Landing days to generate (default: ${DEFAULT-VALUE}).")
  int days = SampleOptions.defaults().days();

  @Option(
      names = "--customers",
      description = "Customers on the first day (default: ${DEFAULT-VALUE}).")
  int customers = SampleOptions.defaults().customers();

  @Option(names = "--seed", description = "Random seed (default: ${DEFAULT-VALUE}).")
  long seed = SampleOptions.defaults().seed();

  /** One layer's part of the demo. */
  interface Step {
    void run(LakehouseRuntime runtime, SampleManifest sample, Jobs jobs, PrintWriter out);
  }

  /**
   * Runs one job as the command at {@code commandPath} (e.g. {@code run gold}) would: recorded in
   * {@code _ops.runs} with its lineage events under that command's name (see {@link JobRun}).
   */
  interface Jobs {
    void run(String commandPath, String target, Function<LakehouseRuntime, ExitCode> work);
  }

  /**
   * The pipeline in order; each layer adds its step here. Each job is one run, as Airflow's daily
   * DAG runs them: one per source, table and feature set.
   */
  private static List<Step> pipeline() {
    return List.of(
        // bronze: every declared source, its landed files exactly once.
        (runtime, sample, jobs, out) -> {
          for (String source : lakehouse.bronze.SourceDefinition.declared(runtime.settings())) {
            jobs.run(
                "run bronze",
                "bronze." + source,
                job -> {
                  job.stats().runDate(lastDay(sample));
                  out.println(
                      lakehouse.bronze.BronzeJob.ingest(job, source, Optional.of(lastDay(sample)))
                          .summary());
                  return ExitCode.OK;
                });
          }
        },
        // silver: every declared table, each behind its quality gate (after bronze).
        (runtime, sample, jobs, out) -> {
          for (String table :
              lakehouse.silver.contract.TableContracts.names(runtime.settings().confDir())) {
            jobs.run(
                "run silver",
                "silver." + table,
                job -> {
                  lakehouse.silver.SilverJob.run(job, table, lastDay(sample))
                      .lines()
                      .forEach(out::println);
                  return ExitCode.OK;
                });
          }
        },
        // gold: every declared feature set, one snapshot per sample day (after silver).
        (runtime, sample, jobs, out) -> {
          lakehouse.gold.GoldSettings gold = lakehouse.gold.GoldSettings.from(runtime.settings());
          for (String set :
              new lakehouse.gold.declarations.FeatureSetLoader(gold.featuresDir(), gold).names()) {
            jobs.run(
                "run gold",
                "gold." + set,
                job -> {
                  out.println(
                      lakehouse.gold.GoldJob.run(
                              job, set, sample.landingDates().get(0), lastDay(sample))
                          .summary());
                  return ExitCode.OK;
                });
          }
        },
        // training sets: the churn training set, point-in-time over gold (after gold).
        (runtime, sample, jobs, out) -> {
          String skipped = lakehouse.training.TrainingDemo.skipReason(runtime);
          if (skipped != null) {
            out.println(skipped);
            return;
          }
          jobs.run(
              "training-set build",
              null,
              job -> {
                lakehouse.training.TrainingDemo.run(job, out);
                return ExitCode.OK;
              });
        },
        // time travel: a diff between versions and the vacuum guard's plan (after training);
        // it changes nothing, so it is no job run.
        (runtime, sample, jobs, out) -> lakehouse.timetravel.TimeTravelDemo.run(runtime, out));
  }

  @Override
  protected ExitCode run(LakehouseSettings settings) {
    SampleOptions options =
        new SampleOptions(SampleOptions.defaults().startDate(), days, customers, seed);
    SampleManifest sample =
        GenerateSampleCommand.generate(settings, settings.landingRoot(), options);
    SampleSummary.print(out(), settings.landingRoot(), sample);
    return withRuntime(
        settings,
        runtime -> {
          Jobs jobs =
              (commandPath, target, work) -> {
                JobRun.run(runtime, jobNameOf(commandPath), JobRun.newRunId(), target, err(), work);
                out().flush();
              };
          for (Step step : pipeline()) {
            step.run(runtime, sample, jobs, out());
          }
          // What the DAGs' last task does: the runs' records into _ops.runs, for SQL.
          new RunHistory(runtime.spark(), runtime.catalog()).fold();
          out().println();
          out().println("Tables in " + settings.lakeRoot() + ":");
          TablePrinter.print(
              out(),
              TablesCommand.describe(runtime, err()),
              TablePrinter.Format.TABLE,
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
    String query =
        "SELECT "
            + versions
            + " AS version, count(*) AS rows FROM "
            + richest
            + " UNION ALL SELECT 0, count(*) FROM "
            + richest
            + " VERSION AS OF 0";
    out.println();
    out.println("Time travel: bin/lakehouse sql \"" + query + "\"");
    TablePrinter.print(out, SqlCommand.sql(runtime, query), TablePrinter.Format.TABLE, 10);
    out.println(
        "More: bin/lakehouse history "
            + richest
            + "   and   bin/lakehouse sql "
            + "\"SELECT * FROM "
            + richest
            + " VERSION AS OF 0 LIMIT 10\"");
  }

  static LocalDate lastDay(SampleManifest sample) {
    return sample.landingDates().get(sample.landingDates().size() - 1);
  }
}
