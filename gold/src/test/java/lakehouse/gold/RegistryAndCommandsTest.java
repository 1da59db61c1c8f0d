package lakehouse.gold;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import lakehouse.common.testing.CliRun;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The feature registry's versions and dates, and the gold and features commands. */
class RegistryAndCommandsTest {
  static final String V1 =
      TestSets.SOURCES
          + """
          entities-from = customers
          owner = "team-a"
          aggregations = [
            { name = order_count, source = orders, function = count, windows = [7 days], description = "all orders" }
            { name = completed, source = orders, function = count, filter = "status = 'completed'", windows = [7 days] }
          ]
          ratios = [ { name = completed_share, numerator = completed_7d, denominator = order_count_7d } ]
          attributes = [ { source = customers, column = segment } ]
          """;

  static GoldLake seeded(Path dir) {
    GoldLake lake = GoldLake.create(dir).declare("cust", V1);
    SparkSession spark = lake.lake.spark();
    lake.append(
        "orders",
        new Silver.Orders()
            .add("o1", "c1", "10.00", "completed", "books", "2024-03-02T10:00:00Z")
            .add("o2", "c1", "20.00", "placed", "books", "2024-03-03T10:00:00Z")
            .build(spark));
    lake.append(
        "events", new Silver.Events().add("e1", "c1", "view", "2024-03-02T10:00:00Z").build(spark));
    lake.append(
        "customers",
        new Silver.Customers()
            .add("c1", "DE", "new", "2024-02-01T00:00:00Z", null)
            .add("c2", "FR", null, "2024-02-01T00:00:00Z", null)
            .build(spark));
    return lake;
  }

