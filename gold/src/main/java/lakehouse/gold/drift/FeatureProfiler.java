package lakehouse.gold.drift;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.inline;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.percentile_approx;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sqrt;
import static org.apache.spark.sql.functions.stddev_pop;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;

/**
 * Profiles the features of a feature set's snapshot days, or of one slice of rows (a training-set
 * build), with Spark's built-in aggregates — the ones Deequ's analyzers are made of — grouped by
 * day, so that all the days of a run cost one plan per query and one pass over their rows each:
 *
 * <ul>
 *   <li>{@link #statistics}: the non-integer numeric features (cast to double): one narrow
 *       aggregation over their {@code (day, feature, value)} pairs, grouped by day and feature:
 *       rows, non-null values ({@code count}, Deequ's {@code Completeness}), {@code min}, {@code
 *       max}, {@code avg}, {@code stddev_pop} ({@code Minimum}, {@code Maximum}, {@code Mean},
 *       {@code StandardDeviation}). Six aggregates whatever the number of features: the generated
 *       code stays small (a wide aggregation of five per feature measured 1.7 times as slow);
 *   <li>{@link #integerCounts}: integer features (counts, flags): one grouped count of their {@code
 *       (day, feature, value)} pairs, null included — the exact distribution, kept for each day
 *       with at most a grid's worth of distinct values — and from these counts their rows, non-null
 *       values, min, max, mean and stddev (window aggregates over a few hundred rows per day and
 *       feature instead of aggregates over every row);
 *   <li>{@link #quantiles}: one aggregation grouped by day, {@code percentile_approx} of each
 *       non-integer numeric feature (and of an integer one with more distinct values on a day) at a
 *       grid of {@link #probabilities} (the Greenwald–Khanna digest of Deequ's {@code
 *       ApproxQuantiles}; one digest per day and feature);
 *   <li>{@link #topCategories}: one grouped count over the {@code (day, feature, value)} pairs of
 *       every categorical feature (strings, booleans; Deequ's {@code Histogram}), null included,
 *       ranked per day and feature: their rows, non-null and distinct values, and top values.
 * </ul>
 *
 * <p>Each query reads only the columns of its features, so the table's columns are read once, but
 * for the non-integer numeric ones (twice: statistics and digests).
 *
 * <p>Counts and quantiles become the profile's weighted items ({@link FeatureProfile#fromCounts},
 * {@link FeatureProfile#fromQuantiles}); with at most {@code sketchSize} non-null values every
 * value is an item of weight 1 (the grid has at least that many points and the digest keeps every
 * value), so drift on small data is exact. Other types (dates, timestamps, structs) are not
 * profiled.
 */
public final class FeatureProfiler {
  /** Spark's default accuracy of {@code percentile_approx}: ranks within 1/10,000 of the count. */
  static final int DEFAULT_ACCURACY = 10_000;

  /** Spark's integer types, by {@code simpleString}. */
  private static final Set<String> INTEGER_TYPES = Set.of("tinyint", "smallint", "int", "bigint");

  /** The column the rows are grouped by: the day, or a null date for one slice. */
  private static final String KEY = "profile_key";

  private final double[] probabilities;
  private final int accuracy;
  private final int topValues;

  /**
   * @param sketchSize quantiles kept per numeric feature (rounded up to a power of two); a slice
   *     with at most this many non-null values is profiled exactly
   * @param topValues categories kept per categorical feature
   */
  public FeatureProfiler(int sketchSize, int topValues) {
    int size = 1;
    while (size < sketchSize) {
      size <<= 1;
    }
    this.probabilities = probabilities(size);
    // Above 2 * size the digest's rank error is below half a grid step, and it keeps every value
    // of a slice with at most size of them (no compression below accuracy / 2 values).
    this.accuracy = Math.max(DEFAULT_ACCURACY, 4 * size);
    this.topValues = topValues;
  }

  /**
   * The grid of a sketch of {@code size} quantiles (a power of two): the midpoints {@code (2i - 1)
   * / 2size}, {@code i = 1..size}. They are exact binary fractions, so {@code p * n} is exact, and
   * never a whole number for {@code n <= size}, so the ranks {@code ceil(p * n)} they ask for cover
   * {@code 1..n} exactly when there are at most {@code size} values.
   */
  static double[] probabilities(int size) {
    double[] p = new double[size];
    for (int i = 1; i <= size; i++) {
      p[i - 1] = (2.0 * i - 1) / (2.0 * size);
    }
    return p;
  }

