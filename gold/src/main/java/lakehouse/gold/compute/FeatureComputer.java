package lakehouse.gold.compute;

import static lakehouse.gold.compute.FeatureColumns.dayNumber;
import static lakehouse.gold.compute.FeatureColumns.startOf;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import lakehouse.gold.declarations.AggFunction;
import lakehouse.gold.declarations.FeatureSet;
import lakehouse.gold.declarations.FeatureSpec;
import lakehouse.gold.declarations.SourceSpec;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.functions;

/**
 * Computes a feature set's snapshots for a range of days in one pass over each source.
 *
 * <ol>
 *   <li>Each events source is read once, for the days {@code from-h+1 .. to} (h: the longest
 *       look-back of the features reading it), and reduced to one row per entity and active day
 *       holding partial aggregates (count, exact decimal sum and sum of squares, min, max, set of
 *       values, last matching day).
 *   <li>One row per entity and snapshot day is added (the grid), and all rows of an entity are
 *       sorted by day once. Additive aggregates over an N-day window are differences of two running
 *       totals, {@code total(..D) - total(..D-N)}, both computed incrementally (a range frame from
 *       unbounded preceding), so their cost does not depend on N. Min, max and distinct counts use
 *       a sliding N-day range frame over the sparse daily rows. SCD2 attributes are the greatest
 *       version (by valid-from) started by the snapshot's end, as a running maximum.
 *   <li>Only the grid rows are kept; ratios and trends are computed from them.
 * </ol>
 *
 * <p>The work grows with (entities x snapshot days) + (active entity-days in the look-back), once,
 * instead of (snapshot days x source rows in the look-back) for a per-day recomputation ({@link
 * ReferenceComputer}). Pure: the result depends only on the inputs and the dates.
 */
public final class FeatureComputer {
  private static final String DAY = "__day";
  private static final String SNAPSHOT = "__snapshot";
  private static final String ACTIVE = "__active";
  private static final String START = "__start";
  private static final String DECIMAL = "decimal(38,9)";

  private FeatureComputer() {}

  /**
   * The snapshots of the days {@code from .. to} (inclusive).
   *
   * @param sources each declared source's rows, by source name (the silver tables as read)
   */
  public static Dataset<Row> compute(
      FeatureSet set, Map<String, Dataset<Row>> sources, LocalDate from, LocalDate to) {
    if (from.isAfter(to)) {
      throw new IllegalArgumentException("from " + from + " is after to " + to);
    }
    Plan plan = new Plan(set);
    List<Dataset<Row>> parts = new ArrayList<>();
    for (SourceSpec source : set.sources().values()) {
      if (!source.isScd2()) {
        Dataset<Row> daily = dailyPartials(set, plan, source, sources.get(source.name()), from, to);
        if (daily != null) {
          parts.add(daily);
        }
      } else if (plan.usesScd2(source.name())) {
        parts.add(versions(set, plan, source, sources.get(source.name()), to));
      }
    }
    parts.add(grid(set, plan, sources, from, to));

    Dataset<Row> all = parts.get(0);
    for (int i = 1; i < parts.size(); i++) {
      all = all.unionByName(parts.get(i), true);
    }
    return snapshots(set, plan, all);
  }

  /**
   * How many days back from a snapshot day the computation reads a source: a change to the source's
   * rows of day X can alter the snapshots of {@code X .. X+lookback-1} only (0: the source is not
   * read as events).
   */
  public static int lookbackDays(FeatureSet set, String source) {
    return set.source(source).isScd2() ? 0 : new Plan(set).horizon(source);
  }

  /** Whether an SCD2 source decides which entities exist (then a new version can add rows). */
  public static boolean decidesEntities(FeatureSet set, String source) {
    return source.equals(set.entitiesFrom()) && set.source(source).isScd2();
  }

