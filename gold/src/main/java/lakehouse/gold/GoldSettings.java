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
 * @param registryTable the feature registry
 * @param defaultOwner the owner of a feature set that names none
 * @param defaultRecencyLookbackDays how far back a recency feature looks when it says nothing
 * @param maxDaysPerRun a guard against a mistyped range computing years of snapshots
 */
public record GoldSettings(Path featuresDir, TableId registryTable,
    String defaultOwner, int defaultRecencyLookbackDays, int maxDaysPerRun) {

  /** Reads and validates {@code lakehouse.gold}; problems end the command with exit code 2. */
  public static GoldSettings from(LakehouseSettings settings) {
    ConfigReader reader = new ConfigReader(settings.config(), "configuration (env "
        + settings.env() + ")");
    String dir = reader.string("lakehouse.gold.features-dir");
    TableId registry = table(reader, "lakehouse.gold.registry-table");
    String owner = reader.string("lakehouse.gold.default-owner");
    Duration lookback = reader.duration("lakehouse.gold.default-recency-lookback");
    if (lookback != null && (lookback.isNegative() || lookback.isZero()
        || lookback.toNanos() % Duration.ofDays(1).toNanos() != 0)) {
      reader.problem("lakehouse.gold.default-recency-lookback",
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

  private static TableId table(ConfigReader reader, String path) {
    String name = reader.string(path);
    if (name == null) {
      return null;
    }
    try {
      return TableId.parse(name);
    } catch (lakehouse.common.LakehouseException e) {
      reader.problem(path, e.getMessage());
      return null;
    }
  }
}