  /** Numeric or categorical for a column type, null when the type is not profiled. */
  public static String kindOf(DataType type) {
    if (type instanceof NumericType) {
      return FeatureProfile.NUMERIC;
    }
    if (type instanceof StringType || type instanceof BooleanType) {
      return FeatureProfile.CATEGORICAL;
    }
    return null;
  }

  /** The columns of {@code rows} among {@code candidates} that can be profiled, in order. */
  public static List<String> profilable(Dataset<Row> rows, List<String> candidates) {
    List<String> out = new ArrayList<>();
    for (String c : candidates) {
      for (StructField f : rows.schema().fields()) {
        if (f.name().equals(c) && kindOf(f.dataType()) != null) {
          out.add(c);
        }
      }
    }
    return out;
  }

  /**
   * The features that can be profiled, in the given order: kind, Spark type and the plain alias
   * their aggregates are named by ({@code f0}, {@code f1}, ...: feature names need no quoting).
   */
  private record Features(
      Map<String, String> kinds, Map<String, String> types, Map<String, String> alias) {
    static Features of(Dataset<Row> rows, List<String> features) {
      Features found =
          new Features(new LinkedHashMap<>(), new LinkedHashMap<>(), new LinkedHashMap<>());
      for (String feature : features) {
        DataType type = rows.schema().apply(feature).dataType();
        String kind = kindOf(type);
        if (kind != null) {
          found.alias.put(feature, "f" + found.alias.size());
          found.kinds.put(feature, kind);
          found.types.put(feature, type.simpleString());
        }
      }
      return found;
    }

    boolean isEmpty() {
      return kinds.isEmpty();
    }

    boolean numeric(String feature) {
      return FeatureProfile.NUMERIC.equals(kinds.get(feature));
    }

    /** Whether a feature is of an integer type (counts, flags: usually few distinct values). */
    boolean integral(String feature) {
      return INTEGER_TYPES.contains(types.get(feature));
    }

    List<String> numeric() {
      return kinds.keySet().stream().filter(this::numeric).toList();
    }

    List<String> categorical() {
      return kinds.keySet().stream().filter(f -> !numeric(f)).toList();
    }

    /** The feature's values as profiled: double for numeric features, string otherwise. */
    Column value(String feature) {
      return col(quote(feature)).cast(numeric(feature) ? "double" : "string");
    }
  }

  /**
   * Profiles {@code features} of {@code rows} as one slice.
   *
   * @param scope {@link FeatureProfile#FEATURE_SET} or {@link FeatureProfile#TRAINING_SET}
   * @param subject the set's (or training set's) name
   * @param buildId the build (training sets), else null
   * @param day the snapshot day (feature sets), else null
   * @param sourceVersion the Delta version the rows were read at (or null)
   */
  public List<FeatureProfile> profile(
      Dataset<Row> rows,
      List<String> features,
      String scope,
      String subject,
      String buildId,
      LocalDate day,
      Long sourceVersion) {
    Features profiled = Features.of(rows, features);
    if (profiled.isEmpty()) {
      return List.of();
    }
    Summaries summaries = summarize(rows, lit(null).cast(DataTypes.DateType), profiled);
    return summaries.profiles(null, scope, subject, buildId, day, sourceVersion);
  }

  /**
   * Profiles several snapshot days at once: {@link #statistics}, {@link #quantiles} and {@link
   * #topCategories} grouped by {@code dayColumn} over those days' rows (no quantiles without a
   * numeric feature, no categories without a categorical one). A day without rows gets no profile.
   *
   * @param rows snapshot rows of at least these days
   * @param dayColumn the date column ({@code feature_date})
   */
  public List<FeatureProfile> profileDays(
      Dataset<Row> rows,
      String dayColumn,
      List<LocalDate> days,
      List<String> features,
      String subject,
      Long sourceVersion) {
    Features profiled = Features.of(rows, features);
    if (days.isEmpty() || profiled.isEmpty()) {
      return List.of();
    }
    Column day = col(quote(dayColumn));
    Dataset<Row> ofDays = rows.filter(day.isin(days.stream().map(Date::valueOf).toArray()));
    Summaries summaries = summarize(ofDays, day, profiled);
    List<FeatureProfile> out = new ArrayList<>();
    for (LocalDate d : days) {
      if (summaries.has(d)) {
        out.addAll(
            summaries.profiles(d, FeatureProfile.FEATURE_SET, subject, null, d, sourceVersion));
      }
    }
    return out;
  }

