package lakehouse.gold;

import java.util.Collection;
import lakehouse.common.LakehouseException;

/**
 * The errors of the gold layer, each returned with its exit code ({@code throw
 * GoldErrors.noWatermark(...)}), so every fact has one wording and one code; tests assert through
 * {@code getMessage()}. A reversed {@code --from}/{@code --to} is worded in {@link
 * lakehouse.common.CommonErrors}; the drift commands' errors are in {@code DriftMessages}.
 */
public final class GoldErrors {
  private GoldErrors() {}

  public static LakehouseException noFeaturesDir(String dir) {
    return LakehouseException.usage(
        "feature set directory " + dir + " does not exist (lakehouse.gold.features-dir)");
  }

  public static LakehouseException rangeTooLong(long days, int max) {
    return LakehouseException.usage(
        "the range covers "
            + days
            + " days, more than lakehouse.gold.max-days-per-run = "
            + max
            + "; split it into several runs");
  }

  /** {@code run gold} without a date, or with {@code --date} and a range. */
  public static LakehouseException dateOptions() {
    return LakehouseException.usage("give --date D, or --from D1 --to D2, and/or --changed");
  }

  public static LakehouseException fromWithoutTo() {
    return LakehouseException.usage("--from and --to go together");
  }

  public static LakehouseException badDate(String option, String value) {
    return LakehouseException.usage(option + " '" + value + "' is not a date like 2024-03-31");
  }

  public static LakehouseException noWatermark(String featureSet, String runsTable) {
    return LakehouseException.usage(
        "--changed needs a previous run of feature set '"
            + featureSet
            + "' to compare with, "
            + "and "
            + runsTable
            + " has none; run a range first (--from D1 --to D2)");
  }

  public static LakehouseException changeFeedUnavailable(
      String table, long fromVersion, long toVersion, String reason) {
    return LakehouseException.data(
        "cannot read the change data feed of "
            + table
            + " for versions "
            + fromVersion
            + ".."
            + toVersion
            + " (is delta.enableChangeDataFeed on, and are those versions retained?): "
            + reason);
  }

  public static LakehouseException sourceVersionWentBack(
      String table, long recorded, long current) {
    return LakehouseException.data(
        "source "
            + table
            + " is at version "
            + current
            + " but the last run read version "
            + recorded
            + "; was the table recreated? recompute with --from/--to");
  }

  public static LakehouseException missingSourceTable(
      String featureSet, String source, String table) {
    return LakehouseException.usage(
        "feature set '"
            + featureSet
            + "' source '"
            + source
            + "' reads "
            + table
            + ", which does not exist yet (run silver first)");
  }

  public static LakehouseException unknownFeature(String name, Collection<String> known) {
    return LakehouseException.usage(
        "unknown feature '"
            + name
            + "'; known features: "
            + (known.isEmpty() ? "none (run gold first)" : String.join(", ", known)));
  }

  public static LakehouseException ambiguousFeature(String name, Collection<String> candidates) {
    return LakehouseException.usage(
        "feature name '"
            + name
            + "' exists in several feature sets; use one of "
            + String.join(", ", candidates));
  }

  public static LakehouseException emptyRegistry() {
    return LakehouseException.usage(
        "no features registered yet (run 'lakehouse run gold --feature-set NAME ...' first)");
  }
}
