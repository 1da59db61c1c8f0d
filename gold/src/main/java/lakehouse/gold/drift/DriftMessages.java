package lakehouse.gold.drift;

import java.util.List;

/** Every text the drift commands and the gate print, in one place (tests assert them). */
public final class DriftMessages {
  private DriftMessages() {}

  public static String badReference(String text) {
    return "--reference must be a day (2026-01-07) or a range of days (2026-01-01..2026-01-07),"
        + " got '"
        + text
        + "'";
  }

  public static String noProfile(String subject, String days, String table) {
    return "no profile of "
        + subject
        + " for "
        + days
        + ": "
        + table
        + " holds no snapshot of those days (run gold for them first)";
  }

  public static String gateFailed(
      String subject, String current, String reference, List<DriftResult> errors) {
    return "drift gate: "
        + subject
        + " "
        + current
        + " against "
        + reference
        + ": "
        + errors.size()
        + " feature(s) breach an error threshold: "
        + String.join(
            "; ",
            errors.stream()
                .map(
                    r ->
                        r.feature()
                            + " ("
                            + r.direction()
                            + "; "
                            + String.join(", ", r.breaches())
                            + ")")
                .toList())
        + "; nothing was written";
  }

  public static String driftError(
      String subject, String current, String reference, List<DriftResult> errors) {
    return subject
        + " "
        + current
        + " against "
        + reference
        + ": "
        + errors.size()
        + " feature(s) breach an error threshold: "
        + String.join(", ", errors.stream().map(DriftResult::feature).toList());
  }

  public static String unknownTrainingSet(String id) {
    return "unknown training set '" + id + "' (see: lakehouse training-set list)";
  }

  public static String ambiguousTrainingSet(String id, List<String> matches) {
    return "training set id '" + id + "' matches several builds: " + String.join(", ", matches);
  }

  public static String noTrainingSets(String table) {
    return "no training set has been built yet (" + table + " does not exist)";
  }

  public static String noFeatureColumns(String id) {
    return "training set "
        + id
        + " has no column that comes from a feature table with "
        + "snapshots to compare with";
  }

  public static String badAgainst(String text) {
    return "--against must be 'latest' or a day (2026-01-07), got '" + text + "'";
  }
}
