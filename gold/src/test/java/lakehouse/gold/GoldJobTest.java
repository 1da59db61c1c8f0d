package lakehouse.gold;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import lakehouse.common.CommonErrors;
import lakehouse.common.ExitCode;
import lakehouse.common.LakehouseException;
import lakehouse.common.LakehouseRuntime;
import lakehouse.common.catalog.TableId;
import lakehouse.common.ops.RunHistory;
import lakehouse.common.testing.RecordedRun;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The job on a real lake: idempotent reruns, late data, run logs, change data feed. */
class GoldJobTest {
  static final String SET =
      TestSets.SOURCES
          + """
          entities-from = customers
          owner = "team-a"
          aggregations = [
            { name = order_count, source = orders, function = count, windows = [1 day, 7 days], description = "orders" }
            { name = order_amount_sum, source = orders, function = sum, column = amount, windows = [7 days] }
          ]
          attributes = [ { source = customers, column = segment } ]
          """;

  static LocalDate day(String text) {
    return LocalDate.parse(text);
  }

  static GoldLake seeded(Path dir) {
    GoldLake lake = GoldLake.create(dir).declare("cust", SET);
    SparkSession spark = lake.lake.spark();
    lake.append(
        "orders",
        new Silver.Orders()
            .add("o1", "c1", "10.00", "completed", "books", "2024-03-02T10:00:00Z")
            .add("o2", "c1", "20.00", "completed", "books", "2024-03-06T10:00:00Z")
            .add("o3", "c2", "5.00", "placed", "toys", "2024-03-09T10:00:00Z")
            .build(spark));
    lake.append(
        "events", new Silver.Events().add("e1", "c1", "view", "2024-03-02T10:00:00Z").build(spark));
    lake.append(
        "customers",
        new Silver.Customers()
            .add("c1", "DE", "new", "2024-02-01T00:00:00Z", null)
            .add("c2", "FR", "new", "2024-02-01T00:00:00Z", null)
            .build(spark));
    return lake;
  }

  @Test
  void aBackfillWritesOneRowPerEntityAndDayAndARerunReplacesItsDays(@TempDir Path dir) {
    GoldLake lake = seeded(dir);
    GoldReport first =
        recorded(
            lake,
            rt ->
                GoldJob.run(
                    rt, GoldJob.Request.days("cust", day("2024-03-01"), day("2024-03-10"))));
    assertThat(first.days()).hasSize(10);
    assertThat(first.rowsWritten()).isEqualTo(20);
    Dataset<Row> table = lake.read("gold.cust");
    assertThat(table.count()).isEqualTo(20);
    assertThat(table.columns())
        .startsWith(
            "customer_id",
            "feature_time",
            "feature_date",
            "order_count_1d",
            "order_count_7d",
            "order_amount_sum_7d",
            "segment");
    List<Row> props = lake.lake.spark().sql("SHOW TBLPROPERTIES gold.cust").collectAsList();
    assertThat(props)
        .anySatisfy(
            r -> {
              assertThat(r.getString(0)).isEqualTo("delta.enableChangeDataFeed");
              assertThat(r.getString(1)).isEqualTo("true");
            });
    assertThat(props)
        .as("the row key diff pairs rows by")
        .anySatisfy(
            r -> {
              assertThat(r.getString(0)).isEqualTo("lakehouse.key");
              assertThat(r.getString(1)).isEqualTo("customer_id,feature_date");
            });
    assertThat(
            lake.lake
                .spark()
                .sql("DESCRIBE DETAIL gold.cust")
                .first()
                .<scala.collection.Seq<String>>getAs("partitionColumns")
                .mkString(","))
        .isEqualTo("feature_date");

    GoldReport rerun =
        recorded(
            lake,
            rt ->
                GoldJob.run(
                    rt, GoldJob.Request.days("cust", day("2024-03-06"), day("2024-03-06"))));
    assertThat(rerun.goldVersion()).isEqualTo(first.goldVersion() + 1);
    assertThat(lake.read("gold.cust").count())
        .as("the day is replaced, not duplicated")
        .isEqualTo(20);
    assertThat(lake.read("gold.cust").filter("feature_date = DATE'2024-03-06'").count())
        .isEqualTo(2);
    assertThat(
            lake.read("gold.cust")
                .filter("customer_id = 'c1' AND feature_date = DATE'2024-03-06'")
                .first()
                .<Long>getAs("order_count_7d"))
        .isEqualTo(2L);

    List<Row> runs =
        new RunHistory(lake.lake.spark(), lake.runtime.catalog())
            .read()
            .orderBy("started_at")
            .selectExpr("details['gold.cust'] AS gold", "rows_written")
            .collectAsList();
    assertThat(runs).hasSize(2);
    assertThat(runs.get(0).<scala.collection.Map<String, String>>getAs("gold").apply("status"))
        .isEqualTo("ok");
    assertThat(
            runs.get(0)
                .<scala.collection.Map<String, String>>getAs("gold")
                .apply("advances_watermark"))
        .as("the first run")
        .isEqualTo("true");
    assertThat(
            runs.get(1)
                .<scala.collection.Map<String, String>>getAs("gold")
                .apply("advances_watermark"))
        .as("a plain range")
        .isEqualTo("false");
    assertThat(runs.get(1).<Long>getAs("rows_written")).isEqualTo(2L);
  }

