import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import lakehouse.common.spark.SparkSessions;
import lakehouse.gold.GoldSettings;
import lakehouse.gold.compute.FeatureComputer;
import lakehouse.gold.compute.ReferenceComputer;
import lakehouse.gold.declarations.AggFunction;
import lakehouse.gold.declarations.FeatureSet;
import lakehouse.gold.declarations.FeatureSetLoader;
import lakehouse.gold.declarations.FeatureSpec;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageCompleted;
import org.apache.spark.scheduler.StageInfo;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;

/**
 * Benchmark of the gold feature computation, on the same synthetic silver data in the same JVM,
 * with the sample feature set conf/features/customer_features.conf:
 *
 * <ul>
 *   <li><b>gold</b>: FeatureComputer.compute over the whole range (daily partials + running totals
 *       over one sort), with all 31 features and restricted to the 27 features the SQL baseline
 *       covers;
 *   <li><b>SQL window baseline</b> ({@link #windowBaselineSql}): what a Spark engineer writes by
 *       hand for this feature set: daily aggregates per customer and day (GROUP BY), a spine of
 *       every customer and snapshot day full-outer-joined with them, one {@code RANGE BETWEEN n
 *       PRECEDING AND CURRENT ROW} window per window length over the day number, a running max for
 *       the recency features. It covers 27 of the 31 features (not the two windowed distinct
 *       counts, which Spark has no window form for, nor the two SCD2 attributes). Its values are
 *       checked against gold's in the same run (full outer join on customer and day, exact for
 *       counts, decimals and integers, relative tolerance 1e-9 for doubles); a difference stops the
 *       run (exit 1) before anything is timed;
 *   <li><b>per day</b>: ReferenceComputer.snapshot once per day (the per-day recomputation), timed
 *       on the last NAIVE_DAYS days and projected linearly to all days.
 * </ul>
 *
 * <p>Everything timed is written to Spark's {@code noop} sink (computation only, no I/O); each
 * computation is warmed up on a 2-day range first, and the timed runs alternate gold / baseline
 * ROUNDS times (the best of each is reported). The 1-minute load average is recorded before and
 * after each timed run. Run with bench/gold/run.sh [entities] [days] [orders/entity/day]
 * [events/entity/day] [naive-days] [rounds]; it appends one line to bench/gold/results.md.
 */
public final class GoldBench {
  /** Features the SQL baseline does not compute: no direct window form. */
  private static final List<String> NOT_COVERED =
      List.of("distinct_categories_30d", "session_count_7d", "segment", "country");

  private static final double TOLERANCE = 1e-9;
  private static final List<StageInfo> STAGES = Collections.synchronizedList(new ArrayList<>());

  public static void main(String[] args) throws IOException {
    int entities = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int days = args.length > 1 ? Integer.parseInt(args[1]) : 180;
    double ordersPerDay = args.length > 2 ? Double.parseDouble(args[2]) : 0.2;
    double eventsPerDay = args.length > 3 ? Double.parseDouble(args[3]) : 1.0;
    int naiveDays = args.length > 4 ? Integer.parseInt(args[4]) : days;
    int rounds = args.length > 5 ? Integer.parseInt(args[5]) : 1;
    Path work = Path.of("bench/work/gold");
    Files.createDirectories(work);

    SparkSession spark =
        SparkSession.builder()
            .master("local[2]")
            .appName("gold-bench")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "8")
            .config("spark.sql.session.timeZone", "UTC")
            .config("spark.sql.adaptive.enabled", "true")
            .getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    spark
        .sparkContext()
        .addSparkListener(
            new SparkListener() {
              @Override
              public void onStageCompleted(SparkListenerStageCompleted event) {
                STAGES.add(event.stageInfo());
              }
            });

    LocalDate first = LocalDate.parse("2024-01-01");
    LocalDate last = first.plusDays(days - 1);
    long t0 = System.nanoTime();
    Map<String, Dataset<Row>> sources =
        generate(spark, work, entities, days, ordersPerDay, eventsPerDay, first);
    long orders = sources.get("orders").count();
    long events = sources.get("events").count();
    long customers = sources.get("customers").count();
    System.out.printf(
        "data: %d entities, %d days, %d orders, %d events, %d customer versions " + "(%.1f s)%n",
        entities, days, orders, events, customers, (System.nanoTime() - t0) / 1e9);
    sources.forEach((name, rows) -> rows.createOrReplaceTempView(name));

