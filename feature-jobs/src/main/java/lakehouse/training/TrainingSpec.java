package lakehouse.training;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValueFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import lakehouse.common.LakehouseException;
import lakehouse.common.catalog.TableId;
import lakehouse.common.settings.ConfigLoader;
import lakehouse.common.settings.ConfigReader;

/**
 * A training set's declaration, read from {@code conf/training/<name>.conf}:
 *
 * <pre>
 * name = churn
 * spine {
 *   table = silver.labels          # or: path = "...", format = csv|json|parquet|delta, options {}
 *   # version = 3                  # pin the spine table's version (default: latest)
 *   keys = [customer_id]
 *   event-time = label_ts
 *   label = churned                # optional, for label balance in 'show'
 * }
 * features = [
 *   { table = gold.customer_features, features = all, ttl = 30 days,
 *     rename { orders_30d = n_orders_30d }, feature-time = feature_time }
 *   { table = gold.store_features, keys { store = store_id } }   # spine column = table column
 * ]
 * knowledge { mode = latest, serving-delay = 0s }   # mode: latest | known_at
 * output = gold.training_churn     # a table name or a path (default gold.training_NAME)
 * drift { gate = true }            # stop the build (exit 3) on training/serving skew
 * </pre>
 *
 * @param features at least one feature reference
 * @param mode the default knowledge mode ({@code LATEST} or {@code KNOWN_AT})
 * @param servingDelay the default serving delay for known-at mode
 * @param output a table name or a path, never null
 * @param driftGate whether a build compares its features with the latest snapshots of their feature
 *     sets before it writes them, and stops on an error-severity breach ({@link
 *     lakehouse.common.ops.TrainingSetGate})
 */
