package lakehouse.common.ops;

import lakehouse.common.LakehouseRuntime;

/**
 * The one shape of the layer jobs: {@code run(runtime, request) -> result}, e.g. {@code
 * BronzeJob::run}, {@code SilverJob::run}, {@code GoldJob::run} and {@code
 * TrainingSetBuilder::run}, each with a request record of its own. A job prints nothing: it adds
 * what it read and wrote to {@link LakehouseRuntime#stats()} (the job runner, {@link JobRun},
 * records it, a failed run too) and returns its result, whose {@link JobResult#lines()} its command
 * prints.
 *
 * @param <Q> the request: what to run
 * @param <R> the result
 */
@FunctionalInterface
public interface Job<Q, R extends JobResult> {
  /** Runs the request on a runtime the caller holds (and records, see {@link JobRun}). */
  R run(LakehouseRuntime runtime, Q request);
}
