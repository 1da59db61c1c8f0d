package lakehouse.gold.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import lakehouse.common.testing.SparkTestSession;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * Profiles data through {@link FeatureProfiler} and checks every statistic and drift measure
 * against an exact computation on the raw values: with at most sketch-size values the quantile
 * sketch holds them all, so PSI and KS must agree to rounding; with more, within the sketch's
 * resolution.
 */
class DriftMeasuresTest {
  private static final StructType SCHEMA =
      new StructType()
          .add("amount", DataTypes.DoubleType, true)
          .add("visits", DataTypes.IntegerType, true)
          .add("country", DataTypes.StringType, true);

  private final SparkSession spark = SparkTestSession.get();

  @Test
  void psiKsAndStatisticsAgreeWithAnExactComputation() {
    Random rng = new Random(5);
    List<Double> refAmount = new ArrayList<>();
    List<Double> curAmount = new ArrayList<>();
    List<Integer> refVisits = new ArrayList<>();
    List<Integer> curVisits = new ArrayList<>();
    List<String> refCountry = new ArrayList<>();
    List<String> curCountry = new ArrayList<>();
    String[] countries = {"DE", "FR", "NL", "PL"};
    for (int i = 0; i < 300; i++) {
      refAmount.add(i % 17 == 0 ? null : Math.round(rng.nextGaussian() * 1000) / 100.0 + 50);
      refVisits.add(i % 11 == 0 ? null : rng.nextInt(6));
      refCountry.add(i % 13 == 0 ? null : countries[Math.min(3, (int) (rng.nextDouble() * 3.5))]);
    }
    for (int i = 0; i < 200; i++) {
      curAmount.add(i % 5 == 0 ? null : Math.round(rng.nextGaussian() * 1200) / 100.0 + 53);
      curVisits.add(rng.nextInt(8));
      curCountry.add(i % 7 == 0 ? null : countries[rng.nextInt(4)]);
    }
    FeatureProfiler profiler = new FeatureProfiler(2048, 50);
    Map<String, FeatureProfile> ref =
        profileDay(
            profiler,
            frame(refAmount, refVisits, refCountry),
            List.of("amount", "visits", "country"),
            1);
    Map<String, FeatureProfile> cur =
        profileDay(
            profiler,
            frame(curAmount, curVisits, curCountry),
            List.of("amount", "visits", "country"),
            2);

    // Statistics.
    FeatureProfile amount = ref.get("amount");
    List<Double> present = refAmount.stream().filter(v -> v != null).toList();
    assertThat(amount.rows()).isEqualTo(300);
    assertThat(amount.nulls()).isEqualTo(refAmount.size() - present.size());
    assertThat(amount.min()).isEqualTo(present.stream().mapToDouble(d -> d).min().getAsDouble());
    assertThat(amount.max()).isEqualTo(present.stream().mapToDouble(d -> d).max().getAsDouble());
    double mean = present.stream().mapToDouble(d -> d).average().getAsDouble();
    assertThat(amount.mean()).isCloseTo(mean, within(1e-9));
    double var = present.stream().mapToDouble(d -> (d - mean) * (d - mean)).sum() / present.size();
    assertThat(amount.stddev()).isCloseTo(Math.sqrt(var), within(1e-9));
    assertThat(amount.totalWeight()).isEqualTo(present.size());
    assertThat(ref.get("country").categories().values().stream().mapToLong(l -> l).sum())
        .isEqualTo(refCountry.stream().filter(v -> v != null).count());
    assertThat(ref.get("country").rows()).isEqualTo(300);
    assertThat(ref.get("country").nulls())
        .isEqualTo(refCountry.stream().filter(v -> v == null).count());
    // Integer features: statistics from their exact value counts.
    FeatureProfile visits = ref.get("visits");
    double[] v = ints(refVisits);
    assertThat(visits.rows()).isEqualTo(300);
    assertThat(visits.nulls()).isEqualTo(refVisits.size() - v.length);
    assertThat(visits.min()).isEqualTo(Arrays.stream(v).min().getAsDouble());
    assertThat(visits.max()).isEqualTo(Arrays.stream(v).max().getAsDouble());
    double visitsMean = Arrays.stream(v).average().getAsDouble();
    assertThat(visits.mean()).isCloseTo(visitsMean, within(1e-12));
    double visitsVar =
        Arrays.stream(v).map(d -> (d - visitsMean) * (d - visitsMean)).sum() / v.length;
    assertThat(visits.stddev()).isCloseTo(Math.sqrt(visitsVar), within(1e-12));
    assertThat(visits.totalWeight()).isEqualTo(v.length);

    // Numeric PSI and KS, exactly.
    assertThat(DriftMeasures.numericPsi(ref.get("amount"), cur.get("amount")))
        .isCloseTo(exactPsi(doubles(refAmount), doubles(curAmount)), within(1e-9));
    assertThat(DriftMeasures.ks(ref.get("amount"), cur.get("amount")))
        .isCloseTo(exactKs(doubles(refAmount), doubles(curAmount)), within(1e-12));
    assertThat(DriftMeasures.numericPsi(ref.get("visits"), cur.get("visits")))
        .isCloseTo(exactPsi(ints(refVisits), ints(curVisits)), within(1e-9));
    assertThat(DriftMeasures.ks(ref.get("visits"), cur.get("visits")))
        .isCloseTo(exactKs(ints(refVisits), ints(curVisits)), within(1e-12));
    assertThat(DriftMeasures.ks(ref.get("visits"), cur.get("visits"))).isGreaterThan(0.1);

    // Categorical PSI on shares, exactly.
    assertThat(DriftMeasures.categoricalPsi(ref.get("country"), cur.get("country")))
        .isCloseTo(exactCategoricalPsi(refCountry, curCountry), within(1e-9));

    // Null rate change.
    assertThat(DriftMeasures.nullRateChange(ref.get("amount"), cur.get("amount")))
        .isCloseTo(nullRate(curAmount) - nullRate(refAmount), within(1e-12));
    assertThat(DriftMeasures.nullRateChange(ref.get("visits"), cur.get("visits")))
        .isCloseTo(0.0 - nullRate(refVisits), within(1e-12));

    // A profile against itself: no drift.
    assertThat(DriftMeasures.numericPsi(amount, amount)).isEqualTo(0.0);
    assertThat(DriftMeasures.ks(amount, amount)).isEqualTo(0.0);
  }

