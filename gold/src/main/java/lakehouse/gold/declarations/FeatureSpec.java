package lakehouse.gold.declarations;

import java.util.List;

/**
 * One output column of a feature set. Aggregations declared with several windows become one feature
 * per window ({@code <name>_<N>d}).
 */
public sealed interface FeatureSpec
    permits FeatureSpec.Aggregate,
        FeatureSpec.Recency,
        FeatureSpec.Ratio,
        FeatureSpec.Trend,
        FeatureSpec.Attribute {

  String name();

  String description();

  Declared declared();

  /** aggregate, recency, ratio, trend or attribute. */
  String kind();

  /** The window as people read it (e.g. {@code 7 days}), or null when the feature has none. */
  default String window() {
    return null;
  }

  /**
   * The aggregation over the {@code windowDays} days ending with the snapshot day: the days {@code
   * D-windowDays+1 .. D}, i.e. event times in {@code [D-windowDays+1 00:00, D+1 00:00)}.
   *
   * @param column null for a row count
   * @param filter null for every row
   */
  record Aggregate(
      String name,
      String baseName,
      String source,
      AggFunction function,
      String column,
      String filter,
      int windowDays,
      String description,
      Declared declared)
      implements FeatureSpec {
    @Override
    public String kind() {
      return "aggregate";
    }

    @Override
    public String window() {
      return days(windowDays);
    }
  }

  /**
   * Whole days from the last matching event's day to the snapshot day (0 when it happened on the
   * snapshot day); null when there was none in the last {@code lookbackDays} days.
   */
  record Recency(
      String name,
      String source,
      String filter,
      int lookbackDays,
      String description,
      Declared declared)
      implements FeatureSpec {
    @Override
    public String kind() {
      return "recency";
    }

    @Override
    public String window() {
      return days(lookbackDays);
    }
  }

  /** {@code numerator / denominator} of two other features; null when the denominator is 0. */
  record Ratio(
      String name, String numerator, String denominator, String description, Declared declared)
      implements FeatureSpec {
    @Override
    public String kind() {
      return "ratio";
    }
  }

  /**
   * The daily rate of a short window against the daily rate of a long one, e.g. the 7-day order
   * count against the 30-day rate: {@code (short / shortDays) / (long / longDays)}; null when the
   * long window is 0.
   */
  record Trend(
      String name, String shortFeature, String longFeature, String description, Declared declared)
      implements FeatureSpec {
    @Override
    public String kind() {
      return "trend";
    }
  }

  /** A column of an SCD2 source, taken from the version valid at the snapshot's feature time. */
  record Attribute(String name, String source, String column, String description, Declared declared)
      implements FeatureSpec {
    @Override
    public String kind() {
      return "attribute";
    }
  }

  /** The features a derived feature reads (none for the others). */
  default List<String> inputs() {
    if (this instanceof Ratio r) {
      return List.of(r.numerator(), r.denominator());
    }
    if (this instanceof Trend t) {
      return List.of(t.shortFeature(), t.longFeature());
    }
    return List.of();
  }

  private static String days(int n) {
    return n == 1 ? "1 day" : n + " days";
  }
}
