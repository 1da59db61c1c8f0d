package lakehouse.common.lineage;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;
import lakehouse.common.ExitCode;
import lakehouse.common.ops.RunStats;

/**
 * Builds OpenLineage 2-0-2 {@code RunEvent}s for one job run from what the job put in its {@link
 * RunStats}: tables read and written become datasets named by their logical name ({@code
 * silver.orders}) in the lake root's namespace, each with the Delta version as its {@code version}
 * facet; plain paths read (the landing folders, a spine file) or written (a training set written to
 * a folder) become datasets in the landing root's namespace (or, elsewhere, the file system's),
 * named by their path, a path written with its Delta version. A job that reads table X and one that
 * writes X therefore meet at the same dataset, which is what a lineage server such as Marquez draws
 * as landing → bronze → silver → gold → training set. START, built from what is known when the run
 * starts ({@link Start}), names no datasets; both events carry the run that started this one (an
 * Airflow task) as the {@code parent} facet.
 */
public final class LineageEvents {
  /** Identifies this emitter in every event and facet. */
  public static final URI PRODUCER =
      URI.create("https://github.com/lakehouse-suite/lakehouse/tree/main/common/lineage");

  static final String EVENT_SCHEMA =
      "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent";
  static final String FACETS = "https://openlineage.io/spec/facets/";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The namespaces datasets are named in. */
  public record Namespaces(String job, String lakeRoot, String landingRoot) {}

  /**
   * What the job runner knows when a run starts: START says it and the end event repeats it (same
   * run id, parent and engine).
   *
   * @param target the target the job already reported when it started, or null (the job name then
   *     takes the target the job reports by its end)
   * @param parent the run that started this one (an Airflow task), or null
   * @param historyRunId the run's id in the run history, or null
   */
  public record Start(
      UUID runId,
      String job,
      String target,
      Instant startedAt,
      ParentRun parent,
      String historyRunId,
      String env,
      String sparkAppId,
      String sparkVersion) {}

  /** How the run ended: what the job put in its {@link RunStats}, its outcome and error. */
  public record End(Instant finishedAt, ExitCode outcome, RunStats stats, String error) {}

  private LineageEvents() {}

  /** The job's name: the command path and its target, e.g. {@code silver.orders}. */
  public static String jobName(String command, String target) {
    String base = command.trim().replaceAll("\\s+", ".");
    return target == null || target.isBlank() ? base : base + "." + target;
  }

  /**
   * The START event, timed at the run's start: the job, run id, engine and parent; no datasets yet
   * (the job names what it reads and writes as it runs).
   */
  public static ObjectNode start(Namespaces ns, Start run) {
    return event("START", run.startedAt(), ns, run, jobName(run.job(), run.target()), null);
  }

  /**
   * The COMPLETE or FAIL event, timed at the run's end, with inputs, outputs and facets. Its job
   * name is START's when the target was known at the start, else the command path with the target
   * the job reported while it ran.
   */
  public static ObjectNode end(Namespaces ns, Start run, End end) {
    String target = run.target() != null ? run.target() : end.stats().target();
    return event(
        end.outcome() == ExitCode.OK ? "COMPLETE" : "FAIL",
        end.finishedAt(),
        ns,
        run,
        jobName(run.job(), target),
        end);
  }