    GoldSettings settings =
        new GoldSettings(Path.of("conf/features"), "gold._feature_registry_", "bench", 365, 10_000);
    FeatureSet set =
        new FeatureSetLoader(settings.featuresDir(), settings).load("customer_features");
    FeatureSet covered =
        new FeatureSet(
            set.name(),
            set.file(),
            set.description(),
            set.owner(),
            set.entity(),
            set.entitiesFrom(),
            set.sources(),
            set.features().stream().filter(f -> !NOT_COVERED.contains(f.name())).toList());
    List<String> compared = covered.features().stream().map(FeatureSpec::name).toList();
    if (compared.size() != 27 || set.features().size() != 31) {
      throw new IllegalStateException(
          "customer_features changed: "
              + set.features().size()
              + " features, baseline written for 31 (27 covered); update windowBaselineSql");
    }
    checkDeclaration(set);

    Supplier<Dataset<Row>> gold31 = () -> FeatureComputer.compute(set, sources, first, last);
    Supplier<Dataset<Row>> gold27 = () -> FeatureComputer.compute(covered, sources, first, last);
    Supplier<Dataset<Row>> baseline = () -> spark.sql(windowBaselineSql(first, last));
    // Gold runs as the lake's sessions run it (SparkSessions.defaults: Spark's whole-stage code
    // generation limited to methods HotSpot compiles); the baseline as a user's job runs, with
    // Spark's defaults, and once more with the lake's setting.
    Runnable asLake =
        () ->
            spark
                .conf()
                .set(SparkSessions.HUGE_METHOD_LIMIT, SparkSessions.HOTSPOT_HUGE_METHOD_LIMIT);
    Runnable asSparkDefaults = () -> spark.conf().unset(SparkSessions.HUGE_METHOD_LIMIT);

    // Warm-up (JIT, Spark code generation) on a short range, not timed.
    asLake.run();
    noop(FeatureComputer.compute(set, sources, first, first.plusDays(1)));
    noop(FeatureComputer.compute(covered, sources, first, first.plusDays(1)));
    noop(spark.sql(windowBaselineSql(first, first.plusDays(1))));
    asSparkDefaults.run();
    noop(spark.sql(windowBaselineSql(first, first.plusDays(1))));

    // The values check, before anything is timed: gold (31-feature set) against the baseline.
    asLake.run();
    long checkStart = System.nanoTime();
    long rows = check(gold31.get(), baseline.get(), set.entity(), compared);
    String checkResult = String.format("same (%d rows x %d columns)", rows, compared.size());
    System.out.printf(
        "check: gold and SQL window baseline %s in %.1f s%n",
        checkResult, (System.nanoTime() - checkStart) / 1e9);

    List<Timed> g31 = new ArrayList<>();
    List<Timed> g27 = new ArrayList<>();
    List<Timed> sql = new ArrayList<>();
    List<Timed> sqlAsLake = new ArrayList<>();
    Runnable userBaseline =
        () -> {
          asSparkDefaults.run();
          sql.add(time("SQL window baseline (27 features)", () -> noop(baseline.get())));
        };
    for (int round = 0; round < rounds; round++) {
      boolean baselineFirst = round % 2 == 1;
      if (baselineFirst) {
        userBaseline.run();
      }
      asLake.run();
      g27.add(time("gold one pass (27 features)", () -> noop(gold27.get())));
      g31.add(time("gold one pass (31 features)", () -> noop(gold31.get())));
      sqlAsLake.add(
          time(
              "SQL window baseline (27 features), lake's codegen limit",
              () -> noop(baseline.get())));
      if (!baselineFirst) {
        userBaseline.run();
      }
    }
    asLake.run();
    Timed fast = best(g31);
    Timed fast27 = best(g27);
    Timed window = best(sql);
    Timed windowAsLake = best(sqlAsLake);

