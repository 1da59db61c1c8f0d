package lakehouse.common.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.function.Function;
import lakehouse.common.ExitCode;
import lakehouse.common.LakehouseException;
import lakehouse.common.LakehouseRuntime;
import lakehouse.common.ops.JobRun;
import lakehouse.common.ops.ResultFile;
import lakehouse.common.ops.RunHistory;
import lakehouse.common.settings.LakehouseSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The base of every leaf command: it takes the common options, loads the settings and maps the
 * outcome to an {@link ExitCode}. Errors are turned into messages by {@link Cli}.
 */
@Command(mixinStandardHelpOptions = true, sortOptions = false)
public abstract class LakehouseCommand implements Callable<Integer> {
  @Mixin protected CommonOptions options;

  @Spec protected CommandSpec spec;

  /** What the last job of this command wrote (table or path → version), for its result. */
  private final Map<String, Long> written = new LinkedHashMap<>();

  /** The id of the job this command ran, for its result; null before a job started. */
  private String runId;

  @Override
  public final Integer call() {
    ExitCode outcome = ExitCode.JOB_FAILED;
    String message = null;
    try {
      outcome = run(options.settings());
      return outcome.code();
    } catch (Throwable e) { // Spark's checked exceptions arrive undeclared: catch them all
      outcome = Cli.exitCode(e);
      message = Cli.message(e);
      throw e;
    } finally {
      if (options.resultFile() != null) {
        ResultFile.write(
            options.resultFile(),
            spec.qualifiedName(" "),
            runId,
            outcome,
            message,
            written,
            options.loadedSettings(),
            err());
      }
    }
  }

  /** Does the command's work with validated settings. */
  protected abstract ExitCode run(LakehouseSettings settings);

  /** Where the command's results go (stdout, or what a test captures). */
  protected PrintWriter out() {
    return spec.commandLine().getOut();
  }

  /** Where warnings go. */
  protected PrintWriter err() {
    return spec.commandLine().getErr();
  }

  /**
   * Runs a job: like {@link #withRuntime} and, whatever the outcome, records it through {@link
   * JobRun} (its record in the run history, OpenLineage START and COMPLETE/FAIL events) with what
   * the job put in {@link LakehouseRuntime#stats()}, under the {@code --run-id} given or a new one.
   *
   * @param target what the job works on, as known before it starts (see {@link JobRun#run})
   */
  protected ExitCode runJob(
      LakehouseSettings settings, String target, Function<LakehouseRuntime, ExitCode> work) {
    return startRuntime(
        settings,
        runtime -> {
          runId =
              options.runId() == null
                  ? JobRun.newRunId()
                  : new RunHistory(runtime.spark(), runtime.catalog())
                      .checkNewRunId(options.runId());
          try {
            return JobRun.run(runtime, jobName(), runId, target, err(), work);
          } finally {
            written.putAll(runtime.stats().versionsWritten());
            written.putAll(runtime.stats().pathsWritten());
          }
        });
  }

  /**
   * Runs {@code one} for each name, in order, within one job run ({@code run bronze --all-sources},
   * {@code run silver --all-tables}). Without {@code keepGoing} the first failure is thrown as it
   * is. With it, a failure does not keep the others from running: an unexpected one's stack trace
   * is printed when it happens, and the failures are listed at the end, one line each ({@code
   * <layer> <name> (exit <code>): <message>}); the result is the most serious exit code ({@link
   * ExitCode#mostSerious}).
   *
   * @param layer how the failure lines name the job, e.g. {@code bronze}
   * @param plural how the closing line counts the names, e.g. {@code sources}
   */
  protected ExitCode runEach(
      String layer, String plural, List<String> names, boolean keepGoing, Consumer<String> one) {
    List<ExitCode> outcomes = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    for (String name : names) {
      try {
        one.accept(name);
      } catch (Exception e) { // Spark's checked exceptions arrive undeclared; rethrown as is
        if (!keepGoing) {
          throw e;
        }
        // One name's failure must not keep the others from running: note it, go on.
        LakehouseException known = Cli.findKnown(e);
        ExitCode outcome = known != null ? known.exitCode() : ExitCode.JOB_FAILED;
        String message = known != null ? known.getMessage() : "job failed: " + e;
        if (known == null) { // unexpected: the trace now, the one line at the end with the rest
          err().println("error: " + layer + " " + name + ": " + message);
          e.printStackTrace(err());
          err().flush();
        }
        outcomes.add(outcome);
        failures.add(
            layer
                + " "
                + name
                + " (exit "
                + outcome.code()
                + "): "
                + String.join("; ", String.valueOf(message).strip().lines().toList()));
      }
    }
    if (!failures.isEmpty()) {
      err()
          .println(
              "error: "
                  + failures.size()
                  + " of "
                  + names.size()
                  + " "
                  + plural
                  + " failed; the others ran:");
      failures.forEach(line -> err().println("error: " + line));
      err().flush();
    }
    return ExitCode.mostSerious(outcomes);
  }

  /**
   * The job's name in the run history and the lineage events: the command path, e.g. {@code
   * lakehouse run gold} or {@code lakehouse training-set build}.
   */
  protected String jobName() {
    return spec.qualifiedName(" ");
  }

  /**
   * Runs another command of this program as its command line would, with this command's
   * configuration options and output (its errors are printed there), e.g. {@code runCommand("sql",
   * "SELECT 1")}. While this command holds a runtime, the other works on the same Spark session.
   *
   * @return the other command's exit code
   */
  protected int runCommand(String command, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(options.arguments());
    return spec.root()
        .commandLine()
        .getSubcommands()
        .get(command)
        .execute(all.toArray(String[]::new));
  }

  /**
   * Starts Spark and the catalog for the work, and stops them after, whatever happens. The work is
   * no job run: {@code --run-id} is refused rather than ignored.
   */
  protected ExitCode withRuntime(
      LakehouseSettings settings, Function<LakehouseRuntime, ExitCode> work) {
    if (options.runId() != null) {
      throw LakehouseException.usage(
          "--run-id names a job run; '"
              + spec.qualifiedName(" ")
              + "' is no job and records no run");
    }
    return startRuntime(settings, work);
  }

  private ExitCode startRuntime(
      LakehouseSettings settings, Function<LakehouseRuntime, ExitCode> work) {
    try (LakehouseRuntime runtime =
        LakehouseRuntime.start(settings, "lakehouse " + spec.qualifiedName(" "))) {
      return work.apply(runtime);
    }
  }
}
