package lakehouse.common.spark;

import java.util.LinkedHashMap;
import java.util.Map;
import lakehouse.common.settings.LakehouseSettings;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * The one place a Spark session is built. Delta's extension and catalog and the UTC session time
 * zone are always set; everything else is a default that {@code spark-submit --conf} (or {@code
 * --master}) overrides when the job is launched by it.
 */
public final class SparkSessions {
  /** Delta's setting: the partitions a table's snapshot is rebuilt in. */
  public static final String SNAPSHOT_PARTITIONS = "spark.databricks.delta.snapshotPartitions";

  /** Delta's default for {@link #SNAPSHOT_PARTITIONS}. */
  public static final int DELTA_SNAPSHOT_PARTITIONS = 50;

  /**
   * Spark's setting: the bytecode size of a whole-stage generated method above which Spark runs
   * that part of the plan without whole-stage code generation (its expressions still compiled,
   * split into small methods).
   */
  public static final String HUGE_METHOD_LIMIT = "spark.sql.codegen.hugeMethodLimit";

  /**
   * HotSpot's {@code HugeMethodLimit}: it never compiles a longer method, which then runs in the
   * bytecode interpreter for the whole job. Spark's default for {@link #HUGE_METHOD_LIMIT} is 65535
   * (any valid method); its description of the setting suggests this value on HotSpot. A plan with
   * many computed columns after a window (gold's features) compiles to one such method: gold took
   * 1.5x as long with Spark's default; bronze and the demo measured the same either way
   * (bench/gold/results.md, bench/bronze/RESULTS.md). Small jobs pay a second compile of such a
   * stage: the test command took about 12% more CPU (before its Java tests ran interpreted, see
   * SparkTestSession).
   */
  public static final String HOTSPOT_HUGE_METHOD_LIMIT = "8000";

  private SparkSessions() {}

  /** Builds (or returns the running) session for a job. */
  public static SparkSession create(LakehouseSettings settings, String appName) {
    SparkConf launched = new SparkConf(); // holds what spark-submit passed as system properties
    SparkSession.Builder builder = SparkSession.builder().appName(appName);
    if (!launched.contains("spark.master")) {
      builder.master(settings.spark().master());
    }
    defaults(settings)
        .forEach(
            (key, value) -> {
              if (!launched.contains(key)) {
                builder.config(key, value);
              }
            });
    required().forEach(builder::config);
    SparkSession spark = builder.getOrCreate();
    fitLocal(spark);
    return spark;
  }

  /**
   * What a local session gets once it runs (its default parallelism is known only then), unless the
   * launcher set it: {@link #fitSnapshotPartitions}. A cluster session keeps Delta's defaults.
   */
  public static void fitLocal(SparkSession spark) {
    if (spark.sparkContext().isLocal()) {
      fitSnapshotPartitions(spark);
    }
  }

  /**
   * Sets Delta's snapshot partitions to the session's default parallelism unless the launcher set
   * them; says whether it did. Delta rebuilds a table's snapshot (which every read, write and
   * idempotent-write check of a job loads) in {@value #DELTA_SNAPSHOT_PARTITIONS} partitions
   * otherwise: in local mode that is 50 tiny tasks per snapshot on a few cores, about 0.7 s per
   * snapshot of a small table (a bronze run loads five before it writes).
   */
  public static boolean fitSnapshotPartitions(SparkSession spark) {
    if (spark.conf().contains(SNAPSHOT_PARTITIONS)) {
      return false;
    }
    spark
        .conf()
        .set(
            SNAPSHOT_PARTITIONS,
            String.valueOf(Math.max(1, spark.sparkContext().defaultParallelism())));
    return true;
  }

  /** What every session must have, whoever launched it. */
  public static Map<String, String> required() {
    Map<String, String> conf = new LinkedHashMap<>();
    conf.put("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension");
    conf.put("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog");
    conf.put("spark.sql.session.timeZone", "UTC");
    return conf;
  }

  /** Defaults derived from the settings; a launcher's own values win over these. */
  public static Map<String, String> defaults(LakehouseSettings settings) {
    Map<String, String> conf = new LinkedHashMap<>();
    conf.put("spark.sql.shuffle.partitions", String.valueOf(settings.spark().shufflePartitions()));
    conf.put("spark.ui.enabled", String.valueOf(settings.spark().uiEnabled()));
    conf.put(
        "spark.sql.catalogImplementation",
        settings.catalog().type().equals("hive") ? "hive" : "in-memory");
    conf.put("spark.sql.warehouse.dir", settings.lakeRoot() + "/_warehouse");
    conf.put(HUGE_METHOD_LIMIT, HOTSPOT_HUGE_METHOD_LIMIT);
    LakehouseSettings.TableSettings tables = settings.tables();
    String prefix = "spark.databricks.delta.properties.defaults.";
    if (tables.inCommitTimestamps()) {
      conf.put(prefix + "enableInCommitTimestamps", "true");
    }
    // A row keeps the commit that wrote it across rewrites: training sets break ties with it.
    conf.put(prefix + "enableRowTracking", "true");
    conf.put(prefix + "logRetentionDuration", interval(tables.logRetention()));
    conf.put(prefix + "deletedFileRetentionDuration", interval(tables.deletedFileRetention()));
    conf.putAll(s3(settings.s3()));
    conf.putAll(settings.spark().conf());
    return conf;
  }

  static Map<String, String> s3(LakehouseSettings.S3Settings s3) {
    Map<String, String> conf = new LinkedHashMap<>();
    String prefix = "spark.hadoop.fs.s3a.";
    if (!s3.endpoint().isBlank()) {
      conf.put(prefix + "endpoint", s3.endpoint());
    }
    conf.put(prefix + "path.style.access", String.valueOf(s3.pathStyleAccess()));
    conf.put(prefix + "connection.ssl.enabled", String.valueOf(s3.sslEnabled()));
    conf.put(prefix + "aws.credentials.provider", s3.credentialsProvider());
    conf.put(prefix + "impl", "org.apache.hadoop.fs.s3a.S3AFileSystem");
    return conf;
  }

  /** Delta's table properties take a calendar interval. */
  static String interval(java.time.Duration duration) {
    long hours = duration.toHours();
    return hours % 24 == 0 ? "interval " + hours / 24 + " days" : "interval " + hours + " hours";
  }
}
