package lakehouse.gold;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import lakehouse.common.ExitCode;
import lakehouse.common.LakehouseException;
import lakehouse.common.testing.SparkTestSession;
import lakehouse.common.testing.TestLake;
import lakehouse.gold.declarations.FeatureSet;
import lakehouse.gold.declarations.FeatureSetLoader;
import lakehouse.gold.declarations.FeatureSpec;
import lakehouse.gold.declarations.SchemaCheck;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** Declarations: the sample loads, bad ones are rejected naming file, key and line. */
class FeatureSetLoaderTest {

  @Test
  void theSampleCustomerFeaturesLoadAndMatchTheSilverContract() {
    FeatureSet set =
        new FeatureSetLoader(TestLake.confDir().resolve("features"), TestSets.SETTINGS)
            .load("customer_features");
    assertThat(set.entity()).containsExactly("customer_id");
    assertThat(set.features())
        .extracting(FeatureSpec::name)
        .contains(
            "order_count_1d",
            "order_count_7d",
            "order_count_30d",
            "order_count_90d",
            "order_amount_std_90d",
            "days_since_last_purchase",
            "distinct_categories_30d",
            "view_count_7d",
            "purchase_event_count_7d",
            "view_to_purchase_rate_7d",
            "order_count_trend_7d_30d",
            "segment",
            "country");
    assertThat(set.horizonDays()).isEqualTo(365);
    SchemaCheck.check(
        SparkTestSession.get(),
        set,
        Map.of("orders", Silver.ORDERS, "events", Silver.EVENTS, "customers", Silver.CUSTOMERS));
  }

  @Test
  void aChangedDefinitionChangesItsHashAndThoseDerivedFromIt() {
    FeatureSet before = TestSets.parse("edges", TestSets.EDGES);
    FeatureSet after =
        TestSets.parse(
            "edges",
            TestSets.EDGES.replace(
                "filter = \"status = 'completed'\"",
                "filter = \"status IN ('completed', 'placed')\""));
    FeatureSet reworded =
        TestSets.parse(
            "edges",
            TestSets.EDGES.replace(
                "windows = [7 days] }\n  { name = order_amount_std",
                "windows = [7 days], description = \"new words\" }\n  { name = order_amount_std"));
    Map<String, String> a = before.definitionHashes();
    Map<String, String> b = after.definitionHashes();
    assertThat(b.get("completed_count_7d")).isNotEqualTo(a.get("completed_count_7d"));
    assertThat(b.get("completed_share_7d"))
        .as("a ratio over it")
        .isNotEqualTo(a.get("completed_share_7d"));
    assertThat(b.get("order_count_7d")).isEqualTo(a.get("order_count_7d"));
    assertThat(reworded.definitionHashes()).as("descriptions are not definitions").isEqualTo(a);
  }

  @Test
  void unknownAggregationsBadWindowsAndDuplicateNamesAreRejectedWithFileKeyAndLine() {
    String hocon =
        TestSets.SOURCES
            + """
            aggregations = [
              { name = a, source = orders, function = median, column = amount, windows = [7 days] }
              { name = b, source = orders, function = count, windows = [weekly] }
              { name = c, source = orders, function = count, windows = [36 hours] }
              { name = d, source = orders, function = count, windows = [7 days] }
              { name = d, source = orders, function = sum, column = amount, windows = [7 days] }
              { name = e, source = nowhere, function = count, windows = [1 day] }
            ]
            ratios = [ { name = r, numerator = d_7d, denominator = missing_7d } ]
            """;
    assertThatThrownBy(() -> TestSets.parse("bad", hocon))
        .isInstanceOfSatisfying(
            LakehouseException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE))
        .hasMessageContaining(
            "features/bad.conf aggregations[0]: function: must be one of avg, count,"
                + " count_distinct, max, min, stddev, sum, got 'median'")
        .hasMessageContaining("features/bad.conf aggregations[1]: windows")
        .hasMessageContaining(
            "must be durations such as 7 days or [1 day, 30 days], got " + "[\"weekly\"]")
        .hasMessageContaining("features/bad.conf aggregations[2]: windows")
        .hasMessageContaining("a window must be a positive whole number of days, got PT36H")
        .hasMessageContaining("features/bad.conf aggregations[4]: name")
        .hasMessageContaining(
            "feature 'd_7d' is declared twice (also at features/bad.conf " + "aggregations[3])")
        .hasMessageContaining("features/bad.conf aggregations[5]: source")
        .hasMessageContaining("unknown source 'nowhere'; sources: customers, events, orders")
        .hasMessageContaining("features/bad.conf ratios[0]: denominator")
        .hasMessageContaining("unknown feature 'missing_7d'");
  }

  @Test
  void unknownColumnsAndBadFiltersAreRejectedBeforeAnyDataIsRead() {
    FeatureSet set =
        TestSets.parse(
            "cols",
            TestSets.SOURCES
                + """
                aggregations = [
                  { name = a, source = orders, function = sum, column = amout, windows = [7 days] }
                  { name = b, source = orders, function = count, filter = "stauts = 'x'", windows = [7 days] }
                  { name = c, source = orders, function = avg, column = category, windows = [7 days] }
                ]
                attributes = [ { source = customers, column = tier } ]
                """);
    Map<String, StructType> schemas =
        Map.of("orders", Silver.ORDERS, "events", Silver.EVENTS, "customers", Silver.CUSTOMERS);
    assertThatThrownBy(() -> SchemaCheck.check(SparkTestSession.get(), set, schemas))
        .isInstanceOfSatisfying(
            LakehouseException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE))
        .hasMessageContaining("features/cols.conf aggregations[0]: column")
        .hasMessageContaining(
            "unknown column 'amout' in silver.orders; columns: order_id, " + "customer_id, amount,")
        .hasMessageContaining("features/cols.conf aggregations[1]: filter")
        .hasMessageContaining("'stauts = 'x'' is not a valid condition over silver.orders")
        .hasMessageContaining("features/cols.conf aggregations[2]: column")
        .hasMessageContaining("avg needs a numeric column; silver.orders.category is string")
        .hasMessageContaining("features/cols.conf attributes[0]: column")
        .hasMessageContaining("unknown column 'tier' in silver.customers");
  }

  @Test
  void aDeclarationFileIsNamedInMessagesWithItsLine(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    java.nio.file.Files.writeString(
        dir.resolve("x.conf"),
        TestSets.SOURCES
            + "aggregations = [\n"
            + "  { name = n, source = orders, function = count, windows = [0 days] }\n"
            + "]\n");
    assertThatThrownBy(() -> new FeatureSetLoader(dir, TestSets.SETTINGS).load("x"))
        .hasMessage(
            "features/x.conf aggregations[0]: windows ("
                + dir.resolve("x.conf")
                + ":8): a window must be a positive whole number of days, got PT0S");
    assertThat(new FeatureSetLoader(dir, TestSets.SETTINGS).names()).isEqualTo(List.of("x"));
  }
}
