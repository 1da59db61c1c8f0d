package lakehouse.common.settings;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigValue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import lakehouse.common.LakehouseException;

/**
 * Reads typed values out of a {@link Config} and collects every problem instead of stopping at the
 * first, so that a user sees all of them in one message. Every settings record and every
 * declaration (sources, tables, features, training sets) is read through one of these.
 *
 * <p>Getters return {@code null} (or the fallback) when a value is missing or malformed; call
 * {@link #throwIfProblems()} once everything is read.
 */
public final class ConfigReader {
  private final Config config;
  private final String where;
  private final List<String> problems;

  /**
   * @param config the configuration to read
   * @param where what the configuration is, for messages (e.g. {@code conf/sources/orders.conf})
   */
  public ConfigReader(Config config, String where) {
    this(config, where, new ArrayList<>());
  }

  private ConfigReader(Config config, String where, List<String> problems) {
    this.config = config;
    this.where = where;
    this.problems = problems;
  }

  /** A reader of a nested object that reports its problems into this reader's list. */
  public ConfigReader at(String path) {
    Config nested = get(path, config::getConfig, "an object");
    return new ConfigReader(
        nested == null ? com.typesafe.config.ConfigFactory.empty() : nested,
        where + " " + path,
        problems);
  }

  public Config config() {
    return config;
  }

  public String where() {
    return where;
  }

  public boolean has(String path) {
    return config.hasPath(path);
  }

  public String string(String path) {
    return get(path, config::getString, "a string");
  }

  public String string(String path, String fallback) {
    return config.hasPath(path) ? string(path) : fallback;
  }

  public Integer integer(String path) {
    return get(path, config::getInt, "a whole number");
  }

  public int integer(String path, int fallback) {
    Integer value = config.hasPath(path) ? integer(path) : null;
    return value == null ? fallback : value;
  }

  public Long longValue(String path) {
    return get(path, config::getLong, "a whole number");
  }

  public Double number(String path) {
    return get(path, config::getDouble, "a number");
  }

  public Boolean bool(String path) {
    return get(path, config::getBoolean, "true or false");
  }

  public boolean bool(String path, boolean fallback) {
    Boolean value = config.hasPath(path) ? bool(path) : null;
    return value == null ? fallback : value;
  }

  public Duration duration(String path) {
    return get(path, config::getDuration, "a duration such as 7 days, 12h or 30m");
  }

  public List<String> strings(String path) {
    return get(path, config::getStringList, "a list of strings");
  }

  public List<String> strings(String path, List<String> fallback) {
    return config.hasPath(path) ? strings(path) : fallback;
  }

  public List<? extends Config> objects(String path) {
    return get(path, config::getConfigList, "a list of objects");
  }

  /** A flat map of string values, e.g. reader options; nested keys are joined with dots. */
  public Map<String, String> stringMap(String path) {
    Map<String, String> result = new LinkedHashMap<>();
    if (!config.hasPath(path)) {
      return result;
    }
    Config nested = get(path, config::getConfig, "an object");
    if (nested == null) {
      return result;
    }
    for (Map.Entry<String, ConfigValue> entry : nested.entrySet()) {
      Object raw = entry.getValue().unwrapped();
      result.put(unquote(entry.getKey()), String.valueOf(raw));
    }
    return result;
  }

  /** One of the allowed words, compared without case. */
  public String oneOf(String path, Set<String> allowed) {
    String value = string(path);
    if (value != null && !allowed.contains(value.toLowerCase())) {
      problem(
          path,
          "must be one of "
              + String.join(", ", allowed.stream().sorted().toList())
              + ", got '"
              + value
              + "'");
      return null;
    }
    return value == null ? null : value.toLowerCase();
  }

  /**
   * Reports every key of this reader's object that {@code known} does not list (a typo is an error,
   * never ignored), naming the known keys.
   *
   * @param what what the object is, e.g. {@code "a table contract"}
   */
  public void onlyKeys(List<String> known, String what) {
    for (String key : new java.util.TreeSet<>(config.root().keySet())) {
      if (!known.contains(key)) {
        problem(
            com.typesafe.config.ConfigUtil.joinPath(key),
            "is not a key of " + what + "; known keys: " + String.join(", ", known));
      }
    }
  }

  /** Records a problem found by the caller's own validation. */
  public void problem(String path, String message) {
    problems.add(where + ": " + path + origin(path) + ": " + message);
  }

  public List<String> problems() {
    return List.copyOf(problems);
  }

  /** Throws one {@link LakehouseException} (exit code 2) that lists every problem, if any. */
  public void throwIfProblems() {
    if (!problems.isEmpty()) {
      throw LakehouseException.usage(String.join("\n", problems));
    }
  }

  private <T> T get(String path, Function<String, T> getter, String expected) {
    try {
      return getter.apply(path);
    } catch (ConfigException.Missing e) {
      problem(path, "is required but missing");
    } catch (ConfigException.WrongType | ConfigException.BadValue e) {
      problem(path, "must be " + expected + ", got " + render(path));
    }
    return null;
  }

  private String render(String path) {
    try {
      return config.getValue(path).render(com.typesafe.config.ConfigRenderOptions.concise());
    } catch (ConfigException e) {
      return "an unreadable value";
    }
  }

  private String origin(String path) {
    try {
      if (config.hasPathOrNull(path)) {
        var origin = config.getValue(path).origin();
        if (origin.filename() != null) {
          return " (" + shortName(origin.filename()) + ":" + origin.lineNumber() + ")";
        }
        if (origin.description() != null && origin.description().contains("--conf")) {
          return " (from --conf)";
        }
      }
    } catch (ConfigException ignored) {
      // A value that cannot be read has no origin worth naming.
    }
    return "";
  }

  private static String shortName(String file) {
    int conf = file.lastIndexOf("/conf/");
    return conf >= 0 ? file.substring(conf + 1) : file;
  }

  private static String unquote(String key) {
    return key.replace("\"", "");
  }
}
