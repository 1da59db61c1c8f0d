package lakehouse.common.lineage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Stream;
import lakehouse.common.ExitCode;
import lakehouse.common.LakehouseException;
import lakehouse.common.catalog.TableId;
import lakehouse.common.cli.LakehouseCommand;
import lakehouse.common.settings.LakePaths;
import lakehouse.common.settings.LakehouseSettings;
import lakehouse.common.testing.CliRun;
import lakehouse.common.testing.SparkTestSession;
import lakehouse.common.testing.TestLake;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Jobs run through {@code runJob} emit OpenLineage START when they start and COMPLETE/FAIL when
 * they end, naming what they read and wrote, so consecutive jobs meet at the same dataset (landing
 * → bronze → silver); the run Airflow's Spark provider passes in the Spark properties is the parent
 * of both.
 */
class LineageTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Reads the landing folder of orders, writes bronze.orders. */
  @Command(name = "ingest")
  static final class IngestJob extends LakehouseCommand {
    @Override
    protected ExitCode run(LakehouseSettings settings) {
      return runJob(
          settings,
          "orders",
          runtime -> {
            TableId target = TableId.of("bronze", "orders");
            String landing = LakePaths.join(runtime.settings().landingRoot(), "orders");
            runtime
                .spark()
                .read()
                .option("recursiveFileLookup", "true")
                .json(landing)
                .write()
                .format("delta")
                .mode("append")
                .save(runtime.catalog().location(target));
            runtime
                .stats()
                .target("orders")
                .runDate(LocalDate.of(2026, 1, 2))
                .pathRead(landing)
                .versionWritten(target, runtime.catalog().currentVersion(target));
            return ExitCode.OK;
          });
    }
  }

  /** Reads bronze.orders (Delta), writes silver.orders; or fails its quality gate. */
  @Command(name = "refine")
  static final class RefineJob extends LakehouseCommand {
    @Option(names = "--fail")
    boolean fail;

    @Override
    protected ExitCode run(LakehouseSettings settings) {
      return runJob(
          settings,
          "silver.orders",
          runtime -> {
            TableId source = TableId.of("bronze", "orders");
            TableId target = TableId.of("silver", "orders");
            long read = runtime.catalog().currentVersion(source);
            runtime.stats().target(target.toString()).versionRead(source, read);
            if (fail) {
              throw new LakehouseException(ExitCode.QUALITY_GATE, "completeness 0.5 < 0.95");
            }
            runtime
                .catalog()
                .readVersion(source, read)
                .where("amount > 0")
                .write()
                .format("delta")
                .mode("overwrite")
                .save(runtime.catalog().location(target));
            runtime
                .stats()
                .addRowsWritten(1)
                .versionWritten(target, runtime.catalog().currentVersion(target));
            return ExitCode.OK;
          });
    }
  }

  /**
   * Reads and writes nothing; when its work runs it notes what {@code look} sees then (what the
   * lineage destinations have received so far).
   */
  @Command(name = "probe")
  static final class ProbeJob extends LakehouseCommand {
    Supplier<List<String>> look = List::of;
    final List<String> seenByTheWork = new ArrayList<>();

    @Override
    protected ExitCode run(LakehouseSettings settings) {
      return runJob(
          settings,
          "probe",
          runtime -> {
            seenByTheWork.addAll(look.get());
            runtime.stats().target("probe");
            return ExitCode.OK;
          });
    }
  }

  @TempDir static Path dir;
  static TestLake lake;

  @BeforeAll
  static void landing() throws IOException {
    SparkTestSession.get();
    lake = TestLake.create(dir);
    Path orders = dir.resolve("landing").resolve("orders").resolve("2026-01-02");
    Files.createDirectories(orders);
    Files.writeString(
        orders.resolve("orders-2026-01-02-0.json"),
        "{\"order_id\":\"o1\",\"amount\":10.0}\n{\"order_id\":\"o2\",\"amount\":-1.0}\n");
  }

  private static String[] args(String... extra) {
    List<String> all =
        new ArrayList<>(
            List.of(
                "--conf",
                "lakehouse.lake-root=" + lake.lakeRoot(),
                "--conf",
                "lakehouse.landing-root=" + lake.landingRoot()));
    all.addAll(List.of(extra));
    return all.toArray(String[]::new);
  }

  /** Every event file written so far, oldest first. */
  private static List<JsonNode> events() throws IOException {
    Path folder = dir.resolve("lake").resolve("_lineage");
    List<JsonNode> events = new ArrayList<>();
    try (Stream<Path> files = Files.list(folder)) {
      for (Path file :
          files.filter(f -> f.getFileName().toString().endsWith(".json")).sorted().toList()) {
        events.add(JSON.readTree(file.toFile()));
      }
    }
    return events;
  }

  private static JsonNode last(List<JsonNode> events, String job, String type) {
    List<JsonNode> matching =
        events.stream()
            .filter(
                e ->
                    e.at("/job/name").asText().equals(job)
                        && e.get("eventType").asText().equals(type))
            .toList();
    assertThat(matching).as(type + " events of " + job).isNotEmpty();
    return matching.get(matching.size() - 1);
  }

  /** The START event of the run {@code end} ended; fails the test unless there is one. */
  private static JsonNode startOf(List<JsonNode> events, JsonNode end) {
    List<JsonNode> starts =
        events.stream()
            .filter(
                e ->
                    e.get("eventType").asText().equals("START")
                        && e.at("/run/runId").asText().equals(end.at("/run/runId").asText()))
            .toList();
    assertThat(starts).as("START of run " + end.at("/run/runId").asText()).hasSize(1);
    return starts.get(0);
  }

  /** A lineage server on loopback that keeps each body POSTed to it, answering 201. */
  private static HttpServer server(List<String> bodies, List<String> paths) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          try (InputStream in = exchange.getRequestBody()) {
            bodies.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
          }
          paths.add(
              exchange.getRequestURI().getPath()
                  + " "
                  + exchange.getRequestHeaders().getFirst("Content-Type"));
          exchange.sendResponseHeaders(201, -1);
          exchange.close();
        });
    server.start();
    return server;
  }

  private static String url(HttpServer server) {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Runs the probe job with these Spark properties set on the session, then unsets them. */
  private static CliRun probeWith(Map<String, String> sparkProperties) {
    SparkConf conf = SparkTestSession.get().sparkContext().conf();
    sparkProperties.forEach(conf::set);
    try {
      return CliRun.of(new ProbeJob(), args());
    } finally {
      sparkProperties.keySet().forEach(conf::remove);
    }
  }

  private static List<String> datasets(JsonNode event, String side) {
    List<String> names = new ArrayList<>();
    event
        .get(side)
        .forEach(
            d ->
                names.add(
                    d.get("namespace").asText()
                        + " | "
                        + d.get("name").asText()
                        + " @ "
                        + d.at("/facets/version/datasetVersion").asText()));
    return names;
  }

  @Test
  void consecutiveJobsMeetAtTheDatasetsTheyShare() throws IOException {
    assertThat(CliRun.of(new IngestJob(), args()).exitCode()).isZero();
    CliRun refine = CliRun.of(new RefineJob(), args());
    assertThat(refine.exitCode()).as(refine.err()).isZero();
    assertThat(refine.err()).as("no lineage warning").isEmpty();
    // Other tests of this class ingest into the same lake: compare with the versions now.
    long bronze = lake.runtime().catalog().currentVersion(TableId.of("bronze", "orders"));
    long silver = lake.runtime().catalog().currentVersion(TableId.of("silver", "orders"));

    List<JsonNode> events = events();
    JsonNode ingest = last(events, "ingest.orders", "COMPLETE");
    JsonNode ingestStart = startOf(events, ingest);
    // The command names its target before the run starts: START and COMPLETE name one job.
    assertThat(ingestStart.at("/job/name").asText()).isEqualTo("ingest.orders");
    assertThat(Instant.parse(ingestStart.get("eventTime").asText()))
        .isBefore(Instant.parse(ingest.get("eventTime").asText()));
    assertThat(ingestStart.get("inputs")).isEmpty();
    assertThat(ingestStart.get("outputs")).isEmpty();
    assertThat(ingestStart.at("/run/facets/lakehouse_run").isMissingNode()).isTrue();
    assertThat(ingestStart.at("/run/facets/parent").isMissingNode())
        .as("no parent run passed, no parent facet")
        .isTrue();
    assertThat(ingest.at("/run/facets/parent").isMissingNode()).isTrue();
    assertThat(ingest.at("/job/namespace").asText()).isEqualTo("lakehouse");
    assertThat(datasets(ingest, "inputs")).containsExactly(lake.landingRoot() + " | orders @ ");
    assertThat(datasets(ingest, "outputs"))
        .containsExactly(lake.lakeRoot() + " | bronze.orders @ " + bronze);
    assertThat(ingest.at("/run/facets/nominalTime/nominalStartTime").asText())
        .isEqualTo("2026-01-02T00:00Z");

    JsonNode refined = last(events, "refine.silver.orders", "COMPLETE");
    assertThat(datasets(refined, "inputs"))
        .as("bronze's output is silver's input")
        .containsExactly(lake.lakeRoot() + " | bronze.orders @ " + bronze);
    assertThat(datasets(refined, "outputs"))
        .containsExactly(lake.lakeRoot() + " | silver.orders @ " + silver);
    assertThat(refined.at("/run/facets/lakehouse_run/rowsWritten").asLong()).isEqualTo(1);
    assertThat(refined.at("/run/facets/lakehouse_run/exitCode").asInt()).isZero();
    assertThat(refined.get("schemaURL").asText()).isEqualTo(LineageEvents.EVENT_SCHEMA);
    assertThat(refined.get("eventTime").asText()).endsWith("Z");
  }

  @Test
  void aFailedRunEndsWithAFailEventCarryingTheError() throws IOException {
    CliRun.of(new IngestJob(), args());
    CliRun failed = CliRun.of(new RefineJob(), args("--fail"));
    assertThat(failed.exitCode()).isEqualTo(3);
    assertThat(failed.err()).isEqualTo("error: completeness 0.5 < 0.95\n");
    JsonNode fail = last(events(), "refine.silver.orders", "FAIL");
    assertThat(fail.at("/run/facets/errorMessage/message").asText())
        .isEqualTo("completeness 0.5 < 0.95");
    assertThat(fail.at("/run/facets/lakehouse_run/exitCode").asInt()).isEqualTo(3);
    assertThat(datasets(fail, "inputs")).hasSize(1);
    assertThat(datasets(fail, "outputs")).isEmpty();
  }

  @Test
  void eventsArePostedToTheLineageServerWhenOneIsConfigured() throws IOException {
    List<String> bodies = Collections.synchronizedList(new ArrayList<>());
    List<String> paths = Collections.synchronizedList(new ArrayList<>());
    HttpServer server = server(bodies, paths);
    try {
      CliRun run =
          CliRun.of(new IngestJob(), args("--conf", "lakehouse.lineage.url=" + url(server)));
      assertThat(run.exitCode()).as(run.err()).isZero();
      assertThat(run.err()).isEmpty();
    } finally {
      server.stop(0);
    }
    assertThat(paths)
        .containsExactly("/api/v1/lineage application/json", "/api/v1/lineage application/json");
    JsonNode start = JSON.readTree(bodies.get(0));
    JsonNode complete = JSON.readTree(bodies.get(1));
    assertThat(start.get("eventType").asText()).isEqualTo("START");
    assertThat(complete.get("eventType").asText()).isEqualTo("COMPLETE");
    assertThat(complete.at("/run/runId").asText()).isEqualTo(start.at("/run/runId").asText());
    assertThat(datasets(complete, "outputs")).hasSize(1);
  }

  @Test
  void anUnreachableServerIsAWarningNotAFailure() {
    CliRun run =
        CliRun.of(
            new IngestJob(),
            args(
                "--conf",
                "lakehouse.lineage.url=http://127.0.0.1:9",
                "--conf",
                "lakehouse.lineage.timeout=2s"));
    assertThat(run.exitCode()).isZero();
    assertThat(run.err())
        .contains(
            "warning: could not send the START lineage event to "
                + "http://127.0.0.1:9/api/v1/lineage");
  }

  @Test
  void lineageCanBeSwitchedOff(@TempDir Path other) {
    TestLake quiet = TestLake.create(other);
    CliRun run =
        CliRun.of(
            new IngestJob(),
            "--conf",
            "lakehouse.lake-root=" + quiet.lakeRoot(),
            "--conf",
            "lakehouse.landing-root=" + lake.landingRoot(),
            "--conf",
            "lakehouse.lineage.enabled=false");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(other.resolve("lake").resolve("bronze").resolve("orders")).exists();
    assertThat(other.resolve("lake").resolve("_lineage")).doesNotExist();
  }

  @Test
  void eventFilesAreTheOnlyFilesInTheLineageFolder() throws IOException {
    CliRun.of(new IngestJob(), args());
    try (Stream<Path> files = Files.list(dir.resolve("lake").resolve("_lineage"))) {
      assertThat(files.map(f -> f.getFileName().toString()))
          .isNotEmpty()
          .allMatch(
              name ->
                  name.matches(
                      "\\d{8}T\\d{6}\\.\\d{3}Z-[0-9a-f-]{36}-" + "(start|complete|fail)\\.json"));
    }
  }

  @Test
  void startIsSentWhenTheRunStartsBeforeItsWork() throws IOException {
    List<String> bodies = Collections.synchronizedList(new ArrayList<>());
    HttpServer server = server(bodies, Collections.synchronizedList(new ArrayList<>()));
    ProbeJob probe = new ProbeJob();
    // What the work sees: each event the server has received, and whether its file is written.
    probe.look =
        () -> {
          List<String> seen = new ArrayList<>();
          for (String body : List.copyOf(bodies)) {
            try {
              JsonNode event = JSON.readTree(body);
              String runId = event.at("/run/runId").asText();
              boolean file;
              try (Stream<Path> files = Files.list(dir.resolve("lake").resolve("_lineage"))) {
                file =
                    files.anyMatch(
                        f ->
                            f.getFileName()
                                .toString()
                                .endsWith(
                                    "-"
                                        + runId
                                        + "-"
                                        + event.get("eventType").asText().toLowerCase()
                                        + ".json"));
              }
              seen.add(event.get("eventType").asText() + " " + runId + (file ? " +file" : ""));
            } catch (IOException e) {
              seen.add(e.toString());
            }
          }
          return seen;
        };
    try {
      CliRun run = CliRun.of(probe, args("--conf", "lakehouse.lineage.url=" + url(server)));
      assertThat(run.exitCode()).as(run.err()).isZero();
      assertThat(run.err()).isEmpty();
    } finally {
      server.stop(0);
    }
    assertThat(bodies).hasSize(2);
    JsonNode start = JSON.readTree(bodies.get(0));
    JsonNode complete = JSON.readTree(bodies.get(1));
    String runId = start.at("/run/runId").asText();
    assertThat(probe.seenByTheWork)
        .as("what had arrived when the work ran")
        .containsExactly("START " + runId + " +file");
    assertThat(complete.get("eventType").asText()).isEqualTo("COMPLETE");
    assertThat(complete.at("/run/runId").asText())
        .as("one run id for both events")
        .isEqualTo(runId);
    assertThat(UUID.fromString(runId).toString()).isEqualTo(runId);
    assertThat(start.at("/job/name").asText()).isEqualTo("probe.probe");
    assertThat(complete.at("/job/name").asText()).isEqualTo("probe.probe");
  }

  @Test
  void theParentRunAirflowPassesIsTheParentOfBothEvents() throws IOException {
    Map<String, String> airflow = new LinkedHashMap<>();
    // What the Airflow OpenLineage provider's inject_parent_job_information_into_spark_properties
    // adds to the spark-submit properties: the task's run, then the DAG run's as the root.
    airflow.put("spark.openlineage.parentJobNamespace", "airflow-prod");
    airflow.put("spark.openlineage.parentJobName", "lakehouse_daily.bronze_orders");
    airflow.put("spark.openlineage.parentRunId", "01931885-2800-7BE7-aa8d-aaa15c337267");
    airflow.put("spark.openlineage.rootParentJobNamespace", "airflow-prod");
    airflow.put("spark.openlineage.rootParentJobName", "lakehouse_daily");
    airflow.put("spark.openlineage.rootParentRunId", "01931885-2800-799d-8041-88a263ffa0d8");
    CliRun run = probeWith(airflow);
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.err()).isEmpty();

    List<JsonNode> events = events();
    JsonNode complete = last(events, "probe.probe", "COMPLETE");
    for (JsonNode event : List.of(startOf(events, complete), complete)) {
      JsonNode parent = event.at("/run/facets/parent");
      assertThat(parent.get("_schemaURL").asText())
          .isEqualTo("https://openlineage.io/spec/facets/1-1-0/ParentRunFacet.json");
      assertThat(parent.get("_producer").asText()).isEqualTo(LineageEvents.PRODUCER.toString());
      assertThat(parent.at("/job/namespace").asText()).isEqualTo("airflow-prod");
      assertThat(parent.at("/job/name").asText()).isEqualTo("lakehouse_daily.bronze_orders");
      assertThat(parent.at("/run/runId").asText())
          .isEqualTo("01931885-2800-7be7-aa8d-aaa15c337267");
      assertThat(parent.at("/root/job/namespace").asText()).isEqualTo("airflow-prod");
      assertThat(parent.at("/root/job/name").asText()).isEqualTo("lakehouse_daily");
      assertThat(parent.at("/root/run/runId").asText())
          .isEqualTo("01931885-2800-799d-8041-88a263ffa0d8");
    }
  }

  @Test
  void aMalformedParentIsAWarningAndNoFacetNeverAFailure() throws IOException {
    Map<String, String> badRoot = new LinkedHashMap<>();
    badRoot.put("spark.openlineage.parentJobNamespace", "airflow");
    badRoot.put("spark.openlineage.parentJobName", "lakehouse_daily.bronze_orders");
    badRoot.put("spark.openlineage.parentRunId", "01931885-2800-7be7-aa8d-aaa15c337267");
    badRoot.put("spark.openlineage.rootParentJobNamespace", "airflow");
    badRoot.put("spark.openlineage.rootParentJobName", "lakehouse_daily");
    badRoot.put("spark.openlineage.rootParentRunId", "scheduled__2026-01-02T00:00:00+00:00");
    CliRun run = probeWith(badRoot);
    assertThat(run.exitCode()).isZero();
    assertThat(run.err())
        .as("said once, when the run starts")
        .isEqualTo(
            "warning: OpenLineage "
                + "root run left out: spark.openlineage.rootParentRunId "
                + "'scheduled__2026-01-02T00:00:00+00:00' is not a UUID\n");
    JsonNode complete = last(events(), "probe.probe", "COMPLETE");
    assertThat(complete.at("/run/facets/parent/run/runId").asText())
        .as("the parent stays, without its root")
        .isEqualTo("01931885-2800-7be7-aa8d-aaa15c337267");
    assertThat(complete.at("/run/facets/parent/root").isMissingNode()).isTrue();

    Map<String, String> badParent = new LinkedHashMap<>();
    badParent.put("spark.openlineage.parentJobNamespace", "airflow");
    badParent.put("spark.openlineage.parentJobName", "lakehouse_daily.bronze_orders");
    badParent.put("spark.openlineage.parentRunId", "not-a-uuid");
    run = probeWith(badParent);
    assertThat(run.exitCode()).isZero();
    assertThat(run.err())
        .isEqualTo(
            "warning: OpenLineage parent run left out: "
                + "spark.openlineage.parentRunId 'not-a-uuid' is not a UUID\n");
    List<JsonNode> events = events();
    complete = last(events, "probe.probe", "COMPLETE");
    assertThat(complete.at("/run/facets/parent").isMissingNode()).isTrue();
    assertThat(startOf(events, complete).at("/run/facets/parent").isMissingNode()).isTrue();

    run = probeWith(Map.of("spark.openlineage.parentJobName", "lakehouse_daily.bronze_orders"));
    assertThat(run.exitCode()).isZero();
    assertThat(run.err())
        .isEqualTo(
            "warning: OpenLineage parent run left out: "
                + "spark.openlineage.parentJobNamespace, spark.openlineage.parentRunId not set\n");
    assertThat(last(events(), "probe.probe", "COMPLETE").at("/run/facets/parent").isMissingNode())
        .isTrue();
  }

  @Test
  void theEndEventKeepsTheJobNameStartGaveWhenTheTargetWasKnownAtTheStart() {
    LineageEvents.Namespaces ns =
        new LineageEvents.Namespaces("lakehouse", lake.lakeRoot(), lake.landingRoot());
    Instant started = Instant.parse("2026-01-02T03:04:05Z");
    // The job reports more targets as it goes (silver --all): the run keeps the name it started
    // under, so both events name one job.
    lakehouse.common.ops.RunStats stats = lake.runtime().stats().target("silver.a,silver.b");
    LineageEvents.End end = new LineageEvents.End(started.plusSeconds(9), ExitCode.OK, stats, null);
    LineageEvents.Start known =
        new LineageEvents.Start(
            UUID.randomUUID(),
            "lakehouse run silver",
            "silver.a",
            started,
            null,
            null,
            "dev",
            "app-1",
            "3.5.7");
    assertThat(LineageEvents.start(ns, known).at("/job/name").asText())
        .isEqualTo("lakehouse.run.silver.silver.a");
    assertThat(LineageEvents.end(ns, known, end).at("/job/name").asText())
        .isEqualTo("lakehouse.run.silver.silver.a");
    LineageEvents.Start unknown =
        new LineageEvents.Start(
            UUID.randomUUID(),
            "lakehouse run silver",
            null,
            started,
            null,
            "run-7",
            "dev",
            "app-1",
            "3.5.7");
    assertThat(LineageEvents.end(ns, unknown, end).at("/job/name").asText())
        .isEqualTo("lakehouse.run.silver.silver.a,silver.b");
    assertThat(LineageEvents.end(ns, unknown, end).at("/run/facets/lakehouse_run/runId").asText())
        .as("the run history's id")
        .isEqualTo("run-7");
    stats.target(null);
  }

  @Test
  void jobNamesJoinTheCommandPathAndTarget() {
    assertThat(LineageEvents.jobName("training-set build", "churn"))
        .isEqualTo("training-set.build.churn");
    assertThat(LineageEvents.jobName("silver", null)).isEqualTo("silver");
    LineageEvents.Namespaces ns =
        new LineageEvents.Namespaces("lakehouse", "s3a://lake/prod", "s3a://landing/in");
    assertThat(LineageEvents.pathNamespace(ns, "s3a://landing/in/orders"))
        .isEqualTo("s3a://landing/in");
    assertThat(LineageEvents.pathName(ns, "s3a://landing/in/orders")).isEqualTo("orders");
    assertThat(LineageEvents.pathNamespace(ns, "s3a://other/x/y")).isEqualTo("s3a://other");
    assertThat(LineageEvents.pathName(ns, "s3a://other/x/y")).isEqualTo("/x/y");
  }
}
