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
 * Builds OpenLineage 2-0-2 {@code RunEvent}s for one job run from what the job put in its
 * {@link RunStats}: tables read and written become datasets named by their logical name
 * ({@code silver.orders}) in the lake root's namespace, each with the Delta version as its
 * {@code version} facet; plain paths read (the landing folders, a spine file) or written (a
 * training set written to a folder) become datasets in the landing root's namespace (or,
 * elsewhere, the file system's), named by their path, a path written with its Delta version. A
 * job that reads table X and one that writes X therefore meet at the same dataset, which is what
 * a lineage server such as Marquez draws as landing → bronze → silver → gold → training set.
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

  /** What one run did, as the job runner knows it when the run ends. */
  public record Run(UUID runId, String job, Instant startedAt, Instant finishedAt,
      ExitCode outcome, RunStats stats, String error, String env, String sparkAppId,
      String sparkVersion) {}

  private LineageEvents() {}

  /** The job's name: the command path and its target, e.g. {@code silver.orders}. */
  public static String jobName(String command, String target) {
    String base = command.trim().replaceAll("\\s+", ".");
    return target == null || target.isBlank() ? base : base + "." + target;
  }

  /** The START event (timed at the run's start). */
  public static ObjectNode start(Namespaces ns, Run run) {
    return event("START", run.startedAt(), ns, run, false);
  }

  /** The COMPLETE or FAIL event (timed at the run's end), with inputs, outputs and facets. */
  public static ObjectNode end(Namespaces ns, Run run) {
    return event(run.outcome() == ExitCode.OK ? "COMPLETE" : "FAIL", run.finishedAt(), ns, run,
        true);
  }

  private static ObjectNode event(String type, Instant at, Namespaces ns, Run run,
      boolean finished) {
    ObjectNode event = JSON.createObjectNode();
    event.put("eventType", type);
    event.put("eventTime", at.atOffset(ZoneOffset.UTC).toString());
    ObjectNode runNode = event.putObject("run");
    runNode.put("runId", run.runId().toString());
    ObjectNode runFacets = runNode.putObject("facets");
    if (run.stats().runDate() != null) {
      facet(runFacets, "nominalTime", "1-0-1/NominalTimeRunFacet.json")
          .put("nominalStartTime", run.stats().runDate().atStartOfDay()
              .atOffset(ZoneOffset.UTC).toString());
    }
    ObjectNode engine =
        facet(runFacets, "processing_engine", "1-1-1/ProcessingEngineRunFacet.json");
    engine.put("name", "spark");
    engine.put("version", run.sparkVersion());
    if (finished) {
      ObjectNode custom = custom(runFacets, "lakehouse_run");
      custom.put("exitCode", run.outcome().code());
      custom.put("env", run.env());
      custom.put("sparkAppId", run.sparkAppId());
      custom.put("rowsRead", run.stats().rowsRead());
      custom.put("rowsWritten", run.stats().rowsWritten());
      custom.put("rowsQuarantined", run.stats().rowsQuarantined());
      custom.put("rowsRejected", run.stats().rowsRejected());
      custom.put("durationMs", run.finishedAt().toEpochMilli() - run.startedAt().toEpochMilli());
      if (run.outcome() != ExitCode.OK && run.error() != null) {
        ObjectNode error = facet(runFacets, "errorMessage", "1-0-1/ErrorMessageRunFacet.json");
        error.put("message", run.error());
        error.put("programmingLanguage", "JAVA");
      }
    }
    ObjectNode job = event.putObject("job");
    job.put("namespace", ns.job());
    job.put("name", jobName(run.job(), run.stats().target()));
    ObjectNode jobType =
        facet(job.putObject("facets"), "jobType", "2-0-3/JobTypeJobFacet.json");
    jobType.put("processingType", "BATCH");
    jobType.put("integration", "SPARK");
    jobType.put("jobType", "JOB");
    ArrayNode inputs = event.putArray("inputs");
    ArrayNode outputs = event.putArray("outputs");
    if (finished) {
      for (String path : run.stats().pathsRead()) {
        dataset(inputs, pathNamespace(ns, path), pathName(ns, path), null);
      }
      for (Map.Entry<String, Long> read : run.stats().versionsRead().entrySet()) {
        dataset(inputs, ns.lakeRoot(), read.getKey(), read.getValue());
      }
      for (Map.Entry<String, Long> written : run.stats().versionsWritten().entrySet()) {
        dataset(outputs, ns.lakeRoot(), written.getKey(), written.getValue());
      }
      for (Map.Entry<String, Long> written : run.stats().pathsWritten().entrySet()) {
        dataset(outputs, pathNamespace(ns, written.getKey()), pathName(ns, written.getKey()),
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
