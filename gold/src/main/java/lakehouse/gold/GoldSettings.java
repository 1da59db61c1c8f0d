package lakehouse.gold;

import java.nio.file.Path;
import java.time.Duration;
import lakehouse.common.catalog.TableId;
import lakehouse.common.settings.ConfigReader;
import lakehouse.common.settings.LakehouseSettings;

/**
 * The gold layer's settings, {@code lakehouse.gold} in {@code conf/application.conf}.
 *
 * @param featuresDir where the feature set declarations live
 * @param registryPrefix the feature registry's tables: {@code <prefix><feature set>}
 * @param defaultOwner the owner of a feature set that names none
 * @param defaultRecencyLookbackDays how far back a recency feature looks when it says nothing
 * @param maxDaysPerRun a guard against a mistyped range computing years of snapshots
 */
public record GoldSettings(
    Path featuresDir,
    String registryPrefix,
    String defaultOwner,
    int defaultRecencyLookbackDays,
    int maxDaysPerRun) {

  /** Reads and validates {@code lakehouse.gold}; problems end the command with exit code 2. */
  public static GoldSettings from(LakehouseSettings settings) {
    ConfigReader reader =
        new ConfigReader(settings.config(), "configuration (env " + settings.env() + ")");
    String dir = reader.string("lakehouse.gold.features-dir");
    String registry = reader.string("lakehouse.gold.registry-table-prefix");
    if (registry != null) {
      try {
        TableId.parse(registry + "x");
      } catch (lakehouse.common.LakehouseException e) {
        reader.problem(
            "lakehouse.gold.registry-table-prefix",
            "must look like <layer>.<name "
                + "prefix>, e.g. gold._feature_registry_, got '"
                + registry
                + "'");
      }
    }
    String owner = reader.string("lakehouse.gold.default-owner");
    Duration lookback = reader.duration("lakehouse.gold.default-recency-lookback");
    if (lookback != null
        && (lookback.isNegative()
            || lookback.isZero()
            || lookback.toNanos() % Duration.ofDays(1).toNanos() != 0)) {
      reader.problem(
          "lakehouse.gold.default-recency-lookback",
          "must be a positive whole number of days, got " + lookback);
    }
    Integer maxDays = reader.integer("lakehouse.gold.max-days-per-run");
    if (maxDays != null && maxDays < 1) {
      reader.problem("lakehouse.gold.max-days-per-run", "must be at least 1, got " + maxDays);
    }
    reader.throwIfProblems();
    Path featuresDir = Path.of(dir).isAbsolute() ? Path.of(dir) : settings.confDir().resolve(dir);
    return new GoldSettings(featuresDir, registry, owner, (int) lookback.toDays(), maxDays);
  }
}