  @Test
  void mergedWindowEqualsTheProfileOfThePooledValues() {
    Random rng = new Random(9);
    List<Double> a = new ArrayList<>();
    List<Double> b = new ArrayList<>();
    for (int i = 0; i < 120; i++) {
      a.add(i % 10 == 0 ? null : (double) rng.nextInt(40));
      b.add((double) rng.nextInt(60));
    }
    List<Double> both = new ArrayList<>(a);
    both.addAll(b);
    FeatureProfiler profiler = new FeatureProfiler(2048, 50);
    List<Integer> noInts = new ArrayList<>();
    List<String> noStrings = new ArrayList<>();
    FeatureProfile pa =
        profileDay(
                profiler,
                frame(a, nulls(a.size(), noInts), nulls(a.size(), noStrings)),
                List.of("amount"),
                1)
            .get("amount");
    FeatureProfile pb =
        profileDay(
                profiler,
                frame(b, nulls(b.size(), noInts), nulls(b.size(), noStrings)),
                List.of("amount"),
                2)
            .get("amount");
    FeatureProfile merged = FeatureProfile.merge(List.of(pa, pb));
    double[] pooled = doubles(both);
    assertThat(merged.rows()).isEqualTo(240);
    assertThat(merged.nulls()).isEqualTo(12);
    double mean = Arrays.stream(pooled).average().getAsDouble();
    assertThat(merged.mean()).isCloseTo(mean, within(1e-9));
    double var = Arrays.stream(pooled).map(d -> (d - mean) * (d - mean)).sum() / pooled.length;
    assertThat(merged.stddev()).isCloseTo(Math.sqrt(var), within(1e-9));
    for (double x : new double[] {-1, 0, 5, 17.5, 39, 45, 59, 100}) {
      assertThat(merged.cdf(x)).isCloseTo(ecdf(pooled, x), within(1e-12));
    }
  }