  @Test
  void aChangedDefinitionGetsANewVersionAndTheRegistryKeepsTheOldOne(@TempDir Path dir) {
    GoldLake lake = seeded(dir);
    GoldJob.run(
        lake.runtime,
        GoldJob.Request.days("cust", LocalDate.parse("2024-03-01"), LocalDate.parse("2024-03-03")));
    GoldJob.run(
        lake.runtime,
        GoldJob.Request.days("cust", LocalDate.parse("2024-03-04"), LocalDate.parse("2024-03-04")));
    Map<String, Row> first = current(lake);
    assertThat(first.keySet())
        .containsExactlyInAnyOrder("order_count_7d", "completed_7d", "completed_share", "segment");
    Row count = first.get("order_count_7d");
    assertThat(count.<Integer>getAs("version")).isEqualTo(1);
    assertThat(count.<String>getAs("type")).isEqualTo("bigint");
    assertThat(count.<String>getAs("window")).isEqualTo("7 days");
    assertThat(count.<String>getAs("owner")).isEqualTo("team-a");
    assertThat(count.<String>getAs("entity")).isEqualTo("customer_id");
    assertThat(count.getList(count.fieldIndex("source_tables"))).containsExactly("silver.orders");
    assertThat(count.getAs("first_computed_date").toString()).isEqualTo("2024-03-01");
    assertThat(count.getAs("last_computed_date").toString()).isEqualTo("2024-03-04");
    assertThat(
            first
                .get("completed_share")
                .getList(first.get("completed_share").fieldIndex("source_tables")))
        .containsExactly("silver.orders");
    assertThat(first.get("segment").<String>getAs("type")).isEqualTo("string");

    // Redefine 'completed' (and so the ratio over it), reword order_count, add a feature.
    lake.declare(
        "cust",
        V1.replace("status = 'completed'", "status IN ('completed', 'placed')")
            .replace("all orders", "every order")
            .replace("attributes = [", "attributes = [ { source = customers, column = country },"));
    GoldJob.run(
        lake.runtime,
        GoldJob.Request.days("cust", LocalDate.parse("2024-03-05"), LocalDate.parse("2024-03-05")));
    Map<String, Row> second = current(lake);
    assertThat(second.get("completed_7d").<Integer>getAs("version")).isEqualTo(2);
    assertThat(second.get("completed_7d").getAs("first_computed_date").toString())
        .isEqualTo("2024-03-05");
    assertThat(second.get("completed_share").<Integer>getAs("version")).isEqualTo(2);
    assertThat(second.get("order_count_7d").<Integer>getAs("version"))
        .as("only reworded")
        .isEqualTo(1);
    assertThat(second.get("order_count_7d").<String>getAs("description")).isEqualTo("every order");
    assertThat(second.get("order_count_7d").getAs("first_computed_date").toString())
        .isEqualTo("2024-03-01");
    assertThat(second.get("order_count_7d").getAs("last_computed_date").toString())
        .isEqualTo("2024-03-05");
    assertThat(second.get("country").<Integer>getAs("version")).isEqualTo(1);
    List<Row> old =
        lake.read("gold._feature_registry_cust")
            .filter("feature = 'completed_7d' AND version = 1")
            .collectAsList();
    assertThat(old)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.<Boolean>getAs("is_current")).isFalse();
              assertThat(r.getAs("last_computed_date").toString()).isEqualTo("2024-03-04");
            });
    assertThat(
            lake.read("gold.cust")
                .filter("feature_date = DATE'2024-03-05'")
                .select("country")
                .collectAsList())
        .extracting(r -> r.getString(0))
        .containsExactlyInAnyOrder("DE", "FR");
    assertThat(
            lake.read("gold.cust")
                .filter("feature_date = DATE'2024-03-01'")
                .select("country")
                .collectAsList())
        .as("the new column is null on days computed before")
        .extracting(r -> r.get(0))
        .containsOnlyNulls();
  }

  @Test
  void theCommandsRunListAndDescribe(@TempDir Path dir) {
    GoldLake lake = seeded(dir);
    String[] conf = {
      "--conf",
      "lakehouse.lake-root=" + lake.lake.lakeRoot(),
      "--conf",
      "lakehouse.gold.features-dir=" + lake.featuresDir
    };

    CliRun run =
        CliRun.of(
            new GoldCommand(),
            concat(
                new String[] {
                  "--feature-set", "cust", "--from", "2024-03-01", "--to", "2024-03-03"
                },
                conf));
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out())
        .contains(
            "gold cust: 3 days (2024-03-01 .. 2024-03-03), 6 rows, "
                + "4 features -> gold.cust version");

    CliRun late =
        CliRun.of(
            new GoldCommand(), concat(new String[] {"--feature-set", "cust", "--changed"}, conf));
    assertThat(late.exitCode()).as(late.err()).isZero();
    assertThat(late.out()).contains("nothing to compute (no changed days)");

    CliRun list = CliRun.of(new FeaturesCommand(), conf);
    assertThat(list.exitCode()).as(list.err()).isZero();
    assertThat(list.out())
        .contains("order_count_7d")
        .contains("completed_share")
        .contains("(4 rows)");

    CliRun describe =
        CliRun.of(new FeaturesCommand(), concat(new String[] {"describe", "segment"}, conf));
    assertThat(describe.exitCode()).as(describe.err()).isZero();
    assertThat(describe.out())
        .contains("feature_set          cust")
        .contains("Latest snapshot: gold.cust feature_date = 2024-03-03")
        .containsPattern("rows +\\| nulls \\| null_rate")
        .containsPattern("2 +\\| 1 +\\| 0.5 ");

    CliRun unknown =
        CliRun.of(new FeaturesCommand(), concat(new String[] {"describe", "nope"}, conf));
    assertThat(unknown.exitCode()).isEqualTo(2);
    assertThat(unknown.err())
        .startsWith(
            "error: unknown feature 'nope'; known features: "
                + "completed_7d, completed_share, order_count_7d, segment");
  }

  @Test
  void badArgumentsExitWithTwoAndOneMessage(@TempDir Path dir) {
    GoldLake lake = GoldLake.create(dir).declare("cust", V1);
    String[] conf = {
      "--conf",
      "lakehouse.lake-root=" + lake.lake.lakeRoot(),
      "--conf",
      "lakehouse.gold.features-dir=" + lake.featuresDir
    };
    CliRun noDates =
        CliRun.of(new GoldCommand(), concat(new String[] {"--feature-set", "cust"}, conf));
    assertThat(noDates.exitCode()).isEqualTo(2);
    assertThat(noDates.err().strip()).isEqualTo("error: " + GoldErrors.dateOptions().getMessage());
    CliRun badDate =
        CliRun.of(
            new GoldCommand(),
            concat(new String[] {"--feature-set", "cust", "--date", "2024-13-01"}, conf));
    assertThat(badDate.err().strip())
        .isEqualTo("error: " + GoldErrors.badDate("--date", "2024-13-01").getMessage());
    CliRun noSilver =
        CliRun.of(
            new GoldCommand(),
            concat(new String[] {"--feature-set", "cust", "--date", "2024-03-01"}, conf));
    assertThat(noSilver.exitCode()).isEqualTo(2);
    assertThat(noSilver.err().strip())
        .isEqualTo(
            "error: "
                + GoldErrors.missingSourceTable("cust", "customers", "silver.customers")
                    .getMessage());
    CliRun empty = CliRun.of(new FeaturesCommand(), conf);
    assertThat(empty.exitCode()).isEqualTo(2);
    assertThat(empty.err().strip()).isEqualTo("error: " + GoldErrors.emptyRegistry().getMessage());
  }

  static Map<String, Row> current(GoldLake lake) {
    return lake
        .read("gold._feature_registry_cust")
        .filter("feature_set = 'cust' AND is_current")
        .collectAsList()
        .stream()
        .collect(Collectors.toMap(r -> r.getAs("feature"), r -> r));
  }

  static String[] concat(String[] a, String[] b) {
    String[] result = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, result, a.length, b.length);
    return result;
  }
}
