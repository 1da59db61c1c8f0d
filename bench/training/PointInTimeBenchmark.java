import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.to_date;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import lakehouse.training.FeatureInput;
import lakehouse.training.PointInTimeJoin;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;

/**
 * Point-in-time join benchmark (run through bench/training/run.sh). Generates a spine of S rows and
 * a daily feature grid of F rows (K customers x D days, 10% of the spine on 20 hot customers unless
 * hot-share=P / hot-keys=N say otherwise), writes both as Parquet, then times on the same inputs,
 * forcing every row through the plan with the "noop" sink:
 *
 * <p>equi-join left join on (customer, day) -- the floor, not point-in-time pit-sweep
 * PointInTimeJoin.latest, one bucket per key -- union + sort + one as-of pass pit-default the same
 * as training-set build's defaults: a counting pass, keys with >= 200k rows in 30-day buckets (none
 * are at these sizes) pit-hot the same with keys of >= spine/500 rows (the hot ones) in 30-day
 * buckets pit-known-at the known-at sweep with every row known up front naive-range left join on
 * customer and feature_time <= event_time + row_number() = 1
 *
 * <p>Arguments: spineRows featureRows [daysPerCustomer (default 100)] [skip-naive] [hot-share=P
 * (percent of spine rows on the hot customers, default 10)] [hot-keys=N (default 20)]; every method
 * runs once per round (-Drounds=N, default 3) and the best time of each is reported with its ratio
 * to the equi-join's best. The naive join's intermediate rows grow with the days of history per
 * customer (about spineRows x days / 2); the others do not.
 */
public class PointInTimeBenchmark {
  public static void main(String[] args) throws Exception {
    long spineRows = Long.parseLong(args[0]);
    long featureRows = Long.parseLong(args[1]);
    boolean skipNaive = List.of(args).contains("skip-naive");
    int days = args.length > 2 && args[2].matches("\\d+") ? Integer.parseInt(args[2]) : 100;
    int rounds = Integer.parseInt(System.getProperty("rounds", "3"));
    int hotShare = Integer.parseInt(option(args, "hot-share", "10"));
    int hotKeys = Integer.parseInt(option(args, "hot-keys", "20"));
    long customers = featureRows / days;
    SparkSession spark =
        SparkSession.builder()
            .master("local[2]")
            .appName("pit-bench")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "8")
            .config("spark.sql.session.timeZone", "UTC")
            .config("spark.sql.adaptive.enabled", "true")
            .config("spark.sql.autoBroadcastJoinThreshold", "-1")
            .getOrCreate();
    Path dir = Files.createTempDirectory("pit-bench");
    String spinePath = dir.resolve("spine").toString();
    String featurePath = dir.resolve("features").toString();

    // Spine: hotShare% of the rows on hotKeys customers, the rest uniform; event time anywhere
    // in the days.
    spark
        .range(spineRows)
        .select(
            expr("CASE WHEN pmod(id, 100) < "
                    + hotShare
                    + " THEN pmod(xxhash64(id, 7), "
                    + hotKeys
                    + ") "
                    + "ELSE pmod(xxhash64(id, 1), "
                    + customers
                    + ") END")
                .as("customer_id"),
            expr("timestamp_seconds(1767225600 + pmod(xxhash64(id, 2), " + days * 86400L + "))")
                .as("label_ts"),
            expr("pmod(xxhash64(id, 3), 2) = 0").as("churned"))
        .write()
        .mode("overwrite")
        .parquet(spinePath);
    // Features: one snapshot per customer and day at the day's end, like gold.
    spark
        .range(featureRows)
        .select(
            expr("id % " + customers).as("customer_id"),
            expr("timestamp_seconds(1767225600 + (cast(id / "
                    + customers
                    + " AS BIGINT) + 1) "
                    + "* 86400 - 1)")
                .as("feature_time"),
            expr("cast(pmod(xxhash64(id, 4), 1000) AS DOUBLE)").as("orders_30d"),
            expr("cast(pmod(xxhash64(id, 5), 100000) AS DOUBLE) / 100").as("spend_30d"))
        .write()
        .mode("overwrite")
        .parquet(featurePath);

