package lakehouse.common.lineage;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import lakehouse.common.settings.LakePaths;
import lakehouse.common.settings.LakehouseSettings;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Sends a run's OpenLineage events, START when the run starts and COMPLETE or FAIL when it ends:
 * one JSON file per event in {@code lakehouse.lineage.dir} (local or s3a; one object per event, so
 * jobs running side by side never write the same file) and, when {@code lakehouse.lineage.url} is
 * set, an HTTP POST of each event to the lineage server (Marquez's {@code /api/v1/lineage}).
 * Lineage never fails a job: every problem comes back as a warning for the job runner to print.
 */
public final class LineageEmitter {
  private static final DateTimeFormatter FILE_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);

  private final LineageSettings settings;
  private final LineageEvents.Namespaces namespaces;
  private final Configuration hadoopConf;

  public LineageEmitter(
      LineageSettings settings, LineageEvents.Namespaces namespaces, Configuration hadoopConf) {
    this.settings = settings;
    this.namespaces = namespaces;
    this.hadoopConf = hadoopConf;
  }

  /** The emitter the settings ask for. */
  public static LineageEmitter from(LakehouseSettings settings, Configuration hadoopConf) {
    LineageSettings lineage = LineageSettings.from(settings);
    return new LineageEmitter(
        lineage,
        new LineageEvents.Namespaces(
            lineage.namespace(), settings.lakeRoot(), settings.landingRoot()),
        hadoopConf);
  }

  public LineageSettings settings() {
    return settings;
  }

  /**
   * Sends the run's START event; call it when the run starts, before the job's work.
   *
   * @return warnings, empty when the event reached every destination
   */
  public List<String> emitStart(LineageEvents.Start run) {
    if (!settings.enabled()) {
      return new ArrayList<>();
    }
    return send(LineageEvents.start(namespaces, run), run.runId(), run.startedAt());
  }

  /**
   * Sends the run's COMPLETE or FAIL event, under the run id and parent {@code run} gave START.
   *
   * @return warnings, empty when the event reached every destination
   */
  public List<String> emitEnd(LineageEvents.Start run, LineageEvents.End end) {
    if (!settings.enabled()) {
      return new ArrayList<>();
    }
    return send(LineageEvents.end(namespaces, run, end), run.runId(), end.finishedAt());
  }

  private List<String> send(ObjectNode event, UUID runId, Instant at) {
    List<String> warnings = new ArrayList<>();
    String json = event.toString();
    String type = event.get("eventType").asText();
    try {
      writeFile(runId, at, type, json);
    } catch (IOException | RuntimeException e) {
      warnings.add(
          "could not write the " + type + " lineage event to " + settings.dir() + ": " + e);
    }
    if (!settings.postUrl().isEmpty()) {
      String problem = post(json);
      if (problem != null) {
        warnings.add(
            "could not send the "
                + type
                + " lineage event to "
                + settings.postUrl()
                + ": "
                + problem);
      }
    }
    return warnings;
  }

  private void writeFile(UUID runId, Instant at, String type, String json) throws IOException {
    String name = FILE_TIME.format(at) + "-" + runId + "-" + type.toLowerCase() + ".json";
    byte[] bytes = (json + "\n").getBytes(StandardCharsets.UTF_8);
    URI dir = URI.create(settings.dir());
    if ("file".equals(dir.getScheme())) {
      // Plainly on local disks: Hadoop's local file system would add a .crc file per event.
      java.nio.file.Path folder = java.nio.file.Path.of(dir);
      java.nio.file.Files.createDirectories(folder);
      java.nio.file.Files.write(
          folder.resolve(name), bytes, java.nio.file.StandardOpenOption.CREATE_NEW);
      return;
    }
    Path path = new Path(LakePaths.join(settings.dir(), name));
    FileSystem fs = path.getFileSystem(hadoopConf);
    try (OutputStream out = fs.create(path, false)) {
      out.write(bytes);
    }
  }

  /** POSTs one event; returns null on a 2xx answer, else what went wrong. */
  private String post(String json) {
    try {
      HttpClient client = HttpClient.newBuilder().connectTimeout(settings.timeout()).build();
      HttpRequest.Builder request =
          HttpRequest.newBuilder(URI.create(settings.postUrl()))
              .timeout(settings.timeout())
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
      if (!settings.apiKey().isBlank()) {
        request.header("Authorization", "Bearer " + settings.apiKey());
      }
      HttpResponse<String> response =
          client.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return response.statusCode() / 100 == 2
          ? null
          : "HTTP " + response.statusCode() + " " + response.body();
    } catch (IOException | RuntimeException e) {
      return e.toString();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }
}
