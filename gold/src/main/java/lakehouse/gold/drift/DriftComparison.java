package lakehouse.gold.drift;

import java.time.LocalDate;
import java.util.List;

/**
 * One comparison: what was compared with what, and each feature's drift, worst first.
 *
 * @param scope {@code feature_set} or {@code training_set}
 * @param subject the feature set's or training set's name
 * @param current what was checked, e.g. {@code 2026-01-20} or a build id
 * @param currentDate the day checked (feature sets), else null
 * @param reference what it was compared with, e.g. {@code 2026-01-13..2026-01-19}
 * @param results per feature, worst first
 */
public record DriftComparison(
    String scope,
    String subject,
    String current,
    LocalDate currentDate,
    String reference,
    List<DriftResult> results) {

  /** {@code error}, {@code warn} or {@code ok}. */
  public String worst() {
    return DriftCheck.worst(results);
  }

  /** The features that breach an error threshold. */
  public List<DriftResult> errors() {
    return results.stream().filter(r -> DriftResult.ERROR.equals(r.severity())).toList();
  }

  /** The features that breach a threshold (warn or error). */
  public List<DriftResult> flagged() {
    return results.stream().filter(r -> r.rank() >= 2).toList();
  }
}
