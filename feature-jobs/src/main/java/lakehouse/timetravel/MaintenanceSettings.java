package lakehouse.timetravel;

import java.time.Duration;
import lakehouse.common.settings.ConfigReader;
import lakehouse.common.settings.LakehouseSettings;

/**
 * The {@code lakehouse.maintenance} block of {@code conf/application.conf}.
 *
 * @param reproducibilityWindow training sets built within this window stay rebuildable: vacuum
 *     keeps the files of the versions they read, and tables keep removed files and log entries at
 *     least this long
 * @param minRetention the shortest {@code --retain} vacuum accepts without {@code --force} (files
 *     of writes still in progress are not yet in the log)
 * @param guardMargin kept on top of the age of the oldest pinned version, for files written by long
 *     jobs before their commit
 * @param listingParallelism tasks Delta uses to list a table's files in VACUUM
 */
public record MaintenanceSettings(
    Duration reproducibilityWindow,
    Duration minRetention,
    Duration guardMargin,
    int listingParallelism) {

  /** Reads and validates the block (exit 2 with every problem). */
  public static MaintenanceSettings from(LakehouseSettings settings) {
    ConfigReader reader =
        new ConfigReader(settings.config(), "configuration (env " + settings.env() + ")");
    Duration window = reader.duration("lakehouse.maintenance.reproducibility-window");
    Duration minRetention = reader.duration("lakehouse.maintenance.min-retention");
    Duration margin = reader.duration("lakehouse.maintenance.guard-margin");
    Integer parallelism = reader.integer("lakehouse.maintenance.listing-parallelism");
    if (parallelism != null && parallelism < 1) {
      reader.problem(
          "lakehouse.maintenance.listing-parallelism", "must be at least 1, got " + parallelism);
    }
    negative(reader, "lakehouse.maintenance.reproducibility-window", window);
    negative(reader, "lakehouse.maintenance.min-retention", minRetention);
    negative(reader, "lakehouse.maintenance.guard-margin", margin);
    reader.throwIfProblems();
    return new MaintenanceSettings(window, minRetention, margin, parallelism);
  }

  private static void negative(ConfigReader reader, String path, Duration value) {
    if (value != null && value.isNegative()) {
      reader.problem(path, "must not be negative");
    }
  }
}
