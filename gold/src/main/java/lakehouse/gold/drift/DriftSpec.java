package lakehouse.gold.drift;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigUtil;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import lakehouse.common.LakehouseException;
import lakehouse.common.catalog.TableId;
import lakehouse.common.settings.ConfigLoader;
import lakehouse.common.settings.ConfigReader;
import lakehouse.common.settings.LakehouseSettings;

/**
 * Drift settings: the defaults of {@code lakehouse.gold.drift} in {@code application.conf},
 * overridden per feature set by the {@code drift { }} block of {@code conf/features/<set>.conf}
 * ({@code profile}, {@code reference-days}, {@code gate}, {@code thresholds}) and per feature by
 * {@code drift.features.<feature>} ({@code thresholds}, {@code ignore}). Every key that is not one
 * of these is an error naming file and line.
 *
 * @param profile profile every day {@code run gold} computes
 * @param profilePrefix a feature set's profiles table is {@code <profilePrefix><set>}
 * @param driftPrefix a feature set's drift results table is {@code <driftPrefix><set>}
 * @param trainingProfilePrefix a training set's profiles table is {@code <prefix><name>}
 * @param trainingDriftPrefix a training set's drift results table is {@code <prefix><name>}
 * @param sketchSize quantiles kept per numeric feature and profile (rounded up to a power of two);
 *     a profile of at most this many non-null values is exact
 * @param topValues categories kept per categorical feature
 * @param referenceDays default reference window: the N days before the day checked
 * @param gate stop {@code run gold} with exit 3 on an error-severity breach
 * @param thresholds the set's thresholds per measure
 * @param features per-feature overrides
 */
