package lakehouse.sample.demo;

import java.time.LocalDate;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import lakehouse.common.ExitCode;
import lakehouse.common.LakehouseRuntime;
import lakehouse.common.catalog.TableId;
import lakehouse.common.cli.DeclaredJob;
import lakehouse.common.cli.LakehouseCommand;
import lakehouse.common.ops.JobRun;
import lakehouse.common.ops.RunHistory;
import lakehouse.common.settings.Declarations;
import lakehouse.common.settings.Declarations.Kind;
import lakehouse.common.settings.LakehouseSettings;
import lakehouse.sample.SampleManifest;
import lakehouse.sample.SampleOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code demo}: generates the sample data and runs every declaration of the configuration directory
 * on the configured (by default local) lake, kind after kind (sources, tables, feature sets,
 * training specs), each by the entry point of the command that runs it alone ({@code run bronze},
 * {@code run silver}, {@code run gold}, {@code training-set build}; see {@link DeclaredJob}). Each
 * is one job run, recorded in {@code _ops.runs} with its lineage events under that command's name,
 * as Airflow's daily DAG runs them. Then it shows what it built: the training sets, a diff and the
 * vacuum guard's plan, the tables ({@code tables}) and a time-travel query ({@code sql}).
 */
@Command(
    name = "demo",
    description =
        "Generate the sample data, run every layer end to end on "
            + "the configured lake (default ./work), and show the tables and a time-travel query.")
public final class DemoCommand extends LakehouseCommand {
  @Mixin SampleSize size = new SampleSize();

  @Override
  protected ExitCode run(LakehouseSettings settings) {
    SampleOptions options = size.options(SampleOptions.defaults().startDate(), null);
    SampleManifest sample =
        GenerateSampleCommand.generate(settings, settings.landingRoot(), options);
    SampleSummary.print(out(), settings.landingRoot(), sample);
    List<LocalDate> landed = sample.landingDates();
    LocalDate first = landed.get(0);
    LocalDate last = landed.get(landed.size() - 1);
    Declarations declarations = Declarations.of(settings);
    Map<Kind, CommandSpec> commands = declaredJobs();
    return withRuntime(
        settings,
        runtime -> {
          for (Kind kind : Kind.values()) {
            CommandSpec command = commands.get(kind);
            DeclaredJob<?, ?> job = (DeclaredJob<?, ?>) command.userObject();
            for (String name : declarations.names(kind)) {
              if (kind == Kind.TRAINING_SPEC) {
                String skipped = TrainingStep.skipReason(runtime, name);
                if (skipped != null) {
                  out().println(skipped);
                  continue;
                }
              }
              JobRun.run(
                  runtime,
                  command.qualifiedName(" "),
                  JobRun.newRunId(),
                  job.target(runtime, name),
                  err(),
                  run -> {
                    job.runOne(run, name, first, last, out());
                    return ExitCode.OK;
                  });
              if (kind == Kind.TRAINING_SPEC) {
                TrainingStep.show(runtime, job.target(runtime, name), out());
              }
              out().flush();
            }
          }
          // Changes nothing, so it is no job run.
          TimeTravelStep.run(runtime, out());
          // What the DAGs' last task does: the runs' records into _ops.runs, for SQL.
          new RunHistory(runtime.spark(), runtime.catalog()).fold();
          out().println();
          out().println("Tables in " + settings.lakeRoot() + ":");
          out().flush();
          int code = runCommand("tables");
          if (code == 0) {
            code = showTimeTravel(runtime);
          }
          return code == 0 ? ExitCode.OK : ExitCode.JOB_FAILED;
        });
  }

  /** The program's commands that run one job per declaration, by the kind they run. */
  private Map<Kind, CommandSpec> declaredJobs() {
    Map<Kind, CommandSpec> jobs = new EnumMap<>(Kind.class);
    collect(spec.root(), jobs);
    for (Kind kind : Kind.values()) {
      if (!jobs.containsKey(kind)) {
        throw new IllegalStateException("no command runs the " + kind.label() + " declarations");
      }
    }
    return jobs;
  }

  private static void collect(CommandSpec command, Map<Kind, CommandSpec> jobs) {
    if (command.userObject() instanceof DeclaredJob<?, ?> job) {
      jobs.put(job.kind(), command);
    }
    command.subcommands().values().forEach(sub -> collect(sub.getCommandSpec(), jobs));
  }

  /** Shows the oldest and newest version of the table with the most versions ({@code sql}). */
  private int showTimeTravel(LakehouseRuntime runtime) {
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
      return 0;
    }
    String query =
        "SELECT "
            + versions
            + " AS version, count(*) AS rows FROM "
            + richest
            + " UNION ALL SELECT 0, count(*) FROM "
            + richest
            + " VERSION AS OF 0";
    out().println();
    out().println("Time travel: bin/lakehouse sql \"" + query + "\"");
    out().flush();
    int code = runCommand("sql", query, "--limit", "10");
    out()
        .println(
            "More: bin/lakehouse history "
                + richest
                + "   and   bin/lakehouse sql "
                + "\"SELECT * FROM "
                + richest
                + " VERSION AS OF 0 LIMIT 10\"");
    return code;
  }
}