    LocalDate naiveFirst = last.minusDays(naiveDays - 1);
    Timed naive =
        time(
            "per day (31 features, " + naiveDays + " days)",
            () -> {
              for (LocalDate day = naiveFirst; !day.isAfter(last); day = day.plusDays(1)) {
                noop(ReferenceComputer.snapshot(set, sources, day));
              }
            });
    double naiveAll = naive.seconds * days / naiveDays;
    System.out.printf(
        "per day: %d days in %.1f s (%s)%n",
        naiveDays,
        naive.seconds,
        naiveDays == days
            ? "all days"
            : String.format("%.1f s projected for %d days", naiveAll, days));
    double windowRatio = window.seconds / fast27.seconds;
    double naiveRatio = naiveAll / fast.seconds;
    System.out.printf("ratio SQL window baseline / gold (27 features): %.2fx%n", windowRatio);
    System.out.printf(
        "ratio SQL window baseline with the lake's codegen limit / gold (27 features): %.2fx%n",
        windowAsLake.seconds / fast27.seconds);
    System.out.printf(
        "ratio SQL window baseline (27) / gold (31 features): %.2fx%n",
        window.seconds / fast.seconds);
    System.out.printf("ratio per-day / gold (31 features): %.1fx%n", naiveRatio);

    String line =
        String.format(
            "| %s | %d%s | %d | %d | %d | %d | %d | %s | %s | %s | %.2fx | %s | %.2fx | %d | %.1f%s"
                + " (load %s) | %.1fx | %s |%n",
            Instant.now().toString().substring(0, 16),
            Runtime.getRuntime().availableProcessors(),
            jvmFlags(),
            entities,
            days,
            orders,
            events,
            rows,
            fast27,
            fast,
            window,
            windowRatio,
            windowAsLake,
            windowAsLake.seconds / fast27.seconds,
            naiveDays,
            naive.seconds,
            naiveDays == days ? "" : String.format(" (%.0f projected)", naiveAll),
            naive.load(),
            naiveRatio,
            checkResult + (rounds > 1 ? ", best of " + rounds : ""));
    Path results = Path.of("bench/gold/results.md");
    Files.writeString(results, line, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    spark.stop();
  }

