package lakehouse.common.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import lakehouse.common.spark.SparkSessions;
import org.apache.spark.sql.SparkSession;

/**
 * The one Spark session of a test JVM: local[2], two shuffle partitions, no UI, Delta on, UTC, the
 * lake's code-generation limit. Creating a session costs seconds, so every test class shares this
 * one.
 */
public final class SparkTestSession {
  private static SparkSession spark;

  private SparkTestSession() {}

  public static synchronized SparkSession get() {
    if (spark == null) {
      Path warehouse;
      try {
        warehouse = Files.createTempDirectory("lakehouse-test-warehouse");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      spark =
          SparkSession.builder()
              .master("local[2]")
              .appName("lakehouse-tests")
              .config("spark.ui.enabled", "false")
              .config("spark.sql.shuffle.partitions", "2")
              .config("spark.default.parallelism", "2")
              .config("spark.sql.catalogImplementation", "in-memory")
              .config("spark.sql.warehouse.dir", warehouse.toUri().toString())
              .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
              .config(
                  "spark.sql.catalog.spark_catalog",
                  "org.apache.spark.sql.delta.catalog.DeltaCatalog")
              .config("spark.sql.session.timeZone", "UTC")
              .config("spark.databricks.delta.properties.defaults.enableInCommitTimestamps", "true")
              .config("spark.databricks.delta.properties.defaults.enableRowTracking", "true")
              .config("spark.databricks.delta.snapshotPartitions", "2")
              .config("spark.sql.adaptive.enabled", "true")
              // As the lake's own sessions: the plans run as they run in production.
              .config(SparkSessions.HUGE_METHOD_LIMIT, SparkSessions.HOTSPOT_HUGE_METHOD_LIMIT)
              .getOrCreate();
      Runtime.getRuntime().addShutdownHook(new Thread(spark::stop));
    }
    return spark;
  }
}