  /** One row per entity and active day of an events source, with the partial aggregates. */
  private static Dataset<Row> dailyPartials(
      FeatureSet set,
      Plan plan,
      SourceSpec source,
      Dataset<Row> rows,
      LocalDate from,
      LocalDate to) {
    int horizon = plan.horizon(source.name());
    if (horizon == 0) {
      return null;
    }
    Column time = col(source.timeColumn());
    Dataset<Row> scanned =
        rows.filter(
                time.geq(startOf(from.minusDays(horizon - 1)))
                    .and(time.lt(startOf(to.plusDays(1)))))
            .filter(keysPresent(set));
    if (source.filter() != null) {
      scanned = scanned.filter(FeatureColumns.condition(source.filter(), null));
    }
    scanned = scanned.withColumn(DAY, dayNumber(time));
    List<Column> aggregates = new ArrayList<>();
    for (Measure measure : plan.measures.values()) {
      if (measure.source.equals(source.name())) {
        aggregates.addAll(measure.partials());
      }
    }
    for (FeatureSpec feature : set.features()) {
      if (feature instanceof FeatureSpec.Recency r && r.source().equals(source.name())) {
        aggregates.add(
            functions
                .max(when(FeatureColumns.condition(r.filter(), null), col(DAY)))
                .as(plan.recencyColumn(r)));
      }
    }
    if (plan.activityUniverse(source.name())) {
      aggregates.add(functions.max(col(DAY)).as(ACTIVE));
    }
    List<Column> groups = keyColumns(set);
    groups.add(col(DAY));
    return scanned
        .groupBy(groups.toArray(Column[]::new))
        .agg(aggregates.get(0), aggregates.subList(1, aggregates.size()).toArray(Column[]::new));
  }

  /** The versions of an SCD2 source, each on the day it starts, as one comparable struct. */
  private static Dataset<Row> versions(
      FeatureSet set, Plan plan, SourceSpec source, Dataset<Row> rows, LocalDate to) {
    Column validFrom = col(source.validFrom());
    Dataset<Row> scanned =
        rows.filter(validFrom.lt(startOf(to.plusDays(1)))).filter(keysPresent(set));
    if (source.filter() != null) {
      scanned = scanned.filter(FeatureColumns.condition(source.filter(), null));
    }
    List<Column> fields = new ArrayList<>();
    fields.add(validFrom.as("valid_from")); // first: the struct's order is by valid-from
    fields.add(col(source.validTo()).as("valid_to"));
    for (FeatureSpec feature : set.features()) {
      if (feature instanceof FeatureSpec.Attribute a && a.source().equals(source.name())) {
        fields.add(col(a.column()).as(a.name()));
      }
    }
    List<Column> select = keyColumns(set);
    select.add(dayNumber(validFrom).as(DAY));
    select.add(functions.struct(fields.toArray(Column[]::new)).as(plan.versionColumn(source)));
    return scanned.select(select.toArray(Column[]::new));
  }

  /** One row per entity and snapshot day, from the day the entity is first known. */
  private static Dataset<Row> grid(
      FeatureSet set, Plan plan, Map<String, Dataset<Row>> sources, LocalDate from, LocalDate to) {
    Dataset<Row> starts = null;
    if (plan.scd2Universe) {
      SourceSpec source = set.source(set.entitiesFrom());
      Dataset<Row> rows = sources.get(source.name()).filter(keysPresent(set));
      if (source.filter() != null) {
        rows = rows.filter(FeatureColumns.condition(source.filter(), null));
      }
      starts = rows.select(withKeys(set, dayNumber(col(source.validFrom())).as(START)));
    } else {
      for (SourceSpec source : set.sources().values()) {
        if (!plan.activityUniverse(source.name())) {
          continue;
        }
        Column time = col(source.timeColumn());
        int horizon = plan.horizon(source.name());
        Dataset<Row> rows =
            sources
                .get(source.name())
                .filter(
                    time.geq(startOf(from.minusDays(horizon - 1)))
                        .and(time.lt(startOf(to.plusDays(1)))))
                .filter(keysPresent(set));
        if (source.filter() != null) {
          rows = rows.filter(FeatureColumns.condition(source.filter(), null));
        }
        Dataset<Row> part = rows.select(withKeys(set, dayNumber(time).as(START)));
        starts = starts == null ? part : starts.unionByName(part);
      }
    }
    int fromDay = dayNumber(from);
    int toDay = dayNumber(to);
    List<Column> keys = keyColumns(set);
    Dataset<Row> first =
        starts
            .groupBy(keys.toArray(Column[]::new))
            .agg(functions.min(col(START)).as(START))
            .filter(col(START).leq(toDay));
    return first
        .withColumn(
            DAY,
            functions.explode(
                functions.sequence(functions.greatest(col(START), lit(fromDay)), lit(toDay))))
        .drop(START)
        .withColumn(SNAPSHOT, lit(true));
  }