  /**
   * The SQL window baseline for customer_features, written by hand as a Spark engineer would (the
   * windows, filters and look-backs of conf/features/customer_features.conf spelled out): the
   * snapshots of {@code from .. to} for the 27 covered features, columns named as gold's.
   */
  static String windowBaselineSql(LocalDate from, LocalDate to) {
    int[] lengths = {1, 7, 30, 90};
    StringBuilder windowed = new StringBuilder();
    StringBuilder features = new StringBuilder();
    StringBuilder frames = new StringBuilder();
    for (int n : lengths) {
      windowed.append(
          String.format(
              """
                  sum(o_n) OVER w%1$d AS o_n_%1$d, sum(a_n) OVER w%1$d AS a_n_%1$d,
                  sum(a_s) OVER w%1$d AS a_s_%1$d, sum(a_q) OVER w%1$d AS a_q_%1$d,
              """,
              n));
      frames.append(
          String.format(
              "  w%d AS (PARTITION BY customer_id ORDER BY day"
                  + " RANGE BETWEEN %s AND CURRENT ROW),%n",
              n, n == 1 ? "CURRENT ROW" : (n - 1) + " PRECEDING"));
    }
    for (String feature : List.of("count", "sum", "avg", "std")) {
      for (int n : lengths) {
        String s = "CAST(a_s_" + n + " AS DOUBLE)";
        String expression =
            switch (feature) {
              case "count" -> "coalesce(o_n_" + n + ", 0) AS order_count_" + n + "d";
              case "sum" -> "coalesce(" + s + ", 0D) AS order_amount_sum_" + n + "d";
              case "avg" ->
                  "CASE WHEN a_n_"
                      + n
                      + " > 0 THEN "
                      + s
                      + " / a_n_"
                      + n
                      + " END AS order_amount_avg_"
                      + n
                      + "d";
              default ->
                  "CASE WHEN a_n_"
                      + n
                      + " > 1 THEN sqrt(greatest((CAST(a_q_"
                      + n
                      + " AS DOUBLE) - "
                      + s
                      + " * "
                      + s
                      + " / a_n_"
                      + n
                      + ") / (a_n_"
                      + n
                      + " - 1), 0D)) END AS order_amount_std_"
                      + n
                      + "d";
            };
        features.append("    ").append(expression).append(",\n");
      }
    }
    return String.format(
        """
        WITH orders_daily AS (
          SELECT customer_id, datediff(to_date(order_ts), DATE'1970-01-01') AS day,
            count_if(status <> 'cancelled') AS o_n,
            count(CASE WHEN status <> 'cancelled' THEN amount END) AS a_n,
            sum(CASE WHEN status <> 'cancelled' THEN amount END) AS a_s,
            sum(CASE WHEN status <> 'cancelled' THEN amount * amount END) AS a_q,
            max(CASE WHEN status <> 'cancelled' THEN amount END) AS a_max,
            count_if(status = 'returned') AS r_n,
            count_if(status IN ('placed', 'completed')) AS pu_n
          FROM orders
          WHERE customer_id IS NOT NULL
            AND order_ts >= TIMESTAMP'%1$s 00:00:00' AND order_ts < TIMESTAMP'%3$s 00:00:00'
          GROUP BY customer_id, day
        ), events_daily AS (
          SELECT customer_id, datediff(to_date(event_ts), DATE'1970-01-01') AS day,
            count(*) AS e_n,
            count_if(event_type = 'view') AS v_n,
            count_if(event_type = 'click') AS c_n,
            count_if(event_type = 'add_to_cart') AS atc_n,
            count_if(event_type = 'purchase') AS p_n
          FROM events
          WHERE customer_id IS NOT NULL
            AND event_ts >= TIMESTAMP'%2$s 00:00:00' AND event_ts < TIMESTAMP'%3$s 00:00:00'
          GROUP BY customer_id, day
        ), spine AS (
          SELECT customer_id, explode(sequence(greatest(first_day, %4$d), %5$d)) AS day,
            true AS snapshot
          FROM (SELECT customer_id,
                  min(datediff(to_date(valid_from), DATE'1970-01-01')) AS first_day
                FROM customers WHERE customer_id IS NOT NULL GROUP BY customer_id)
          WHERE first_day <= %5$d
        ), joined AS (
          SELECT * FROM spine
          FULL OUTER JOIN orders_daily USING (customer_id, day)
          FULL OUTER JOIN events_daily USING (customer_id, day)
        ), windowed AS (
          SELECT customer_id, day, snapshot,
        %6$s
            max(a_max) OVER w30 AS a_max_30,
            sum(r_n) OVER w90 AS r_n_90,
            sum(v_n) OVER w7 AS v_n_7, sum(c_n) OVER w7 AS c_n_7,
            sum(atc_n) OVER w7 AS atc_n_7, sum(p_n) OVER w7 AS p_n_7,
            max(CASE WHEN pu_n > 0 THEN day END) OVER upto AS last_purchase,
            max(CASE WHEN e_n > 0 THEN day END) OVER upto AS last_visit
          FROM joined
          WINDOW
        %7$s  upto AS (PARTITION BY customer_id ORDER BY day
                RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
        ), features AS (
          SELECT customer_id, date_add(DATE'1970-01-01', day) AS feature_date,
        %8$s
            a_max_30 AS order_amount_max_30d,
            coalesce(r_n_90, 0) AS returned_count_90d,
            coalesce(v_n_7, 0) AS view_count_7d,
            coalesce(c_n_7, 0) AS click_count_7d,
            coalesce(atc_n_7, 0) AS add_to_cart_count_7d,
            coalesce(p_n_7, 0) AS purchase_event_count_7d,
            CASE WHEN day - last_purchase < 365 THEN day - last_purchase END
              AS days_since_last_purchase,
            CASE WHEN day - last_visit < 90 THEN day - last_visit END AS days_since_last_visit
          FROM windowed
          WHERE snapshot
        )
        SELECT *,
          CASE WHEN view_count_7d = 0 THEN NULL
            ELSE CAST(purchase_event_count_7d AS DOUBLE) / CAST(view_count_7d AS DOUBLE)
          END AS view_to_purchase_rate_7d,
          CASE WHEN order_count_30d = 0 THEN NULL
            ELSE (CAST(order_count_7d AS DOUBLE) / 7) / (CAST(order_count_30d AS DOUBLE) / 30)
          END AS order_count_trend_7d_30d,
          CASE WHEN order_amount_sum_90d = 0 THEN NULL
            ELSE (order_amount_sum_30d / 30) / (order_amount_sum_90d / 90)
          END AS spend_trend_30d_90d
        FROM features
        """,
        from.minusDays(364),
        from.minusDays(89),
        to.plusDays(1),
        from.toEpochDay(),
        to.toEpochDay(),
        windowed,
        frames,
        features);
  }

