package lakehouse.training;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValueFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A manifest as a JSON document ({@code training-set show ID --format json}), so that it can be
 * kept next to a model and rebuilt from ({@code training-set rebuild FILE}) without the manifest
 * table.
 */
public final class ManifestFiles {
  private ManifestFiles() {}

  public static String toJson(TrainingSetManifest m) {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("training_set_id", m.trainingSetId());
    map.put("name", m.name());
    map.put("built_at", m.builtAt().toInstant().toString());
    map.put("knowledge_mode", m.knowledgeMode());
    map.put("as_of", m.asOf());
    map.put("serving_delay", m.servingDelay());
    map.put("spine_source", m.spineSource());
    map.put("spine_version", m.spineVersion());
    map.put("feature_versions", m.featureVersions());
    map.put("output_location", m.outputLocation());
    map.put("output_table", m.outputTable());
    map.put("output_version", m.outputVersion());
    map.put("row_count", m.rowCount());
    map.put("content_hash", m.contentHash());
    map.put("rebuilt_from", m.rebuiltFrom());
    map.put("feature_null_rates", m.featureNullRates());
    map.put("label_counts", m.labelCounts());
    map.put("rules", m.rules());
    map.put("spec", ConfigFactory.parseString(m.spec()).root().unwrapped());
    map.values().removeIf(java.util.Objects::isNull);
    return ConfigValueFactory.fromMap(map).render(ConfigRenderOptions.concise().setFormatted(true));
  }

  public static TrainingSetManifest read(Path file) {
    if (!Files.isRegularFile(file)) {
      throw TrainingErrors.badManifestFile(file.toString(), "no such file");
    }
    return from(() -> ConfigFactory.parseFile(file.toFile()), file.toString());
  }

  /**
   * A manifest from the JSON text {@link #toJson} wrote (the Python package hands a manifest back
   * this way).
   *
   * @param where how messages name the text
   */
  public static TrainingSetManifest parse(String json, String where) {
    return from(() -> ConfigFactory.parseString(json), where);
  }

  private static TrainingSetManifest from(java.util.function.Supplier<Config> parse, String where) {
    try {
      Config c = parse.get();
      Map<String, Long> versions = new LinkedHashMap<>();
      c.getConfig("feature_versions")
          .root()
          .unwrapped()
          .forEach(
              (table, version) ->
                  versions.put(table.replace("\"", ""), ((Number) version).longValue()));
      Map<String, Double> nullRates = new LinkedHashMap<>();
      if (c.hasPath("feature_null_rates")) {
        c.getObject("feature_null_rates")
            .unwrapped()
            .forEach((k, v) -> nullRates.put(k, ((Number) v).doubleValue()));
      }
      Map<String, Long> labels = new LinkedHashMap<>();
      if (c.hasPath("label_counts")) {
        c.getObject("label_counts")
            .unwrapped()
            .forEach((k, v) -> labels.put(k, ((Number) v).longValue()));
      }
      String spec = c.getObject("spec").render(ConfigRenderOptions.concise());
      return new TrainingSetManifest(
          c.getString("training_set_id"),
          c.getString("name"),
          Timestamp.from(Instant.parse(c.getString("built_at"))),
          spec,
          c.getString("knowledge_mode"),
          optional(c, "as_of"),
          optional(c, "serving_delay"),
          c.getString("spine_source"),
          c.hasPath("spine_version") ? c.getLong("spine_version") : null,
          versions,
          c.getString("output_location"),
          c.getLong("row_count"),
          c.getString("content_hash"),
          optional(c, "output_table"),
          c.hasPath("output_version") ? c.getLong("output_version") : null,
          optional(c, "rebuilt_from"),
          nullRates,
          labels,
          c.hasPath("rules") ? c.getInt("rules") : null);
    } catch (ConfigException | java.time.format.DateTimeParseException e) {
      throw TrainingErrors.badManifestFile(where, e.getMessage());
    }
  }

  private static String optional(Config c, String path) {
    return c.hasPath(path) ? c.getString(path) : null;
  }
}
