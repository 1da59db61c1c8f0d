import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import lakehouse.common.catalog.LakeCatalog;
import lakehouse.common.catalog.TableId;
import lakehouse.gold.GoldSettings;
import lakehouse.gold.compute.FeatureColumns;
import lakehouse.gold.compute.FeatureComputer;
import lakehouse.gold.declarations.FeatureSet;
import lakehouse.gold.declarations.FeatureSetLoader;
import lakehouse.gold.drift.DriftSpec;
import lakehouse.gold.drift.FeatureProfile;
import lakehouse.gold.drift.FeatureSetDrift;
import lakehouse.gold.drift.ProfileStore;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Benchmark of feature profiling against the gold run that produced the table, in the same JVM:
 *
 * <ul>
 *   <li><b>gold run</b>: {@code FeatureComputer.compute} of every day of the sample feature set
 *       (conf/features/customer_features.conf, 31 features) on synthetic silver data, written to a
 *       Delta table partitioned by feature_date (what {@code run gold} does, without registry);
 *   <li><b>profiling</b>: {@code FeatureSetDrift.profileDays} of every day of that table (the
 *       queries of {@code FeatureProfiler}, grouped by day) and the profiles written to a Delta
 *       profiles table (what {@code run gold} adds after its commit).
 * </ul>
 *
 * <p>Run with bench/drift/run.sh [entities] [days]; appends one line to bench/drift/RESULTS.md with
 * the load average before and after.
 */
public final class DriftBench {
  public static void main(String[] args) throws IOException {
    int entities = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
    int days = args.length > 1 ? Integer.parseInt(args[1]) : 60;
    double ordersPerDay = 0.2;
    double eventsPerDay = 1.0;
    Path work = Path.of("bench/work/drift");
    Files.createDirectories(work);
    String loadBefore = load();

    SparkSession spark =
        SparkSession.builder()
            .master("local[2]")
            .appName("drift-bench")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "8")
            .config("spark.sql.session.timeZone", "UTC")
            .config("spark.sql.adaptive.enabled", "true")
            .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
            .config(
                "spark.sql.catalog.spark_catalog",
                "org.apache.spark.sql.delta.catalog.DeltaCatalog")
            .config("spark.databricks.delta.snapshotPartitions", "2")
            .getOrCreate();
    spark.sparkContext().setLogLevel("WARN");

    LocalDate first = LocalDate.parse("2024-01-01");
    LocalDate last = first.plusDays(days - 1);
    Map<String, Dataset<Row>> sources =
        generate(spark, work, entities, days, ordersPerDay, eventsPerDay, first);
    GoldSettings settings =
        new GoldSettings(Path.of("conf/features"), "gold._feature_registry_", "bench", 365, 10_000);
    FeatureSet set =
        new FeatureSetLoader(settings.featuresDir(), settings).load("customer_features");
    String lake =
        work.resolve("lake-" + entities + "x" + days + "-" + System.nanoTime())
            .toAbsolutePath()
            .toString();
    LakeCatalog catalog = new LakeCatalog(spark, "file:" + lake);
    TableId table = TableId.of("gold", "customer_features");

    // Warm-up (JIT, code generation, Deequ classes) on two days, not timed.
    Dataset<Row> warm = FeatureComputer.compute(set, sources, first, first.plusDays(1));
    warm.write().format("noop").mode("overwrite").save();
    DriftSpec spec =
        new DriftSpec(
            true,
            "gold._feature_profiles_",
            "gold._feature_drift_",
            "gold._training_profiles_",
            "gold._training_drift_",
            2048,
            50,
            7,
            false,
            Map.of(),
            Map.of());
    FeatureSetDrift.profileDays(
        spec,
        set.name(),
        warm,
        FeatureSetDrift.features(set, warm),
        List.of(first, first.plusDays(1)),
        null);

    long goldStart = System.nanoTime();
    FeatureComputer.compute(set, sources, first, last)
        .write()
        .format("delta")
        .partitionBy(FeatureColumns.FEATURE_DATE)
        .mode("overwrite")
        .save(catalog.location(table));
    double gold = (System.nanoTime() - goldStart) / 1e9;
    catalog.register(table);
    Dataset<Row> written = catalog.read(table);
    long rows = written.count();
    System.out.printf(
        "gold run: %d snapshot rows x %d features in %.1f s%n", rows, set.features().size(), gold);

    long profileStart = System.nanoTime();
    List<LocalDate> all = new ArrayList<>();
    for (LocalDate d = first; !d.isAfter(last); d = d.plusDays(1)) {
      all.add(d);
    }
    List<FeatureProfile> profiles =
        FeatureSetDrift.profileDays(
            spec, set.name(), written, FeatureSetDrift.features(set, written), all, 0L);
    new ProfileStore(spark, catalog, spec.profileTable(set.name()))
        .writeDays(set.name(), all, profiles, Instant.now());
    double profile = (System.nanoTime() - profileStart) / 1e9;
    System.out.printf(
        "profiling: %d profiles (%d days) in %.1f s = %.2f of the gold run%n",
        profiles.size(), days, profile, profile / gold);
    String loadAfter = load();
    String line =
        String.format(
            "| %s | %d | %d | %d | %d | %.1f | %.1f | %.2f | %s | %s |%n",
            Instant.now().toString().substring(0, 16),
            Runtime.getRuntime().availableProcessors(),
            entities,
            days,
            rows,
            gold,
            profile,
            profile / gold,
            loadBefore,
            loadAfter);
    System.out.print(line);
    Files.writeString(
        Path.of("bench/drift/RESULTS.md"),
        line,
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
    spark.stop();
  }

  private static String load() throws IOException {
    String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
    return parts[0] + " " + parts[1] + " " + parts[2];
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
            + "'returned'),"
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
