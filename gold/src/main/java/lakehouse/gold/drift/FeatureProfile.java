package lakehouse.gold.drift;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One feature's profile over one snapshot day of a feature set, one training-set build, or a window
 * of days merged: counts, null rate, min, max, mean and (population) standard deviation, and the
 * distribution — for a numeric feature weighted items (a quantile sketch), for a categorical one
 * its most frequent values with their counts.
 *
 * <p>A numeric feature with few distinct values gets every distinct value with its count ({@link
 * #fromCounts}, exact). The others get items from quantiles at a grid of probabilities ({@link
 * #fromQuantiles}): item {@code i} is the value of rank {@code r_i} among the sorted non-null
 * values and stands for the {@code r_i - r_(i-1)} values of ranks {@code r_(i-1)+1 .. r_i}, the
 * last item is the maximum. With at most as many non-null values as the grid has points every value
 * is an item of weight 1, so drift measured on small data is exact; beyond that the sketch's CDF is
 * within one grid step plus the quantiles' rank error of the data's.
 *
 * @param scope {@code feature_set} or {@code training_set}
 * @param subject the feature set's name, or the training set's name
 * @param buildId the training-set build, null for a feature-set day
 * @param day the snapshot day (for a merged window: its last day), null for a build
 * @param days how many days were merged into this profile (1 for a day, 0 for a build)
 * @param feature the column
 * @param kind {@code numeric} or {@code categorical}
 * @param type the column's Spark SQL type
 * @param rows rows profiled
 * @param nulls rows whose value is null
 * @param min smallest value (numeric), else null
 * @param max largest value (numeric), else null
 * @param mean mean of the non-null values (numeric), else null
 * @param stddev population standard deviation of the non-null values (numeric), else null
 * @param values the sketch's distinct items, ascending (numeric)
 * @param weights how many values each item stands for
 * @param categories the most frequent non-null values and their counts, most frequent first
 *     (categorical)
 * @param distinct distinct non-null values (categorical; at least the categories listed)
 * @param sourceVersion the Delta version of the table profiled (null when merged)
 */
public record FeatureProfile(
    String scope,
    String subject,
    String buildId,
    LocalDate day,
    int days,
    String feature,
    String kind,
    String type,
    long rows,
    long nulls,
    Double min,
    Double max,
    Double mean,
    Double stddev,
    double[] values,
    long[] weights,
    Map<String, Long> categories,
    long distinct,
    Long sourceVersion) {

  public static final String NUMERIC = "numeric";
  public static final String CATEGORICAL = "categorical";
  public static final String FEATURE_SET = "feature_set";
  public static final String TRAINING_SET = "training_set";

  public boolean numeric() {
    return NUMERIC.equals(kind);
  }

  /** Rows whose value is not null. */
  public long present() {
    return rows - nulls;
  }

  /** Share of rows whose value is null (0 for no rows). */
  public double nullRate() {
    return rows == 0 ? 0.0 : (double) nulls / rows;
  }

  /** The sketch's total weight: the non-null values it stands for. */
  public long totalWeight() {
    long total = 0;
    for (long w : weights) {
      total += w;
    }
    return total;
  }

  /** Share of the non-null values that are {@code <= x} (the sketch's CDF). */
  public double cdf(double x) {
    long total = totalWeight();
    if (total == 0) {
      return 0.0;
    }
    long below = 0;
    for (int i = 0; i < values.length && values[i] <= x; i++) {
      below += weights[i];
    }
    return (double) below / total;
  }

  /**
   * The smallest item whose CDF is at least {@code p} (with every value in the sketch: the smallest
   * value with at least a share {@code p} of the values at or below it).
   */
  public double quantile(double p) {
    long total = totalWeight();
    long running = 0;
    for (int i = 0; i < values.length; i++) {
      running += weights[i];
      if ((double) running / total >= p - 1e-12) {
        return values[i];
      }
    }
    return values[values.length - 1];
  }

  /** Sorts items and adds up the weights of equal ones. */
  static Sketch compact(List<double[]> valueArrays, List<long[]> weightArrays) {
    TreeMap<Double, Long> merged = new TreeMap<>();
    for (int a = 0; a < valueArrays.size(); a++) {
      double[] v = valueArrays.get(a);
      long[] w = weightArrays.get(a);
      for (int i = 0; i < v.length; i++) {
        merged.merge(v[i], w[i], Long::sum);
      }
    }
    double[] values = new double[merged.size()];
    long[] weights = new long[merged.size()];
    int i = 0;
    for (Map.Entry<Double, Long> e : merged.entrySet()) {
      values[i] = e.getKey();
      weights[i++] = e.getValue();
    }
    return new Sketch(values, weights);
  }

  /**
   * The sketch of {@code present} non-null values from their quantiles at {@code probabilities}
   * (ascending): each quantile stands for the ranks from the previous one's (exclusive) to its own,
   * {@code ceil(p * present)} — the rank {@code percentile_approx} looks up —, and the maximum for
   * the ranks above the last; quantiles that stand for no rank of their own are left out.
   */
  static Sketch fromQuantiles(
      double[] probabilities, List<Double> quantiles, long present, double min, double max) {
    List<Double> values = new ArrayList<>();
    List<Long> weights = new ArrayList<>();
    long previous = 0;
    for (int i = 0; i < probabilities.length; i++) {
      long rank = Math.min(present, (long) Math.ceil(probabilities[i] * present));
      if (rank > previous) {
        values.add(quantiles.get(i));
        weights.add(rank - previous);
        previous = rank;
      }
    }
    if (present > previous) {
      values.add(max);
      weights.add(present - previous);
    }
    Sketch items =
        compact(
            List.of(values.stream().mapToDouble(Double::doubleValue).toArray()),
            List.of(weights.stream().mapToLong(Long::longValue).toArray()));
    return new Sketch(items.values(), items.weights(), min, max);
  }

  /** The exact sketch of values counted: every distinct value with its count. */
  static Sketch fromCounts(double[] values, long[] counts) {
    return compact(List.of(values), List.of(counts));
  }

  /** Sketch items with their weights, and the exact min and max (null when empty). */
  record Sketch(double[] values, long[] weights, Double min, Double max) {
    static final Sketch EMPTY = new Sketch(new double[0], new long[0], null, null);

    Sketch(double[] values, long[] weights) {
      this(
          values,
          weights,
          values.length == 0 ? null : values[0],
          values.length == 0 ? null : values[values.length - 1]);
    }
  }

  /**
   * Merges the profiles of one feature over several days into one (the reference window): counts
   * add up, the sketches' items are pooled with their weights, categories add up, mean and standard
   * deviation are the pooled ones.
   */
  public static FeatureProfile merge(List<FeatureProfile> profiles) {
    if (profiles.isEmpty()) {
      throw new IllegalArgumentException("no profiles to merge");
    }
    if (profiles.size() == 1) {
      return profiles.get(0);
    }
    FeatureProfile first = profiles.get(0);
    long rows = 0;
    long nulls = 0;
    Double min = null;
    Double max = null;
    double sum = 0;
    long present = 0;
    int days = 0;
    LocalDate last = null;
    List<double[]> values = new ArrayList<>();
    List<long[]> weights = new ArrayList<>();
    Map<String, Long> categories = new LinkedHashMap<>();
    long distinct = 0;
    for (FeatureProfile p : profiles) {
      rows += p.rows;
      nulls += p.nulls;
      days += p.days;
      if (p.day != null && (last == null || p.day.isAfter(last))) {
        last = p.day;
      }
      if (p.min != null) {
        min = min == null ? p.min : Math.min(min, p.min);
      }
      if (p.max != null) {
        max = max == null ? p.max : Math.max(max, p.max);
      }
      if (p.mean != null) {
        sum += p.mean * p.present();
        present += p.present();
      }
      values.add(p.values);
      weights.add(p.weights);
      p.categories.forEach((k, v) -> categories.merge(k, v, Long::sum));
      distinct = Math.max(distinct, p.distinct);
    }
    Double mean = present == 0 ? null : sum / present;
    Double stddev = null;
    if (present > 0) {
      double squares = 0;
      for (FeatureProfile p : profiles) {
        if (p.mean != null && p.stddev != null) {
          double d = p.mean - mean;
          squares += p.present() * (p.stddev * p.stddev + d * d);
        }
      }
      stddev = Math.sqrt(squares / present);
    }
    Sketch sketch = compact(values, weights);
    Map<String, Long> sorted = new LinkedHashMap<>();
    categories.entrySet().stream()
        .sorted(
            Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())
                .thenComparing(Map.Entry.comparingByKey()))
        .forEach(e -> sorted.put(e.getKey(), e.getValue()));
    return new FeatureProfile(
        first.scope,
        first.subject,
        null,
        last,
        days,
        first.feature,
        first.kind,
        first.type,
        rows,
        nulls,
        min,
        max,
        mean,
        stddev,
        sketch.values(),
        sketch.weights(),
        sorted,
        Math.max(distinct, sorted.size()),
        null);
  }

  /** This profile, naming the Delta version it describes. */
  public FeatureProfile withSourceVersion(Long version) {
    return new FeatureProfile(
        scope,
        subject,
        buildId,
        day,
        days,
        feature,
        kind,
        type,
        rows,
        nulls,
        min,
        max,
        mean,
        stddev,
        values,
        weights,
        categories,
        distinct,
        version);
  }

  @Override
  public String toString() {
    return "FeatureProfile["
        + subject
        + "."
        + feature
        + " "
        + (day != null ? day : buildId)
        + " rows="
        + rows
        + " nulls="
        + nulls
        + " items="
        + values.length
        + " values="
        + Arrays.toString(Arrays.copyOf(values, Math.min(values.length, 10)))
        + "]";
  }
}