  @Test
  void lateDataRecomputesExactlyTheDaysItsWindowsReachAsNewVersions(@TempDir Path dir) {
    GoldLake lake = seeded(dir);
    SparkSession spark = lake.lake.spark();
    GoldReport first =
        recorded(
            lake,
            rt ->
                GoldJob.run(
                    rt, GoldJob.Request.days("cust", day("2024-03-01"), day("2024-03-20"))));
    long published = first.goldVersion();

    // Silver receives an order of 03-05 late, one in the future of every snapshot, and a
    // customer version starting on 03-15.
    lake.append(
        "orders",
        new Silver.Orders()
            .add("late", "c2", "7.00", "completed", "toys", "2024-03-05T23:00:00Z")
            .add("later", "c2", "9.00", "completed", "toys", "2024-03-25T10:00:00Z")
            .build(spark));
    GoldReport late = recorded(lake, rt -> GoldJob.run(rt, GoldJob.Request.changed("cust")));
    assertThat(late.lateDays())
        .as("03-05 and the six days its 7-day window reaches")
        .containsExactlyElementsOf(days("2024-03-05", "2024-03-11"));
    assertThat(late.goldVersion()).isEqualTo(published + 1);

    Row now =
        lake.read("gold.cust")
            .filter("customer_id = 'c2' AND feature_date = DATE'2024-03-08'")
            .first();
    assertThat(now.<Long>getAs("order_count_7d")).isEqualTo(1L);
    Row before =
        spark
            .read()
            .format("delta")
            .option("versionAsOf", published)
            .load(lake.runtime.catalog().location(TableId.parse("gold.cust")))
            .filter("customer_id = 'c2' AND feature_date = DATE'2024-03-08'")
            .first();
    assertThat(before.<Long>getAs("order_count_7d"))
        .as("the published value stays reachable")
        .isEqualTo(0L);

    List<String> changedDates =
        spark
            .read()
            .format("delta")
            .option("readChangeFeed", "true")
            .option("startingVersion", published + 1)
            .load(lake.runtime.catalog().location(TableId.parse("gold.cust")))
            .select("feature_date")
            .distinct()
            .orderBy("feature_date")
            .collectAsList()
            .stream()
            .map(r -> r.get(0).toString())
            .toList();
    assertThat(changedDates)
        .as("no other day was rewritten")
        .containsExactlyElementsOf(
            days("2024-03-05", "2024-03-11").stream().map(LocalDate::toString).toList());

    // Nothing changed since: nothing to do, and the watermark moves on.
    GoldReport idle = recorded(lake, rt -> GoldJob.run(rt, GoldJob.Request.changed("cust")));
    assertThat(idle.days()).isEmpty();
    assertThat(idle.goldVersion()).isNull();

    // A profile version backdated to 03-15 changes the attributes from that day on.
    lake.append(
        "customers",
        new Silver.Customers().add("c1", "DE", "vip", "2024-03-15T12:00:00Z", null).build(spark));
    GoldReport profile = recorded(lake, rt -> GoldJob.run(rt, GoldJob.Request.changed("cust")));
    assertThat(profile.lateDays()).containsExactlyElementsOf(days("2024-03-15", "2024-03-20"));
    Map<String, String> segments =
        lake
            .read("gold.cust")
            .filter("customer_id = 'c1' AND feature_date IN (DATE'2024-03-14', DATE'2024-03-15')")
            .collectAsList()
            .stream()
            .collect(
                Collectors.toMap(r -> r.getAs("feature_date").toString(), r -> r.getAs("segment")));
    assertThat(segments).containsEntry("2024-03-14", "new").containsEntry("2024-03-15", "vip");
  }

  @Test
  void changedNeedsAPreviousRunAndBadRangesAreUsageErrors(@TempDir Path dir) {
    GoldLake lake = seeded(dir);
    assertThatThrownBy(() -> GoldJob.run(lake.runtime, GoldJob.Request.changed("cust")))
        .isInstanceOf(LakehouseException.class)
        .hasMessage(GoldErrors.noWatermark("cust", "_ops.runs").getMessage())
        .extracting(e -> ((LakehouseException) e).exitCode())
        .isEqualTo(ExitCode.USAGE);
    assertThatThrownBy(
            () ->
                GoldJob.run(
                    lake.runtime,
                    GoldJob.Request.days("cust", day("2024-03-02"), day("2024-03-01"))))
        .hasMessage(
            CommonErrors.reversedRange(day("2024-03-02"), day("2024-03-01"), "date").getMessage());
    assertThatThrownBy(
            () ->
                GoldJob.run(
                    lake.runtime,
                    GoldJob.Request.days("nope", day("2024-03-01"), day("2024-03-01"))))
        .hasMessageStartingWith("unknown feature set 'nope'")
        .hasMessageContaining("known: cust");
    assertThatThrownBy(
            () ->
                GoldJob.run(
                    lake.runtime,
                    GoldJob.Request.days("cust", day("2020-01-01"), day("2024-01-01"))))
        .hasMessage(GoldErrors.rangeTooLong(1462, 800).getMessage());
  }

  /** Runs a gold job as the CLI does: recorded in the run history, where --changed looks. */
  static GoldReport recorded(GoldLake lake, Function<LakehouseRuntime, GoldReport> job) {
    return RecordedRun.of(lake.runtime, "gold", job);
  }

  static List<LocalDate> days(String from, String to) {
    return day(from).datesUntil(day(to).plusDays(1)).toList();
  }
}