  /**
   * Rolls the windows over the sorted rows of each entity and keeps the snapshot rows. Every
   * running total is computed once and shared: per partial one total up to D and one up to D-N per
   * window length N, whatever number of features read them.
   */
  private static Dataset<Row> snapshots(FeatureSet set, Plan plan, Dataset<Row> all) {
    WindowSpec byDay = Window.partitionBy(keyColumns(set).toArray(Column[]::new)).orderBy(col(DAY));
    WindowSpec running = byDay.rangeBetween(Window.unboundedPreceding(), Window.currentRow());
    Column day = col(DAY);
    Totals totals = new Totals(byDay, running);

    // Stage 1, over all rows: window columns (shared totals, sliding and running features).
    Map<String, Column> windowed = new LinkedHashMap<>();
    // Stage 2, over the snapshot rows only: each feature from the stage 1 columns.
    Map<String, Column> features = new LinkedHashMap<>();
    for (FeatureSpec feature : set.features()) {
      String internal = "__f_" + feature.name();
      if (feature instanceof FeatureSpec.Aggregate a) {
        Measure m = plan.measure(a);
        int days = a.windowDays();
        WindowSpec sliding = byDay.rangeBetween(-(days - 1), Window.currentRow());
        switch (a.function()) {
          case MIN -> {
            windowed.put(internal, functions.min(col(m.min())).over(sliding));
            features.put(a.name(), col(internal));
          }
          case MAX -> {
            windowed.put(internal, functions.max(col(m.max())).over(sliding));
            features.put(a.name(), col(internal));
          }
          case COUNT_DISTINCT -> {
            windowed.put(
                internal,
                functions
                    .size(
                        functions.array_distinct(
                            functions.flatten(functions.collect_list(col(m.set())).over(sliding))))
                    .cast("long"));
            features.put(a.name(), col(internal));
          }
          default -> features.put(a.name(), additive(a.function(), m, days, totals));
        }
      } else if (feature instanceof FeatureSpec.Recency r) {
        windowed.put(internal, functions.max(col(plan.recencyColumn(r))).over(running));
        Column since = day.minus(col(internal));
        features.put(
            r.name(), when(col(internal).isNotNull().and(since.lt(r.lookbackDays())), since));
      } else if (feature instanceof FeatureSpec.Attribute a) {
        String version = "__cur_" + a.source();
        windowed.putIfAbsent(
            version, functions.max(col(plan.versionColumn(set.source(a.source())))).over(running));
        Column current = col(version);
        Column validTo = current.getField("valid_to");
        // valid_to is exclusive: the version still holds at D 23:59:59.999999 iff it ends on a
        // later day.
        Column holds = current.isNotNull().and(validTo.isNull().or(dayNumber(validTo).gt(day)));
        features.put(a.name(), when(holds, current.getField(a.name())));
      }
    }
    if (!plan.scd2Universe) {
      windowed.put(ACTIVE, functions.max(col(ACTIVE)).over(running));
    }

    List<Column> stage1 = new ArrayList<>(keyColumns(set));
    stage1.add(day);
    stage1.add(col(SNAPSHOT));
    totals.columns.forEach((name, value) -> stage1.add(value.as(name)));
    windowed.forEach((name, value) -> stage1.add(value.as(name)));
    Dataset<Row> rolled =
        all.select(stage1.toArray(Column[]::new)).filter(col(SNAPSHOT).equalTo(true));
    if (!plan.scd2Universe) {
      // An entity has a snapshot while it was active within the set's horizon.
      rolled = rolled.filter(col(ACTIVE).geq(day.minus(set.horizonDays() - 1)));
    }

    List<Column> stage2 = new ArrayList<>(keyColumns(set));
    stage2.add(FeatureColumns.date(day).as(FeatureColumns.FEATURE_DATE));
    features.forEach((name, value) -> stage2.add(value.as(name)));
    rolled =
        rolled
            .select(stage2.toArray(Column[]::new))
            .withColumn(
                FeatureColumns.FEATURE_TIME,
                FeatureColumns.featureTime(col(FeatureColumns.FEATURE_DATE)));
    return FeatureColumns.withDerived(rolled, set)
        .select(FeatureColumns.outputColumns(set).toArray(Column[]::new));
  }

