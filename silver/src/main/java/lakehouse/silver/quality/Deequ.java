package lakehouse.silver.quality;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;

import com.amazon.deequ.VerificationResult;
import com.amazon.deequ.VerificationRunBuilder;
import com.amazon.deequ.VerificationSuite;
import com.amazon.deequ.anomalydetection.AnomalyDetector;
import com.amazon.deequ.anomalydetection.DataPoint;
import com.amazon.deequ.anomalydetection.DetectionResult;
import com.amazon.deequ.anomalydetection.SimpleThresholdStrategy;
import com.amazon.deequ.checks.Check;
import com.amazon.deequ.checks.CheckLevel;
import com.amazon.deequ.checks.CheckResult;
import com.amazon.deequ.constraints.ConstraintResult;
import com.amazon.deequ.constraints.ConstraintStatus;
import com.amazon.deequ.metrics.Metric;
import java.io.Serializable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import lakehouse.silver.contract.CheckSpec;
import lakehouse.silver.contract.CheckSpec.CheckType;
import lakehouse.silver.quality.CheckOutcome.Status;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import scala.Option;
import scala.collection.JavaConverters;

/**
 * The project's only door to Deequ: checks go in as {@link CheckSpec}s and come out as {@link
 * CheckOutcome}s, so no other class (and no configuration) deals with Scala {@code Option}s,
 * default arguments, {@code Function1} assertions or Deequ's result maps.
 *
 * <p><b>Nulls.</b> Deequ is inconsistent about nulls: {@code isContainedIn} lets a null pass while
 * {@code hasPattern} fails it, and completeness-style row results are null for null inputs. This
 * facade decides once, explicitly: a null value <em>passes</em> every value check (range, allowed
 * values, pattern), because whether a column may be null is the contract's {@code required} rule
 * and the completeness checks. Every value check is therefore expressed as a Deequ {@code
 * satisfies} constraint whose condition starts with {@code col IS NULL OR}, so the metric and the
 * row-level result agree and a row-level result is never null.
 */
public final class Deequ {
  private Deequ() {}

  /** What the row-level verification found. */
  public record RowLevelResult(Dataset<Row> rows, List<CheckOutcome> outcomes) {}

  /**
   * Runs the row-level checks ({@code range}, {@code allowed-values}, {@code pattern}) over {@code
   * data} and returns it with the name of each failed {@code error} check appended to {@code
   * failedColumn} (an array of strings; those rows go to quarantine), plus one outcome per check:
   * compliance against its {@code min-fraction}. Rows failing a {@code warn} check are not marked:
   * they are published, and the check warns when compliance is too low.
   */
  public static RowLevelResult verifyRows(
      SparkSession spark, Dataset<Row> data, List<CheckSpec> checks, String failedColumn) {
    List<CheckSpec> rowChecks = checks.stream().filter(c -> c.type().rowLevel()).toList();
    if (rowChecks.isEmpty()) {
      return new RowLevelResult(data, List.of());
    }
    if (data.isEmpty()) {
      return new RowLevelResult(data, rowChecks.stream().map(Deequ::nothingToMeasure).toList());
    }
    Map<CheckSpec, Check> built = new LinkedHashMap<>();
    int index = 0;
    for (CheckSpec spec : rowChecks) {
      String condition = condition(spec);
      Check check =
          new Check(level(spec), "_rl_" + index++, seq(List.of()))
              .satisfies(
                  condition,
                  spec.name(),
                  atLeast(spec.minFraction()),
                  Option.empty(),
                  scala.collection.immutable.List$.MODULE$.empty(),
                  Option.empty());
      built.put(spec, check);
    }
    VerificationResult result = run(data, built.values());
    Dataset<Row> withResults = VerificationResult.rowLevelResultsAsDataFrame(spark, result, data);
    Column failed = col(failedColumn);
    for (Map.Entry<CheckSpec, Check> entry : built.entrySet()) {
      if (entry.getKey().severity() != CheckSpec.Severity.ERROR) {
        continue; // a warn check flags the batch; its rows are still published
      }
      Column passed = col(entry.getValue().description());
      // A null row result would leave a row neither good nor bad; it counts as a failure.
      Column failedThis = not(coalesce(passed, lit(false)));
      failed =
          org.apache
              .spark
              .sql
              .functions
              .when(
                  failedThis,
                  org.apache.spark.sql.functions.concat(
                      failed, org.apache.spark.sql.functions.array(lit(entry.getKey().name()))))
              .otherwise(failed);
    }
    Dataset<Row> marked =
        withResults
            .withColumn(failedColumn, failed)
            .drop(built.values().stream().map(Check::description).toArray(String[]::new));
    List<CheckOutcome> outcomes = new ArrayList<>();
    built.forEach(
        (spec, check) -> outcomes.add(outcome(spec, result, check, ">= " + spec.minFraction())));
    return new RowLevelResult(marked, outcomes);
  }