  @Test
  void severalDaysInOnePassGiveTheProfilesOfEachDayAlone() {
    Random rng = new Random(13);
    List<Row> rows = new ArrayList<>();
    java.time.LocalDate first = java.time.LocalDate.of(2026, 2, 1);
    for (int day = 0; day < 3; day++) {
      for (int i = 0; i < 50 + 20 * day; i++) {
        rows.add(
            RowFactory.create(
                java.sql.Date.valueOf(first.plusDays(day)),
                i % 9 == 0 ? null : (double) rng.nextInt(10 + day * 5),
                i % 4 == 0 ? null : rng.nextInt(3),
                i % 7 == 0
                    ? null
                    : new String[] {"DE", "FR", "NL"}[rng.nextInt(3 - (day == 2 ? 1 : 0))]));
      }
    }
    StructType schema =
        new StructType()
            .add("feature_date", DataTypes.DateType, false)
            .add("amount", DataTypes.DoubleType, true)
            .add("visits", DataTypes.IntegerType, true)
            .add("country", DataTypes.StringType, true);
    Dataset<Row> frame = spark.createDataFrame(rows, schema);
    FeatureProfiler profiler = new FeatureProfiler(2048, 50);
    List<java.time.LocalDate> days = List.of(first, first.plusDays(1), first.plusDays(2));
    List<String> features = List.of("amount", "visits", "country");
    List<FeatureProfile> together =
        profiler.profileDays(frame, "feature_date", days, features, "t", 3L);
    assertThat(together).hasSize(9);
    for (java.time.LocalDate day : days) {
      List<FeatureProfile> alone =
          profiler.profile(
              frame.filter(
                  org.apache
                      .spark
                      .sql
                      .functions
                      .col("feature_date")
                      .equalTo(java.sql.Date.valueOf(day))),
              features,
              FeatureProfile.FEATURE_SET,
              "t",
              null,
              day,
              3L);
      for (FeatureProfile a : alone) {
        FeatureProfile t =
            together.stream()
                .filter(p -> p.day().equals(day) && p.feature().equals(a.feature()))
                .findFirst()
                .orElseThrow();
        assertThat(t.rows()).as(day + " " + a.feature()).isEqualTo(a.rows());
        assertThat(t.nulls()).isEqualTo(a.nulls());
        assertThat(t.min()).isEqualTo(a.min());
        assertThat(t.max()).isEqualTo(a.max());
        // Sums in another order: equal up to rounding.
        if (a.mean() == null) {
          assertThat(t.mean()).isNull();
          assertThat(t.stddev()).isNull();
        } else {
          assertThat(t.mean()).isCloseTo(a.mean(), within(1e-12));
          assertThat(t.stddev()).isCloseTo(a.stddev(), within(1e-12));
        }
        assertThat(t.values()).containsExactly(a.values());
        assertThat(t.weights()).containsExactly(a.weights());
        assertThat(t.categories()).containsExactlyEntriesOf(a.categories());
        assertThat(t.distinct()).isEqualTo(a.distinct());
      }
    }
  }

