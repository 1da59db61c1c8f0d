package lakehouse.gold;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import lakehouse.common.testing.SparkTestSession;
import lakehouse.gold.compute.FeatureComputer;
import lakehouse.gold.compute.ReferenceComputer;
import lakehouse.gold.declarations.FeatureSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Hand-computed snapshots on a small dataset, with events exactly at midnight, at a window's first
 * instant and at the snapshot's last instant, checked for the fast computation and the per-day
 * reference alike.
 */
class FeatureComputerTest {
  static final LocalDate MAR_09 = LocalDate.parse("2024-03-09");
  static final LocalDate MAR_10 = LocalDate.parse("2024-03-10");
  static SparkSession spark;
  static FeatureSet set;
  static Map<String, Dataset<Row>> sources;

  @BeforeAll
  static void data() {
    spark = SparkTestSession.get();
    set = TestSets.parse("edges", TestSets.EDGES);
    Dataset<Row> orders =
        new Silver.Orders()
            .add(
                "o1",
                "c1",
                "10.00",
                "completed",
                "books",
                "2024-03-10T00:00:00Z") // D's first instant
            .add("o2", "c1", "20.00", "placed", "toys", "2024-03-10T23:59:59.999999Z") // D's last
            .add("o3", "c1", "1000.00", "completed", "cars", "2024-03-11T00:00:00Z") // D+1: future
            .add("o4", "c1", "5.00", "completed", "books", "2024-03-04T00:00:00Z") // 7-day start
            .add("o5", "c1", "7.00", "completed", "games", "2024-03-03T23:59:59Z") // just before it
            .add("o6", "c1", "3.00", "cancelled", "books", "2024-03-09T10:00:00Z")
            .add("o7", "c2", "40.00", "completed", "books", "2024-02-20T08:00:00Z")
            .add(
                "o8", "c2", "99.00", "completed", "books", "2024-02-09T23:00:00Z") // before 30 days
            .add("o9", null, "1.00", "completed", "books", "2024-03-10T08:00:00Z") // no entity
            .build(spark);
    Dataset<Row> events =
        new Silver.Events()
            .add("e1", "c1", "view", "2024-03-10T09:00:00Z")
            .add("e2", "c1", "view", "2024-03-04T00:00:00Z")
            .add("e3", "c1", "click", "2024-03-10T09:01:00Z")
            .add("e4", "c1", "view", "2024-03-11T00:00:00Z") // future
            .build(spark);
    Dataset<Row> customers =
        new Silver.Customers()
            .add("c1", "DE", "new", "2024-01-01T00:00:00Z", "2024-03-10T12:00:00Z")
            .add("c1", "DE", "loyal", "2024-03-10T12:00:00Z", null) // changes during D
            .add("c2", "FR", "new", "2024-02-01T00:00:00Z", "2024-03-10T00:00:00Z")
            .add("c2", "GB", "new", "2024-03-10T00:00:00Z", null) // moves at D's first instant
            .add("c3", "US", "new", "2024-03-10T05:00:00Z", null) // signs up on D
            .add("c4", "US", "new", "2024-03-11T00:00:00Z", null) // signs up after D
            .build(spark);
    sources = Map.of("orders", orders, "events", events, "customers", customers);
  }

