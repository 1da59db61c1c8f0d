package lakehouse.sample.demo;

import lakehouse.common.settings.LakehouseSettings;
import lakehouse.common.spark.SparkSessions;
import org.apache.hadoop.conf.Configuration;

/** Hadoop configuration for work outside Spark (landing files), with the same s3a settings. */
final class HadoopConf {
  private static final String PREFIX = "spark.hadoop.";

  private HadoopConf() {}

  static Configuration of(LakehouseSettings settings) {
    Configuration conf = new Configuration();
    SparkSessions.defaults(settings)
        .forEach(
            (key, value) -> {
              if (key.startsWith(PREFIX)) {
                conf.set(key.substring(PREFIX.length()), value);
              }
            });
    return conf;
  }
}
