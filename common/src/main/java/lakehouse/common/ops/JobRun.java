package lakehouse.common.ops;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.UUID;
import java.util.function.Function;
import lakehouse.common.ExitCode;
import lakehouse.common.LakehouseRuntime;
import lakehouse.common.cli.Cli;
import lakehouse.common.lineage.LineageEmitter;
import lakehouse.common.lineage.LineageEvents;

/**
 * One job run as the suite records it: whatever the outcome, one row in {@link RunLog#TABLE}
 * and the run's OpenLineage START and COMPLETE/FAIL events, both built from what the job put in
 * {@link LakehouseRuntime#stats()} (tables and paths read and written, with Delta versions).
 * Every job command runs through it ({@code LakehouseCommand.runJob}), and so does each step of
 * the demo, which runs several jobs on one runtime: a job records the same whichever way it was
 * started, and exactly once.
 */
public final class JobRun {
  private JobRun() {}

  /**
   * Runs the work as job {@code job} (the command path, e.g. {@code lakehouse run gold}) on a
   * fresh {@link LakehouseRuntime#newRun() RunStats}, then records it. Recording never changes
   * the run's outcome: a problem with the run log or the lineage events is printed as a warning.
   *
   * @param warnings where recording problems are printed ({@code warning: ...})
   * @return what the work returned; its exception, if any, is rethrown after recording
   */
  public static ExitCode run(LakehouseRuntime runtime, String job, PrintWriter warnings,
      Function<LakehouseRuntime, ExitCode> work) {
    runtime.newRun();
    Instant started = Instant.now();
    ExitCode outcome = ExitCode.JOB_FAILED;
    String error = null;
    try {
      outcome = work.apply(runtime);
      return outcome;
    } catch (RuntimeException | Error e) {
      outcome = Cli.exitCode(e);
      error = Cli.message(e);
      throw e;
    } finally {
      Instant finished = Instant.now();
      record(runtime, job, started, finished, outcome, error, warnings);
      emitLineage(runtime, job, started, finished, outcome, error, warnings);
      warnings.flush();
    }
  }

  private static void record(LakehouseRuntime runtime, String job, Instant started,
      Instant finished, ExitCode outcome, String error, PrintWriter warnings) {
    try {
      new RunLog(runtime.spark(), runtime.catalog()).record(job, runtime.settings().env(),
          started, finished, outcome, runtime.stats(), error);
    } catch (RuntimeException e) {
      // The run's own outcome matters more than its log line; say so and go on.
      warnings.println("warning: could not record the run in " + RunLog.TABLE + ": " + e);
    }
  }

  /** Sends the run's OpenLineage events (see {@link LineageEmitter}); never fails the run. */
  private static void emitLineage(LakehouseRuntime runtime, String job, Instant started,
      Instant finished, ExitCode outcome, String error, PrintWriter warnings) {
    try {
      LineageEmitter emitter = LineageEmitter.from(runtime.settings(),
          runtime.spark().sparkContext().hadoopConfiguration());
      emitter.emit(new LineageEvents.Run(UUID.randomUUID(), job, started, finished, outcome,
              runtime.stats(), error, runtime.settings().env(),
              runtime.spark().sparkContext().applicationId(), runtime.spark().version()))
          .forEach(warning -> warnings.println("warning: " + warning));
    } catch (RuntimeException e) {
      warnings.println("warning: could not emit the run's lineage events: " + e.getMessage());
    }
  }
}