  @Test
  void windowsCountEventsOfTheirDaysOnlyUpToTheSnapshotsLastInstant() {
    for (Dataset<Row> result :
        List.of(
            FeatureComputer.compute(set, sources, MAR_09, MAR_10),
            ReferenceComputer.compute(set, sources, MAR_09, MAR_10))) {
      Map<String, Row> rows = byKey(result);
      assertThat(rows.keySet())
          .as("one row per existing customer and day")
          .containsExactlyInAnyOrder(
              "c1/2024-03-09", "c2/2024-03-09", "c1/2024-03-10", "c2/2024-03-10", "c3/2024-03-10");

      Row c1 = rows.get("c1/2024-03-10");
      assertThat(c1.<Timestamp>getAs("feature_time"))
          .isEqualTo(Silver.ts("2024-03-10T23:59:59.999999Z"));
      assertThat(c1.<Long>getAs("order_count_1d"))
          .as("o1 at 00:00, o2 at 23:59:59.999999")
          .isEqualTo(2L);
      assertThat(c1.<Double>getAs("order_amount_sum_1d")).isCloseTo(30.0, within(1e-9));
      assertThat(c1.<Long>getAs("order_count_7d"))
          .as("o4 at the window's first instant is in")
          .isEqualTo(4L);
      assertThat(c1.<Double>getAs("order_amount_sum_7d")).isCloseTo(38.0, within(1e-9));
      assertThat(c1.<Double>getAs("order_amount_avg_7d")).isCloseTo(9.5, within(1e-9));
      assertThat(c1.<Double>getAs("order_amount_std_7d"))
          .isCloseTo(Math.sqrt(173.0 / 3), within(1e-9));
      assertThat(c1.<BigDecimal>getAs("order_amount_min_7d")).isEqualByComparingTo("3.00");
      assertThat(c1.<BigDecimal>getAs("order_amount_max_7d")).isEqualByComparingTo("20.00");
      assertThat(c1.<Long>getAs("order_count_30d")).isEqualTo(5L);
      assertThat(c1.<Long>getAs("completed_count_7d")).isEqualTo(2L);
      assertThat(c1.<Long>getAs("distinct_categories_30d")).isEqualTo(3L);
      assertThat(c1.<Long>getAs("view_count_7d")).isEqualTo(2L);
      assertThat(c1.<Integer>getAs("days_since_last_order")).isEqualTo(0);
      assertThat(c1.<Double>getAs("completed_share_7d")).isCloseTo(0.5, within(1e-12));
      assertThat(c1.<Double>getAs("order_trend_7d_30d"))
          .isCloseTo((4.0 / 7) / (5.0 / 30), within(1e-12));
      assertThat(c1.<String>getAs("segment"))
          .as("the version valid at 23:59:59.999999")
          .isEqualTo("loyal");

      Row c1Before = rows.get("c1/2024-03-09");
      assertThat(c1Before.<Long>getAs("order_count_1d")).isEqualTo(1L);
      assertThat(c1Before.<Long>getAs("order_count_7d"))
          .as("o5 at 03-03 23:59:59 is in")
          .isEqualTo(3L);
      assertThat(c1Before.<Double>getAs("order_amount_sum_7d")).isCloseTo(15.0, within(1e-9));
      assertThat(c1Before.<String>getAs("segment")).isEqualTo("new");
      assertThat(c1Before.<Long>getAs("view_count_7d")).isEqualTo(1L);

      Row c2 = rows.get("c2/2024-03-10");
      assertThat(c2.<Long>getAs("order_count_7d")).isZero();
      assertThat(c2.<Double>getAs("order_amount_sum_7d")).isZero();
      assertThat(c2.<Double>getAs("order_amount_avg_7d")).isNull();
      assertThat(c2.<Double>getAs("order_amount_std_7d")).isNull();
      assertThat(c2.<BigDecimal>getAs("order_amount_min_7d")).isNull();
      assertThat(c2.<Long>getAs("order_count_30d")).as("o8 on 02-09 is 31 days back").isEqualTo(1L);
      assertThat(c2.<Integer>getAs("days_since_last_order")).isEqualTo(19);
      assertThat(c2.<Double>getAs("completed_share_7d")).as("0/0").isNull();
      assertThat(c2.<Double>getAs("order_trend_7d_30d")).isZero();
      assertThat(c2.<String>getAs("country"))
          .as("moved at the day's first instant")
          .isEqualTo("GB");
      assertThat(rows.get("c2/2024-03-09").<String>getAs("country")).isEqualTo("FR");
      assertThat(rows.get("c2/2024-03-09").<Integer>getAs("days_since_last_order")).isEqualTo(18);

      Row c3 = rows.get("c3/2024-03-10");
      assertThat(c3.<Long>getAs("order_count_30d")).isZero();
      assertThat(c3.<Integer>getAs("days_since_last_order")).isNull();
      assertThat(c3.<String>getAs("country")).isEqualTo("US");
    }
  }

  @Test
  void aSnapshotNeverChangesWithDataAfterItsEnd() {
    Dataset<Row> future =
        new Silver.Orders()
            .add("f1", "c1", "500.00", "completed", "cars", "2024-03-11T00:00:00Z")
            .add("f2", "c2", "500.00", "completed", "cars", "2024-04-01T00:00:00Z")
            .build(spark);
    Dataset<Row> futureCustomers =
        new Silver.Customers().add("c5", "US", "new", "2024-03-12T00:00:00Z", null).build(spark);
    Map<String, Dataset<Row>> withFuture = new LinkedHashMap<>(sources);
    withFuture.put("orders", sources.get("orders").union(future));
    withFuture.put("customers", sources.get("customers").union(futureCustomers));
    List<Row> before = sorted(FeatureComputer.compute(set, sources, MAR_09, MAR_10));
    List<Row> after = sorted(FeatureComputer.compute(set, withFuture, MAR_09, MAR_10));
    assertThat(after)
        .as("rows after the snapshot's end leak nothing into it")
        .containsExactlyElementsOf(before);
  }

  @Test
  void aDaysSnapshotDoesNotDependOnTheRangeItIsComputedIn() {
    List<Row> alone = sorted(FeatureComputer.compute(set, sources, MAR_10, MAR_10));
    List<Row> inRange =
        sorted(
            FeatureComputer.compute(set, sources, MAR_09, MAR_10)
                .filter("feature_date = DATE'2024-03-10'"));
    assertThat(alone).containsExactlyElementsOf(inRange);
  }

  static Map<String, Row> byKey(Dataset<Row> rows) {
    Map<String, Row> result = new LinkedHashMap<>();
    for (Row row : rows.collectAsList()) {
      String key = row.getAs("customer_id") + "/" + row.getAs("feature_date");
      assertThat(result.put(key, row)).as("duplicate row for " + key).isNull();
    }
    return result;
  }

  static List<Row> sorted(Dataset<Row> rows) {
    return rows.orderBy("customer_id", "feature_date").collectAsList();
  }
}