public record TrainingSpec(
    String name,
    Spine spine,
    List<FeatureRef> features,
    KnowledgeMode mode,
    Duration servingDelay,
    String output,
    boolean driftGate) {

  /** The column every feature table's rows are timed by unless the spec says otherwise. */
  public static final String DEFAULT_FEATURE_TIME = "feature_time";

  private static final List<String> KEYS =
      List.of("name", "spine", "features", "knowledge", "output", "drift");
  private static final List<String> SPINE_KEYS =
      List.of(
          "table",
          "version",
          "path",
          "format",
          "options",
          "query",
          "versions",
          "keys",
          "event-time",
          "label");
  private static final List<String> FEATURE_KEYS =
      List.of("table", "features", "ttl", "rename", "feature-time", "keys");

  /**
   * Where the spine rows come from: a table, a file, a SQL query over lake tables, or rows the
   * caller gives ({@link #isGiven()}: none of these, e.g. a DataFrame from Python, which {@link
   * TrainingSetBuilder#run} persists as a table before the build, see {@link
   * TrainingSetBuilder.Request#spine()}).
   *
   * @param table the spine table, or null
   * @param version a pinned spine table version, or null for its latest
   * @param path the spine file location, or null
   * @param query a SQL query over lake tables ({@link SpineQuery}), or null
   * @param versions the query's tables pinned to versions (a built spec pins every one)
   * @param label the label column, or null
   */
  public record Spine(
      TableId table,
      Long version,
      String path,
      String format,
      Map<String, String> options,
      String query,
      Map<TableId, Long> versions,
      List<String> keys,
      String eventTime,
      String label) {

    public boolean isTable() {
      return table != null;
    }

    public boolean isQuery() {
      return query != null;
    }

    /** Rows the caller gives (a DataFrame), not yet persisted: no table, path or query. */
    public boolean isGiven() {
      return table == null && path == null && query == null;
    }

    /** The table's logical name, the file's location, or how messages name a query or rows. */
    public String source() {
      return isTable() ? table.toString() : isQuery() ? QUERY : isGiven() ? GIVEN : path;
    }

    /** How messages name a spine whose rows the caller gives. */
    public static final String GIVEN = "the spine DataFrame";

    /** How messages and the manifest name a query spine. */
    public static final String QUERY = "the spine query";

    /** The same keys, event time and label over rows the caller gives. */
    public Spine given() {
      return new Spine(null, null, null, null, Map.of(), null, Map.of(), keys, eventTime, label);
    }

    /** The same keys, event time and label over a table pinned to a version. */
    public Spine atTable(TableId newTable, Long newVersion) {
      return new Spine(
          newTable, newVersion, null, null, Map.of(), null, Map.of(), keys, eventTime, label);
    }

    /** The same query with every table it reads pinned. */
    public Spine withVersions(Map<TableId, Long> pinned) {
      return new Spine(
          null, null, null, null, Map.of(), query, Map.copyOf(pinned), keys, eventTime, label);
    }
  }

  /**
   * @param features the feature columns to take, or null for every column but the keys
   * @param ttl how old a feature row may be relative to the event time, or null for no limit
   * @param rename feature column → output column name
   * @param keys spine column → this table's key column, or null for the spine's keys (same names in
   *     the table)
   */
  public record FeatureRef(
      TableId table,
      List<String> features,
      Duration ttl,
      Map<String, String> rename,
      String featureTime,
      Map<String, String> keys) {

    /**
     * Spine column → table column this table is joined on: the list's order, or by spine column for
     * an object (HOCON keeps no order); the spine's keys when the table declares none.
     */
    public Map<String, String> joinKeys(Spine spine) {
      if (keys != null) {
        return keys;
      }
      Map<String, String> same = new LinkedHashMap<>();
      spine.keys().forEach(key -> same.put(key, key));
      return same;
    }
  }

  /** Reads a spec file; every problem in it is reported at once (exit code 2). */
  public static TrainingSpec load(Path file) {
    if (!Files.isRegularFile(file)) {
      throw TrainingErrors.specNotFound(file.toString());
    }
    String fileName = file.getFileName().toString().replaceFirst("\\.conf$", "");
    return from(ConfigLoader.parse(file).resolve(), file.toString(), fileName);
  }

  /** Reads a spec from a parsed configuration (a file, or a manifest's stored spec). */
  public static TrainingSpec from(Config config, String where, String defaultName) {
    return from(config, where, defaultName, false);
  }

  /**
   * Reads a spec from a parsed configuration.
   *
   * @param defaultName the name when the spec has none, or null to require one
   * @param spineGiven the caller gives the spine rows (a DataFrame): {@code spine.table}, {@code
   *     spine.path} and their {@code version}, {@code format} and {@code options} may be absent and
   *     are ignored when present; the spec's spine gives the keys, event time and label
   */
  public static TrainingSpec from(
      Config config, String where, String defaultName, boolean spineGiven) {
    ConfigReader reader = new ConfigReader(config, where);
    reader.onlyKeys(KEYS, "a training spec");
    String name = defaultName != null ? reader.string("name", defaultName) : reader.string("name");
    if (name != null && !name.matches("[a-z][a-z0-9_]*")) {
      reader.problem(
          "name", "must be lower case letters, digits and underscores, got '" + name + "'");
    }
    Spine spine = readSpine(reader.at("spine"), spineGiven);
    List<FeatureRef> features = new ArrayList<>();
    List<String> featureProblems = new ArrayList<>();
    List<? extends Config> featureConfigs = reader.objects("features");
    if (featureConfigs != null) {
      if (featureConfigs.isEmpty()) {
        reader.problem("features", "must name at least one feature table");
      }
      for (int i = 0; i < featureConfigs.size(); i++) {
        ConfigReader feature =
            new ConfigReader(featureConfigs.get(i), where + " features[" + i + "]");
        FeatureRef ref = readFeature(feature);
        if (ref.keys() == null && spine.keys().isEmpty()) {
          feature.problem("keys", "is required when the spine declares no keys");
        }
        features.add(ref);
        featureProblems.addAll(feature.problems());
      }
    }
    KnowledgeMode mode = KnowledgeMode.LATEST;
    Duration delay = Duration.ZERO;
    if (reader.has("knowledge")) {
      ConfigReader knowledge = reader.at("knowledge");
      knowledge.onlyKeys(List.of("mode", "serving-delay"), "the knowledge block");
      String word =
          knowledge.has("mode")
              ? knowledge.oneOf("mode", Set.of("latest", "known_at", "known-at"))
              : "latest";
      mode = word == null ? KnowledgeMode.LATEST : KnowledgeMode.parse(word);
      if (knowledge.has("serving-delay")) {
        Duration parsed = knowledge.duration("serving-delay");
        if (parsed != null && parsed.isNegative()) {
          knowledge.problem("serving-delay", "must not be negative");
        }
        delay = parsed == null ? Duration.ZERO : parsed;
      }
    }
    String output = reader.string("output", "gold.training_" + (name == null ? "" : name));
    boolean driftGate = false;
    if (reader.has("drift")) {
      ConfigReader drift = reader.at("drift");
      drift.onlyKeys(List.of("gate"), "the drift block");
      driftGate = drift.bool("gate", false);
    }
    List<String> problems = new ArrayList<>(reader.problems());
    problems.addAll(featureProblems);
    if (!problems.isEmpty()) {
      throw LakehouseException.usage(String.join("\n", problems));
    }
    return new TrainingSpec(name, spine, List.copyOf(features), mode, delay, output, driftGate);
  }

  private static Spine readSpine(ConfigReader spine, boolean given) {
    spine.onlyKeys(SPINE_KEYS, "the spine");
    if (given) {
      List<String> keys = spine.strings("keys", List.of());
      if (spine.has("keys") && keys != null && keys.isEmpty()) {
        spine.problem("keys", "must name at least one key column");
      }
      return new Spine(
          null,
          null,
          null,
          null,
          Map.of(),
          null,
          Map.of(),
          keys == null ? List.of() : List.copyOf(keys),
          spine.string("event-time"),
          spine.string("label", null));
    }
    TableId table = null;
    String path = null;
    String query = null;
    int sources =
        (spine.has("table") ? 1 : 0) + (spine.has("path") ? 1 : 0) + (spine.has("query") ? 1 : 0);
    if (sources != 1) {
      spine.problem("table", "give exactly one of spine.table, spine.path or spine.query");
    } else if (spine.has("table")) {
      table = tableId(spine, "table");
    } else if (spine.has("path")) {
      path = spine.string("path");
    } else {
      query = spine.string("query");
    }
    Long version = spine.has("version") ? spine.longValue("version") : null;
    if (version != null && table == null) {
      spine.problem("version", "only a spine table has a version (a query has versions)");
    }
    Map<TableId, Long> versions =
        new java.util.TreeMap<>(java.util.Comparator.comparing(TableId::toString));
    if (spine.has("versions")) {
      if (query == null) {
        spine.problem("versions", "only a spine query has versions");
      }
      spine
          .stringMap("versions")
          .forEach(
              (name, value) -> {
                try {
                  versions.put(TableId.parse(name), Long.parseLong(value));
                } catch (LakehouseException | NumberFormatException e) {
                  spine.problem("versions." + name, "must map a lake table to a version number");
                }
              });
    }
    String format =
        spine.has("format")
            ? spine.oneOf("format", Set.of("csv", "json", "parquet", "delta"))
            : (path == null ? null : "parquet");
    List<String> keys = spine.strings("keys", List.of());
    if (spine.has("keys") && keys != null && keys.isEmpty()) {
      spine.problem("keys", "must name at least one key column");
    }
    return new Spine(
        table,
        version,
        path,
        format,
        spine.stringMap("options"),
        query,
        java.util.Collections.unmodifiableMap(versions),
        keys == null ? List.of() : List.copyOf(keys),
        spine.string("event-time"),
        spine.string("label", null));
  }

  private static FeatureRef readFeature(ConfigReader feature) {
    feature.onlyKeys(FEATURE_KEYS, "a feature table reference");
    TableId table = tableId(feature, "table");
    List<String> columns = null;
    if (feature.has("features")) {
      boolean all = false;
      try {
        all = "all".equals(feature.config().getString("features"));
      } catch (com.typesafe.config.ConfigException.WrongType notAString) {
        columns = feature.strings("features");
      }
      if (!all && columns == null) {
        feature.problem("features", "must be 'all' or a list of feature columns");
      }
      if (columns != null && columns.isEmpty()) {
        feature.problem("features", "must name at least one column (or be 'all')");
      }
    }
    Duration ttl = feature.has("ttl") ? feature.duration("ttl") : null;
    if (ttl != null && (ttl.isNegative() || ttl.isZero())) {
      feature.problem("ttl", "must be positive");
    }
    Map<String, String> rename = feature.stringMap("rename");
    rename.forEach(
        (from, to) -> {
          if (!to.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            feature.problem("rename." + from, "must be a column name, got '" + to + "'");
          }
        });
    return new FeatureRef(
        table,
        columns == null ? null : List.copyOf(columns),
        ttl,
        Map.copyOf(rename),
        feature.string("feature-time", DEFAULT_FEATURE_TIME),
        joinKeys(feature));
  }

  /**
   * A feature table's {@code keys}: a list of spine columns the table has under the same names, or
   * an object {@code spine column = table column}; null when absent (the spine's keys).
   */
  private static Map<String, String> joinKeys(ConfigReader feature) {
    if (!feature.has("keys")) {
      return null;
    }
    Map<String, String> keys = new LinkedHashMap<>();
    if (feature.config().getValue("keys").valueType() == com.typesafe.config.ConfigValueType.LIST) {
      List<String> names = feature.strings("keys");
      if (names != null) {
        names.forEach(name -> keys.put(name, name));
      }
    } else {
      keys.putAll(new java.util.TreeMap<>(feature.stringMap("keys")));
    }
    if (keys.isEmpty()) {
      feature.problem("keys", "must name at least one key column");
    }
    return keys.isEmpty() ? null : java.util.Collections.unmodifiableMap(keys);
  }

  private static TableId tableId(ConfigReader reader, String path) {
    String value = reader.string(path);
    if (value == null) {
      return null;
    }
    try {
      return TableId.parse(value);
    } catch (LakehouseException e) {
      reader.problem(path, e.getMessage());
      return null;
    }
  }

  /** The spec with a different knowledge mode, serving delay or output. */
  public TrainingSpec with(KnowledgeMode newMode, Duration newDelay, String newOutput) {
    return new TrainingSpec(name, spine, features, newMode, newDelay, newOutput, driftGate);
  }

  /** The spec over another spine (same features, knowledge and output). */
  public TrainingSpec withSpine(Spine newSpine) {
    return new TrainingSpec(name, newSpine, features, mode, servingDelay, output, driftGate);
  }

  /** The spec rendered as JSON (valid HOCON); {@link #from} reads it back to an equal spec. */
  public String render() {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("name", name);
    Map<String, Object> spineMap = new LinkedHashMap<>();
    if (spine.isTable()) {
      spineMap.put("table", spine.table().toString());
      if (spine.version() != null) {
        spineMap.put("version", spine.version());
      }
    } else if (spine.isQuery()) {
      spineMap.put("query", spine.query());
      Map<String, Long> versions = new java.util.TreeMap<>();
      spine.versions().forEach((table, version) -> versions.put(table.toString(), version));
      spineMap.put("versions", versions);
    } else if (!spine.isGiven()) {
      spineMap.put("path", spine.path());
      spineMap.put("format", spine.format());
      spineMap.put("options", spine.options());
    }
    if (!spine.keys().isEmpty()) {
      spineMap.put("keys", spine.keys());
    }
    spineMap.put("event-time", spine.eventTime());
    if (spine.label() != null) {
      spineMap.put("label", spine.label());
    }
    root.put("spine", spineMap);
    List<Object> featureList = new ArrayList<>();
    for (FeatureRef ref : features) {
      Map<String, Object> f = new LinkedHashMap<>();
      f.put("table", ref.table().toString());
      f.put("features", ref.features() == null ? "all" : ref.features());
      if (ref.ttl() != null) {
        f.put("ttl", exact(ref.ttl()));
      }
      f.put("rename", new java.util.TreeMap<>(ref.rename()));
      f.put("feature-time", ref.featureTime());
      if (ref.keys() != null) {
        f.put("keys", new java.util.TreeMap<>(ref.keys()));
      }
      featureList.add(f);
    }
    root.put("features", featureList);
    root.put("knowledge", Map.of("mode", mode.word(), "serving-delay", exact(servingDelay)));
    root.put("output", output);
    if (driftGate) {
      root.put("drift", Map.of("gate", true));
    }
    return ConfigValueFactory.fromMap(root)
        .render(ConfigRenderOptions.concise().setFormatted(true));
  }

  /** A duration in the largest unit that holds it exactly (rebuilds must not round it). */
  static String exact(Duration duration) {
    long nanos = duration.toNanos();
    String[] units = {"d", "h", "m", "s", "ms", "us"};
    long[] sizes = {
      86_400_000_000_000L, 3_600_000_000_000L, 60_000_000_000L, 1_000_000_000L, 1_000_000L, 1_000L
    };
    for (int i = 0; i < units.length; i++) {
      if (nanos % sizes[i] == 0) {
        return nanos / sizes[i] + units[i];
      }
    }
    return nanos + "ns";
  }

  /** Reads a spec rendered by {@link #render()}. */
  public static TrainingSpec parseRendered(String rendered, String where) {
    return from(ConfigFactory.parseString(rendered), where, "training");
  }
}