  /**
   * One row per {@code key} of {@code rows} and feature alias of the {@code listed} numeric
   * features: {@code (key, feature, rows, present, min, max, mean, stddev)}, {@code present} the
   * non-null values, {@code stddev} the population one (min to stddev null without values).
   * Declarative aggregates only, so Spark generates code for the aggregation.
   */
  private static Dataset<Row> statistics(
      Dataset<Row> rows, Column key, Features features, List<String> listed) {
    Column value = col("value");
    return unpivot(rows, key, pairs(features, listed, "double"))
        .groupBy(KEY, "feature")
        .agg(
            count(lit(1)).as("rows"),
            count(value).as("present"),
            min(value).as("min"),
            max(value).as("max"),
            avg(value).as("mean"),
            stddev_pop(value).as("stddev"));
  }

  /**
   * One row per {@code key} of {@code rows}: {@code key}, and per feature alias {@code a} of {@code
   * numeric} its values at {@link #probabilities} ({@code percentile_approx}; null without values).
   */
  private Dataset<Row> quantiles(
      Dataset<Row> rows, Column key, Features features, List<String> numeric) {
    List<Column> digests = new ArrayList<>();
    for (String feature : numeric) {
      digests.add(
          percentile_approx(features.value(feature), lit(probabilities), lit(accuracy))
              .as(features.alias().get(feature)));
    }
    return rows.groupBy(key.as(KEY))
        .agg(digests.get(0), digests.subList(1, digests.size()).toArray(Column[]::new));
  }

  /**
   * {@code (feature, value)} of each {@code listed} feature: its number (the digits of its alias:
   * grouping by an int is cheaper than by a string) and its value cast to {@code type}.
   */
  private static List<Column> pairs(Features features, List<String> listed, String type) {
    List<Column> pairs = new ArrayList<>();
    for (String feature : listed) {
      pairs.add(
          struct(
              lit(Integer.parseInt(features.alias().get(feature).substring(1))).as("feature"),
              col(quote(feature)).cast(type).as("value")));
    }
    return pairs;
  }

  /**
   * How often each value of the {@code listed} features occurs per {@code key}, null included:
   * {@code (key, feature, value, count)}, values cast to {@code type}; and on each row the counts
   * of its key and feature: {@code rows}, {@code present} (the non-null values) and {@code
   * distinct} (the distinct non-null values).
   */
  private static Dataset<Row> valueCounts(
      Dataset<Row> rows, Column key, Features features, List<String> listed, String type) {
    WindowSpec perFeature = Window.partitionBy(KEY, "feature");
    Column value = col("value");
    Column count = col("count");
    return unpivot(rows, key, pairs(features, listed, type))
        .groupBy(KEY, "feature", "value")
        .agg(count(lit(1)).as("count"))
        .withColumn("rows", sum(count).over(perFeature))
        .withColumn(
            "present", coalesce(sum(when(value.isNotNull(), count)).over(perFeature), lit(0L)))
        .withColumn("distinct", count(value).over(perFeature));
  }

  /**
   * {@link #valueCounts} of the {@code listed} integer features, grouped by their values as {@code
   * bigint} (twice as fast as by doubles, which Spark normalizes first) and cast to double after,
   * with, on each row, the {@code min}, {@code max}, {@code mean} and (population) {@code stddev}
   * of its key and feature computed from the counts (sums exact for integers below 2^53; the
   * squares summed around the mean, not Welford's running update). Kept are the rows of each key
   * and feature that has at most a grid's worth of distinct values (its exact distribution), of the
   * others the row of the minimum only (their distribution is left to {@link #quantiles}).
   */
  private Dataset<Row> integerCounts(
      Dataset<Row> rows, Column key, Features features, List<String> listed) {
    WindowSpec perFeature = Window.partitionBy(KEY, "feature");
    Column value = col("value");
    Column count = col("count");
    Column present = col("present");
    Column deviation = value.minus(col("mean"));
    return valueCounts(rows, key, features, listed, "bigint")
        .withColumn("value", value.cast("double"))
        .withColumn("min", min(value).over(perFeature))
        .withColumn("max", max(value).over(perFeature))
        .withColumn(
            "mean",
            when(present.gt(0), sum(value.multiply(count)).over(perFeature).divide(present)))
        .withColumn(
            "stddev",
            when(
                present.gt(0),
                sqrt(
                    sum(deviation.multiply(deviation).multiply(count))
                        .over(perFeature)
                        .divide(present))))
        .filter(col("distinct").leq(gridSize()).or(value.equalTo(col("min"))));
  }

