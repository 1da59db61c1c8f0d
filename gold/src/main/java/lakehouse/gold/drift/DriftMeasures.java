package lakehouse.gold.drift;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Drift between a reference and a current profile of one feature.
 *
 * <ul>
 *   <li><b>PSI</b> (population stability index), numeric: bins cut at the reference's quantiles
 *       {@code 1/B .. (B-1)/B} (equal cut points merge, so a feature with few values gets fewer
 *       bins), bins {@code (-inf, e1], (e1, e2], ..., (ek, +inf)}; categorical: one bin per
 *       category of either profile plus one for the values neither lists. {@code PSI = sum (c - r)
 *       ln(c / r)} over the bins' shares of non-null values, a share of 0 counted as {@link
 *       #EPSILON}.
 *   <li><b>KS</b> (Kolmogorov–Smirnov distance), numeric: {@code max |F_ref(x) - F_cur(x)|} over
 *       every item of both sketches (where the step functions jump).
 *   <li><b>null-rate change</b>: current minus reference null rate.
 * </ul>
 *
 * <p>With at most {@code sketch-size} non-null values per profile every value is in the sketch, and
 * these are the exact values of the data. Beyond that a sketch's CDF is within {@code 1/G + 1/A} of
 * the data's ({@code G} the grid's quantiles, {@code A} the accuracy of {@code percentile_approx};
 * 2048 and 10,000 by default, so 0.0006): KS is within twice that of the exact value, and each PSI
 * bin share (a difference of two CDF values, at edges that are reference quantiles within the same
 * rank error) within about four times that.
 */
public final class DriftMeasures {
  /** The share a bin with no values counts as (so that PSI stays finite). */
  public static final double EPSILON = 1e-4;

  /** Bins for PSI on numeric features. */
  public static final int BINS = 10;

  private DriftMeasures() {}

  /**
   * Bin edges: the reference's distinct quantiles {@code 1/B .. (B-1)/B}, ascending (the last bin
   * is open-ended, so the maximum is never an edge).
   */
  public static double[] edges(FeatureProfile reference, int bins) {
    Set<Double> edges = new LinkedHashSet<>();
    double max = reference.values()[reference.values().length - 1];
    for (int i = 1; i < bins; i++) {
      double q = reference.quantile((double) i / bins);
      if (q < max) {
        edges.add(q);
      }
    }
    return edges.stream().mapToDouble(Double::doubleValue).sorted().toArray();
  }

  /** Shares of the profile's non-null values in the bins the edges cut. */
  public static double[] shares(FeatureProfile profile, double[] edges) {
    double[] shares = new double[edges.length + 1];
    double previous = 0.0;
    for (int i = 0; i < edges.length; i++) {
      double cdf = profile.cdf(edges[i]);
      shares[i] = cdf - previous;
      previous = cdf;
    }
    shares[edges.length] = 1.0 - previous;
    return shares;
  }

  /** PSI between two share vectors of the same bins. */
  public static double psi(double[] reference, double[] current) {
    double psi = 0.0;
    for (int i = 0; i < reference.length; i++) {
      double r = Math.max(reference[i], EPSILON);
      double c = Math.max(current[i], EPSILON);
      psi += (c - r) * Math.log(c / r);
    }
    return psi;
  }

  /** PSI of a numeric feature on bins from the reference's quantiles; null without values. */
  public static Double numericPsi(FeatureProfile reference, FeatureProfile current) {
    if (reference.values().length == 0 || current.values().length == 0) {
      return null;
    }
    double[] edges = edges(reference, BINS);
    return psi(shares(reference, edges), shares(current, edges));
  }

  /** KS distance of two numeric profiles; null without values. */
  public static Double ks(FeatureProfile reference, FeatureProfile current) {
    if (reference.values().length == 0 || current.values().length == 0) {
      return null;
    }
    double worst = 0.0;
    for (double[] items : List.of(reference.values(), current.values())) {
      for (double x : items) {
        worst = Math.max(worst, Math.abs(reference.cdf(x) - current.cdf(x)));
      }
    }
    return worst;
  }

  /** The categories compared: every category either profile lists, reference's first. */
  public static List<String> categories(FeatureProfile reference, FeatureProfile current) {
    Set<String> all = new LinkedHashSet<>(reference.categories().keySet());
    all.addAll(current.categories().keySet());
    return new ArrayList<>(all);
  }

  /**
   * Shares of the listed categories among the profile's non-null values, and a last share for the
   * rest (values the profile does not list: beyond its top values).
   */
  public static double[] categoryShares(FeatureProfile profile, List<String> categories) {
    double[] shares = new double[categories.size() + 1];
    long present = profile.present();
    if (present == 0) {
      return shares;
    }
    Map<String, Long> counts = profile.categories();
    double listed = 0.0;
    for (int i = 0; i < categories.size(); i++) {
      shares[i] = counts.getOrDefault(categories.get(i), 0L) / (double) present;
      listed += shares[i];
    }
    shares[categories.size()] = Math.max(0.0, 1.0 - listed);
    return shares;
  }

  /** PSI on category shares; null without values. */
  public static Double categoricalPsi(FeatureProfile reference, FeatureProfile current) {
    if (reference.present() == 0 || current.present() == 0) {
      return null;
    }
    List<String> categories = categories(reference, current);
    double[] r = categoryShares(reference, categories);
    double[] c = categoryShares(current, categories);
    // The "rest" bin only counts when a profile has values beyond those listed.
    if (r[categories.size()] < 1e-12 && c[categories.size()] < 1e-12) {
      r = java.util.Arrays.copyOf(r, categories.size());
      c = java.util.Arrays.copyOf(c, categories.size());
    }
    return psi(r, c);
  }

  /** Current minus reference null rate. */
  public static double nullRateChange(FeatureProfile reference, FeatureProfile current) {
    return current.nullRate() - reference.nullRate();
  }
}