  /** Count, sum, avg and stddev over N days from the shared running totals. */
  private static Column additive(AggFunction function, Measure m, int days, Totals totals) {
    Column n = totals.window(m.count(), days, lit(0L));
    switch (function) {
      case COUNT:
        return n;
      case SUM:
        return when(n.equalTo(0), lit(0.0))
            .otherwise(totals.window(m.sum(), days, null).cast("double"));
      case AVG:
        return when(n.gt(0), totals.window(m.sum(), days, null).cast("double").divide(n));
      case STDDEV:
        {
          Column s = totals.window(m.sum(), days, null).cast("double");
          Column q = totals.window(m.squares(), days, null).cast("double");
          Column variance = q.minus(s.multiply(s).divide(n)).divide(n.minus(1));
          return when(n.gt(1), functions.sqrt(functions.greatest(variance, lit(0.0))));
        }
      default:
        throw new IllegalStateException("not additive: " + function);
    }
  }

  /**
   * The running totals of the partial columns, each window expression created once: {@code
   * total(..D)} per partial and {@code total(..D-N)} per partial and window length.
   */
  private static final class Totals {
    final WindowSpec byDay;
    final WindowSpec running;
    final Map<String, Column> columns = new LinkedHashMap<>();

    Totals(WindowSpec byDay, WindowSpec running) {
      this.byDay = byDay;
      this.running = running;
    }

    /** {@code total(..D) - total(..D-N)}: the window's total from two running totals. */
    Column window(String partial, int days, Column zero) {
      String upTo = "__t_" + partial;
      String before = "__b" + days + "_" + partial;
      columns.putIfAbsent(upTo, functions.sum(col(partial)).over(running));
      columns.putIfAbsent(
          before,
          functions.sum(col(partial)).over(byDay.rangeBetween(Window.unboundedPreceding(), -days)));
      if (zero != null) {
        return coalesce(col(upTo), zero).minus(coalesce(col(before), zero));
      }
      return col(upTo).minus(coalesce(col(before), lit(0).cast(DECIMAL)));
    }
  }

  private static Column keysPresent(FeatureSet set) {
    Column present = lit(true);
    for (String key : set.entity()) {
      present = present.and(col(key).isNotNull());
    }
    return present;
  }

  private static List<Column> keyColumns(FeatureSet set) {
    List<Column> keys = new ArrayList<>();
    set.entity().forEach(k -> keys.add(col(k)));
    return keys;
  }

  private static Column[] withKeys(FeatureSet set, Column extra) {
    List<Column> columns = keyColumns(set);
    columns.add(extra);
    return columns.toArray(Column[]::new);
  }

