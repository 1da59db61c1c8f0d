package lakehouse.gold.drift;

import java.util.List;
import lakehouse.common.ExitCode;
import lakehouse.common.LakehouseException;

/**
 * The errors of the drift commands and gates, each returned with its exit code ({@code throw
 * DriftErrors.noProfile(...)}); an error-severity breach is exit code 3. An unknown or ambiguous
 * training-set id is worded in {@link lakehouse.common.CommonErrors}, as the training-set commands
 * word it.
 */
public final class DriftErrors {
  private DriftErrors() {}

  public static LakehouseException badReference(String text) {
    return LakehouseException.usage(
        "--reference must be a day (2026-01-07) or a range of days (2026-01-01..2026-01-07),"
            + " got '"
            + text
            + "'");
  }

  public static LakehouseException noProfile(String subject, String days, String table) {
    return LakehouseException.usage(
        "no profile of "
            + subject
            + " for "
            + days
            + ": "
            + table
            + " holds no snapshot of those days (run gold for them first)");
  }

  /**
   * A gate held back what it checked: exit code 3.
   *
   * @param recordedIn the table the comparison was recorded in, said at the end; null to leave it
   *     out
   */
  public static LakehouseException gateFailed(
      String subject,
      String current,
      String reference,
      List<DriftResult> errors,
      String recordedIn) {
    return new LakehouseException(
        ExitCode.QUALITY_GATE,
        "drift gate: "
            + breach(subject, current, reference, errors)
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
            + "; nothing was written"
            + (recordedIn == null ? "" : " (the comparison is in " + recordedIn + ")"));
  }

  public static LakehouseException driftError(
      String subject, String current, String reference, List<DriftResult> errors) {
    return new LakehouseException(
        ExitCode.QUALITY_GATE,
        breach(subject, current, reference, errors)
            + String.join(", ", errors.stream().map(DriftResult::feature).toList()));
  }

  /** {@code <subject> <current> against <reference>: N feature(s) breach an error threshold: }. */
  private static String breach(
      String subject, String current, String reference, List<DriftResult> errors) {
    return subject
        + " "
        + current
        + " against "
        + reference
        + ": "
        + errors.size()
        + " feature(s) breach an error threshold: ";
  }

  public static LakehouseException noTrainingSets(String table) {
    return LakehouseException.usage(
        "no training set has been built yet (" + table + " does not exist)");
  }

  public static LakehouseException noFeatureColumns(String id) {
    return LakehouseException.usage(
        "training set "
            + id
            + " has no column that comes from a feature table with "
            + "snapshots to compare with");
  }

  public static LakehouseException badAgainst(String text) {
    return LakehouseException.usage(
        "--against must be 'latest' or a day (2026-01-07), got '" + text + "'");
  }
}
