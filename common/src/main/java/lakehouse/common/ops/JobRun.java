package lakehouse.common.ops;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.UUID;
import java.util.function.Function;
import lakehouse.common.ExitCode;
import lakehouse.common.LakehouseRuntime;
import lakehouse.common.cli.Cli;
import lakehouse.common.lineage.RunLineage;

/**
 * One job run as the suite records it: whatever the outcome, one record in the run history ({@link
 * RunHistory}, written when the run starts and again when it ends) and the run's OpenLineage START
 * and COMPLETE/FAIL events, both built from what the job put in {@link LakehouseRuntime#stats()}
 * (tables and paths read and written, with Delta versions). Every job command runs through it
 * ({@code LakehouseCommand.runJob}), and so does each step of the demo, which runs several jobs on
 * one runtime: a job records the same whichever way it was started, and exactly once.
 */
public final class JobRun {
  private JobRun() {}

  /** A new run id, for a caller that did not choose one. */
  public static String newRunId() {
    return UUID.randomUUID().toString();
  }

  /**
   * Runs the work as job {@code job} (the command path, e.g. {@code lakehouse run gold}) on a fresh
   * {@link LakehouseRuntime#newRun RunStats}, then records it. Recording never changes the run's
   * outcome: a problem with the run record or the lineage events is printed as a warning.
   *
   * @param runId the run's id in the history (see {@link RunHistory#checkNewRunId})
   * @param target what the job works on as far as it is known at the start (a table, a source,
   *     several comma-separated), or null: the run's record and START event name it
   * @param warnings where the run's own warnings ({@link RunStats#warn}) and recording problems are
   *     printed ({@code warning: ...})
   * @return what the work returned; its exception, if any, is rethrown after recording
   */
  public static ExitCode run(
      LakehouseRuntime runtime,
      String job,
      String runId,
      String target,
      PrintWriter warnings,
      Function<LakehouseRuntime, ExitCode> work) {
    runtime.newRun(runId).target(target);
    Instant started = Instant.now();
    record(runtime, job, runId, started, null, null, null, warnings);
    RunLineage.start(runtime, job, runId, started, warnings);
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
      runtime.stats().warnings().forEach(text -> warnings.println("warning: " + text));
      record(runtime, job, runId, started, finished, outcome, error, warnings);
      emitLineage(runtime, job, started, finished, outcome, error, warnings);
      warnings.flush();
    }
  }

  /** Writes the run's record: at the start ({@code outcome} null), then at the end. */
  private static void record(
      LakehouseRuntime runtime,
      String job,
      String runId,
      Instant started,
      Instant finished,
      ExitCode outcome,
      String error,
      PrintWriter warnings) {
    try {
      new RunHistory(runtime.spark(), runtime.catalog())
          .write(
              runId,
              job,
              runtime.settings().env(),
              started,
              finished,
              outcome,
              runtime.stats(),
              error);
    } catch (RuntimeException e) {
      // The run's own outcome matters more than its record; say so and go on.
      warnings.println("warning: could not record the run in " + RunHistory.TABLE + ": " + e);
    }
  }

  /** Sends the run's COMPLETE or FAIL lineage event (see {@link RunLineage}); never fails it. */
  private static void emitLineage(
      LakehouseRuntime runtime,
      String job,
      Instant started,
      Instant finished,
      ExitCode outcome,
      String error,
      PrintWriter warnings) {
    RunLineage.end(runtime, job, started, finished, outcome, error, warnings);
  }
}
