package lakehouse.report;

import com.typesafe.config.Config;
import lakehouse.common.catalog.TableId;
import lakehouse.common.settings.ConfigReader;
import lakehouse.common.settings.LakehouseSettings;

/**
 * The report's settings, from {@code lakehouse.report} (and the layer setting naming tables it
 * reads: {@code lakehouse.gold.registry-table-prefix}).
 *
 * @param maxVersions versions per table in the row-count chart (newest)
 * @param topReasons reject/quarantine reasons listed per table
 * @param maxCheckPoints points per quality check in its trend chart (newest)
 * @param recentRuns rows of the recent-runs table
 * @param detailedTrainingSets training-set builds shown in detail (newest)
 */
public record ReportSettings(
    String title,
    int maxVersions,
    int topReasons,
    int maxCheckPoints,
    int recentRuns,
    int detailedTrainingSets,
    String registryPrefix,
    TableId trainingSetsTable) {

  /** How the name of every silver table's quality metrics history ends (silver's contracts). */
  public static final String METRICS_SUFFIX = "_quality_metrics";

  /** The manifest table the training-set builder appends to. */
  public static final TableId TRAINING_SETS = TableId.of("gold", "_training_sets");

  /** Reads and validates the settings; every problem is reported at once (exit code 2). */
  public static ReportSettings from(LakehouseSettings settings) {
    Config config = settings.config();
    ConfigReader reader = new ConfigReader(config, "configuration (env " + settings.env() + ")");
    String p = "lakehouse.report.";
    ReportSettings result =
        new ReportSettings(
            reader.string(p + "title", "Lakehouse report"),
            atLeast(reader, p + "max-versions", 30, 1),
            atLeast(reader, p + "top-reasons", 5, 1),
            atLeast(reader, p + "max-check-points", 60, 1),
            atLeast(reader, p + "recent-runs", 25, 0),
            atLeast(reader, p + "detailed-training-sets", 5, 0),
            reader.string("lakehouse.gold.registry-table-prefix", "gold._feature_registry_"),
            TRAINING_SETS);
    reader.throwIfProblems();
    return result;
  }

  private static int atLeast(ConfigReader reader, String path, int fallback, int min) {
    int value = reader.integer(path, fallback);
    if (value < min) {
      reader.problem(path, "must be at least " + min + ", got " + value);
    }
    return value;
  }
}
