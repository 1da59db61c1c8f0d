package lakehouse.common.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;

/**
 * The one Spark session of a test JVM: local[2], two shuffle partitions, no UI, Delta on, UTC, and
 * no code generation. Creating a session costs seconds, so every test class shares this one.
 *
 * <p>Tests run their plans interpreted: on a few rows, generating and compiling Java for each query
 * is most of the work. Delta's own queries read and write its log through typed Datasets of its
 * wide action classes, and building their generated code was 43 % of a profiled test JVM's CPU
 * (Janino's compile another 7 %); interpreted, TrainingSetBuilderTest and DiffCommandTest took
 * 0.70x the CPU and 0.72x the wall. Spark computes the same rows either way. The plans as
 * production runs them, with code generation and the lake's code-generation limit, are run by the
 * Airflow tests' jobs (spark-submit, local and standalone cluster), the demo and the benchmarks.
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
              // Interpreted: no whole-stage code, no generated code per expression.
              .config("spark.sql.codegen.wholeStage", "false")
              .config("spark.sql.codegen.factoryMode", "NO_CODEGEN")
              .getOrCreate();
      Runtime.getRuntime().addShutdownHook(new Thread(spark::stop));
    }
    return spark;
  }
}
