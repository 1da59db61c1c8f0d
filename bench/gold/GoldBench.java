import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import lakehouse.gold.GoldSettings;
import lakehouse.gold.compute.FeatureComputer;
import lakehouse.gold.compute.ReferenceComputer;
import lakehouse.gold.spec.FeatureSet;
import lakehouse.gold.spec.FeatureSetLoader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Benchmark of the gold feature computation: the one-pass computation (FeatureComputer: daily
 * partials + running totals over one sort) against the obvious per-day recomputation
 * (ReferenceComputer.snapshot once per day), on the same synthetic silver data in the same run,
 * with the sample feature set conf/features/customer_features.conf.
 *
 * <p>Run with bench/gold/run.sh [entities] [days] [orders/entity/day] [events/entity/day]
 * [naive-days]. It appends one line to bench/gold/results.md.
 */
public final class GoldBench {
  public static void main(String[] args) throws IOException {
    int entities = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int days = args.length > 1 ? Integer.parseInt(args[1]) : 180;
    double ordersPerDay = args.length > 2 ? Double.parseDouble(args[2]) : 0.2;
    double eventsPerDay = args.length > 3 ? Double.parseDouble(args[3]) : 1.0;
    int naiveDays = args.length > 4 ? Integer.parseInt(args[4]) : days;
    Path work = Path.of("bench/work/gold");
    Files.createDirectories(work);

    SparkSession spark = SparkSession.builder().master("local[2]").appName("gold-bench")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "8")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.adaptive.enabled", "true")
        .getOrCreate();
    spark.sparkContext().setLogLevel("WARN");

    LocalDate first = LocalDate.parse("2024-01-01");
    LocalDate last = first.plusDays(days - 1);
    long t0 = System.nanoTime();
    Map<String, Dataset<Row>> sources = generate(spark, work, entities, days, ordersPerDay,
        eventsPerDay, first);
    long orders = sources.get("orders").count();
    long events = sources.get("events").count();
    long customers = sources.get("customers").count();
    System.out.printf("data: %d entities, %d days, %d orders, %d events, %d customer versions "
        + "(%.1f s)%n", entities, days, orders, events, customers, (System.nanoTime() - t0) / 1e9);

    GoldSettings settings = new GoldSettings(Path.of("conf/features"),
        "gold._feature_registry_", "bench", 365,
        10_000);
    FeatureSet set = new FeatureSetLoader(settings.featuresDir(), settings)
        .load("customer_features");

    // Warm-up (JIT, Spark code generation) on a short range, not timed.
    FeatureComputer.compute(set, sources, first, first.plusDays(1)).write().format("noop")
        .mode("overwrite").save();

    long fastStart = System.nanoTime();
    FeatureComputer.compute(set, sources, first, last).write().format("noop").mode("overwrite")
        .save();
    double fast = (System.nanoTime() - fastStart) / 1e9;
    long rows = FeatureComputer.compute(set, sources, first, last).count();
    System.out.printf("one pass: %d snapshot rows x %d features in %.1f s%n", rows,
        set.features().size(), fast);

    long naiveStart = System.nanoTime();
    LocalDate naiveFirst = last.minusDays(naiveDays - 1);
    for (LocalDate day = naiveFirst; !day.isAfter(last); day = day.plusDays(1)) {
      ReferenceComputer.snapshot(set, sources, day).write().format("noop").mode("overwrite")
          .save();
    }
    double naive = (System.nanoTime() - naiveStart) / 1e9;
    double naiveAll = naive * days / naiveDays;
    System.out.printf("per day: %d days in %.1f s (%s)%n", naiveDays, naive,
        naiveDays == days ? "all days" : String.format("%.1f s projected for %d days",
            naiveAll, days));
    double ratio = naiveAll / fast;
    System.out.printf("ratio per-day / one-pass: %.1fx%n", ratio);

    String line = String.format("| %s | %d | %d | %d | %d | %d | %d | %.1f | %d | %.1f%s | %.1fx |%n",
        Instant.now().toString().substring(0, 16), Runtime.getRuntime().availableProcessors(),
        entities, days, orders, events, rows, fast, naiveDays, naive,
        naiveDays == days ? "" : String.format(" (%.0f projected)", naiveAll), ratio);
    Path results = Path.of("bench/gold/results.md");
    Files.writeString(results, line, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    spark.stop();
  }