  /**
   * Runs the Deequ-measured table checks ({@code completeness}, {@code uniqueness}, {@code
   * row-count}, {@code freshness}) over {@code data}. Freshness compares the newest value with
   * {@code reference} (the end of the run date) minus {@code max-age}. Other check types in the
   * list are ignored (the gate measures them itself).
   */
  public static List<CheckOutcome> verifyTable(
      Dataset<Row> data, List<CheckSpec> checks, Instant reference) {
    Map<CheckSpec, Check> built = new LinkedHashMap<>();
    Map<CheckSpec, String> thresholds = new LinkedHashMap<>();
    Dataset<Row> measured = data;
    boolean empty = data.isEmpty();
    List<CheckOutcome> skipped = new ArrayList<>();
    int index = 0;
    for (CheckSpec spec : checks) {
      Check check = new Check(level(spec), "_tc_" + index++, seq(List.of()));
      switch (spec.type()) {
        case COMPLETENESS -> {
          check =
              check.hasCompleteness(
                  spec.column(), atLeast(spec.minFraction()), Option.empty(), Option.empty());
          thresholds.put(spec, ">= " + spec.minFraction());
        }
        case UNIQUENESS -> {
          check = check.hasUniqueness(seq(spec.columns()), atLeast(spec.minFraction()));
          thresholds.put(spec, ">= " + spec.minFraction());
        }
        case ROW_COUNT -> {
          double min = spec.min() == null ? Double.NEGATIVE_INFINITY : spec.min();
          double max = spec.max() == null ? Double.POSITIVE_INFINITY : spec.max();
          check = check.hasSize(between(min, max), Option.empty());
          thresholds.put(
              spec,
              "in ["
                  + (spec.min() == null ? "-inf" : CheckOutcome.format(min))
                  + ", "
                  + (spec.max() == null ? "inf" : CheckOutcome.format(max))
                  + "]");
        }
        case FRESHNESS -> {
          String epoch = "_fresh_" + index;
          measured = measured.withColumn(epoch, col(spec.column()).cast("double"));
          double oldest = reference.minus(spec.maxAge()).getEpochSecond();
          check = check.hasMax(epoch, atLeast(oldest), Option.empty(), Option.empty());
          thresholds.put(
              spec,
              "newest >= "
                  + Instant.ofEpochSecond((long) oldest)
                  + " (epoch seconds "
                  + CheckOutcome.format(oldest)
                  + ")");
        }
        default -> {
          continue;
        }
      }
      if (empty && spec.type() != CheckType.ROW_COUNT) {
        skipped.add(nothingToMeasure(spec));
        continue;
      }
      built.put(spec, check);
    }
    List<CheckOutcome> outcomes = new ArrayList<>();
    if (!built.isEmpty()) {
      VerificationResult result = run(measured, built.values());
      built.forEach(
          (spec, check) -> outcomes.add(outcome(spec, result, check, thresholds.get(spec))));
    }
    outcomes.addAll(skipped);
    return outcomes;
  }

  /** The verdict of an anomaly check on one new value. */
  public record Anomaly(boolean anomalous, String detail) {}

