package lakehouse.gold;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Random;
import lakehouse.common.testing.SparkTestSession;
import lakehouse.gold.compute.FeatureComputer;
import lakehouse.gold.compute.ReferenceComputer;
import lakehouse.gold.declarations.FeatureSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * The one-pass computation against the per-day reference on random data: same rows, same values
 * (doubles to 1e-9 relative), for an SCD2 entity list and for activity-based entities.
 */
class FeatureComputerOracleTest {
  static final LocalDate FROM = LocalDate.parse("2024-03-20");
  static final LocalDate TO = LocalDate.parse("2024-03-24");

  @Test
  void fastAndReferenceAgreeOnRandomData() {
    SparkSession spark = SparkTestSession.get();
    Random random = new Random(42);
    String[] statuses = {"placed", "completed", "cancelled", "returned"};
    String[] categories = {"books", "toys", "games", null};
    String[] types = {"view", "click", "add_to_cart", "purchase"};
    Instant start = Instant.parse("2024-02-01T00:00:00Z");
    long span = java.time.Duration.ofDays(60).getSeconds();
    Silver.Orders orders = new Silver.Orders();
    Silver.Events events = new Silver.Events();
    Silver.Customers customers = new Silver.Customers();
    for (int c = 0; c < 12; c++) {
      String id = "c" + c;
      Instant signup = start.plusSeconds(random.nextInt((int) (span * 0.8)));
      Instant change = signup.plusSeconds(random.nextInt(20 * 86_400));
      customers.add(id, "DE", "new", signup.toString(), change.toString());
      customers.add(id, random.nextBoolean() ? "FR" : "DE", "loyal", change.toString(), null);
      int n = random.nextInt(25);
      for (int i = 0; i < n; i++) {
        // Whole-day offsets now and then, so that midnight edges occur.
        long offset =
            random.nextInt(4) == 0
                ? random.nextInt(60) * 86_400L
                : (long) (random.nextDouble() * span);
        String ts = start.plusSeconds(offset).toString();
        orders.add(
            id + "-o" + i,
            id,
            new BigDecimal(random.nextInt(10_000)).movePointLeft(2).toPlainString(),
            statuses[random.nextInt(4)],
            categories[random.nextInt(4)],
            ts);
        events.add(
            id + "-e" + i,
            id,
            types[random.nextInt(4)],
            start.plusSeconds((long) (random.nextDouble() * span)).toString());
      }
    }
    Map<String, Dataset<Row>> sources =
        Map.of(
            "orders",
            orders.build(spark).cache(),
            "events",
            events.build(spark).cache(),
            "customers",
            customers.build(spark).cache());

    FeatureSet scd2 = TestSets.parse("edges", TestSets.EDGES);
    compare(scd2, sources);
    FeatureSet active =
        TestSets.parse(
            "active",
            TestSets.EDGES
                .replace("entities-from = customers", "")
                .replace("lookback = 30 days", "lookback = 10 days"));
    compare(active, sources);
  }

  private static void compare(FeatureSet set, Map<String, Dataset<Row>> sources) {
    List<Row> fast = FeatureComputerTest.sorted(FeatureComputer.compute(set, sources, FROM, TO));
    List<Row> reference =
        FeatureComputerTest.sorted(ReferenceComputer.compute(set, sources, FROM, TO));
    assertThat(fast).as(set.name() + ": rows").hasSameSizeAs(reference).isNotEmpty();
    String[] columns = FeatureComputer.compute(set, sources, FROM, FROM).columns();
    for (int i = 0; i < fast.size(); i++) {
      Row f = fast.get(i);
      Row r = reference.get(i);
      for (int c = 0; c < columns.length; c++) {
        String where = set.name() + " " + f.get(0) + " " + f.get(2) + " " + columns[c];
        Object a = f.get(c);
        Object b = r.get(c);
        if (a instanceof Double x && b instanceof Double y) {
          assertThat(x)
              .as(where)
              .isCloseTo(
                  y, org.assertj.core.api.Assertions.within(1e-9 * Math.max(1, Math.abs(y))));
        } else {
          assertThat(a).as(where).isEqualTo(b);
        }
      }
    }
  }
}