  /**
   * The partial aggregates per entity and day of the rows of one source that meet one filter (and
   * have the column), shared by every function and window over them.
   */
  private static final class Measure {
    final String id;
    final String source;
    final String column;
    final String filter;
    final java.util.EnumSet<AggFunction> uses = java.util.EnumSet.noneOf(AggFunction.class);

    Measure(String id, FeatureSpec.Aggregate a) {
      this.id = id;
      this.source = a.source();
      this.column = a.column();
      this.filter = a.filter();
    }

    String count() {
      return id + "_n";
    }

    String sum() {
      return id + "_s";
    }

    String squares() {
      return id + "_q";
    }

    String min() {
      return id + "_min";
    }

    String max() {
      return id + "_max";
    }

    String set() {
      return id + "_d";
    }

    List<Column> partials() {
      Column condition = FeatureColumns.condition(filter, column);
      List<Column> partials = new ArrayList<>();
      partials.add(functions.count(when(condition, lit(1))).as(count()));
      Column value = column == null ? null : col(column);
      boolean squares = uses.contains(AggFunction.STDDEV);
      if (squares || uses.contains(AggFunction.SUM) || uses.contains(AggFunction.AVG)) {
        partials.add(functions.sum(when(condition, value.cast(DECIMAL))).as(sum()));
      }
      if (squares) {
        Column exact = value.cast(DECIMAL);
        partials.add(
            functions.sum(when(condition, exact.multiply(exact).cast(DECIMAL))).as(squares()));
      }
      if (uses.contains(AggFunction.MIN)) {
        partials.add(functions.min(when(condition, value)).as(min()));
      }
      if (uses.contains(AggFunction.MAX)) {
        partials.add(functions.max(when(condition, value)).as(max()));
      }
      if (uses.contains(AggFunction.COUNT_DISTINCT)) {
        partials.add(functions.collect_set(when(condition, value)).as(set()));
      }
      return partials;
    }
  }

  /** Names the intermediate columns and decides which sources are read how far back. */
  private static final class Plan {
    final FeatureSet set;
    final boolean scd2Universe;
    final Map<String, Measure> measures = new LinkedHashMap<>();
    final Map<String, String> measureOf = new LinkedHashMap<>();

    Plan(FeatureSet set) {
      this.set = set;
      this.scd2Universe = set.entitiesFrom() != null && set.source(set.entitiesFrom()).isScd2();
      for (FeatureSpec feature : set.features()) {
        if (feature instanceof FeatureSpec.Aggregate a) {
          String key = a.source() + "|" + a.column() + "|" + a.filter();
          Measure measure =
              measures.computeIfAbsent(key, k -> new Measure("__m" + measures.size(), a));
          measure.uses.add(a.function());
          measureOf.put(a.name(), measure.id);
        }
      }
    }

    Measure measure(FeatureSpec.Aggregate a) {
      String id = measureOf.get(a.name());
      return measures.values().stream().filter(m -> m.id.equals(id)).findFirst().orElseThrow();
    }

    String recencyColumn(FeatureSpec.Recency r) {
      return "__r_" + r.name();
    }

    String versionColumn(SourceSpec source) {
      return "__v_" + source.name();
    }

    /** Whether an events source's activity decides which entities get a snapshot. */
    boolean activityUniverse(String source) {
      if (scd2Universe || set.source(source).isScd2()) {
        return false;
      }
      return set.entitiesFrom() == null || set.entitiesFrom().equals(source);
    }

    int horizon(String source) {
      return Math.max(set.horizonDays(source), activityUniverse(source) ? set.horizonDays() : 0);
    }

    boolean usesScd2(String source) {
      return set.features().stream()
          .anyMatch(f -> f instanceof FeatureSpec.Attribute a && a.source().equals(source));
    }
  }
}
