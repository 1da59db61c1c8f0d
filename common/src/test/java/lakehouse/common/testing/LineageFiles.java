package lakehouse.common.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads the OpenLineage event files jobs wrote under a test lake's {@code <lake-root>/_lineage} and
 * names their datasets in one comparable form, {@code namespace | name @ version} (the version
 * empty when the dataset has none).
 */
public final class LineageFiles {
  private static final ObjectMapper JSON = new ObjectMapper();

  private LineageFiles() {}

  /** Every event written on the lake so far, oldest first (by file name: time, run, type). */
  public static List<JsonNode> events(TestLake lake) {
    Path folder = lake.dir().resolve("lake").resolve("_lineage");
    List<JsonNode> events = new ArrayList<>();
    try (Stream<Path> files = Files.list(folder)) {
      for (Path file :
          files.filter(f -> f.getFileName().toString().endsWith(".json")).sorted().toList()) {
        events.add(JSON.readTree(file.toFile()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return events;
  }

  /** The events of one job (its lineage name) and type, oldest first. */
  public static List<JsonNode> of(List<JsonNode> events, String job, String type) {
    return events.stream()
        .filter(
            e -> e.at("/job/name").asText().equals(job) && e.get("eventType").asText().equals(type))
        .toList();
  }

  /** The newest event of the job and type; fails the test when there is none. */
  public static JsonNode last(List<JsonNode> events, String job, String type) {
    List<JsonNode> matching = of(events, job, type);
    assertThat(matching)
        .as(
            type
                + " events of "
                + job
                + " among "
                + events.stream()
                    .map(e -> e.at("/job/name").asText() + " " + e.get("eventType").asText())
                    .toList())
        .isNotEmpty();
    return matching.get(matching.size() - 1);
  }

  /** The START event of the same run as {@code end}; fails the test when there is none. */
  public static JsonNode startOf(List<JsonNode> events, JsonNode end) {
    String runId = end.at("/run/runId").asText();
    List<JsonNode> starts =
        events.stream()
            .filter(
                e ->
                    e.get("eventType").asText().equals("START")
                        && e.at("/run/runId").asText().equals(runId))
            .toList();
    assertThat(starts).as("START of run " + runId).hasSize(1);
    return starts.get(0);
  }

  /** The event's {@code inputs} or {@code outputs} as {@code namespace | name @ version}. */
  public static List<String> datasets(JsonNode event, String side) {
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

  /** The event's {@code inputs} or {@code outputs} by name only, without namespace or version. */
  public static List<String> names(JsonNode event, String side) {
    List<String> names = new ArrayList<>();
    event.get(side).forEach(d -> names.add(d.get("name").asText()));
    return names;
  }
}