    Map<String, Runnable> methods = new LinkedHashMap<>();
    methods.put(
        "equi-join",
        () -> {
          Dataset<Row> spine = spark.read().parquet(spinePath);
          Dataset<Row> f = spark.read().parquet(featurePath);
          sink(
              spine
                  .withColumn("d", to_date(col("label_ts")))
                  .join(
                      f.withColumn("d", to_date(col("feature_time"))).drop("feature_time"),
                      scala.collection.JavaConverters.asScalaBuffer(List.of("customer_id", "d"))
                          .toSeq(),
                      "left"));
        });
    methods.put("pit-sweep", () -> sink(pit(spark, spinePath, featurePath, Duration.ZERO, 0)));
    methods.put(
        "pit-default",
        () -> sink(pit(spark, spinePath, featurePath, Duration.ofDays(30), 200_000)));
    methods.put(
        "pit-hot",
        () ->
            sink(
                pit(
                    spark,
                    spinePath,
                    featurePath,
                    Duration.ofDays(30),
                    Math.max(1, spineRows / 500))));
    methods.put(
        "pit-known-at",
        () -> {
          Dataset<Row> f = spark.read().parquet(featurePath);
          FeatureInput input =
              new FeatureInput(
                  "f",
                  f.select(
                      col("customer_id"),
                      col("feature_time").as(FeatureInput.FEATURE_TIME),
                      lit(0L).as(FeatureInput.COMMIT),
                      col("orders_30d").as("f__orders_30d"),
                      col("spend_30d").as("f__spend_30d"),
                      lit(1).as(FeatureInput.OP),
                      lit(0L).as(FeatureInput.KNOWN_AT)),
                  List.of("f__orders_30d", "f__spend_30d"),
                  null);
          sink(
              PointInTimeJoin.knownAt(
                  spark.read().parquet(spinePath),
                  List.of("customer_id"),
                  "label_ts",
                  Duration.ZERO,
                  List.of(input)));
        });
    if (!skipNaive) {
      methods.put(
          "naive-range",
          () -> {
            Dataset<Row> spine =
                spark
                    .read()
                    .parquet(spinePath)
                    .withColumn("spine_id", expr("monotonically_increasing_id()"));
            Dataset<Row> f =
                spark.read().parquet(featurePath).withColumnRenamed("customer_id", "k");
            Dataset<Row> joined =
                spine.join(
                    f,
                    spine
                        .col("customer_id")
                        .equalTo(f.col("k"))
                        .and(f.col("feature_time").leq(spine.col("label_ts"))),
                    "left");
            sink(
                joined
                    .withColumn(
                        "rn",
                        row_number()
                            .over(
                                Window.partitionBy("spine_id").orderBy(col("feature_time").desc())))
                    .where("rn = 1")
                    .drop("rn", "k", "spine_id"));
          });
    }

    // Rounds run every method once, in turn, so a slow spell of the machine hits all of them;
    // round 1 also pays each plan's code generation and JIT, so the best of the rounds is kept.
    Map<String, List<Double>> seconds = new LinkedHashMap<>();
    for (int round = 1; round <= rounds; round++) {
      for (Map.Entry<String, Runnable> method : methods.entrySet()) {
        Instant start = Instant.now();
        method.getValue().run();
        double took = Duration.between(start, Instant.now()).toMillis() / 1000.0;
        System.out.printf("RESULT round %d %-12s %8.1f s%n", round, method.getKey(), took);
        seconds.computeIfAbsent(method.getKey(), k -> new ArrayList<>()).add(took);
      }
    }
    List<String> lines = new ArrayList<>();
    lines.add(
        String.format(
            "spine=%d features=%d customers=%d days=%d rounds=%d hot-share=%d%% hot-keys=%d",
            spineRows, featureRows, customers, days, rounds, hotShare, hotKeys));
    double floor = Collections.min(seconds.get("equi-join"));
    for (Map.Entry<String, List<Double>> method : seconds.entrySet()) {
      double best = Collections.min(method.getValue());
      lines.add(
          String.format(
              "%-12s best %8.1f s  (%4.2fx equi-join)  all %s",
              method.getKey(), best, best / floor, method.getValue()));
    }
    spark.stop();
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
    System.out.println(String.join("\n", lines));
  }

  private static Dataset<Row> pit(
      SparkSession spark, String spinePath, String featurePath, Duration bucket, long hotKeyRows) {
    Dataset<Row> f = spark.read().parquet(featurePath);
    FeatureInput input =
        new FeatureInput(
            "f",
            f.select(
                col("customer_id"),
                col("feature_time").as(FeatureInput.FEATURE_TIME),
                lit(0L).as(FeatureInput.COMMIT),
                col("orders_30d").as("f__orders_30d"),
                col("spend_30d").as("f__spend_30d")),
            List.of("f__orders_30d", "f__spend_30d"),
            null);
    return PointInTimeJoin.latest(
        spark.read().parquet(spinePath),
        List.of("customer_id"),
        "label_ts",
        List.of(input),
        bucket,
        hotKeyRows);
  }

  /** The value of a {@code name=value} argument, or the default. */
  private static String option(String[] args, String name, String fallback) {
    for (String arg : args) {
      if (arg.startsWith(name + "=")) {
        return arg.substring(name.length() + 1);
      }
    }
    return fallback;
  }

  private static void sink(Dataset<Row> rows) {
    rows.write().format("noop").mode("overwrite").save();
  }
}
