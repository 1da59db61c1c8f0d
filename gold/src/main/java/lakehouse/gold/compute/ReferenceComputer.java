package lakehouse.gold.compute;

import static lakehouse.gold.compute.FeatureColumns.startOf;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import lakehouse.gold.declarations.FeatureSet;
import lakehouse.gold.declarations.FeatureSpec;
import lakehouse.gold.declarations.SourceSpec;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * The obvious way to compute snapshots: for every day, filter each source to the look-back and
 * aggregate it with Spark's own functions. Correct by construction and independent of {@link
 * FeatureComputer}'s running totals, it is the oracle of the tests and the baseline of the
 * benchmark in {@code bench/gold}; its cost is (days x source rows in the look-back).
 */
public final class ReferenceComputer {
  private ReferenceComputer() {}

  /** The snapshots of {@code from .. to}, one day at a time, unioned. */
  public static Dataset<Row> compute(
      FeatureSet set, Map<String, Dataset<Row>> sources, LocalDate from, LocalDate to) {
    Dataset<Row> result = null;
    for (LocalDate day = from; !day.isAfter(to); day = day.plusDays(1)) {
      Dataset<Row> snapshot = snapshot(set, sources, day);
      result = result == null ? snapshot : result.unionByName(snapshot);
    }
    return result;
  }

  /** The snapshot of one day. */
  public static Dataset<Row> snapshot(
      FeatureSet set, Map<String, Dataset<Row>> sources, LocalDate day) {
    Column end = startOf(day.plusDays(1)); // exclusive: event_time < D+1 00:00
    Dataset<Row> entities = entities(set, sources, day, end);
    Dataset<Row> rows = entities;
    List<String> keys = set.entity();
    for (SourceSpec source : set.sources().values()) {
      List<Column> aggregates = new ArrayList<>();
      List<String> names = new ArrayList<>();
      if (source.isScd2()) {
        for (FeatureSpec feature : set.features()) {
          if (feature instanceof FeatureSpec.Attribute a && a.source().equals(source.name())) {
            names.add(a.name());
          }
        }
        if (names.isEmpty()) {
          continue;
        }
        Column validFrom = col(source.validFrom());
        Column validTo = col(source.validTo());
        List<Column> fields = new ArrayList<>();
        fields.add(validFrom.as("valid_from"));
        set.features().stream()
            .filter(f -> f instanceof FeatureSpec.Attribute a && a.source().equals(source.name()))
            .forEach(f -> fields.add(col(((FeatureSpec.Attribute) f).column()).as(f.name())));
        Dataset<Row> valid =
            filtered(sources.get(source.name()), source, set.entity())
                .filter(validFrom.lt(end).and(validTo.isNull().or(validTo.geq(end))));
        Dataset<Row> current =
            valid
                .groupBy(keyColumns(keys))
                .agg(functions.max(functions.struct(fields.toArray(Column[]::new))).as("__v"));
        List<Column> select = new ArrayList<>(List.of(keyColumns(keys)));
        names.forEach(n -> select.add(col("__v").getField(n).as(n)));
        rows = rows.join(current.select(select.toArray(Column[]::new)), using(keys), "left");
        continue;
      }
      Column time = col(source.timeColumn());
      for (FeatureSpec feature : set.features()) {
        if (feature instanceof FeatureSpec.Aggregate a && a.source().equals(source.name())) {
          Column inWindow =
              time.geq(startOf(day.minusDays(a.windowDays() - 1)))
                  .and(FeatureColumns.condition(a.filter(), a.column()));
          Column value = a.column() == null ? lit(1) : col(a.column());
          Column picked = when(inWindow, value);
          Column aggregate =
              switch (a.function()) {
                case COUNT -> functions.count(picked);
                case SUM -> functions.coalesce(functions.sum(picked.cast("double")), lit(0.0));
                case AVG -> functions.avg(picked.cast("double"));
                case STDDEV -> functions.stddev_samp(picked.cast("double"));
                case MIN -> functions.min(picked);
                case MAX -> functions.max(picked);
                case COUNT_DISTINCT -> functions.countDistinct(picked);
              };
          aggregates.add(aggregate.as(a.name()));
          names.add(a.name());
        } else if (feature instanceof FeatureSpec.Recency r && r.source().equals(source.name())) {
          Column inWindow =
              time.geq(startOf(day.minusDays(r.lookbackDays() - 1)))
                  .and(FeatureColumns.condition(r.filter(), null));
          Column last = functions.max(when(inWindow, functions.to_date(time)));
          aggregates.add(functions.datediff(lit(Date.valueOf(day)), last).as(r.name()));
          names.add(r.name());
        }
      }
      if (aggregates.isEmpty()) {
        continue;
      }
      Dataset<Row> perEntity =
          filtered(sources.get(source.name()), source, set.entity())
              .filter(time.lt(end))
              .groupBy(keyColumns(keys))
              .agg(
                  aggregates.get(0),
                  aggregates.subList(1, aggregates.size()).toArray(Column[]::new));
      rows = rows.join(perEntity, using(keys), "left");
      for (FeatureSpec feature : set.features()) {
        if (feature instanceof FeatureSpec.Aggregate a && a.source().equals(source.name())) {
          switch (a.function()) { // an entity without rows in the window: counts and sums are 0
            case COUNT, COUNT_DISTINCT ->
                rows = rows.withColumn(a.name(), functions.coalesce(col(a.name()), lit(0L)));
            case SUM ->
                rows = rows.withColumn(a.name(), functions.coalesce(col(a.name()), lit(0.0)));
            default -> {}
          }
        }
      }
    }
    Date date = Date.valueOf(day);
    rows =
        rows.withColumn(FeatureColumns.FEATURE_DATE, lit(date))
            .withColumn(
                FeatureColumns.FEATURE_TIME,
                FeatureColumns.featureTime(col(FeatureColumns.FEATURE_DATE)));
    return FeatureColumns.withDerived(rows, set)
        .select(FeatureColumns.outputColumns(set).toArray(Column[]::new));
  }