  /**
   * Fails unless the declaration still says what windowBaselineSql spells out (a cheap guard:
   * names, functions, windows, filters and look-backs of the covered features).
   */
  private static void checkDeclaration(FeatureSet set) {
    List<String> expected = new ArrayList<>();
    for (String f : List.of("count", "sum", "avg", "stddev")) {
      for (int n : new int[] {1, 7, 30, 90}) {
        String base =
            f.equals("count")
                ? "order_count"
                : f.equals("stddev") ? "order_amount_std" : "order_amount_" + f;
        expected.add(
            base
                + "_"
                + n
                + "d orders "
                + f
                + " "
                + (f.equals("count") ? null : "amount")
                + " status <> 'cancelled' "
                + n);
      }
    }
    expected.add("order_amount_max_30d orders max amount status <> 'cancelled' 30");
    expected.add("returned_count_90d orders count null status = 'returned' 90");
    for (String type : List.of("view", "click", "add_to_cart", "purchase")) {
      String name = type.equals("purchase") ? "purchase_event" : type;
      expected.add(name + "_count_7d events count null event_type = '" + type + "' 7");
    }
    expected.add("recency days_since_last_purchase orders status IN ('placed', 'completed') 365");
    expected.add("recency days_since_last_visit events null 90");
    List<String> actual = new ArrayList<>();
    for (FeatureSpec feature : set.features()) {
      if (feature instanceof FeatureSpec.Aggregate a
          && a.function() != AggFunction.COUNT_DISTINCT) {
        actual.add(
            a.name()
                + " "
                + a.source()
                + " "
                + a.function().word()
                + " "
                + a.column()
                + " "
                + a.filter()
                + " "
                + a.windowDays());
      } else if (feature instanceof FeatureSpec.Recency r) {
        actual.add(
            "recency " + r.name() + " " + r.source() + " " + r.filter() + " " + r.lookbackDays());
      }
    }
    if (!actual.equals(expected)) {
      throw new IllegalStateException(
          "customer_features.conf no longer matches the SQL "
              + "baseline.\nexpected: "
              + expected
              + "\nactual:   "
              + actual);
    }
  }

  /**
   * Compares gold's snapshots with the baseline's on the given columns, in one pass (full outer
   * join on the keys and the date); exits 1 on any difference. Returns the number of rows.
   */
  private static long check(
      Dataset<Row> gold, Dataset<Row> baseline, List<String> keys, List<String> columns) {
    List<String> joinKeys = new ArrayList<>(keys);
    joinKeys.add("feature_date");
    List<Column> g = new ArrayList<>();
    List<Column> b = new ArrayList<>();
    joinKeys.forEach(
        k -> {
          g.add(col(k));
          b.add(col(k));
        });
    Map<String, DataType> types = new LinkedHashMap<>();
    for (String c : columns) {
      DataType type = gold.schema().apply(c).dataType();
      types.put(c, type);
      g.add(col(c).as("g_" + c));
      b.add(col(c).cast(type).as("b_" + c));
    }
    g.add(lit(true).as("g_present"));
    b.add(lit(true).as("b_present"));
    Dataset<Row> joined =
        gold.select(g.toArray(Column[]::new))
            .join(
                baseline.select(b.toArray(Column[]::new)),
                scala.collection.JavaConverters.asScalaBuffer(joinKeys).toSeq(),
                "full_outer");
    List<Column> differs = new ArrayList<>();
    List<Column> aggregates = new ArrayList<>();
    aggregates.add(count(col("g_present")).as("gold_rows"));
    aggregates.add(count(col("b_present")).as("baseline_rows"));
    aggregates.add(
        countDistinct(
                col(joinKeys.get(0)),
                joinKeys.subList(1, joinKeys.size()).stream()
                    .map(k -> col(k))
                    .toArray(Column[]::new))
            .as("distinct_keys"));
    for (String c : columns) {
      Column gv = col("g_" + c);
      Column bv = col("b_" + c);
      Column same = gv.eqNullSafe(bv);
      DataType type = types.get(c);
      if (type.equals(DataTypes.DoubleType) || type.equals(DataTypes.FloatType)) {
        same =
            same.or(
                abs(gv.minus(bv)).leq(greatest(lit(1.0), abs(gv), abs(bv)).multiply(TOLERANCE)));
      }
      Column differ = not(org.apache.spark.sql.functions.coalesce(same, lit(false)));
      differs.add(differ);
      aggregates.add(sum(when(differ, 1).otherwise(0)).as("diff_" + c));
    }
    Row result =
        joined
            .agg(aggregates.get(0), aggregates.subList(1, aggregates.size()).toArray(Column[]::new))
            .first();
    long goldRows = result.getLong(0);
    long baselineRows = result.getLong(1);
    long distinctKeys = result.getLong(2);
    Map<String, Long> differences = new LinkedHashMap<>();
    for (int i = 0; i < columns.size(); i++) {
      long d = result.getLong(3 + i);
      if (d > 0) {
        differences.put(columns.get(i), d);
      }
    }
    System.out.printf(
        "check: gold %d rows, baseline %d rows, %d distinct keys%n",
        goldRows, baselineRows, distinctKeys);
    if (goldRows != baselineRows || goldRows != distinctKeys || !differences.isEmpty()) {
      System.err.println("VALUES CHECK FAILED: gold and the SQL window baseline differ");
      System.err.printf(
          "rows: gold %d, baseline %d, distinct (customer, day) keys %d%n",
          goldRows, baselineRows, distinctKeys);
      System.err.println("differing values per column: " + differences);
      Column any = lit(false);
      for (Column d : differs) {
        any = any.or(d);
      }
      List<Column> shown = new ArrayList<>(joinKeys.stream().map(k -> col(k)).toList());
      shown.add(col("g_present"));
      shown.add(col("b_present"));
      for (String c : columns) {
        if (differences.containsKey(c)) {
          shown.add(col("g_" + c));
          shown.add(col("b_" + c));
        }
      }
      joined.filter(any).select(shown.toArray(Column[]::new)).show(20, false);
      System.exit(1);
    }
    return goldRows;
  }