  private static ObjectNode event(
      String type, Instant at, Namespaces ns, Start run, String jobName, End end) {
    ObjectNode event = JSON.createObjectNode();
    event.put("eventType", type);
    event.put("eventTime", at.atOffset(ZoneOffset.UTC).toString());
    ObjectNode runNode = event.putObject("run");
    runNode.put("runId", run.runId().toString());
    ObjectNode runFacets = runNode.putObject("facets");
    if (end != null && end.stats().runDate() != null) {
      facet(runFacets, "nominalTime", "1-0-1/NominalTimeRunFacet.json")
          .put(
              "nominalStartTime",
              end.stats().runDate().atStartOfDay().atOffset(ZoneOffset.UTC).toString());
    }
    ObjectNode engine =
        facet(runFacets, "processing_engine", "1-1-1/ProcessingEngineRunFacet.json");
    engine.put("name", "spark");
    engine.put("version", run.sparkVersion());
    if (run.parent() != null) {
      ParentRun parent = run.parent();
      ObjectNode facet = facet(runFacets, "parent", "1-1-0/ParentRunFacet.json");
      runRef(facet, parent);
      if (parent.root() != null) {
        runRef(facet.putObject("root"), parent.root());
      }
    }
    if (end != null) {
      RunStats stats = end.stats();
      ObjectNode custom = custom(runFacets, "lakehouse_run");
      custom.put("exitCode", end.outcome().code());
      if (run.historyRunId() != null) {
        custom.put("runId", run.historyRunId());
      }
      custom.put("env", run.env());
      custom.put("sparkAppId", run.sparkAppId());
      custom.put("rowsRead", stats.rowsRead());
      custom.put("rowsWritten", stats.rowsWritten());
      custom.put("rowsQuarantined", stats.rowsQuarantined());
      custom.put("rowsRejected", stats.rowsRejected());
      custom.put("durationMs", end.finishedAt().toEpochMilli() - run.startedAt().toEpochMilli());
      if (end.outcome() != ExitCode.OK && end.error() != null) {
        ObjectNode error = facet(runFacets, "errorMessage", "1-0-1/ErrorMessageRunFacet.json");
        error.put("message", end.error());
        error.put("programmingLanguage", "JAVA");
      }
    }
    ObjectNode job = event.putObject("job");
    job.put("namespace", ns.job());
    job.put("name", jobName);
    ObjectNode jobType = facet(job.putObject("facets"), "jobType", "2-0-3/JobTypeJobFacet.json");
    jobType.put("processingType", "BATCH");
    jobType.put("integration", "SPARK");
    jobType.put("jobType", "JOB");
    ArrayNode inputs = event.putArray("inputs");
    ArrayNode outputs = event.putArray("outputs");
    if (end != null) {
      RunStats stats = end.stats();
      for (String path : stats.pathsRead()) {
        dataset(inputs, pathNamespace(ns, path), pathName(ns, path), null);
      }
      for (Map.Entry<String, Long> read : stats.versionsRead().entrySet()) {
        dataset(inputs, ns.lakeRoot(), read.getKey(), read.getValue());
      }
      for (Map.Entry<String, Long> written : stats.versionsWritten().entrySet()) {
        dataset(outputs, ns.lakeRoot(), written.getKey(), written.getValue());
      }
      for (Map.Entry<String, Long> written : stats.pathsWritten().entrySet()) {
        dataset(
            outputs,
            pathNamespace(ns, written.getKey()),
            pathName(ns, written.getKey()),
            written.getValue());
      }
    }
    event.put("producer", PRODUCER.toString());
    event.put("schemaURL", EVENT_SCHEMA);
    return event;
  }

  private static void dataset(ArrayNode list, String namespace, String name, Long version) {
    ObjectNode dataset = list.addObject();
    dataset.put("namespace", namespace);
    dataset.put("name", name);
    ObjectNode facets = dataset.putObject("facets");
    if (version != null) {
      facet(facets, "version", "1-0-1/DatasetVersionDatasetFacet.json")
          .put("datasetVersion", String.valueOf(version));
    }
  }

  /** {@code job: {namespace, name}, run: {runId}}: how the parent facet names a run. */
  private static void runRef(ObjectNode node, ParentRun run) {
    ObjectNode job = node.putObject("job");
    job.put("namespace", run.namespace());
    job.put("name", run.name());
    node.putObject("run").put("runId", run.runId().toString());
  }

  private static ObjectNode facet(ObjectNode facets, String name, String schemaFile) {
    ObjectNode facet = facets.putObject(name);
    facet.put("_producer", PRODUCER.toString());
    facet.put("_schemaURL", FACETS + schemaFile);
    return facet;
  }

  private static ObjectNode custom(ObjectNode facets, String name) {
    ObjectNode facet = facets.putObject(name);
    facet.put("_producer", PRODUCER.toString());
    facet.put("_schemaURL", PRODUCER + "#/$defs/LakehouseRunFacet");
    return facet;
  }

  /** A path under the landing root is named relative to it; any other path by itself. */
  static String pathNamespace(Namespaces ns, String path) {
    if (under(ns.landingRoot(), path)) {
      return ns.landingRoot();
    }
    URI uri = URI.create(path);
    if (uri.getScheme() == null || uri.getScheme().equals("file")) {
      return "file";
    }
    return uri.getScheme() + "://" + (uri.getAuthority() == null ? "" : uri.getAuthority());
  }

  static String pathName(Namespaces ns, String path) {
    if (under(ns.landingRoot(), path)) {
      String rest = path.substring(ns.landingRoot().length());
      return rest.startsWith("/") ? rest.substring(1) : rest;
    }
    URI uri = URI.create(path);
    return uri.getPath() == null ? path : uri.getPath();
  }

  private static boolean under(String root, String path) {
    return root != null && (path.equals(root) || path.startsWith(root + "/"));
  }
}