  @Test
  void beyondTheSketchSizeMeasuresAgreeWithTheExactOnesWithinTheSketchsResolution() {
    Random rng = new Random(21);
    List<Double> refAmount = new ArrayList<>();
    List<Double> curAmount = new ArrayList<>();
    List<Integer> refVisits = new ArrayList<>();
    List<Integer> curVisits = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      refAmount.add(i % 10 == 0 ? null : Math.exp(rng.nextGaussian()) * 40);
      curAmount.add(Math.exp(rng.nextGaussian() * 1.2 + 0.1) * 40);
      refVisits.add(rng.nextInt(3) == 0 ? 0 : rng.nextInt(12));
      curVisits.add(rng.nextInt(4) == 0 ? 0 : rng.nextInt(14));
    }
    int sketchSize = 256;
    // One grid step plus percentile_approx's rank error (accuracy 10,000).
    double resolution = 1.0 / sketchSize + 1.0 / FeatureProfiler.DEFAULT_ACCURACY;
    FeatureProfiler profiler = new FeatureProfiler(sketchSize, 50);
    List<String> features = List.of("amount", "visits");
    List<String> noStrings = nulls(refAmount.size(), new ArrayList<String>());
    Map<String, FeatureProfile> ref =
        profileDay(profiler, frame(refAmount, refVisits, noStrings), features, 1);
    Map<String, FeatureProfile> cur =
        profileDay(profiler, frame(curAmount, curVisits, noStrings), features, 2);
    for (String feature : features) {
      double[] r = feature.equals("amount") ? doubles(refAmount) : ints(refVisits);
      double[] c = feature.equals("amount") ? doubles(curAmount) : ints(curVisits);
      FeatureProfile profile = ref.get(feature);
      assertThat(profile.values().length)
          .as(feature + " items")
          .isLessThanOrEqualTo(sketchSize + 1);
      assertThat(profile.totalWeight()).isEqualTo(r.length);
      assertThat(profile.min()).isEqualTo(Arrays.stream(r).min().getAsDouble());
      assertThat(profile.max()).isEqualTo(Arrays.stream(r).max().getAsDouble());
      double[] sorted = r.clone();
      Arrays.sort(sorted);
      for (int i = 0; i < sorted.length; i += 97) {
        assertThat(profile.cdf(sorted[i]))
            .as(feature + " CDF at " + sorted[i])
            .isCloseTo(ecdf(r, sorted[i]), within(resolution));
      }
      double ks = DriftMeasures.ks(ref.get(feature), cur.get(feature));
      // A numeric feature with few distinct values is counted exactly; the others are sketched.
      double tolerance = feature.equals("visits") ? 1e-12 : 2 * resolution;
      assertThat(ks).as(feature + " KS").isCloseTo(exactKs(r, c), within(tolerance));
      double psi = DriftMeasures.numericPsi(ref.get(feature), cur.get(feature));
      double exact = exactPsi(r, c);
      assertThat(exact).as(feature + " drifts").isGreaterThan(0.05);
      // Ten bins, each share off by at most twice the resolution (its two edges' CDF values) and
      // the edges themselves reference quantiles within the resolution: a few percent of PSI.
      assertThat(psi)
          .as(feature + " PSI")
          .isCloseTo(exact, within(feature.equals("visits") ? 1e-9 : 0.05 * exact));
    }
    assertThat(ref.get("amount").values().length).as("sketched").isLessThan(sketchSize + 2);
    assertThat(ref.get("visits").values()).as("counted").hasSize(12);

    // An integer feature with more distinct values than the sketch size is sketched too.
    List<Integer> many = new ArrayList<>();
    for (int i = 0; i < refAmount.size(); i++) {
      many.add(rng.nextInt(5_000));
    }
    FeatureProfile manyVisits =
        byFeature(
                profiler.profile(
                    frame(refAmount, many, noStrings),
                    List.of("visits"),
                    FeatureProfile.TRAINING_SET,
                    "t",
                    "b",
                    null,
                    null))
            .get("visits");
    assertThat(manyVisits.values().length).isLessThan(sketchSize + 2);
    assertThat(manyVisits.totalWeight()).isEqualTo(many.size());
    for (double x : new double[] {10, 500, 2_500, 4_321, 4_990}) {
      assertThat(manyVisits.cdf(x)).isCloseTo(ecdf(ints(many), x), within(resolution));
    }

