package lakehouse.common.settings;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import lakehouse.common.LakehouseException;

/**
 * Loads the layered configuration: {@code conf/application.conf} (every default), then the
 * environment overlay {@code conf/env/<env>.conf}, then {@code --conf key=value} overrides, each
 * one winning over the one before. {@code ${?ENV_VAR}} substitutions read the process environment.
 */
public final class ConfigLoader {
  public static final String CONF_DIR_VARIABLE = "LAKEHOUSE_CONF_DIR";
  public static final String ENV_VARIABLE = "LAKEHOUSE_ENV";
  public static final String DEFAULT_ENV = "local";

  private ConfigLoader() {}

  /**
   * Where the configuration lives when {@code --conf-dir} is not given: {@code LAKEHOUSE_CONF_DIR},
   * then the {@code lakehouse.conf.dir} system property, then {@code ./conf}.
   */
  public static Path defaultConfDir() {
    String fromEnv = System.getenv(CONF_DIR_VARIABLE);
    if (fromEnv != null && !fromEnv.isBlank()) {
      return Path.of(fromEnv);
    }
    String fromProperty = System.getProperty("lakehouse.conf.dir");
    return Path.of(fromProperty != null ? fromProperty : "conf");
  }

  /** The environment when {@code --env} is not given: {@code LAKEHOUSE_ENV}, else {@code local}. */
  public static String defaultEnv() {
    String fromEnv = System.getenv(ENV_VARIABLE);
    return fromEnv == null || fromEnv.isBlank() ? DEFAULT_ENV : fromEnv;
  }

  /** Loads and resolves the configuration; every user error becomes exit code 2. */
  public static Config load(Path confDir, String env, List<String> overrides) {
    Path application = confDir.resolve("application.conf");
    if (!Files.isRegularFile(application)) {
      throw LakehouseException.usage(
          "configuration directory "
              + confDir.toAbsolutePath()
              + " has no application.conf (set --conf-dir or "
              + CONF_DIR_VARIABLE
              + ")");
    }
    Path overlay = confDir.resolve("env").resolve(env + ".conf");
    if (!Files.isRegularFile(overlay)) {
      throw LakehouseException.usage(
          "unknown environment '"
              + env
              + "': expected one of "
              + String.join(", ", environments(confDir))
              + " (files in "
              + confDir.resolve("env")
              + ")");
    }
    Config defaults = parse(application);
    Config environment = parse(overlay);
    Config commandLine = parseOverrides(overrides);
    List<String> unknown = new ArrayList<>();
    unknown.addAll(unknownSettings(environment, defaults, overlay.toString()));
    unknown.addAll(unknownSettings(commandLine, defaults, "--conf"));
    if (!unknown.isEmpty()) {
      throw LakehouseException.usage(String.join("\n", unknown));
    }
    try {
      return commandLine.withFallback(environment).withFallback(defaults).resolve();
    } catch (ConfigException.UnresolvedSubstitution e) {
      throw LakehouseException.usage(
          "configuration refers to a value that is not set: " + e.getMessage());
    }
  }

  /**
   * The {@code lakehouse.*} settings of {@code layer} that {@code application.conf} does not
   * declare, one line each with where they came from. A setting below a default that is an empty
   * object ({@code conf {}}, a free-form map) is known.
   */
  static List<String> unknownSettings(Config layer, Config defaults, String where) {
    Map<String, ConfigValue> declared = new TreeMap<>();
    leaves(defaults.root(), List.of(), declared);
    Map<String, ConfigValue> given = new TreeMap<>();
    leaves(layer.root(), List.of(), given);
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, ConfigValue> entry : given.entrySet()) {
      String key = entry.getKey();
      if (key.startsWith("lakehouse.") && !known(key, declared)) {
        int line = entry.getValue().origin().lineNumber();
        problems.add(
            (line > 0 ? where + ":" + line : where)
                + ": unknown setting '"
                + key
                + "' (every setting and its default is in application.conf)");
      }
    }
    return problems;
  }

  /**
   * Every setting below {@code object} by path, without resolving substitutions (an optional {@code
   * ${?VAR}} default is declared even when the variable is unset); empty objects count as settings,
   * so that a free-form map such as {@code conf {}} is declared.
   */
  private static void leaves(ConfigObject object, List<String> path, Map<String, ConfigValue> out) {
    for (String key : object.keySet()) {
      List<String> child = new ArrayList<>(path);
      child.add(key);
      ConfigValue value = object.get(key);
      if (value instanceof ConfigObject nested && !nested.isEmpty()) {
        leaves(nested, child, out);
      } else {
        out.put(ConfigUtil.joinPath(child), value);
      }
    }
  }

  /** Declared itself, or below a declared empty object (a free-form map). */
  private static boolean known(String key, Map<String, ConfigValue> declared) {
    if (declared.containsKey(key)) {
      return true;
    }
    for (int dot = key.lastIndexOf('.'); dot > 0; dot = key.lastIndexOf('.', dot - 1)) {
      ConfigValue value = declared.get(key.substring(0, dot));
      if (value != null) {
        return value instanceof ConfigObject;
      }
    }
    return false;
  }

  /** Parses one configuration file (a declaration, an overlay) with a readable error. */
  public static Config parse(Path file) {
    try {
      return ConfigFactory.parseFile(
          file.toFile(), ConfigParseOptions.defaults().setAllowMissing(false));
    } catch (ConfigException e) {
      throw LakehouseException.usage("cannot read " + file + ": " + e.getMessage());
    }
  }

  /** The environments there are overlays for, sorted. */
  public static List<String> environments(Path confDir) {
    return Declarations.namesIn(confDir.resolve("env"));
  }

  static Config parseOverrides(List<String> overrides) {
    Config result = ConfigFactory.empty();
    for (String override : overrides) {
      int eq = override.indexOf('=');
      if (eq <= 0) {
        throw LakehouseException.usage("--conf '" + override + "' must look like key=value");
      }
      String key = override.substring(0, eq).trim();
      String value = override.substring(eq + 1).trim();
      try {
        result = result.withValue(key, ConfigValueFactory.fromAnyRef(value, "from --conf"));
      } catch (ConfigException.BadPath e) {
        throw LakehouseException.usage(
            "--conf '" + override + "': '" + key + "' is not a valid setting name");
      }
    }
    return result;
  }
}
