package lakehouse.gold.drift;

import static org.apache.spark.sql.functions.col;

import com.amazon.deequ.analyzers.Analyzer;
import com.amazon.deequ.analyzers.Completeness;
import com.amazon.deequ.analyzers.Histogram;
import com.amazon.deequ.analyzers.KLLParameters;
import com.amazon.deequ.analyzers.KLLSketch;
import com.amazon.deequ.analyzers.Mean;
import com.amazon.deequ.analyzers.Size;
import com.amazon.deequ.analyzers.StandardDeviation;
import com.amazon.deequ.analyzers.runners.AnalysisRunner;
import com.amazon.deequ.analyzers.runners.AnalyzerContext;
import com.amazon.deequ.metrics.BucketDistribution;
import com.amazon.deequ.metrics.Distribution;
import com.amazon.deequ.metrics.DistributionValue;
import com.amazon.deequ.metrics.DoubleMetric;
import com.amazon.deequ.metrics.HistogramMetric;
import com.amazon.deequ.metrics.KLLMetric;
import com.amazon.deequ.metrics.Metric;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import scala.Option;
import scala.collection.JavaConverters;
import scala.util.Try;

/**
 * Profiles the features of one slice of rows (a snapshot day, a training set) with Deequ's
 * analyzers in one run: {@code Size}, and per feature {@code Completeness}; numeric features (cast
 * to double) {@code Mean}, {@code StandardDeviation} and {@code KLLSketch} (whose state carries the
 * exact min and max) — all scan-shareable, so Deequ computes them in one aggregation over the rows
 * —, categorical features (strings, booleans) a {@code Histogram} each (one grouped pass). Other
 * types (dates, timestamps, structs) are not profiled.
 */
public final class FeatureProfiler {
  private final int sketchSize;
  private final int topValues;

  /**
   * @param sketchSize the KLL sketch size (Deequ's default is 2048)
   * @param topValues categories kept per categorical feature
   */
  public FeatureProfiler(int sketchSize, int topValues) {
    this.sketchSize = sketchSize;
    this.topValues = topValues;
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
   * each gets (Deequ takes column names as SQL identifiers; plain aliases avoid quoting).
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

    /** The feature's values as profiled: double for numeric features, string otherwise. */
    Column value(String feature) {
      return col(quote(feature))
          .cast(FeatureProfile.NUMERIC.equals(kinds.get(feature)) ? "double" : "string");
    }
  }