  private static void noop(Dataset<Row> rows) {
    rows.write().format("noop").mode("overwrite").save();
  }

  /** A timed run, with the 1-minute load average before and after it. */
  record Timed(double seconds, double loadBefore, double loadAfter) {
    String load() {
      return String.format("%.1f-%.1f", loadBefore, loadAfter);
    }

    @Override
    public String toString() {
      return String.format("%.1f (load %s)", seconds, load());
    }
  }

  private static Timed best(List<Timed> runs) {
    return runs.stream().min((a, b) -> Double.compare(a.seconds, b.seconds)).orElseThrow();
  }

  private static Timed time(String label, Runnable run) {
    double before = load();
    STAGES.clear();
    long start = System.nanoTime();
    run.run();
    double seconds = (System.nanoTime() - start) / 1e9;
    Timed timed = new Timed(seconds, before, load());
    System.out.printf("%s: %.1f s, load %s%n", label, seconds, timed.load());
    try {
      Thread.sleep(500); // let the listener bus deliver the last stage events
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    List<StageInfo> stages;
    synchronized (STAGES) {
      stages = new ArrayList<>(STAGES);
    }
    stages.sort(
        (a, b) ->
            Long.compare(b.taskMetrics().executorRunTime(), a.taskMetrics().executorRunTime()));
    for (StageInfo s : stages.subList(0, Math.min(4, stages.size()))) {
      var m = s.taskMetrics();
      long wall =
          s.completionTime().isDefined() && s.submissionTime().isDefined()
              ? (Long) s.completionTime().get() - (Long) s.submissionTime().get()
              : -1;
      System.out.printf(
          "  stage %d: %d tasks, wall %.1f s, task time %.1f s (gc %.1f s),"
              + " shuffle read %d MB / %d rows, write %d MB, spill %d MB, peak mem %d MB%n",
          s.stageId(),
          s.numTasks(),
          wall / 1e3,
          m.executorRunTime() / 1e3,
          m.jvmGCTime() / 1e3,
          m.shuffleReadMetrics().totalBytesRead() >> 20,
          m.shuffleReadMetrics().recordsRead(),
          m.shuffleWriteMetrics().bytesWritten() >> 20,
          m.memoryBytesSpilled() >> 20,
          m.peakExecutionMemory() >> 20);
    }
    return timed;
  }

  /** JVM -XX options given besides run.sh's own (GOLD_BENCH_JAVA_OPTS), for the results row. */
  private static String jvmFlags() {
    List<String> flags =
        java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
            .filter(a -> a.startsWith("-XX:") && !a.equals("-XX:+UseParallelGC"))
            .toList();
    return flags.isEmpty() ? "" : ", JVM " + String.join(" ", flags);
  }

  private static double load() {
    try {
      return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  /** Synthetic silver.orders, silver.events and silver.customers (SCD2), written as Parquet. */
  private static Map<String, Dataset<Row>> generate(
      SparkSession spark,
      Path work,
      int entities,
      int days,
      double ordersPerDay,
      double eventsPerDay,
      LocalDate first) {
    String tag = entities + "x" + days + "x" + ordersPerDay + "x" + eventsPerDay;
    String start = first + " 00:00:00";
    long seconds = days * 86_400L;
    Map<String, String> sql = new LinkedHashMap<>();
    sql.put(
        "orders",
        "SELECT concat('o', id) AS order_id,"
            + " concat('c', CAST(pmod(xxhash64(id, 1), "
            + entities
            + ") AS STRING)) AS customer_id, CAST(rand(1) * 300 AS DECIMAL(12,2)) AS amount, 'EUR'"
            + " AS currency,"
            + " element_at(array('placed','completed','completed','completed','cancelled',"
            + " 'returned'),"
            + "   CAST(floor(rand(2) * 6) AS INT) + 1) AS status,"
            + " element_at(array('books','toys','games','garden','food','music','sport','tools'),  "
            + " CAST(floor(rand(3) * 8) AS INT) + 1) AS category,"
            + " timestamp_seconds(unix_timestamp(TIMESTAMP'"
            + start
            + "') + CAST(rand(4) * "
            + seconds
            + " AS BIGINT)) AS order_ts,"
            + " TIMESTAMP'"
            + start
            + "' AS updated_at"
            + " FROM range("
            + (long) (entities * (double) days * ordersPerDay)
            + ")");
    sql.put(
        "events",
        "SELECT concat('e', id) AS event_id,"
            + " concat('c', CAST(pmod(xxhash64(id, 2), "
            + entities
            + ") AS STRING)) AS customer_id,"
            + " element_at(array('view','view','view','click','click','add_to_cart','purchase'),"
            + "   CAST(floor(rand(5) * 7) AS INT) + 1) AS event_type,"
            + " timestamp_seconds(unix_timestamp(TIMESTAMP'"
            + start
            + "') + CAST(rand(6) * "
            + seconds
            + " AS BIGINT)) AS event_ts,"
            + " '/p' AS page, concat('s', CAST(floor(rand(7) * 1000000) AS STRING)) AS session_id"
            + " FROM range("
            + (long) (entities * (double) days * eventsPerDay)
            + ")");
    // Each customer signs up before or during the range; half change segment once.
    sql.put(
        "customers",
        "SELECT customer_id, name, email, country, segment, signup_ts, valid_from AS updated_at,"
            + " valid_from, valid_to, valid_to IS NULL AS is_current FROM ( SELECT concat('c',"
            + " CAST(id AS STRING)) AS customer_id, 'n' AS name, 'h' AS email,  "
            + " element_at(array('DE','FR','GB','US'), CAST(pmod(id, 4) AS INT) + 1) AS country,  "
            + " 'new' AS segment, signup AS signup_ts, signup AS valid_from,   CASE WHEN pmod(id,"
            + " 2) = 0 THEN change END AS valid_to FROM (     SELECT id,"
            + " timestamp_seconds(unix_timestamp(TIMESTAMP'"
            + start
            + "') - 30 * 86400"
            + "       + CAST(rand(8) * "
            + seconds / 2
            + " AS BIGINT)) AS signup,"
            + "       timestamp_seconds(unix_timestamp(TIMESTAMP'"
            + start
            + "') + CAST(rand(9) * "
            + seconds
            + " AS BIGINT)) AS change FROM range("
            + entities
            + "))"
            + " UNION ALL"
            + " SELECT concat('c', CAST(id AS STRING)), 'n', 'h', 'DE', 'loyal',"
            + "   TIMESTAMP'"
            + start
            + "', change, CAST(NULL AS TIMESTAMP) FROM ("
            + "     SELECT id, timestamp_seconds(unix_timestamp(TIMESTAMP'"
            + start
            + "') + CAST(rand(9) * "
            + seconds
            + " AS BIGINT)) AS change FROM range("
            + entities
            + ")) WHERE pmod(id, 2) = 0)");
    Map<String, Dataset<Row>> sources = new LinkedHashMap<>();
    sql.forEach(
        (name, query) -> {
          String path = work.resolve(tag).resolve(name).toAbsolutePath().toString();
          if (!Files.exists(Path.of(path, "_SUCCESS"))) {
            spark.sql(query).write().mode("overwrite").parquet(path);
          }
          sources.put(name, spark.read().parquet(path));
        });
    return sources;
  }
}