  /**
   * {@link #valueCounts} of the categorical features, ranked per {@code key} and feature ({@code
   * rank}: by count descending, then value, null last), the first {@code topValues} ranks kept.
   */
  private Dataset<Row> topCategories(Dataset<Row> rows, Column key, Features features) {
    Column value = col("value");
    return valueCounts(rows, key, features, features.categorical(), "string")
        .withColumn(
            "rank",
            row_number()
                .over(
                    Window.partitionBy(KEY, "feature")
                        .orderBy(value.isNull(), col("count").desc(), value)))
        .filter(col("rank").leq(topValues));
  }

  /** {@code (key, <the structs' fields>)}: one row per row of {@code rows} and struct. */
  private static Dataset<Row> unpivot(Dataset<Row> rows, Column key, List<Column> structs) {
    return rows.select(key.as(KEY), inline(array(structs.toArray(Column[]::new))));
  }

  /**
   * A feature's statistics for one key: rows, non-null values, and of a numeric feature min, max,
   * mean and (population) stddev of the non-null values (null without values).
   */
  private record Stats(
      long rows, long present, Double min, Double max, Double mean, Double stddev) {
    static final Stats NONE = new Stats(0, 0, null, null, null, null);

    /**
     * From a row of {@link #statistics} or {@link #integerCounts} (numeric: with min to stddev).
     */
    static Stats of(Row r, boolean numeric) {
      long rows = r.<Long>getAs("rows");
      long present = r.<Long>getAs("present");
      if (!numeric || present == 0) {
        return new Stats(rows, present, null, null, null, null);
      }
      return new Stats(
          rows, present, r.getAs("min"), r.getAs("max"), r.getAs("mean"), r.getAs("stddev"));
    }
  }

  /** A categorical feature's top values, most frequent first, and its distinct values. */
  private record TopValues(Map<String, Long> counts, long distinct) {
    static final TopValues NONE = new TopValues(Map.of(), 0);
  }

  /**
   * The queries' results, collected, per key (day, or null for a slice) and feature alias: the
   * statistics, the sketches of numeric features, the top values of categorical ones.
   */
  private record Summaries(
      Features features,
      Map<LocalDate, Map<String, Stats>> statistics,
      Map<LocalDate, Map<String, FeatureProfile.Sketch>> sketches,
      Map<LocalDate, Map<String, TopValues>> categories) {

    boolean has(LocalDate key) {
      return statistics.containsKey(key);
    }

    /** The profiles of one key's rows (none: profiles of no rows). */
    List<FeatureProfile> profiles(
        LocalDate key,
        String scope,
        String subject,
        String buildId,
        LocalDate day,
        Long sourceVersion) {
      Map<String, Stats> byAlias = statistics.getOrDefault(key, Map.of());
      Map<String, FeatureProfile.Sketch> sketchOf = sketches.getOrDefault(key, Map.of());
      Map<String, TopValues> top = categories.getOrDefault(key, Map.of());
      List<FeatureProfile> out = new ArrayList<>();
      for (String feature : features.kinds().keySet()) {
        String a = features.alias().get(feature);
        Stats s = byAlias.getOrDefault(a, Stats.NONE);
        FeatureProfile.Sketch sketch = sketchOf.getOrDefault(a, FeatureProfile.Sketch.EMPTY);
        TopValues values = top.getOrDefault(a, TopValues.NONE);
        out.add(
            new FeatureProfile(
                scope,
                subject,
                buildId,
                day,
                day == null ? 0 : 1,
                feature,
                features.kinds().get(feature),
                features.types().get(feature),
                s.rows(),
                s.rows() - s.present(),
                sketch.min(),
                sketch.max(),
                s.mean(),
                s.stddev(),
                sketch.values(),
                sketch.weights(),
                values.counts(),
                Math.max(values.distinct(), values.counts().size()),
                sourceVersion));
      }
      return out;
    }
  }

