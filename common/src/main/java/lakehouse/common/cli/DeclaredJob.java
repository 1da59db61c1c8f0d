package lakehouse.common.cli;

import java.io.PrintWriter;
import java.time.LocalDate;
import lakehouse.common.LakehouseRuntime;
import lakehouse.common.ops.Job;
import lakehouse.common.ops.JobResult;
import lakehouse.common.settings.Declarations;

/**
 * A command that runs one job per declaration of a kind ({@code run bronze}, {@code run silver},
 * {@code run gold}, {@code training-set build}): it names its {@link #job()} and the {@link
 * #request} of a declaration, and {@link #runOne} runs one the same way for its own command line
 * and the demo. The demo finds these commands among the program's and runs every declaration of
 * {@link Declarations}, kind after kind, one recorded job run each.
 *
 * @param <Q> the job's request
 * @param <R> the job's result
 */
public interface DeclaredJob<Q, R extends JobResult> {
  /** The kind of declaration the command runs. */
  Declarations.Kind kind();

  /** The job run's target for a declaration, as the command records it (e.g. {@code bronze.x}). */
  String target(LakehouseRuntime runtime, String name);

  /** The job the command runs. */
  Job<Q, R> job();

  /**
   * The request that runs one declaration.
   *
   * @param from the first landing day the run covers
   * @param to the run date, the last landing day it covers
   */
  Q request(LakehouseRuntime runtime, String name, LocalDate from, LocalDate to);

  /**
   * Runs the job of one declaration on a runtime the caller holds (and records, see {@code JobRun})
   * and prints its result's {@link JobResult#lines()}.
   *
   * @param from the first landing day the run covers
   * @param to the run date, the last landing day it covers
   */
  default R runOne(
      LakehouseRuntime runtime, String name, LocalDate from, LocalDate to, PrintWriter out) {
    R result = job().run(runtime, request(runtime, name, from, to));
    print(result, out);
    return result;
  }

  /** Prints a result as its command does: its {@link JobResult#lines()}. */
  static void print(JobResult result, PrintWriter out) {
    result.lines().forEach(out::println);
    out.flush();
  }
}
