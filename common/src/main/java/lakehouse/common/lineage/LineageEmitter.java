package lakehouse.common.lineage;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import lakehouse.common.settings.LakePaths;
import lakehouse.common.settings.LakehouseSettings;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Sends a run's OpenLineage events: one JSON file per event in {@code lakehouse.lineage.dir}
 * (local or s3a; one object per event, so jobs running side by side never write the same file)
 * and, when {@code lakehouse.lineage.url} is set, an HTTP POST of each event to the lineage server
 * (Marquez's {@code /api/v1/lineage}). Lineage never fails a job: every problem comes back as a
 * warning for the job runner to print.
 */
public final class LineageEmitter {
  private static final DateTimeFormatter FILE_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);

  private final LineageSettings settings;
  private final LineageEvents.Namespaces namespaces;
  private final Configuration hadoopConf;

  public LineageEmitter(LineageSettings settings, LineageEvents.Namespaces namespaces,
      Configuration hadoopConf) {
    this.settings = settings;
    this.namespaces = namespaces;
    this.hadoopConf = hadoopConf;
  }

  /** The emitter the settings ask for. */
  public static LineageEmitter from(LakehouseSettings settings, Configuration hadoopConf) {
    LineageSettings lineage = LineageSettings.from(settings);
    return new LineageEmitter(lineage, new LineageEvents.Namespaces(lineage.namespace(),
        settings.lakeRoot(), settings.landingRoot()), hadoopConf);
  }

  public LineageSettings settings() {
    return settings;
  }

  /**
   * Emits the run's START and COMPLETE/FAIL events. Both are sent when the run ends: the job's
   * name includes the target the job reports while it runs, and START carries the run's start
   * time, so a lineage server orders them as if sent live.
   *
   * @return warnings, empty when every event reached every destination
   */
  public List<String> emit(LineageEvents.Run run) {
    List<String> warnings = new ArrayList<>();
    if (!settings.enabled()) {
      return warnings;
    }
    for (ObjectNode event : List.of(LineageEvents.start(namespaces, run),
        LineageEvents.end(namespaces, run))) {
      String json = event.toString();
      String type = event.get("eventType").asText();
      try {
        writeFile(run, type, json);
      } catch (IOException | RuntimeException e) {
        warnings.add("could not write the " + type + " lineage event to " + settings.dir()
            + ": " + e);
      }
      if (!settings.postUrl().isEmpty()) {
        String problem = post(json);
        if (problem != null) {
          warnings.add("could not send the " + type + " lineage event to "
              + settings.postUrl() + ": " + problem);
        }
      }
    }
    return warnings;
  }

  private void writeFile(LineageEvents.Run run, String type, String json) throws IOException {
    java.time.Instant at = type.equals("START") ? run.startedAt() : run.finishedAt();
    String name = FILE_TIME.format(at) + "-" + run.runId() + "-" + type.toLowerCase() + ".json";
    byte[] bytes = (json + "\n").getBytes(StandardCharsets.UTF_8);
    URI dir = URI.create(settings.dir());
    if ("file".equals(dir.getScheme())) {
      // Plainly on local disks: Hadoop's local file system would add a .crc file per event.
      java.nio.file.Path folder = java.nio.file.Path.of(dir);
      java.nio.file.Files.createDirectories(folder);
      java.nio.file.Files.write(folder.resolve(name), bytes,
          java.nio.file.StandardOpenOption.CREATE_NEW);
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
      HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(settings.postUrl()))
          .timeout(settings.timeout())
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
      if (!settings.apiKey().isBlank()) {
        request.header("Authorization", "Bearer " + settings.apiKey());
      }
      HttpResponse<String> response =
          client.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return response.statusCode() / 100 == 2 ? null
          : "HTTP " + response.statusCode() + " " + response.body();
    } catch (IOException | RuntimeException e) {
      return e.toString();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }
}
