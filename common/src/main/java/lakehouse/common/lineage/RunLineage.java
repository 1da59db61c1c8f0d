package lakehouse.common.lineage;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import lakehouse.common.ExitCode;
import lakehouse.common.LakehouseRuntime;
import lakehouse.common.ops.RunStats;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;

/**
 * The lineage of the job runs on a runtime, for the job runner ({@code
 * lakehouse.common.ops.JobRun}): {@link #start} sends a run's START event when the run starts,
 * before its work, and {@link #end} its COMPLETE or FAIL event under the same run id and parent.
 * Between the two calls the run is known by its {@link RunStats} (a new one per run, see {@link
 * LakehouseRuntime#newRun()}), so the runner carries nothing from one call to the other.
 *
 * <p>The parent run is read from the session's Spark properties ({@link ParentRun}): Airflow's
 * Spark provider passes the task that submitted the job there.
 *
 * <p>Neither call ever throws: lineage problems, a malformed parent included, are printed as {@code
 * warning: ...} lines and the job goes on.
 */
public final class RunLineage {
  /** The runs whose START was built and whose end has not been sent yet, by their stats. */
  private static final Map<RunStats, LineageEvents.Start> OPEN =
      Collections.synchronizedMap(new IdentityHashMap<>());

  private RunLineage() {}

  /** Sends the START event of the run that {@code runtime.stats()} now records. */
  /**
   * Sends the START event of the run that {@code runtime.stats()} now records.
   *
   * @param job the command path, e.g. {@code lakehouse run silver}; the job name adds the target
   *     when the run already reported one ({@code runtime.stats().target(...)})
   * @param runId the run's id in the run history, or null: it is also the OpenLineage run id when
   *     it is a UUID (otherwise a new UUID is, and the end event names the history id)
   */
  public static void start(
      LakehouseRuntime runtime, String job, String runId, Instant started, PrintWriter warnings) {
    List<String> problems = new ArrayList<>();
    try {
      LineageEmitter emitter = emitter(runtime);
      if (emitter.settings().enabled()) {
        LineageEvents.Start run = begin(runtime, job, runId, started, problems);
        OPEN.put(runtime.stats(), run);
        problems.addAll(emitter.emitStart(run));
      }
    } catch (RuntimeException e) {
      problems.add("could not emit the run's START lineage event: " + e.getMessage());
    }
    print(problems, warnings);
  }

  /**
   * Sends the COMPLETE (outcome OK) or FAIL event of the run {@link #start} began on {@code
   * runtime.stats()}, with what the job put there. Without a START (it could not be built) the end
   * event goes out alone, under a new run id.
   */
  public static void end(
      LakehouseRuntime runtime,
      String job,
      Instant started,
      Instant finished,
      ExitCode outcome,
      String error,
      PrintWriter warnings) {
    List<String> problems = new ArrayList<>();
    LineageEvents.Start run = OPEN.remove(runtime.stats());
    try {
      LineageEmitter emitter = emitter(runtime);
      if (emitter.settings().enabled()) {
        if (run == null) {
          run = begin(runtime, job, null, started, problems);
        }
        problems.addAll(
            emitter.emitEnd(run, new LineageEvents.End(finished, outcome, runtime.stats(), error)));
      }
    } catch (RuntimeException e) {
      problems.add("could not emit the run's lineage events: " + e.getMessage());
    }
    print(problems, warnings);
  }

  private static LineageEmitter emitter(LakehouseRuntime runtime) {
    return LineageEmitter.from(
        runtime.settings(), runtime.spark().sparkContext().hadoopConfiguration());
  }

  private static LineageEvents.Start begin(
      LakehouseRuntime runtime, String job, String runId, Instant started, List<String> problems) {
    SparkContext context = runtime.spark().sparkContext();
    SparkConf conf = context.getConf();
    ParentRun parent = ParentRun.read(key -> conf.get(key, null), problems).orElse(null);
    UUID id = runId != null && ParentRun.isUuid(runId) ? UUID.fromString(runId) : UUID.randomUUID();
    return new LineageEvents.Start(
        id,
        job,
        runtime.stats().target(),
        started,
        parent,
        runId,
        runtime.settings().env(),
        context.applicationId(),
        runtime.spark().version());
  }

  private static void print(List<String> problems, PrintWriter warnings) {
    problems.forEach(problem -> warnings.println("warning: " + problem));
  }
}