    // A small day profiled with a large one (so through the quantile grid) is still exact.
    List<Row> rows = new ArrayList<>();
    java.time.LocalDate large = java.time.LocalDate.of(2026, 3, 1);
    java.time.LocalDate small = large.plusDays(1);
    for (int i = 0; i < refAmount.size(); i++) {
      rows.add(RowFactory.create(java.sql.Date.valueOf(large), refAmount.get(i)));
    }
    List<Double> few = curAmount.subList(0, 200);
    for (Double v : few) {
      rows.add(RowFactory.create(java.sql.Date.valueOf(small), v));
    }
    Dataset<Row> days =
        spark.createDataFrame(
            rows,
            new StructType()
                .add("feature_date", DataTypes.DateType, false)
                .add("amount", DataTypes.DoubleType, true));
    FeatureProfile smallDay =
        profiler
            .profileDays(days, "feature_date", List.of(large, small), List.of("amount"), "t", 0L)
            .stream()
            .filter(p -> p.day().equals(small))
            .findFirst()
            .orElseThrow();
    double[] exactValues = few.stream().mapToDouble(d -> d).sorted().distinct().toArray();
    assertThat(smallDay.values()).containsExactly(exactValues);
    for (double x : exactValues) {
      assertThat(smallDay.cdf(x)).isCloseTo(ecdf(doubles(few), x), within(1e-12));
    }
  }

  @Test
  void anIntegerFeatureWithTooManyValuesOnOneDayIsSketchedThereAndCountedElsewhere() {
    Random rng = new Random(29);
    List<Row> rows = new ArrayList<>();
    java.time.LocalDate few = java.time.LocalDate.of(2026, 4, 1);
    java.time.LocalDate many = few.plusDays(1);
    java.time.LocalDate none = few.plusDays(2);
    List<Integer> fewValues = new ArrayList<>();
    List<Integer> manyValues = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      fewValues.add(i % 9 == 0 ? null : rng.nextInt(6));
      manyValues.add(i % 7 == 0 ? null : rng.nextInt(1_000) - 300);
    }
    fewValues.forEach(x -> rows.add(RowFactory.create(java.sql.Date.valueOf(few), x)));
    manyValues.forEach(x -> rows.add(RowFactory.create(java.sql.Date.valueOf(many), x)));
    for (int i = 0; i < 5; i++) {
      rows.add(RowFactory.create(java.sql.Date.valueOf(none), null));
    }
    Dataset<Row> frame =
        spark.createDataFrame(
            rows,
            new StructType()
                .add("feature_date", DataTypes.DateType, false)
                .add("visits", DataTypes.IntegerType, true));
    int sketchSize = 16;
    Map<java.time.LocalDate, FeatureProfile> byDay = new LinkedHashMap<>();
    for (FeatureProfile p :
        new FeatureProfiler(sketchSize, 50)
            .profileDays(
                frame, "feature_date", List.of(few, many, none), List.of("visits"), "t", 0L)) {
      byDay.put(p.day(), p);
    }
    for (java.time.LocalDate day : List.of(few, many)) {
      List<Integer> raw = day.equals(few) ? fewValues : manyValues;
      double[] v = ints(raw);
      FeatureProfile p = byDay.get(day);
      assertThat(p.rows()).as(day + " rows").isEqualTo(raw.size());
      assertThat(p.nulls()).isEqualTo(raw.size() - v.length);
      assertThat(p.min()).isEqualTo(Arrays.stream(v).min().getAsDouble());
      assertThat(p.max()).isEqualTo(Arrays.stream(v).max().getAsDouble());
      double mean = Arrays.stream(v).average().getAsDouble();
      assertThat(p.mean()).isCloseTo(mean, within(1e-12));
      double var = Arrays.stream(v).map(d -> (d - mean) * (d - mean)).sum() / v.length;
      assertThat(p.stddev()).isCloseTo(Math.sqrt(var), within(1e-9));
      assertThat(p.totalWeight()).isEqualTo(v.length);
    }
    // The day with few values keeps its exact counts; the other one is sketched.
    assertThat(byDay.get(few).values()).containsExactly(0, 1, 2, 3, 4, 5);
    for (double x = 0; x <= 5; x++) {
      assertThat(byDay.get(few).cdf(x)).isCloseTo(ecdf(ints(fewValues), x), within(1e-12));
    }
    assertThat(byDay.get(many).values().length).isLessThanOrEqualTo(sketchSize + 1);
    // A day of nulls only: rows and nulls, no values.
    FeatureProfile empty = byDay.get(none);
    assertThat(empty.rows()).isEqualTo(5);
    assertThat(empty.nulls()).isEqualTo(5);
    assertThat(empty.min()).isNull();
    assertThat(empty.mean()).isNull();
    assertThat(empty.stddev()).isNull();
    assertThat(empty.values()).isEmpty();
  }

  @Test
  void thresholdsDecideSeverity() {
    DriftSpec.Threshold t = new DriftSpec.Threshold(0.1, 0.25);
    assertThat(t.severity(0.05)).isEqualTo("ok");
    assertThat(t.severity(0.1)).isEqualTo("warn");
    assertThat(t.severity(0.3)).isEqualTo("error");
    assertThat(t.severity(-0.3)).isEqualTo("error");
    assertThat(t.severity(null)).isEqualTo("ok");
    assertThat(new DriftSpec.Threshold(null, 0.5).severity(0.4)).isEqualTo("ok");
  }

  // ---- exact computations on raw values ----

  private static double exactQuantile(double[] sorted, double p) {
    for (int i = 0; i < sorted.length; i++) {
      if ((double) (i + 1) / sorted.length >= p - 1e-12
          && (i + 1 == sorted.length || sorted[i + 1] != sorted[i])) {
        return sorted[i];
      }
    }
    return sorted[sorted.length - 1];
  }

  private static double ecdf(double[] values, double x) {
    return Arrays.stream(values).filter(v -> v <= x).count() / (double) values.length;
  }

  private static double exactPsi(double[] ref, double[] cur) {
    double[] sorted = ref.clone();
    Arrays.sort(sorted);
    TreeSet<Double> edges = new TreeSet<>();
    for (int i = 1; i < 10; i++) {
      double q = exactQuantile(sorted, i / 10.0);
      if (q < sorted[sorted.length - 1]) {
        edges.add(q);
      }
    }
    List<Double> e = new ArrayList<>(edges);
    double psi = 0;
    for (int b = 0; b <= e.size(); b++) {
      double lo = b == 0 ? Double.NEGATIVE_INFINITY : e.get(b - 1);
      double hi = b == e.size() ? Double.POSITIVE_INFINITY : e.get(b);
      double r = Math.max(share(ref, lo, hi), DriftMeasures.EPSILON);
      double c = Math.max(share(cur, lo, hi), DriftMeasures.EPSILON);
      psi += (c - r) * Math.log(c / r);
    }
    return psi;
  }

  private static double share(double[] values, double lo, double hi) {
    return Arrays.stream(values).filter(v -> v > lo && v <= hi).count() / (double) values.length;
  }

  private static double exactKs(double[] ref, double[] cur) {
    double[] r = ref.clone();
    double[] c = cur.clone();
    Arrays.sort(r);
    Arrays.sort(c);
    double worst = 0;
    for (double[] side : List.of(r, c)) {
      for (double x : side) {
        worst = Math.max(worst, Math.abs(sortedEcdf(r, x) - sortedEcdf(c, x)));
      }
    }
    return worst;
  }

  /** Share of the sorted values that are {@code <= x}. */
  private static double sortedEcdf(double[] sorted, double x) {
    int lo = 0;
    int hi = sorted.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (sorted[mid] <= x) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo / (double) sorted.length;
  }

  private static double exactCategoricalPsi(List<String> ref, List<String> cur) {
    LinkedHashSet<String> categories = new LinkedHashSet<>();
    ref.stream().filter(v -> v != null).forEach(categories::add);
    cur.stream().filter(v -> v != null).forEach(categories::add);
    double psi = 0;
    long rn = ref.stream().filter(v -> v != null).count();
    long cn = cur.stream().filter(v -> v != null).count();
    for (String c : categories) {
      double r =
          Math.max(ref.stream().filter(c::equals).count() / (double) rn, DriftMeasures.EPSILON);
      double s =
          Math.max(cur.stream().filter(c::equals).count() / (double) cn, DriftMeasures.EPSILON);
      psi += (s - r) * Math.log(s / r);
    }
    return psi;
  }

  private static double nullRate(List<?> values) {
    return values.stream().filter(v -> v == null).count() / (double) values.size();
  }

  private static double[] doubles(List<Double> values) {
    return values.stream().filter(v -> v != null).mapToDouble(d -> d).toArray();
  }

  private static double[] ints(List<Integer> values) {
    return values.stream().filter(v -> v != null).mapToDouble(d -> d).toArray();
  }

  private static <T> List<T> nulls(int n, List<T> type) {
    List<T> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(null);
    }
    return out;
  }

  private Dataset<Row> frame(List<Double> amount, List<Integer> visits, List<String> country) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < amount.size(); i++) {
      rows.add(RowFactory.create(amount.get(i), visits.get(i), country.get(i)));
    }
    return spark.createDataFrame(rows, SCHEMA);
  }

  /** The feature-set profiles of one frame as the day 2026-01-{@code day}, by feature. */
  private static Map<String, FeatureProfile> profileDay(
      FeatureProfiler profiler, Dataset<Row> frame, List<String> features, int day) {
    return byFeature(
        profiler.profile(
            frame,
            features,
            FeatureProfile.FEATURE_SET,
            "t",
            null,
            java.time.LocalDate.of(2026, 1, day),
            0L));
  }

  private static Map<String, FeatureProfile> byFeature(List<FeatureProfile> profiles) {
    Map<String, FeatureProfile> out = new LinkedHashMap<>();
    profiles.forEach(p -> out.put(p.feature(), p));
    return out;
  }
}