  /** The entities with a snapshot on the day. */
  private static Dataset<Row> entities(
      FeatureSet set, Map<String, Dataset<Row>> sources, LocalDate day, Column end) {
    Column[] keys = keyColumns(set.entity());
    if (set.entitiesFrom() != null && set.source(set.entitiesFrom()).isScd2()) {
      SourceSpec source = set.source(set.entitiesFrom());
      return filtered(sources.get(source.name()), source, set.entity())
          .filter(col(source.validFrom()).lt(end))
          .select(keys)
          .distinct();
    }
    Dataset<Row> result = null;
    for (SourceSpec source : set.sources().values()) {
      boolean counts =
          !source.isScd2()
              && (set.entitiesFrom() == null || set.entitiesFrom().equals(source.name()));
      if (!counts) {
        continue;
      }
      Column time = col(source.timeColumn());
      Dataset<Row> active =
          filtered(sources.get(source.name()), source, set.entity())
              .filter(time.geq(startOf(day.minusDays(set.horizonDays() - 1))).and(time.lt(end)))
              .select(keys);
      result = result == null ? active : result.union(active);
    }
    return result.distinct();
  }

  private static scala.collection.Seq<String> using(List<String> keys) {
    return scala.collection.JavaConverters.asScalaBuffer(keys).toSeq();
  }

  private static Dataset<Row> filtered(Dataset<Row> rows, SourceSpec source, List<String> keys) {
    Dataset<Row> result = rows;
    for (String key : keys) {
      result = result.filter(col(key).isNotNull());
    }
    return source.filter() == null
        ? result
        : result.filter(FeatureColumns.condition(source.filter(), null));
  }

  private static Column[] keyColumns(List<String> keys) {
    return keys.stream().map(functions::col).toArray(Column[]::new);
  }
}
