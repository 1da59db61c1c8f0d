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
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Jobs run through {@code runJob} emit OpenLineage START and COMPLETE/FAIL events naming what
 * they read and wrote, so consecutive jobs meet at the same dataset (landing → bronze → silver).
 */
class LineageTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Reads the landing folder of orders, writes bronze.orders. */
  @Command(name = "ingest")
  static final class IngestJob extends LakehouseCommand {
    @Override
    protected ExitCode run(LakehouseSettings settings) {
      return runJob(settings, runtime -> {
        TableId target = TableId.of("bronze", "orders");
        String landing = LakePaths.join(runtime.settings().landingRoot(), "orders");
        runtime.spark().read().option("recursiveFileLookup", "true").json(landing)
            .write().format("delta").mode("append")
            .save(runtime.catalog().location(target));
        runtime.stats().target("orders").runDate(LocalDate.of(2026, 1, 2)).pathRead(landing)
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
      return runJob(settings, runtime -> {
        TableId source = TableId.of("bronze", "orders");
        TableId target = TableId.of("silver", "orders");
        long read = runtime.catalog().currentVersion(source);
        runtime.stats().target(target.toString()).versionRead(source, read);
        if (fail) {
          throw new LakehouseException(ExitCode.QUALITY_GATE, "completeness 0.5 < 0.95");
        }
        runtime.catalog().readVersion(source, read).where("amount > 0").write()
            .format("delta").mode("overwrite").save(runtime.catalog().location(target));
        runtime.stats().addRowsWritten(1)
            .versionWritten(target, runtime.catalog().currentVersion(target));
        return ExitCode.OK;
      });
    }
  }

  @TempDir
  static Path dir;
  static TestLake lake;

  @BeforeAll
  static void landing() throws IOException {
    SparkTestSession.get();
    lake = TestLake.create(dir);
    Path orders = dir.resolve("landing").resolve("orders").resolve("2026-01-02");
    Files.createDirectories(orders);
    Files.writeString(orders.resolve("orders-2026-01-02-0.json"),
        "{\"order_id\":\"o1\",\"amount\":10.0}\n{\"order_id\":\"o2\",\"amount\":-1.0}\n");
  }

  private static String[] args(String... extra) {
    List<String> all = new ArrayList<>(List.of("--conf", "lakehouse.lake-root=" + lake.lakeRoot(),
        "--conf", "lakehouse.landing-root=" + lake.landingRoot()));
    all.addAll(List.of(extra));
    return all.toArray(String[]::new);
  }

  /** Every event file written so far, oldest first. */
  private static List<JsonNode> events() throws IOException {
    Path folder = dir.resolve("lake").resolve("_lineage");
    List<JsonNode> events = new ArrayList<>();
    try (Stream<Path> files = Files.list(folder)) {
      for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".json"))
          .sorted().toList()) {
        events.add(JSON.readTree(file.toFile()));
      }
    }
    return events;
  }

  private static JsonNode last(List<JsonNode> events, String job, String type) {
    List<JsonNode> matching = events.stream()
        .filter(e -> e.at("/job/name").asText().equals(job)
            && e.get("eventType").asText().equals(type))
        .toList();
    assertThat(matching).as(type + " events of " + job).isNotEmpty();
    return matching.get(matching.size() - 1);
  }

  private static List<String> datasets(JsonNode event, String side) {
    List<String> names = new ArrayList<>();
    event.get(side).forEach(d -> names.add(d.get("namespace").asText() + " | "
        + d.get("name").asText() + " @ " + d.at("/facets/version/datasetVersion").asText()));
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
    JsonNode ingestStart = last(events, "ingest.orders", "START");
    assertThat(ingestStart.at("/run/runId").asText()).isEqualTo(ingest.at("/run/runId").asText());
    assertThat(ingest.at("/job/namespace").asText()).isEqualTo("lakehouse");
    assertThat(datasets(ingest, "inputs"))
        .containsExactly(lake.landingRoot() + " | orders @ ");
    assertThat(datasets(ingest, "outputs"))
        .containsExactly(lake.lakeRoot() + " | bronze.orders @ " + bronze);
    assertThat(ingest.at("/run/facets/nominalTime/nominalStartTime").asText())
        .isEqualTo("2026-01-02T00:00Z");

    JsonNode refined = last(events, "refine.silver.orders", "COMPLETE");
    assertThat(datasets(refined, "inputs")).as("bronze's output is silver's input")
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
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      try (InputStream in = exchange.getRequestBody()) {
        bodies.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      }
      paths.add(exchange.getRequestURI().getPath() + " "
          + exchange.getRequestHeaders().getFirst("Content-Type"));
      exchange.sendResponseHeaders(201, -1);
      exchange.close();
    });
    server.start();
    try {
      String url = "http://127.0.0.1:" + server.getAddress().getPort();
      CliRun run = CliRun.of(new IngestJob(), args("--conf", "lakehouse.lineage.url=" + url));
      assertThat(run.exitCode()).as(run.err()).isZero();
      assertThat(run.err()).isEmpty();
    } finally {
      server.stop(0);
    }
    assertThat(paths).containsExactly("/api/v1/lineage application/json",
        "/api/v1/lineage application/json");
    JsonNode start = JSON.readTree(bodies.get(0));
    JsonNode complete = JSON.readTree(bodies.get(1));
    assertThat(start.get("eventType").asText()).isEqualTo("START");
    assertThat(complete.get("eventType").asText()).isEqualTo("COMPLETE");
    assertThat(complete.at("/run/runId").asText()).isEqualTo(start.at("/run/runId").asText());
    assertThat(datasets(complete, "outputs")).hasSize(1);
  }

  @Test
  void anUnreachableServerIsAWarningNotAFailure() {
    CliRun run = CliRun.of(new IngestJob(), args("--conf",
        "lakehouse.lineage.url=http://127.0.0.1:9", "--conf", "lakehouse.lineage.timeout=2s"));
    assertThat(run.exitCode()).isZero();
    assertThat(run.err()).contains("warning: could not send the START lineage event to "
        + "http://127.0.0.1:9/api/v1/lineage");
  }

  @Test
  void lineageCanBeSwitchedOff(@TempDir Path other) {
    TestLake quiet = TestLake.create(other);
    CliRun run = CliRun.of(new IngestJob(), "--conf", "lakehouse.lake-root=" + quiet.lakeRoot(),
        "--conf", "lakehouse.landing-root=" + lake.landingRoot(),
        "--conf", "lakehouse.lineage.enabled=false");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(other.resolve("lake").resolve("bronze").resolve("orders")).exists();
    assertThat(other.resolve("lake").resolve("_lineage")).doesNotExist();
  }

  @Test
  void eventFilesAreTheOnlyFilesInTheLineageFolder() throws IOException {
    CliRun.of(new IngestJob(), args());
    try (Stream<Path> files = Files.list(dir.resolve("lake").resolve("_lineage"))) {
      assertThat(files.map(f -> f.getFileName().toString()))
          .isNotEmpty().allMatch(name -> name.matches("\\d{8}T\\d{6}\\.\\d{3}Z-[0-9a-f-]{36}-"
              + "(start|complete|fail)\\.json"));
    }
  }

  @Test
  void jobNamesJoinTheCommandPathAndTarget() {
    assertThat(LineageEvents.jobName("training-set build", "churn"))
        .isEqualTo("training-set.build.churn");
    assertThat(LineageEvents.jobName("silver", null)).isEqualTo("silver");
    LineageEvents.Namespaces ns = new LineageEvents.Namespaces("lakehouse",
        "s3a://lake/prod", "s3a://landing/in");
    assertThat(LineageEvents.pathNamespace(ns, "s3a://landing/in/orders"))
        .isEqualTo("s3a://landing/in");
    assertThat(LineageEvents.pathName(ns, "s3a://landing/in/orders")).isEqualTo("orders");
    assertThat(LineageEvents.pathNamespace(ns, "s3a://other/x/y")).isEqualTo("s3a://other");
    assertThat(LineageEvents.pathName(ns, "s3a://other/x/y")).isEqualTo("/x/y");
  }
}
