package lakehouse.gold.drift;

import java.util.List;

/**
 * The drift of one feature between a reference and a current profile.
 *
 * @param feature the feature
 * @param kind numeric or categorical
 * @param psi population stability index (null when either side has no values)
 * @param ks Kolmogorov–Smirnov distance (numeric; else null)
 * @param nullRateChange current minus reference null rate
 * @param referenceMean reference mean (numeric)
 * @param currentMean current mean (numeric)
 * @param direction {@code up}, {@code down} or {@code same}: where the mean moved (numeric), or
 *     {@code changed}/{@code same} (categorical)
 * @param severity {@code error}, {@code warn}, {@code ok} or {@code ignored}
 * @param breaches what breached, e.g. {@code psi 0.84 >= error 0.25}
 * @param bins the bins' labels (numeric: upper edges; categorical: categories)
 * @param referenceShares the reference's share per bin
 * @param currentShares the current share per bin
 * @param referenceRows rows in the reference profile
 * @param currentRows rows in the current profile
 */
public record DriftResult(
    String feature,
    String kind,
    Double psi,
    Double ks,
    double nullRateChange,
    Double referenceMean,
    Double currentMean,
    String direction,
    String severity,
    List<String> breaches,
    List<String> bins,
    List<Double> referenceShares,
    List<Double> currentShares,
    long referenceRows,
    long currentRows) {
  public static final String OK = "ok";
  public static final String WARN = "warn";
  public static final String ERROR = "error";
  public static final String IGNORED = "ignored";

  /** 3 error, 2 warn, 1 ok, 0 ignored: for sorting worst first. */
  public int rank() {
    return switch (severity) {
      case ERROR -> 3;
      case WARN -> 2;
      case OK -> 1;
      default -> 0;
    };
  }

  /** The largest measure, for ordering features of the same severity. */
  public double score() {
    double s = Math.abs(nullRateChange);
    if (psi != null) {
      s = Math.max(s, psi);
    }
    if (ks != null) {
      s = Math.max(s, ks);
    }
    return s;
  }
}