  /** Synthetic silver.orders, silver.events and silver.customers (SCD2), written as Parquet. */
  private static Map<String, Dataset<Row>> generate(SparkSession spark, Path work, int entities,
      int days, double ordersPerDay, double eventsPerDay, LocalDate first) {
    String tag = entities + "x" + days + "x" + ordersPerDay + "x" + eventsPerDay;
    String start = first + " 00:00:00";
    long seconds = days * 86_400L;
    Map<String, String> sql = new LinkedHashMap<>();
    sql.put("orders", "SELECT concat('o', id) AS order_id,"
        + " concat('c', CAST(pmod(xxhash64(id, 1), " + entities + ") AS STRING)) AS customer_id,"
        + " CAST(rand(1) * 300 AS DECIMAL(12,2)) AS amount, 'EUR' AS currency,"
        + " element_at(array('placed','completed','completed','completed','cancelled','returned'),"
        + "   CAST(floor(rand(2) * 6) AS INT) + 1) AS status,"
        + " element_at(array('books','toys','games','garden','food','music','sport','tools'),"
        + "   CAST(floor(rand(3) * 8) AS INT) + 1) AS category,"
        + " timestamp_seconds(unix_timestamp(TIMESTAMP'" + start + "') + CAST(rand(4) * "
        + seconds + " AS BIGINT)) AS order_ts,"
        + " TIMESTAMP'" + start + "' AS updated_at"
        + " FROM range(" + (long) (entities * (double) days * ordersPerDay) + ")");
    sql.put("events", "SELECT concat('e', id) AS event_id,"
        + " concat('c', CAST(pmod(xxhash64(id, 2), " + entities + ") AS STRING)) AS customer_id,"
        + " element_at(array('view','view','view','click','click','add_to_cart','purchase'),"
        + "   CAST(floor(rand(5) * 7) AS INT) + 1) AS event_type,"
        + " timestamp_seconds(unix_timestamp(TIMESTAMP'" + start + "') + CAST(rand(6) * "
        + seconds + " AS BIGINT)) AS event_ts,"
        + " '/p' AS page, concat('s', CAST(floor(rand(7) * 1000000) AS STRING)) AS session_id"
        + " FROM range(" + (long) (entities * (double) days * eventsPerDay) + ")");
    // Each customer signs up before or during the range; half change segment once.
    sql.put("customers", "SELECT customer_id, name, email, country, segment, signup_ts,"
        + " valid_from AS updated_at, valid_from, valid_to, valid_to IS NULL AS is_current FROM ("
        + " SELECT concat('c', CAST(id AS STRING)) AS customer_id, 'n' AS name, 'h' AS email,"
        + "   element_at(array('DE','FR','GB','US'), CAST(pmod(id, 4) AS INT) + 1) AS country,"
        + "   'new' AS segment, signup AS signup_ts, signup AS valid_from,"
        + "   CASE WHEN pmod(id, 2) = 0 THEN change END AS valid_to FROM ("
        + "     SELECT id, timestamp_seconds(unix_timestamp(TIMESTAMP'" + start + "') - 30 * 86400"
        + "       + CAST(rand(8) * " + seconds / 2 + " AS BIGINT)) AS signup,"
        + "       timestamp_seconds(unix_timestamp(TIMESTAMP'" + start + "') + CAST(rand(9) * "
        + seconds + " AS BIGINT)) AS change FROM range(" + entities + "))"
        + " UNION ALL"
        + " SELECT concat('c', CAST(id AS STRING)), 'n', 'h', 'DE', 'loyal',"
        + "   TIMESTAMP'" + start + "', change, CAST(NULL AS TIMESTAMP) FROM ("
        + "     SELECT id, timestamp_seconds(unix_timestamp(TIMESTAMP'" + start + "') + CAST(rand(9) * "
        + seconds + " AS BIGINT)) AS change FROM range(" + entities + ")) WHERE pmod(id, 2) = 0)");
    Map<String, Dataset<Row>> sources = new LinkedHashMap<>();
    sql.forEach((name, query) -> {
      String path = work.resolve(tag).resolve(name).toAbsolutePath().toString();
      if (!Files.exists(Path.of(path, "_SUCCESS"))) {
        spark.sql(query).write().mode("overwrite").parquet(path);
      }
      sources.put(name, spark.read().parquet(path));
    });
    return sources;
  }
}
