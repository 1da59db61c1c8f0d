package lakehouse.gold;

import java.time.LocalDate;
import java.util.Collection;

/** Every message the gold layer shows a user, in one place so tests can assert them. */
public final class GoldMessages {
  private GoldMessages() {}

  public static String noFeaturesDir(String dir) {
    return "feature set directory " + dir + " does not exist (lakehouse.gold.features-dir)";
  }

  public static String dateRangeReversed(LocalDate from, LocalDate to) {
    return "--from " + from + " is after --to " + to;
  }

  public static String rangeTooLong(long days, int max) {
    return "the range covers "
        + days
        + " days, more than lakehouse.gold.max-days-per-run = "
        + max
        + "; split it into several runs";
  }

  public static final String DATE_OPTIONS = "give --date D, or --from D1 --to D2, and/or --changed";

  public static final String FROM_WITHOUT_TO = "--from and --to go together";

  public static String badDate(String option, String value) {
    return option + " '" + value + "' is not a date like 2024-03-31";
  }

  public static String noWatermark(String featureSet, String runsTable) {
    return "--changed needs a previous run of feature set '"
        + featureSet
        + "' to compare with, "
        + "and "
        + runsTable
        + " has none; run a range first (--from D1 --to D2)";
  }

  public static String changeFeedUnavailable(
      String table, long fromVersion, long toVersion, String reason) {
    return "cannot read the change data feed of "
        + table
        + " for versions "
        + fromVersion
        + ".."
        + toVersion
        + " (is delta.enableChangeDataFeed on, and are those versions retained?): "
        + reason;
  }

  public static String sourceVersionWentBack(String table, long recorded, long current) {
    return "source "
        + table
        + " is at version "
        + current
        + " but the last run read version "
        + recorded
        + "; was the table recreated? recompute with --from/--to";
  }

  public static String missingSourceTable(String featureSet, String source, String table) {
    return "feature set '"
        + featureSet
        + "' source '"
        + source
        + "' reads "
        + table
        + ", which does not exist yet (run silver first)";
  }

  public static String unknownFeature(String name, Collection<String> known) {
    return "unknown feature '"
        + name
        + "'; known features: "
        + (known.isEmpty() ? "none (run gold first)" : String.join(", ", known));
  }

  public static String ambiguousFeature(String name, Collection<String> candidates) {
    return "feature name '"
        + name
        + "' exists in several feature sets; use one of "
        + String.join(", ", candidates);
  }

  public static final String EMPTY_REGISTRY =
      "no features registered yet (run 'lakehouse run gold --feature-set NAME ...' first)";

  public static String noSnapshot(String table) {
    return "feature table " + table + " has no snapshot yet";
  }
}