  /**
   * Profiles {@code features} of {@code rows}.
   *
   * @param scope {@link FeatureProfile#FEATURE_SET} or {@link FeatureProfile#TRAINING_SET}
   * @param subject the set's (or training set's) name
   * @param buildId the build (training sets), else null
   * @param day the snapshot day (feature sets), else null
   * @param sourceVersion the Delta version the rows were read at (or null)
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public List<FeatureProfile> profile(
      Dataset<Row> rows,
      List<String> features,
      String scope,
      String subject,
      String buildId,
      LocalDate day,
      Long sourceVersion) {
    Features profiled = Features.of(rows, features);
    Map<String, String> kinds = profiled.kinds();
    Map<String, String> types = profiled.types();
    Map<String, String> alias = profiled.alias();
    List<Column> projection = new ArrayList<>();
    for (Map.Entry<String, String> e : kinds.entrySet()) {
      projection.add(profiled.value(e.getKey()).as(alias.get(e.getKey())));
    }
    if (projection.isEmpty()) {
      return List.of();
    }
    Dataset<Row> data = rows.select(projection.toArray(Column[]::new));
    Option<String> none = Option.empty();
    Analyzer size = new Size(none);
    Map<String, List<Analyzer>> byFeature = new LinkedHashMap<>();
    List<Analyzer> all = new ArrayList<>();
    all.add(size);
    KLLParameters kll = new KLLParameters(sketchSize, KLLSketch.DEFAULT_SHRINKING_FACTOR(), 1);
    for (Map.Entry<String, String> e : kinds.entrySet()) {
      String a = alias.get(e.getKey());
      List<Analyzer> list = new ArrayList<>();
      list.add(new Completeness(a, none, Option.empty()));
      if (FeatureProfile.NUMERIC.equals(e.getValue())) {
        // Min and max come with the KLL sketch (its exact global min and max).
        list.add(new Mean(a, none));
        list.add(new StandardDeviation(a, none));
        list.add(new KLLSketch(a, Option.apply(kll)));
      } else {
        list.add(
            new Histogram(a, Option.empty(), topValues, none, false, Histogram.Count$.MODULE$));
      }
      byFeature.put(e.getKey(), list);
      all.addAll(list);
    }
    AnalyzerContext context =
        AnalysisRunner.onData(data)
            .addAnalyzers(JavaConverters.asScalaBuffer((List) all).toSeq())
            .run();
    long total = Math.round(doubleValue(context, size, "Size"));
    List<FeatureProfile> out = new ArrayList<>();
    for (Map.Entry<String, List<Analyzer>> e : byFeature.entrySet()) {
      String feature = e.getKey();
      List<Analyzer> list = e.getValue();
      double completeness = total == 0 ? 1.0 : doubleValue(context, list.get(0), feature);
      long nulls = Math.round(total * (1.0 - completeness));
      if (FeatureProfile.NUMERIC.equals(kinds.get(feature))) {
        boolean any = total - nulls > 0;
        Double mean = any ? doubleValue(context, list.get(1), feature) : null;
        Double stddev = any ? doubleValue(context, list.get(2), feature) : null;
        FeatureProfile.Sketch sketch =
            any ? sketch(context, list.get(3), feature) : FeatureProfile.Sketch.EMPTY;
        out.add(
            new FeatureProfile(
                scope,
                subject,
                buildId,
                day,
                day == null ? 0 : 1,
                feature,
                FeatureProfile.NUMERIC,
                types.get(feature),
                total,
                nulls,
                sketch.min(),
                sketch.max(),
                mean,
                stddev,
                sketch.values(),
                sketch.weights(),
                Map.of(),
                0,
                sourceVersion));
      } else {
        Map<String, Long> categories = new LinkedHashMap<>();
        long distinct = 0;
        if (total - nulls > 0) {
          Distribution distribution = histogram(context, list.get(1), feature);
          distinct = distribution.numberOfBins();
          List<Map.Entry<String, DistributionValue>> entries =
              new ArrayList<>(JavaConverters.mapAsJavaMap(distribution.values()).entrySet());
          entries.sort(
              Comparator.<Map.Entry<String, DistributionValue>>comparingLong(
                      x -> -x.getValue().absolute())
                  .thenComparing(Map.Entry::getKey));
          for (Map.Entry<String, DistributionValue> v : entries) {
            if (Histogram.NullFieldReplacement().equals(v.getKey())) {
              distinct--;
              continue;
            }
            categories.put(v.getKey(), v.getValue().absolute());
          }
        }
        out.add(
            new FeatureProfile(
                scope,
                subject,
                buildId,
                day,
                day == null ? 0 : 1,
                feature,
                FeatureProfile.CATEGORICAL,
                types.get(feature),
                total,
                nulls,
                null,
                null,
                null,
                null,
                new double[0],
                new long[0],
                categories,
                Math.max(distinct, categories.size()),
                sourceVersion));
      }
    }
    return out;
  }

  /**
   * Profiles several snapshot days in one Deequ run (one pass over those days' rows): {@code Size}
   * and {@code Completeness} per day with a {@code where} filter on the day, and the value
   * analyzers ({@code Mean}, {@code StandardDeviation}, {@code KLLSketch}, which skip nulls) on one
   * column per feature and day that is null outside the day; a categorical feature gets one {@code
   * Histogram} over {@code (day, value)} pairs (at most Deequ's 1000 detail bins, so with many days
   * and many categories a day's rarest values may be left out of its top values). Every analyzer is
   * scan-shareable except the histograms, so the days cost one aggregation plus one grouped pass
   * per categorical feature.
   *
   * @param rows snapshot rows of at least these days
   * @param dayColumn the date column ({@code feature_date})
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public List<FeatureProfile> profileDays(
      Dataset<Row> rows,
      String dayColumn,
      List<LocalDate> days,
      List<String> features,
      String subject,
      Long sourceVersion) {
    if (days.isEmpty()) {
      return List.of();
    }
    Features profiled = Features.of(rows, features);
    Map<String, String> kinds = profiled.kinds();
    Map<String, String> types = profiled.types();
    Map<String, String> alias = profiled.alias();
    List<Column> projection = new ArrayList<>();
    projection.add(col(quote(dayColumn)).as("d"));
    for (Map.Entry<String, String> e : kinds.entrySet()) {
      String feature = e.getKey();
      String a = alias.get(feature);
      if (FeatureProfile.NUMERIC.equals(e.getValue())) {
        Column value = profiled.value(feature);
        projection.add(value.as(a));
        for (int j = 0; j < days.size(); j++) {
          projection.add(
              org.apache
                  .spark
                  .sql
                  .functions
                  .when(col(quote(dayColumn)).equalTo(java.sql.Date.valueOf(days.get(j))), value)
                  .as(a + "_" + j));
        }
      } else {
        projection.add(col(quote(feature)).cast("string").as(a));
        projection.add(
            org.apache
                .spark
                .sql
                .functions
                .concat(
                    col(quote(dayColumn)).cast("string"),
                    org.apache.spark.sql.functions.lit(SEP),
                    col(quote(feature)).cast("string"))
                .as(a + "_dv"));
      }
    }
    if (kinds.isEmpty()) {
      return List.of();
    }
    Dataset<Row> data =
        rows.filter(col(quote(dayColumn)).isin(days.stream().map(java.sql.Date::valueOf).toArray()))
            .select(projection.toArray(Column[]::new));
    Option<String> none = Option.empty();
    KLLParameters kll = new KLLParameters(sketchSize, KLLSketch.DEFAULT_SHRINKING_FACTOR(), 1);
    List<Analyzer> all = new ArrayList<>();
    List<Analyzer> sizes = new ArrayList<>();
    Map<String, List<List<Analyzer>>> perDay = new LinkedHashMap<>();
    Map<String, Analyzer> histograms = new LinkedHashMap<>();
    for (int j = 0; j < days.size(); j++) {
      Option<String> where = Option.apply("d = DATE'" + days.get(j) + "'");
      Analyzer size = new Size(where);
      sizes.add(size);
      all.add(size);
      for (Map.Entry<String, String> e : kinds.entrySet()) {
        String a = alias.get(e.getKey());
        List<Analyzer> list = new ArrayList<>();
        list.add(new Completeness(a, where, Option.empty()));
        if (FeatureProfile.NUMERIC.equals(e.getValue())) {
          String c = a + "_" + j;
          list.add(new Mean(c, none));
          list.add(new StandardDeviation(c, none));
          list.add(new KLLSketch(c, Option.apply(kll)));
        }
        perDay.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(list);
        all.addAll(list);
      }
    }
    for (Map.Entry<String, String> e : kinds.entrySet()) {
      if (FeatureProfile.CATEGORICAL.equals(e.getValue())) {
        Analyzer h =
            new Histogram(
                alias.get(e.getKey()) + "_dv",
                Option.empty(),
                Math.min(Histogram.MaximumAllowedDetailBins(), topValues * days.size()),
                none,
                false,
                Histogram.Count$.MODULE$);
        histograms.put(e.getKey(), h);
        all.add(h);
      }
    }
    AnalyzerContext context =
        AnalysisRunner.onData(data)
            .addAnalyzers(JavaConverters.asScalaBuffer((List) all).toSeq())
            .run();
    List<FeatureProfile> out = new ArrayList<>();
    for (int j = 0; j < days.size(); j++) {
      LocalDate day = days.get(j);
      long total = Math.round(doubleValue(context, sizes.get(j), "Size"));
      if (total == 0) {
        continue;
      }
      for (Map.Entry<String, String> e : kinds.entrySet()) {
        String feature = e.getKey();
        List<Analyzer> list = perDay.get(feature).get(j);
        long nulls = Math.round(total * (1.0 - doubleValue(context, list.get(0), feature)));
        boolean any = total - nulls > 0;
        if (FeatureProfile.NUMERIC.equals(e.getValue())) {
          FeatureProfile.Sketch sketch =
              any ? sketch(context, list.get(3), feature) : FeatureProfile.Sketch.EMPTY;
          out.add(
              new FeatureProfile(
                  FeatureProfile.FEATURE_SET,
                  subject,
                  null,
                  day,
                  1,
                  feature,
                  FeatureProfile.NUMERIC,
                  types.get(feature),
                  total,
                  nulls,
                  sketch.min(),
                  sketch.max(),
                  any ? doubleValue(context, list.get(1), feature) : null,
                  any ? doubleValue(context, list.get(2), feature) : null,
                  sketch.values(),
                  sketch.weights(),
                  Map.of(),
                  0,
                  sourceVersion));
        } else {
          Map<String, Long> categories = new LinkedHashMap<>();
          long distinct = 0;
          if (any) {
            Distribution distribution = histogram(context, histograms.get(feature), feature);
            String prefix = day + SEP;
            List<Map.Entry<String, DistributionValue>> entries = new ArrayList<>();
            for (Map.Entry<String, DistributionValue> v :
                JavaConverters.mapAsJavaMap(distribution.values()).entrySet()) {
              if (v.getKey().startsWith(prefix)) {
                entries.add(v);
              }
            }
            entries.sort(
                Comparator.<Map.Entry<String, DistributionValue>>comparingLong(
                        x -> -x.getValue().absolute())
                    .thenComparing(Map.Entry::getKey));
            for (Map.Entry<String, DistributionValue> v : entries) {
              if (categories.size() < topValues) {
                categories.put(v.getKey().substring(prefix.length()), v.getValue().absolute());
              }
              distinct++;
            }
          }
          out.add(
              new FeatureProfile(
                  FeatureProfile.FEATURE_SET,
                  subject,
                  null,
                  day,
                  1,
                  feature,
                  FeatureProfile.CATEGORICAL,
                  types.get(feature),
                  total,
                  nulls,
                  null,
                  null,
                  null,
                  null,
                  new double[0],
                  new long[0],
                  categories,
                  distinct,
                  sourceVersion));
        }
      }
    }
    return out;
  }

  /** Separates the day from the value in the (day, value) histogram's bins. */
  private static final String SEP = "\u0001";

