package lakehouse.common.settings;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * The validated settings every command starts from. Built once from the layered {@link Config};
 * every problem is reported at once with exit code 2.
 *
 * @param env the environment overlay in force (local, prod, ...)
 * @param confDir the configuration directory (declarations live below it)
 * @param lakeRoot the URI under which every table lives ({@code file:/...} or {@code s3a://...})
 * @param landingRoot the URI of the landing zone the sources read
 * @param spark how the Spark session is built
 * @param catalog how tables are registered
 * @param tables properties every new table gets
 * @param s3 S3A connector settings; credentials never come from here
 * @param config the whole resolved configuration, for layer-specific settings
 */
public record LakehouseSettings(
    String env,
    Path confDir,
    String lakeRoot,
    String landingRoot,
    SparkSettings spark,
    CatalogSettings catalog,
    TableSettings tables,
    S3Settings s3,
    Config config) {

  /**
   * @param master used only when the job is not launched by spark-submit
   */
  public record SparkSettings(
      String master, int shufflePartitions, boolean uiEnabled, Map<String, String> conf) {}

  /**
   * @param type {@code lake}: tables registered from the lake's layout; {@code hive}: a metastore
   */
  public record CatalogSettings(String type) {}

  public record TableSettings(
      boolean inCommitTimestamps, Duration logRetention, Duration deletedFileRetention) {}

  /**
   * @param endpoint empty for AWS itself
   */
  public record S3Settings(
      String endpoint, boolean pathStyleAccess, String credentialsProvider, boolean sslEnabled) {}

  /** Reads and validates the {@code lakehouse} block. */
  public static LakehouseSettings from(Config config, String env, Path confDir) {
    ConfigReader reader = new ConfigReader(config, "configuration (env " + env + ")");
    String lakeRoot = LakePaths.normalise(reader, "lakehouse.lake-root");
    String landingRoot = LakePaths.normalise(reader, "lakehouse.landing-root");
    SparkSettings spark =
        new SparkSettings(
            reader.string("lakehouse.spark.master"),
            positive(reader, "lakehouse.spark.shuffle-partitions"),
            Boolean.TRUE.equals(reader.bool("lakehouse.spark.ui-enabled")),
            reader.stringMap("lakehouse.spark.conf"));
    CatalogSettings catalog =
        new CatalogSettings(reader.oneOf("lakehouse.catalog.type", Set.of("lake", "hive")));
    TableSettings tables =
        new TableSettings(
            Boolean.TRUE.equals(reader.bool("lakehouse.tables.in-commit-timestamps")),
            reader.duration("lakehouse.tables.log-retention"),
            reader.duration("lakehouse.tables.deleted-file-retention"));
    S3Settings s3 =
        new S3Settings(
            reader.string("lakehouse.s3.endpoint", ""),
            Boolean.TRUE.equals(reader.bool("lakehouse.s3.path-style-access")),
            reader.string("lakehouse.s3.credentials-provider"),
            Boolean.TRUE.equals(reader.bool("lakehouse.s3.ssl-enabled")));
    reader.throwIfProblems();
    return new LakehouseSettings(
        env, confDir, lakeRoot, landingRoot, spark, catalog, tables, s3, config);
  }

  /** Loads the configuration and validates it in one step. */
  public static LakehouseSettings load(Path confDir, String env, java.util.List<String> overrides) {
    return from(ConfigLoader.load(confDir, env, overrides), env, confDir);
  }

  private static int positive(ConfigReader reader, String path) {
    Integer value = reader.integer(path);
    if (value != null && value < 1) {
      reader.problem(path, "must be at least 1, got " + value);
    }
    return value == null ? 1 : value;
  }
}
