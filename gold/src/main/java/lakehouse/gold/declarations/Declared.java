package lakehouse.gold.declarations;

import com.typesafe.config.Config;
import lakehouse.common.settings.ConfigReader;

/**
 * Where a declaration came from (file and position in it) and its raw configuration, so that a
 * problem found later, against the source tables' schemas, still names the file, key and line.
 *
 * @param where e.g. {@code features/customer_features.conf aggregations[2]}
 * @param config the declaration's own object
 */
public record Declared(String where, Config config) {
  /** A reader that reports into a fresh problem list, for validation after loading. */
  public ConfigReader reader() {
    return new ConfigReader(config, where);
  }
}
