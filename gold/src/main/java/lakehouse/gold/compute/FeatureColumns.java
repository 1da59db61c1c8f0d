package lakehouse.gold.compute;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.datediff;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.when;

import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import lakehouse.gold.declarations.FeatureSet;
import lakehouse.gold.declarations.FeatureSpec;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;

/**
 * The time arithmetic and derived features both computations share, so that they cannot disagree
 * about what a day, a feature time or a ratio is.
 *
 * <p>Days are UTC calendar days. The snapshot of day D has {@code feature_time = D 23:59:59.999999}
 * (the last instant it covers, Spark timestamps being microseconds) and uses exactly the events
 * with {@code event_time <= feature_time}, i.e. {@code event_time < D+1 00:00:00}; an event at
 * midnight belongs to the day it starts.
 */
public final class FeatureColumns {
  public static final String FEATURE_TIME = "feature_time";
  public static final String FEATURE_DATE = "feature_date";
  private static final LocalDate EPOCH = LocalDate.EPOCH;

  private FeatureColumns() {}

  /** Days since 1970-01-01 of a timestamp's UTC date (range windows need a number). */
  public static Column dayNumber(Column timestamp) {
    return datediff(to_date(timestamp), lit(java.sql.Date.valueOf(EPOCH)));
  }

  public static int dayNumber(LocalDate date) {
    return Math.toIntExact(date.toEpochDay());
  }

  /** The date of a day number. */
  public static Column date(Column dayNumber) {
    return functions.date_add(lit(java.sql.Date.valueOf(EPOCH)), dayNumber);
  }

  /** {@code D 23:59:59.999999} for the date D. */
  public static Column featureTime(Column date) {
    return functions.timestamp_micros(
        functions.unix_micros(functions.date_add(date, 1).cast(DataTypes.TimestampType)).minus(1));
  }

  /** The first instant of a day, as a literal (UTC). */
  public static Column startOf(LocalDate date) {
    return lit(Timestamp.from(date.atStartOfDay(ZoneOffset.UTC).toInstant()));
  }

  /** A ratio of two features: null when the denominator is 0 or null. */
  public static Column ratio(Column numerator, Column denominator) {
    return when(denominator.isNull().or(denominator.equalTo(0)), lit(null).cast("double"))
        .otherwise(numerator.cast("double").divide(denominator.cast("double")));
  }

  /** The short window's daily rate against the long window's daily rate. */
  public static Column trend(Column shortValue, int shortDays, Column longValue, int longDays) {
    return ratio(
        shortValue.cast("double").divide(shortDays), longValue.cast("double").divide(longDays));
  }

  /** Adds the ratio and trend features, which read the other features of the same row. */
  public static org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> withDerived(
      org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> rows, FeatureSet set) {
    org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> result = rows;
    for (FeatureSpec feature : set.features()) {
      if (feature instanceof FeatureSpec.Ratio r) {
        result = result.withColumn(r.name(), ratio(col(r.numerator()), col(r.denominator())));
      } else if (feature instanceof FeatureSpec.Trend t) {
        int shortDays = ((FeatureSpec.Aggregate) set.feature(t.shortFeature())).windowDays();
        int longDays = ((FeatureSpec.Aggregate) set.feature(t.longFeature())).windowDays();
        result =
            result.withColumn(
                t.name(), trend(col(t.shortFeature()), shortDays, col(t.longFeature()), longDays));
      }
    }
    return result;
  }

  /** The output columns in order: keys, feature_time, feature_date, features. */
  public static List<Column> outputColumns(FeatureSet set) {
    List<Column> columns = new java.util.ArrayList<>();
    set.entity().forEach(k -> columns.add(col(k)));
    columns.add(col(FEATURE_TIME));
    columns.add(col(FEATURE_DATE));
    set.features().forEach(f -> columns.add(col(f.name())));
    return columns;
  }

  /** The row condition of a feature: its filter (if any) and, if it reads a column, not null. */
  public static Column condition(String filter, String column) {
    Column condition = filter == null ? lit(true) : functions.expr(filter);
    if (column != null) {
      condition = condition.and(col(column).isNotNull());
    }
    // A filter that is null for a row (e.g. a null status) does not select it.
    return functions.coalesce(condition, lit(false));
  }
}
