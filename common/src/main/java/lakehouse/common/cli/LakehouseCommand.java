package lakehouse.common.cli;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.function.Function;
import lakehouse.common.ExitCode;
import lakehouse.common.LakehouseException;
import lakehouse.common.LakehouseRuntime;
import lakehouse.common.lineage.LineageEmitter;
import lakehouse.common.lineage.LineageEvents;
import lakehouse.common.ops.RunLog;
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
  @Mixin
  protected CommonOptions options;

  @Spec
  protected CommandSpec spec;

  @Override
  public final Integer call() {
    return run(options.settings()).code();
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
   * Runs a job: like {@link #withRuntime} and, whatever the outcome, appends one row to {@code
   * _ops.runs} with what the job put in {@link LakehouseRuntime#stats()}.
   */
  protected ExitCode runJob(LakehouseSettings settings,
      Function<LakehouseRuntime, ExitCode> work) {
    return withRuntime(settings, runtime -> {
      Instant started = Instant.now();
      ExitCode outcome = ExitCode.JOB_FAILED;
      String error = null;
      try {
        outcome = work.apply(runtime);
        return outcome;
      } catch (LakehouseException e) {
        outcome = e.exitCode();
        error = e.getMessage();
        throw e;
      } catch (RuntimeException | Error e) {
        error = String.valueOf(e);
        throw e;
      } finally {
        Instant finished = Instant.now();
        record(runtime, started, outcome, error);
        emitLineage(runtime, started, finished, outcome, error);
      }
    });
  }

  /** Sends the run's OpenLineage events (see {@link LineageEmitter}); never fails the run. */
  private void emitLineage(LakehouseRuntime runtime, Instant started, Instant finished,
      ExitCode outcome, String error) {
    try {
      LineageEmitter emitter = LineageEmitter.from(runtime.settings(),
          runtime.spark().sparkContext().hadoopConfiguration());
      emitter.emit(new LineageEvents.Run(UUID.randomUUID(), spec.qualifiedName(" "), started,
              finished, outcome, runtime.stats(), error, runtime.settings().env(),
              runtime.spark().sparkContext().applicationId(), runtime.spark().version()))
          .forEach(warning -> err().println("warning: " + warning));
    } catch (RuntimeException e) {
      err().println("warning: could not emit the run's lineage events: " + e.getMessage());
    }
  }

  private void record(LakehouseRuntime runtime, Instant started, ExitCode outcome,
      String error) {
    try {
      new RunLog(runtime.spark(), runtime.catalog()).record(spec.qualifiedName(" "),
          runtime.settings().env(), started, Instant.now(), outcome, runtime.stats(), error);
    } catch (RuntimeException e) {
      // The run's own outcome matters more than its log line; say so and go on.
      err().println("warning: could not record the run in " + RunLog.TABLE + ": " + e);
    }
  }

  /** Starts Spark and the catalog for the work, and stops them after, whatever happens. */
  protected ExitCode withRuntime(LakehouseSettings settings,
      Function<LakehouseRuntime, ExitCode> work) {
    try (LakehouseRuntime runtime =
        LakehouseRuntime.start(settings, "lakehouse " + spec.qualifiedName(" "))) {
      return work.apply(runtime);
    }
  }
}