  private static String quote(String name) {
    return "`" + name.replace("`", "``") + "`";
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Metric<?> metric(AnalyzerContext context, Analyzer analyzer, String feature) {
    Option<Metric<?>> metric = context.metric(analyzer);
    if (metric.isEmpty()) {
      throw new IllegalStateException("Deequ computed no " + analyzer + " for " + feature);
    }
    return metric.get();
  }

  private static double doubleValue(
      AnalyzerContext context, Analyzer<?, ?> analyzer, String feature) {
    @SuppressWarnings({"unchecked", "rawtypes"})
    DoubleMetric metric = (DoubleMetric) metric(context, (Analyzer) analyzer, feature);
    return (Double) get(metric.value(), analyzer, feature);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static FeatureProfile.Sketch sketch(
      AnalyzerContext context, Analyzer analyzer, String feature) {
    KLLMetric metric = (KLLMetric) metric(context, analyzer, feature);
    BucketDistribution distribution = get(metric.value(), analyzer, feature);
    // The compactors' items: level l holds items that stand for 2^l values each.
    double[][] levels = distribution.data();
    List<double[]> values = new ArrayList<>();
    List<long[]> weights = new ArrayList<>();
    for (int level = 0; level < levels.length; level++) {
      double[] items = levels[level];
      long[] w = new long[items.length];
      java.util.Arrays.fill(w, 1L << level);
      values.add(items);
      weights.add(w);
    }
    FeatureProfile.Sketch items = FeatureProfile.compact(values, weights);
    // One bucket from the global min to the global max (numberOfBuckets = 1).
    scala.collection.immutable.List<com.amazon.deequ.metrics.BucketValue> buckets =
        distribution.buckets();
    // The bucket's high end is min + (max - min), which may miss max by a rounding step; an
    // item that is the max itself (always so below the sketch size) gives it exactly.
    double min = buckets.head().lowValue();
    double max = buckets.last().highValue();
    if (items.values().length > 0) {
      min = Math.min(min, items.values()[0]);
      max = Math.max(max, items.values()[items.values().length - 1]);
    }
    return new FeatureProfile.Sketch(items.values(), items.weights(), min, max);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Distribution histogram(
      AnalyzerContext context, Analyzer analyzer, String feature) {
    HistogramMetric metric = (HistogramMetric) metric(context, analyzer, feature);
    return get(metric.value(), analyzer, feature);
  }

  private static <T> T get(Try<T> value, Object analyzer, String feature) {
    if (value.isFailure()) {
      Throwable cause = value.failed().get();
      throw new IllegalStateException(
          "Deequ " + analyzer + " failed on " + feature + ": " + cause.getMessage(), cause);
    }
    return value.get();
  }
}
