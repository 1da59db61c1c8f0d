package lakehouse.gold.declarations;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValueType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import lakehouse.common.LakehouseException;
import lakehouse.common.catalog.TableId;
import lakehouse.common.settings.ConfigLoader;
import lakehouse.common.settings.ConfigReader;
import lakehouse.common.settings.Declarations;
import lakehouse.common.settings.Declarations.Kind;
import lakehouse.gold.GoldErrors;
import lakehouse.gold.GoldSettings;

/**
 * Reads feature set declarations from {@code conf/features/} and rejects bad ones with every
 * problem at once (exit code 2), each naming the file, the key and its line. What can only be
 * checked against the source tables (unknown columns, filters that do not parse) is checked by
 * {@link SchemaCheck} before any Spark work.
 */
public final class FeatureSetLoader {
  /** Output columns every feature table has besides the entity keys. */
  public static final Set<String> RESERVED = Set.of("feature_time", "feature_date");

  private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_]*");

  /** The keys of a feature set file ({@code drift} is read by the drift thresholds). */
  private static final List<String> KEYS =
      List.of(
          "name",
          "description",
          "owner",
          "entity",
          "entities-from",
          "sources",
          "aggregations",
          "recency",
          "ratios",
          "trends",
          "attributes",
          "drift");

  private static final Map<String, List<String>> ELEMENT_KEYS =
      Map.of(
          "sources", List.of("table", "type", "filter", "time-column", "valid-from", "valid-to"),
          "aggregations",
              List.of(
                  "name",
                  "source",
                  "function",
                  "column",
                  "filter",
                  "windows",
                  "window",
                  "description"),
          "recency", List.of("name", "source", "filter", "lookback", "description"),
          "ratios", List.of("name", "numerator", "denominator", "description"),
          "trends", List.of("name", "short", "long", "description"),
          "attributes", List.of("name", "column", "source", "description"));
  private static final long DAY_NANOS = Duration.ofDays(1).toNanos();

  private final Path dir;
  private final GoldSettings settings;

  /** The registry of this loader's folder ({@code dir}'s parent stands for the conf dir). */
  private Declarations declarations() {
    Path absolute = dir.toAbsolutePath();
    Path parent = absolute.getParent();
    return Declarations.in(parent == null ? absolute : parent).with(Kind.FEATURE_SET, absolute);
  }

  public FeatureSetLoader(Path dir, GoldSettings settings) {
    this.dir = dir;
    this.settings = settings;
  }

  /** The names of the declared feature sets, sorted (the {@link Declarations} registry's list). */
  public List<String> names() {
    if (!Files.isDirectory(dir)) {
      throw GoldErrors.noFeaturesDir(dir.toString());
    }
    return declarations().names(Kind.FEATURE_SET);
  }

  /** Loads and validates one feature set by name, resolved by the {@link Declarations} registry. */
  public FeatureSet load(String name) {
    names(); // a missing folder is its own error
    Path file = declarations().file(Kind.FEATURE_SET, name);
    return parse(ConfigLoader.parse(file).resolve(), "features/" + name + ".conf", name);
  }

  /**
   * Validates a parsed declaration.
   *
   * @param where how messages name the file
   * @param fileName the set's name as the file names it
   */
  public FeatureSet parse(Config config, String where, String fileName) {
    List<ConfigReader> readers = new ArrayList<>();
    ConfigReader root = new ConfigReader(config, where);
    readers.add(root);
    root.onlyKeys(KEYS, "a feature set");

    String name = root.string("name", fileName);
    if (name != null && !name.equals(fileName)) {
      root.problem("name", "must match the file name '" + fileName + "', got '" + name + "'");
    }
    String description = root.string("description", "");
    String owner = root.string("owner", settings.defaultOwner());
    List<String> entity = stringOrList(root, "entity");
    if (entity != null) {
      if (entity.isEmpty()) {
        root.problem("entity", "must name at least one key column");
      }
      entity.stream()
          .filter(e -> !NAME.matcher(e).matches())
          .forEach(e -> root.problem("entity", "'" + e + "' is not a column name"));
    }

    Map<String, SourceSpec> sources = readSources(root);
    String entitiesFrom = root.string("entities-from", null);
    if (entitiesFrom != null && !sources.containsKey(entitiesFrom)) {
      root.problem(
          "entities-from",
          "unknown source '" + entitiesFrom + "'; sources: " + String.join(", ", sources.keySet()));
    }

    List<FeatureSpec> features = new ArrayList<>();
    Map<String, String> declaredAt = new LinkedHashMap<>();
    forEach(
        root,
        "aggregations",
        readers,
        (r, declared) -> readAggregation(r, declared, sources, features));
    forEach(root, "recency", readers, (r, declared) -> readRecency(r, declared, sources, features));
    forEach(
        root,
        "ratios",
        readers,
        (r, declared) -> {
          String featureName = featureName(r);
          String numerator = r.string("numerator");
          String denominator = r.string("denominator");
          features.add(
              new FeatureSpec.Ratio(
                  featureName, numerator, denominator, r.string("description", ""), declared));
        });
    forEach(
        root,
        "trends",
        readers,
        (r, declared) -> {
          String featureName = featureName(r);
          features.add(
              new FeatureSpec.Trend(
                  featureName,
                  r.string("short"),
                  r.string("long"),
                  r.string("description", ""),
                  declared));
        });
    forEach(
        root,
        "attributes",
        readers,
        (r, declared) -> {
          String column = r.string("column");
          String featureName = r.has("name") ? featureName(r) : column;
          String source = r.string("source");
          SourceSpec spec = source == null ? null : sources.get(source);
          if (source != null && spec == null) {
            r.problem("source", unknownSource(source, sources));
          } else if (spec != null && !spec.isScd2()) {
            r.problem(
                "source",
                "attributes come from an SCD2 source (type = scd2); '"
                    + source
                    + "' is an events source");
          }
          features.add(
              new FeatureSpec.Attribute(
                  featureName, source, column, r.string("description", ""), declared));
        });

    if (features.isEmpty() && readers.stream().allMatch(r -> r.problems().isEmpty())) {
      root.problem("aggregations", "the feature set declares no features");
    }
    checkNames(features, entity, declaredAt, readers);
    checkDerived(features, readers);
    List<String> problems = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (ConfigReader reader : readers) {
      reader.problems().stream().filter(seen::add).forEach(problems::add);
    }
    if (!problems.isEmpty()) {
      throw LakehouseException.usage(String.join("\n", problems));
    }
    return new FeatureSet(
        name,
        where,
        description,
        owner,
        List.copyOf(entity),
        entitiesFrom,
        sources,
        List.copyOf(features));
  }

  private Map<String, SourceSpec> readSources(ConfigReader root) {
    Map<String, SourceSpec> sources = new LinkedHashMap<>();
    if (!root.has("sources")) {
      root.problem("sources", "is required but missing");
      return sources;
    }
    Config block;
    try {
      block = root.config().getConfig("sources");
    } catch (ConfigException e) {
      root.problem("sources", "must be an object of named sources");
      return sources;
    }
    for (String key : new java.util.TreeSet<>(block.root().keySet())) { // HOCON keeps no order
      String path = "sources." + key;
      ConfigReader r = root.at(path);
      r.onlyKeys(ELEMENT_KEYS.get("sources"), "a source");
      Declared declared = new Declared(root.where() + " " + path, r.config());
      if (!NAME.matcher(key).matches()) {
        root.problem(path, "source name must be lower case letters, digits and underscores");
      }
      TableId table = null;
      String tableName = r.string("table");
      if (tableName != null) {
        try {
          table = TableId.parse(tableName);
        } catch (LakehouseException e) {
          r.problem("table", e.getMessage());
        }
      }
      String type = r.has("type") ? r.oneOf("type", Set.of("events", "scd2")) : "events";
      String filter = r.string("filter", null);
      if ("scd2".equals(type)) {
        sources.put(
            key,
            new SourceSpec(
                key,
                table,
                SourceSpec.Type.SCD2,
                null,
                filter,
                r.string("valid-from", "valid_from"),
                r.string("valid-to", "valid_to"),
                declared));
      } else {
        sources.put(
            key,
            new SourceSpec(
                key,
                table,
                SourceSpec.Type.EVENTS,
                r.string("time-column"),
                filter,
                null,
                null,
                declared));
      }
    }
    return sources;
  }

  private void readAggregation(
      ConfigReader r,
      Declared declared,
      Map<String, SourceSpec> sources,
      List<FeatureSpec> features) {
    String baseName = featureName(r);
    String source = eventsSource(r, sources);
    String functionWord = r.oneOf("function", AggFunction.words());
    AggFunction function = functionWord == null ? null : AggFunction.of(functionWord);
    String column = r.string("column", null);
    if (function != null && function.needsColumn() && column == null) {
      r.problem("function", function.word() + " needs a column (key 'column')");
    }
    String filter = r.string("filter", null);
    List<Integer> windows = windows(r);
    if (windows != null && windows.stream().distinct().count() != windows.size()) {
      r.problem("windows", "lists a window twice");
    }
    if (windows == null || baseName == null) {
      return;
    }
    for (int days : windows) {
      features.add(
          new FeatureSpec.Aggregate(
              baseName + "_" + days + "d",
              baseName,
              source,
              function,
              column,
              filter,
              days,
              r.string("description", ""),
              declared));
    }
  }

  private void readRecency(
      ConfigReader r,
      Declared declared,
      Map<String, SourceSpec> sources,
      List<FeatureSpec> features) {
    String featureName = featureName(r);
    String source = eventsSource(r, sources);
    Integer lookback =
        r.has("lookback")
            ? wholeDays(r, "lookback", r.duration("lookback"))
            : settings.defaultRecencyLookbackDays();
    features.add(
        new FeatureSpec.Recency(
            featureName,
            source,
            r.string("filter", null),
            lookback == null ? 1 : lookback,
            r.string("description", ""),
            declared));
  }

  private static String featureName(ConfigReader r) {
    String name = r.string("name");
    if (name != null && !NAME.matcher(name).matches()) {
      r.problem("name", "'" + name + "' must be lower case letters, digits and underscores");
    }
    return name;
  }

  private static String eventsSource(ConfigReader r, Map<String, SourceSpec> sources) {
    String source = r.string("source");
    if (source == null) {
      return null;
    }
    SourceSpec spec = sources.get(source);
    if (spec == null) {
      r.problem("source", unknownSource(source, sources));
    } else if (spec.isScd2()) {
      r.problem(
          "source",
          "'"
              + source
              + "' is an SCD2 source; aggregations and recency read "
              + "events sources (use attributes for SCD2 columns)");
    }
    return source;
  }

  private static String unknownSource(String source, Map<String, SourceSpec> sources) {
    return "unknown source '" + source + "'; sources: " + String.join(", ", sources.keySet());
  }

  /** Reads {@code windows} (a list) or {@code window} (one) as whole days. */
  private static List<Integer> windows(ConfigReader r) {
    String key = r.has("windows") ? "windows" : "window";
    if (!r.has(key)) {
      r.problem("windows", "is required but missing (e.g. windows = [7 days, 30 days])");
      return null;
    }
    List<Duration> durations;
    try {
      durations =
          r.config().getValue(key).valueType() == ConfigValueType.LIST
              ? r.config().getDurationList(key)
              : List.of(r.config().getDuration(key));
    } catch (ConfigException e) {
      r.problem(
          key,
          "must be durations such as 7 days or [1 day, 30 days], got "
              + r.config().getValue(key).render(ConfigRenderOptions.concise()));
      return null;
    }
    if (durations.isEmpty()) {
      r.problem(key, "must list at least one window");
      return null;
    }
    List<Integer> days = new ArrayList<>();
    for (Duration duration : durations) {
      Integer whole = wholeDays(r, key, duration);
      if (whole == null) {
        return null;
      }
      days.add(whole);
    }
    return days;
  }

  private static Integer wholeDays(ConfigReader r, String key, Duration duration) {
    if (duration == null) {
      return null;
    }
    if (duration.isNegative() || duration.isZero() || duration.toNanos() % DAY_NANOS != 0) {
      r.problem(key, "a window must be a positive whole number of days, got " + duration);
      return null;
    }
    return Math.toIntExact(duration.toDays());
  }

  private static List<String> stringOrList(ConfigReader r, String key) {
    if (r.has(key) && r.config().getValue(key).valueType() == ConfigValueType.STRING) {
      return List.of(r.string(key));
    }
    return r.strings(key);
  }

  private static void checkNames(
      List<FeatureSpec> features,
      List<String> entity,
      Map<String, String> declaredAt,
      List<ConfigReader> readers) {
    Set<String> taken = new HashSet<>(RESERVED);
    if (entity != null) {
      taken.addAll(entity);
    }
    for (FeatureSpec feature : features) {
      if (feature.name() == null) {
        continue;
      }
      String previous = declaredAt.putIfAbsent(feature.name(), feature.declared().where());
      if (previous != null) {
        problem(
            readers,
            feature,
            "name",
            "feature '" + feature.name() + "' is declared twice (also at " + previous + ")");
      } else if (taken.contains(feature.name())) {
        problem(
            readers,
            feature,
            "name",
            "feature name '"
                + feature.name()
                + "' is taken by an entity key or a reserved column (feature_time, feature_date)");
      }
    }
  }

  private static void checkDerived(List<FeatureSpec> features, List<ConfigReader> readers) {
    Map<String, FeatureSpec> byName = new LinkedHashMap<>();
    features.stream().filter(f -> f.name() != null).forEach(f -> byName.putIfAbsent(f.name(), f));
    for (FeatureSpec feature : features) {
      if (feature instanceof FeatureSpec.Ratio ratio) {
        checkInput(readers, feature, "numerator", ratio.numerator(), byName, false);
        checkInput(readers, feature, "denominator", ratio.denominator(), byName, false);
      } else if (feature instanceof FeatureSpec.Trend trend) {
        checkInput(readers, feature, "short", trend.shortFeature(), byName, true);
        checkInput(readers, feature, "long", trend.longFeature(), byName, true);
        FeatureSpec s = byName.get(trend.shortFeature());
        FeatureSpec l = byName.get(trend.longFeature());
        if (s instanceof FeatureSpec.Aggregate sa
            && l instanceof FeatureSpec.Aggregate la
            && sa.windowDays() >= la.windowDays()) {
          problem(
              readers,
              feature,
              "short",
              "the short window ("
                  + sa.window()
                  + ") must be shorter than the long one ("
                  + la.window()
                  + ")");
        }
      }
    }
  }

  private static void checkInput(
      List<ConfigReader> readers,
      FeatureSpec feature,
      String key,
      String input,
      Map<String, FeatureSpec> byName,
      boolean aggregateOnly) {
    if (input == null) {
      return;
    }
    FeatureSpec target = byName.get(input);
    if (target == null) {
      problem(readers, feature, key, "unknown feature '" + input + "'");
    } else if (aggregateOnly && !(target instanceof FeatureSpec.Aggregate)) {
      problem(readers, feature, key, "'" + input + "' must be a windowed aggregation");
    } else if (target instanceof FeatureSpec.Attribute) {
      problem(readers, feature, key, "'" + input + "' is an attribute, not a number");
    } else if (target instanceof FeatureSpec.Aggregate a
        && (a.function() == AggFunction.MIN || a.function() == AggFunction.MAX)) {
      // min/max keep the column's type, which need not be a number; allowed, checked by Spark.
      return;
    } else if (target == feature || target.inputs().contains(feature.name())) {
      problem(readers, feature, key, "'" + input + "' refers back to '" + feature.name() + "'");
    }
  }

  private static void problem(
      List<ConfigReader> readers, FeatureSpec feature, String key, String message) {
    ConfigReader reader = feature.declared().reader();
    reader.problem(key, message);
    readers.add(reader);
  }

  private interface ElementReader {
    void read(ConfigReader reader, Declared declared);
  }

  private static void forEach(
      ConfigReader root, String key, List<ConfigReader> readers, ElementReader elementReader) {
    if (!root.has(key)) {
      return;
    }
    List<? extends Config> elements = root.objects(key);
    if (elements == null) {
      return;
    }
    for (int i = 0; i < elements.size(); i++) {
      String where = root.where() + " " + key + "[" + i + "]";
      ConfigReader reader = new ConfigReader(elements.get(i), where);
      reader.onlyKeys(ELEMENT_KEYS.get(key), "an element of " + key);
      readers.add(reader);
      elementReader.read(reader, new Declared(where, elements.get(i)));
    }
  }
}
