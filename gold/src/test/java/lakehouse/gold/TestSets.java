package lakehouse.gold;

import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import lakehouse.gold.declarations.FeatureSet;
import lakehouse.gold.declarations.FeatureSetLoader;

/** Feature set declarations for tests, parsed exactly as files in conf/features/ are. */
final class TestSets {
  static final GoldSettings SETTINGS =
      new GoldSettings(Path.of("conf/features"), "gold._feature_registry_", "unassigned", 365, 800);

  /** Sources orders (events), events (events) and customers (SCD2), as in the sample. */
  static final String SOURCES =
      """
      entity = [customer_id]
      sources {
        orders { table = silver.orders, time-column = order_ts }
        events { table = silver.events, time-column = event_ts }
        customers { table = silver.customers, type = scd2 }
      }
      """;

  /** The window-edge feature set of the hand-computed tests. */
  static final String EDGES =
      SOURCES
          + """
          entities-from = customers
          aggregations = [
            { name = order_count, source = orders, function = count, windows = [1 day, 7 days, 30 days] }
            { name = order_amount_sum, source = orders, function = sum, column = amount, windows = [1 day, 7 days] }
            { name = order_amount_avg, source = orders, function = avg, column = amount, windows = [7 days] }
            { name = order_amount_std, source = orders, function = stddev, column = amount, windows = [7 days] }
            { name = order_amount_min, source = orders, function = min, column = amount, windows = [7 days] }
            { name = order_amount_max, source = orders, function = max, column = amount, windows = [7 days] }
            { name = completed_count, source = orders, function = count, filter = "status = 'completed'", windows = [7 days] }
            { name = distinct_categories, source = orders, function = count_distinct, column = category, windows = [30 days] }
            { name = view_count, source = events, function = count, filter = "event_type = 'view'", windows = [7 days] }
          ]
          recency = [
            { name = days_since_last_order, source = orders, lookback = 30 days }
          ]
          ratios = [
            { name = completed_share_7d, numerator = completed_count_7d, denominator = order_count_7d }
          ]
          trends = [
            { name = order_trend_7d_30d, short = order_count_7d, long = order_count_30d }
          ]
          attributes = [
            { source = customers, column = segment }
            { source = customers, column = country }
          ]
          """;

  private TestSets() {}

  static FeatureSet parse(String name, String hocon) {
    return new FeatureSetLoader(SETTINGS.featuresDir(), SETTINGS)
        .parse(ConfigFactory.parseString(hocon).resolve(), "features/" + name + ".conf", name);
  }
}