  /**
   * Relative rate of change of one new value against the previous one (the last of {@code history},
   * oldest first): anomalous when it fell by more than {@code maxDecrease} or rose by more than
   * {@code maxIncrease} (0.5 = 50%). Either bound may be null.
   *
   * <p>Deequ's own {@code RelativeRateOfChangeStrategy} needs Breeze, which Spark's SQL
   * distribution does not carry; the same rule is Deequ's {@code SimpleThresholdStrategy} applied
   * to the ratio {@code value / previous}, which needs nothing beyond Deequ itself.
   */
  public static Anomaly relativeRateOfChange(
      List<Double> history, double value, Double maxDecrease, Double maxIncrease) {
    if (history.isEmpty()) {
      throw new IllegalArgumentException("anomaly detection needs at least one earlier value");
    }
    double previous = history.get(history.size() - 1);
    double ratio = previous == 0 ? (value == 0 ? 1.0 : Double.POSITIVE_INFINITY) : value / previous;
    double lower = maxDecrease == null ? -Double.MAX_VALUE : 1.0 - maxDecrease;
    double upper = maxIncrease == null ? Double.MAX_VALUE : 1.0 + maxIncrease;
    AnomalyDetector detector = new AnomalyDetector(new SimpleThresholdStrategy(lower, upper));
    List<DataPoint<Object>> points =
        List.of(new DataPoint<>(history.size(), Option.apply((Object) ratio)));
    DetectionResult result =
        detector.detectAnomaliesInHistory(
            seq(points), new scala.Tuple2<>((Object) Long.MIN_VALUE, (Object) Long.MAX_VALUE));
    if (result.anomalies().isEmpty()) {
      return new Anomaly(false, "");
    }
    return new Anomaly(
        true,
        String.format(
            java.util.Locale.ROOT,
            "%s -> %s is a change of %+.1f%%",
            CheckOutcome.format(previous),
            CheckOutcome.format(value),
            (ratio - 1) * 100));
  }

  private static VerificationResult run(Dataset<Row> data, java.util.Collection<Check> checks) {
    VerificationRunBuilder builder = new VerificationSuite().onData(data);
    for (Check check : checks) {
      builder = builder.addCheck(check);
    }
    return builder.run();
  }

  private static CheckOutcome outcome(
      CheckSpec spec, VerificationResult result, Check check, String threshold) {
    Map<Check, CheckResult> results = JavaConverters.mapAsJavaMap(result.checkResults());
    CheckResult checkResult = results.get(check);
    ConstraintResult constraint = checkResult.constraintResults().head();
    double value = Double.NaN;
    String metricName = spec.type().label();
    Option<Metric<?>> metric = constraint.metric();
    if (metric.isDefined()) {
      metricName = metric.get().name();
      if (metric.get().value().isSuccess()) {
        Object raw = metric.get().value().get();
        if (raw instanceof Number number) {
          value = number.doubleValue();
        }
      }
    }
    boolean success = constraint.status().equals(ConstraintStatus.Success());
    String detail = success || constraint.message().isEmpty() ? "" : constraint.message().get();
    return CheckOutcome.of(
        spec, metricName, value, threshold, success ? Status.PASSED : Status.FAILED, detail);
  }

  private static CheckOutcome nothingToMeasure(CheckSpec spec) {
    return CheckOutcome.of(
        spec, spec.type().label(), Double.NaN, "-", Status.SKIPPED, "no rows to measure");
  }

  /** The SQL condition of a value check; {@code IS NULL OR} makes the null policy explicit. */
  static String condition(CheckSpec spec) {
    String c = "`" + spec.column() + "`";
    return switch (spec.type()) {
      case RANGE -> {
        List<String> parts = new ArrayList<>();
        if (spec.min() != null) {
          parts.add(c + " >= " + spec.min());
        }
        if (spec.max() != null) {
          parts.add(c + " <= " + spec.max());
        }
        yield c + " IS NULL OR (" + String.join(" AND ", parts) + ")";
      }
      case ALLOWED_VALUES ->
          c
              + " IS NULL OR CAST("
              + c
              + " AS STRING) IN ("
              + String.join(", ", spec.values().stream().map(Deequ::literal).toList())
              + ")";
      case PATTERN -> c + " IS NULL OR CAST(" + c + " AS STRING) RLIKE " + literal(spec.pattern());
      default -> throw new IllegalArgumentException(spec.type() + " is not a value check");
    };
  }

  /** A Spark SQL string literal: backslashes and quotes escaped. */
  static String literal(String value) {
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }

  private static scala.Enumeration.Value level(CheckSpec spec) {
    return spec.severity() == CheckSpec.Severity.ERROR ? CheckLevel.Error() : CheckLevel.Warning();
  }

  private static <T> scala.collection.Seq<T> seq(List<T> items) {
    return JavaConverters.asScalaBuffer(new ArrayList<>(items)).toList();
  }

  /** Deequ assertions are Scala functions; these are serializable because checks may travel. */
  private interface Assertion extends scala.Function1<Object, Object>, Serializable {}

  private static Assertion atLeast(double min) {
    return v -> ((Number) v).doubleValue() >= min;
  }

  private static Assertion between(double min, double max) {
    return v -> ((Number) v).doubleValue() >= min && ((Number) v).doubleValue() <= max;
  }
}
