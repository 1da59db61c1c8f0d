package lakehouse.common.lineage;

import com.typesafe.config.Config;
import java.time.Duration;
import lakehouse.common.settings.ConfigReader;
import lakehouse.common.settings.LakePaths;
import lakehouse.common.settings.LakehouseSettings;

/**
 * Where OpenLineage events go, from {@code lakehouse.lineage} (see {@code conf/application.conf}).
 *
 * @param enabled whether job runs emit events at all
 * @param dir the folder (local or s3a) that receives one JSON file per event
 * @param url the lineage server's base URL (e.g. Marquez {@code http://marquez:5000}), or empty
 * @param endpoint the path the events are POSTed to below {@code url}
 * @param apiKey a bearer token for the server, or empty
 * @param timeout how long one POST may take before the job goes on without it
 * @param namespace the OpenLineage namespace of the jobs
 */
public record LineageSettings(
    boolean enabled,
    String dir,
    String url,
    String endpoint,
    String apiKey,
    Duration timeout,
    String namespace) {
  private static final String PREFIX = "lakehouse.lineage";

  /** Reads the block; an absent block means lineage is off. Bad values fail with exit code 2. */
  public static LineageSettings from(LakehouseSettings settings) {
    Config config = settings.config();
    if (!config.hasPath(PREFIX)) {
      return new LineageSettings(false, "", "", "", "", Duration.ofSeconds(5), "lakehouse");
    }
    ConfigReader reader = new ConfigReader(config, "configuration (env " + settings.env() + ")");
    boolean enabled = reader.bool(PREFIX + ".enabled", true);
    String dir = reader.string(PREFIX + ".dir", "");
    dir =
        dir == null || dir.isBlank()
            ? LakePaths.join(settings.lakeRoot(), "_lineage")
            : dir.contains(":") ? dir : LakePaths.toFileUri(dir);
    String url = reader.string(PREFIX + ".url", "");
    url = url == null ? "" : url;
    if (!url.isBlank() && !url.startsWith("http://") && !url.startsWith("https://")) {
      reader.problem(PREFIX + ".url", "must be an http:// or https:// URL, got '" + url + "'");
    }
    String endpoint = reader.string(PREFIX + ".endpoint", "api/v1/lineage");
    String apiKey = reader.string(PREFIX + ".api-key", "");
    Duration timeout =
        reader.has(PREFIX + ".timeout")
            ? reader.duration(PREFIX + ".timeout")
            : Duration.ofSeconds(5);
    String namespace = reader.string(PREFIX + ".namespace", "lakehouse");
    if (namespace != null && namespace.isBlank()) {
      reader.problem(PREFIX + ".namespace", "must not be empty");
    }
    reader.throwIfProblems();
    return new LineageSettings(
        enabled,
        dir,
        url,
        endpoint,
        apiKey,
        timeout == null ? Duration.ofSeconds(5) : timeout,
        namespace);
  }

  /** The full URL events are POSTed to, or empty when no server is configured. */
  public String postUrl() {
    if (url.isBlank()) {
      return "";
    }
    return LakePaths.join(url, endpoint);
  }
}