  /**
   * Runs the queries over {@code rows} grouped by {@code key} and collects them, each feature's
   * statistics from one of them: {@link #statistics} and {@link #quantiles} of the non-integer
   * numeric features; {@link #integerCounts} of the integer features (statistics and exact
   * distributions), and {@link #quantiles} of those that had too many distinct values on a day
   * (days counted keep their exact counts); {@link #topCategories} of the categorical features
   * (rows, non-null and distinct values, top values).
   */
  private Summaries summarize(Dataset<Row> rows, Column key, Features features) {
    List<String> integral = features.numeric().stream().filter(features::integral).toList();
    List<String> measured = features.numeric().stream().filter(f -> !features.integral(f)).toList();
    List<String> categorical = features.categorical();
    Map<LocalDate, Map<String, Stats>> statistics = new HashMap<>();
    Map<LocalDate, Map<String, FeatureProfile.Sketch>> sketches = new HashMap<>();
    for (Row r : collect(measured, () -> statistics(rows, key, features, measured))) {
      statistics.computeIfAbsent(day(r), k -> new HashMap<>()).put(alias(r), Stats.of(r, true));
    }
    Set<String> uncounted = new HashSet<>();
    Map<LocalDate, Map<String, List<Row>>> counts = new HashMap<>();
    for (Row r : collect(integral, () -> integerCounts(rows, key, features, integral))) {
      String a = alias(r);
      statistics.computeIfAbsent(day(r), k -> new HashMap<>()).putIfAbsent(a, Stats.of(r, true));
      List<Row> list =
          counts
              .computeIfAbsent(day(r), k -> new HashMap<>())
              .computeIfAbsent(a, k -> new ArrayList<>());
      if (r.<Long>getAs("distinct") > gridSize()) {
        uncounted.add(a);
      } else if (r.getAs("value") != null) {
        list.add(r);
      }
    }
    counts.forEach(
        (k, byAlias) ->
            byAlias.forEach(
                (a, list) -> {
                  if (!list.isEmpty()) {
                    sketches
                        .computeIfAbsent(k, x -> new HashMap<>())
                        .put(
                            a,
                            FeatureProfile.fromCounts(
                                list.stream().mapToDouble(r -> r.<Double>getAs("value")).toArray(),
                                list.stream().mapToLong(r -> r.<Long>getAs("count")).toArray()));
                  }
                }));
    addQuantiles(
        collect(measured, () -> quantiles(rows, key, features, measured)),
        measured,
        features,
        statistics,
        sketches);
    // Integer features with too many values on a day: digests of these features, for those days.
    List<String> digested =
        integral.stream().filter(f -> uncounted.contains(features.alias().get(f))).toList();
    if (!digested.isEmpty()) {
      addQuantiles(
          quantiles(rows, key, features, digested).collectAsList(),
          digested,
          features,
          statistics,
          sketches);
    }
    Map<LocalDate, Map<String, TopValues>> categories = new HashMap<>();
    List<Row> ranked =
        collect(
            categorical, () -> topCategories(rows, key, features).orderBy(KEY, "feature", "rank"));
    for (Row r : ranked) {
      String a = alias(r);
      statistics.computeIfAbsent(day(r), k -> new HashMap<>()).putIfAbsent(a, Stats.of(r, false));
      TopValues top =
          categories
              .computeIfAbsent(day(r), k -> new HashMap<>())
              .computeIfAbsent(a, k -> new TopValues(new LinkedHashMap<>(), r.getAs("distinct")));
      if (r.getAs("value") != null) {
        top.counts().put(r.getAs("value"), r.<Long>getAs("count"));
      }
    }
    return new Summaries(features, statistics, sketches, categories);
  }

  /**
   * The sketches of the {@code digested} features from the rows of {@link #quantiles}, for each key
   * and feature with values that has no sketch yet (no exact counts).
   */
  private void addQuantiles(
      List<Row> digests,
      List<String> digested,
      Features features,
      Map<LocalDate, Map<String, Stats>> statistics,
      Map<LocalDate, Map<String, FeatureProfile.Sketch>> sketches) {
    for (Row q : digests) {
      for (String feature : digested) {
        String a = features.alias().get(feature);
        Stats s = statistics.get(day(q)).get(a);
        Map<String, FeatureProfile.Sketch> ofKey =
            sketches.computeIfAbsent(day(q), k -> new HashMap<>());
        if (s.present() > 0 && !ofKey.containsKey(a)) {
          ofKey.put(
              a,
              FeatureProfile.fromQuantiles(
                  probabilities, q.getList(q.fieldIndex(a)), s.present(), s.min(), s.max()));
        }
      }
    }
  }

  /** Collects {@code query} (nothing when there are no {@code features}). */
  private static List<Row> collect(List<String> features, Supplier<Dataset<Row>> query) {
    return features.isEmpty() ? List.of() : query.get().collectAsList();
  }

  /** The feature alias of a row of {@link #pairs}. */
  private static String alias(Row r) {
    return "f" + r.<Integer>getAs("feature");
  }

  /** Quantiles kept per numeric feature and profile. */
  private int gridSize() {
    return probabilities.length;
  }

  private static LocalDate day(Row r) {
    Date day = r.getAs(KEY);
    return day == null ? null : day.toLocalDate();
  }

  private static String quote(String name) {
    return "`" + name.replace("`", "``") + "`";
  }
}