public record DriftSpec(
    boolean profile,
    String profilePrefix,
    String driftPrefix,
    String trainingProfilePrefix,
    String trainingDriftPrefix,
    int sketchSize,
    int topValues,
    int referenceDays,
    boolean gate,
    Map<String, Threshold> thresholds,
    Map<String, FeatureOverride> features) {

  /** The measures that take thresholds, as declared. */
  public static final List<String> MEASURES = List.of("psi", "ks", "null-rate-change");

  private static final List<String> SET_KEYS =
      List.of("profile", "reference-days", "gate", "thresholds", "features");
  private static final List<String> FEATURE_KEYS = List.of("thresholds", "ignore");
  private static final List<String> LEVEL_KEYS = List.of("warn", "error");

  /**
   * A measure's thresholds; a value at or above one breaches it. Either may be null (not checked at
   * that severity).
   */
  public record Threshold(Double warn, Double error) {
    /** {@code error}, {@code warn} or {@code ok} for a value (null: not measured, ok). */
    public String severity(Double value) {
      if (value == null) {
        return DriftResult.OK;
      }
      double v = Math.abs(value);
      if (error != null && v >= error) {
        return DriftResult.ERROR;
      }
      if (warn != null && v >= warn) {
        return DriftResult.WARN;
      }
      return DriftResult.OK;
    }
  }

  /** One feature's overrides: thresholds per measure, or not checked at all. */
  public record FeatureOverride(Map<String, Threshold> thresholds, boolean ignore) {}

  /**
   * The profiles table of a feature set: one table per set, so gold jobs of different sets never
   * write the same table (one writer per Delta table, as on S3 without a log store).
   */
  public TableId profileTable(String set) {
    return TableId.parse(profilePrefix + set);
  }

  /** The drift results table of a feature set. */
  public TableId driftTable(String set) {
    return TableId.parse(driftPrefix + set);
  }

  /** The profiles table of a training set (by name). */
  public TableId trainingProfileTable(String name) {
    return TableId.parse(trainingProfilePrefix + name);
  }

  /** The drift results table of a training set (by name). */
  public TableId trainingDriftTable(String name) {
    return TableId.parse(trainingDriftPrefix + name);
  }

  /** The thresholds of a feature: its overrides over the set's. */
  public Threshold threshold(String feature, String measure) {
    FeatureOverride override = features.get(feature);
    if (override != null && override.thresholds().containsKey(measure)) {
      return override.thresholds().get(measure);
    }
    return thresholds.get(measure);
  }

  /** Whether a feature is left out of drift checks. */
  public boolean ignored(String feature) {
    FeatureOverride override = features.get(feature);
    return override != null && override.ignore();
  }

  /** The defaults alone ({@code lakehouse.gold.drift}). */
  public static DriftSpec defaults(LakehouseSettings settings) {
    return read(settings, ConfigFactory.empty(), null);
  }

  /**
   * The defaults overridden by the {@code drift} block of {@code <featuresDir>/<set>.conf} (when
   * the file exists), validated: every problem at once, exit 2.
   */
  public static DriftSpec forFeatureSet(LakehouseSettings settings, Path featuresDir, String set) {
    Path file = featuresDir.resolve(set + ".conf");
    if (!Files.isRegularFile(file)) {
      return defaults(settings);
    }
    Config config = ConfigLoader.parse(file).resolve();
    Config block = config.hasPath("drift") ? config.getConfig("drift") : ConfigFactory.empty();
    return read(settings, block, "features/" + set + ".conf drift");
  }

  /** Reads the defaults and an override block ({@code where} null: no block). */
  static DriftSpec read(LakehouseSettings settings, Config block, String where) {
    ConfigReader d =
        new ConfigReader(settings.config(), "configuration (env " + settings.env() + ")")
            .at("lakehouse.gold.drift");
    boolean profile = d.bool("profile", true);
    String profilePrefix = prefix(d, "profile-table-prefix");
    String driftPrefix = prefix(d, "drift-table-prefix");
    String trainingProfilePrefix = prefix(d, "training-profile-table-prefix");
    String trainingDriftPrefix = prefix(d, "training-drift-table-prefix");
    int sketchSize = d.integer("sketch-size", 2048);
    if (sketchSize < 8) {
      d.problem("sketch-size", "must be at least 8, got " + sketchSize);
    }
    int topValues = d.integer("top-values", 50);
    if (topValues < 1) {
      d.problem("top-values", "must be at least 1, got " + topValues);
    }
    int referenceDays = d.integer("reference-days", 7);
    boolean gate = d.bool("gate", false);
    Map<String, Threshold> thresholds = thresholds(d.at("thresholds"), new LinkedHashMap<>());
    d.throwIfProblems();

    Map<String, FeatureOverride> features = new LinkedHashMap<>();
    if (where != null) {
      ConfigReader r = new ConfigReader(block, where);
      r.onlyKeys(SET_KEYS, "a drift block");
      profile = r.bool("profile", profile);
      referenceDays = r.integer("reference-days", referenceDays);
      gate = r.bool("gate", gate);
      if (r.has("thresholds")) {
        thresholds = thresholds(r.at("thresholds"), thresholds);
      }
      if (r.has("features")) {
        ConfigReader fr = r.at("features");
        for (String feature : new TreeSet<>(fr.config().root().keySet())) {
          ConfigReader one = fr.at(ConfigUtil.joinPath(feature));
          one.onlyKeys(FEATURE_KEYS, "a feature's drift overrides");
          Map<String, Threshold> own =
              one.has("thresholds")
                  ? thresholds(one.at("thresholds"), new LinkedHashMap<>())
                  : Map.of();
          features.put(feature, new FeatureOverride(own, one.bool("ignore", false)));
        }
      }
      if (referenceDays < 1) {
        r.problem("reference-days", "must be at least 1, got " + referenceDays);
      }
      r.throwIfProblems();
    } else if (referenceDays < 1) {
      d.problem("reference-days", "must be at least 1, got " + referenceDays);
      d.throwIfProblems();
    }
    return new DriftSpec(
        profile,
        profilePrefix,
        driftPrefix,
        trainingProfilePrefix,
        trainingDriftPrefix,
        sketchSize,
        topValues,
        referenceDays,
        gate,
        Map.copyOf(thresholds),
        Map.copyOf(features));
  }

  /** Reads {@code psi { warn, error }} etc. over {@code base}. */
  private static Map<String, Threshold> thresholds(ConfigReader r, Map<String, Threshold> base) {
    Map<String, Threshold> out = new LinkedHashMap<>(base);
    r.onlyKeys(MEASURES, "thresholds");
    for (String measure : MEASURES) {
      if (!r.has(measure)) {
        continue;
      }
      ConfigReader m = r.at(measure);
      m.onlyKeys(LEVEL_KEYS, "a threshold");
      Threshold inherited = base.get(measure);
      Double warn = m.has("warn") ? m.number("warn") : inherited == null ? null : inherited.warn();
      Double error =
          m.has("error") ? m.number("error") : inherited == null ? null : inherited.error();
      if (warn != null && warn < 0) {
        m.problem("warn", "must not be negative, got " + warn);
      }
      if (error != null && error < 0) {
        m.problem("error", "must not be negative, got " + error);
      }
      if (warn != null && error != null && warn > error) {
        m.problem("warn", "must not be above error (" + warn + " > " + error + ")");
      }
      out.put(measure, new Threshold(warn, error));
    }
    return out;
  }

  /** A table name prefix such as {@code gold._feature_profiles_}: a valid name with a suffix. */
  private static String prefix(ConfigReader reader, String path) {
    String prefix = reader.string(path);
    if (prefix == null) {
      return null;
    }
    try {
      TableId.parse(prefix + "x");
    } catch (LakehouseException e) {
      reader.problem(path, e.getMessage());
      return null;
    }
    return prefix;
  }
}
