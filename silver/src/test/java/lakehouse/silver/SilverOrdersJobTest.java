package lakehouse.silver;

import static lakehouse.silver.BronzeFixture.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import lakehouse.common.ExitCode;
import lakehouse.common.LakehouseException;
import lakehouse.common.LakehouseRuntime;
import lakehouse.common.catalog.TableId;
import lakehouse.common.ops.RunHistory;
import lakehouse.common.testing.CliRun;
import lakehouse.common.testing.RecordedRun;
import lakehouse.common.testing.StepLines;
import lakehouse.common.testing.TestLake;
import lakehouse.silver.quality.CheckOutcome;
import lakehouse.silver.quality.CheckOutcome.Status;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The orders table through several runs with the project's real contract: conform or quarantine,
 * dedupe within the batch and against silver, incremental reruns, schema drift, a warn check that
 * publishes and an error check that leaves silver unchanged (exit code 3).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SilverOrdersJobTest {
  static final TableId ORDERS = TableId.of("silver", "orders");
  static final TableId QUARANTINE = TableId.of("silver", "orders_quarantine");

  @TempDir static Path dir;
  static TestLake lake;
  static BronzeFixture bronze;

  static LakehouseRuntime runtime() {
    if (lake == null) {
      lake = TestLake.create(dir);
      bronze = new BronzeFixture(lake);
    }
    return lake.runtime();
  }

  static Map<String, Row> silverById(LakehouseRuntime runtime) {
    return runtime.catalog().read(ORDERS).collectAsList().stream()
        .collect(Collectors.toMap(r -> r.getAs("order_id"), r -> r));
  }

  static Object[] order(String id, String customer, Double amount, String status, String ts) {
    return row(id, customer, amount, "eur", status, "Books", ts, ts);
  }

  @Test
  @Order(1)
  void firstRunConformsDedupesAndQuarantines() {
    LakehouseRuntime runtime = runtime();
    List<Object[]> rows = new ArrayList<>();
    for (int i = 1; i <= 20; i++) {
      rows.add(
          order(
              String.format("o%02d", i), "c1", 10.0 + i, " Placed ", "2024-03-01T10:00:00+02:00"));
    }
    // o01 changes within the batch; o02 lands twice, identically.
    rows.add(
        row(
            "o01",
            "c1",
            11.0,
            "eur",
            "COMPLETED",
            "books",
            "2024-03-01T10:00:00+02:00",
            "2024-03-01T12:00:00+02:00"));
    rows.add(order("o02", "c1", 12.0, " Placed ", "2024-03-01T10:00:00+02:00"));
    rows.add(order("o90", "c9", -5.0, "placed", "2024-03-01T11:00:00Z"));
    rows.add(order("o91", null, 5.0, "placed", "2024-03-01T11:00:00Z"));
    rows.add(order("o92", "c9", 5.0, "placed", "not a time"));
    bronze.append("orders", BronzeFixture.ORDERS, "2024-03-01", "2024-03-01T06:00:00Z", rows);

    SilverReport report;
    try (StepLines steps = StepLines.capture()) {
      report = recorded(runtime, "2024-03-01");
      assertThat(steps.of("silver orders"))
          .as("progress lines on stderr, in order")
          .containsExactly(
              "contract loaded (9 columns, 11 checks)",
              "batch 0: 25 new rows read from bronze.orders",
              "batch 0: typed and row-checked: 22 good, 3 to quarantine",
              "batch 0: deduplicated: 20 to insert, 0 to update, 2 duplicates discarded",
              "batch 0: quality checks run: 11 checks, 0 failed",
              "batch 0: 3 rows written to silver.orders_quarantine",
              "batch 0: merged into silver.orders (version 1)",
              "batch 0: metrics written to silver.orders_quality_metrics",
              "finished: published (silver.orders version 1)");
    }

    assertThat(report.status()).isEqualTo("published");
    assertThat(CustomersScd2Test.keyProperty(runtime, TableId.of("silver", "orders")))
        .as("diff pairs rows by the business key")
        .isEqualTo("order_id");
    assertThat(
            List.of(
                report.rowsRead(),
                report.inserted(),
                report.updated(),
                report.duplicatesDiscarded(),
                report.quarantined()))
        .as("read = inserted + updated + duplicates + quarantined")
        .containsExactly(25L, 20L, 0L, 2L, 3L);
    assertThat(
            List.of(
                report.exactDuplicates(),
                report.supersededVersions(),
                report.conflictingDuplicates()))
        .as("o02 landed twice; o01's first version superseded")
        .containsExactly(1L, 1L, 0L);
    assertThat(report.reconciles()).isTrue();
    assertThat(List.of(report.bronzeVersionFrom(), report.bronzeVersionTo()))
        .as("bronze versions read")
        .containsExactly(0L, 0L);

    Map<String, Row> silver = silverById(runtime);
    assertThat(silver).hasSize(20);
    Row o01 = silver.get("o01");
    assertThat((String) o01.getAs("status"))
        .as("the later version within the batch wins")
        .isEqualTo("completed");
    assertThat(((java.sql.Timestamp) o01.getAs("updated_at")).toInstant())
        .isEqualTo(Instant.parse("2024-03-01T10:00:00Z"));
    Row o05 = silver.get("o05");
    assertThat((String) o05.getAs("currency")).isEqualTo("EUR");
    assertThat((String) o05.getAs("status")).isEqualTo("placed");
    assertThat((String) o05.getAs("category")).isEqualTo("books");
    assertThat(((java.math.BigDecimal) o05.getAs("amount")).toPlainString()).isEqualTo("15.00");
    assertThat(((java.sql.Timestamp) o05.getAs("order_ts")).toInstant())
        .as("offsets converted to UTC")
        .isEqualTo(Instant.parse("2024-03-01T08:00:00Z"));

    Map<String, List<String>> reasons =
        runtime.catalog().read(QUARANTINE).collectAsList().stream()
            .collect(
                Collectors.toMap(
                    r -> r.<String>getAs("_raw").replaceAll(".*\"order_id\":\"(o\\d+)\".*", "$1"),
                    r -> r.<String>getList(0)));
    assertThat(reasons)
        .as("quarantined rows and their failed rules")
        .containsOnly(
            Map.entry("o90", List.of("range_amount")),
            Map.entry("o91", List.of("required:customer_id")),
            Map.entry("o92", List.of("cast:order_ts", "cast:updated_at")));

    for (TableId id : List.of(ORDERS, QUARANTINE)) {
      assertThat(
              lake.spark().sql("SHOW TBLPROPERTIES " + id.sql()).collectAsList().stream()
                  .map(r -> r.getString(0) + "=" + r.getString(1))
                  .toList())
          .as(id + " has the change data feed on")
          .contains("delta.enableChangeDataFeed=true");
    }
    assertThat(lake.spark().sql("SELECT count(*) FROM silver.orders").first().getLong(0))
        .as("registered for SQL")
        .isEqualTo(20L);
  }

  @Test
  @Order(2)
  void aRerunReadsNothingAndChangesNothing() {
    LakehouseRuntime runtime = runtime();
    long version = runtime.catalog().currentVersion(ORDERS);
    long quarantineVersion = runtime.catalog().currentVersion(QUARANTINE);

    SilverReport report = recorded(runtime, "2024-03-01");

    assertThat(report.status()).isEqualTo("no_new_data");
    assertThat(report.rowsRead()).isZero();
    assertThat(runtime.catalog().currentVersion(ORDERS)).isEqualTo(version);
    assertThat(runtime.catalog().currentVersion(QUARANTINE)).isEqualTo(quarantineVersion);
  }

  @Test
  @Order(3)
  void resentAndLateRecordsUpdateOnlyWhenNewerAndWarnChecksPublish() {
    LakehouseRuntime runtime = runtime();
    // The landing schema drifts: coupon_code appears.
    bronze.append(
        "orders",
        BronzeFixture.ORDERS_WITH_COUPON,
        "2024-03-02",
        "2024-03-02T06:00:00Z",
        List.of(
                // re-sent with a new status and a later updated_at: updates
                row(
                    "o01",
                    "c1",
                    11.0,
                    "eur",
                    "returned",
                    "books",
                    "2024-03-01T10:00:00+02:00",
                    "2024-03-02T09:00:00Z",
                    null),
                // a late, older version: silver keeps the newer one
                row(
                    "o02",
                    "c1",
                    12.0,
                    "eur",
                    "cancelled",
                    "books",
                    "2024-03-01T10:00:00+02:00",
                    "2024-02-29T09:00:00Z",
                    null),
                // same updated_at, later ingestion, different values: the later ingestion wins
                row(
                    "o03",
                    "c1",
                    13.0,
                    "eur",
                    "completed",
                    "books",
                    "2024-03-01T10:00:00+02:00",
                    "2024-03-01T10:00:00+02:00",
                    null),
                // an exact copy landing again: a duplicate, not an update
                order("o04", "c1", 14.0, " Placed ", "2024-03-01T10:00:00+02:00"),
                // new, with a coupon the warn-level pattern check dislikes
                row(
                    "o21",
                    "c2",
                    30.0,
                    "gbp",
                    "placed",
                    "toys",
                    "2024-03-02T10:00:00Z",
                    "2024-03-02T10:00:00Z",
                    "bad coupon!"))
            .stream()
            .map(r -> r.length == 8 ? append(r, null) : r)
            .toList());
    long before = runtime.catalog().currentVersion(ORDERS);

    SilverReport report = recorded(runtime, "2024-03-02");

    assertThat(
            List.of(
                report.rowsRead(),
                report.inserted(),
                report.updated(),
                report.duplicatesDiscarded(),
                report.quarantined()))
        .containsExactly(5L, 1L, 2L, 2L, 0L);
    assertThat(
            List.of(
                report.exactDuplicates(),
                report.supersededVersions(),
                report.conflictingDuplicates(),
                report.conflictingUpdates()))
        .as("o04 an exact copy, o02 older than silver's; o03 replaced a row of its version")
        .containsExactly(1L, 1L, 0L, 1L);
    assertThat(report.warnings())
        .extracting(CheckOutcome::check)
        .containsExactly("pattern_coupon_code", "conflicting_duplicates");
    assertThat(report.status()).as("warn checks publish").isEqualTo("published");
    assertThat(List.of(report.bronzeVersionFrom(), report.bronzeVersionTo()))
        .as("only the new bronze version is read")
        .containsExactly(1L, 1L);
    assertThat(runtime.catalog().currentVersion(ORDERS)).isEqualTo(before + 1);
    Map<String, Row> silver = silverById(runtime);
    assertThat((String) silver.get("o01").getAs("status")).isEqualTo("returned");
    assertThat((String) silver.get("o02").getAs("status")).isEqualTo("placed");
    assertThat((String) silver.get("o03").getAs("status")).isEqualTo("completed");
    assertThat((String) silver.get("o21").getAs("coupon_code")).isEqualTo("BAD COUPON!");
    assertThat(silver.get("o05").isNullAt(silver.get("o05").fieldIndex("coupon_code"))).isTrue();

    List<Row> changes =
        lake.spark()
            .read()
            .format("delta")
            .option("readChangeFeed", "true")
            .option("startingVersion", before + 1)
            .load(runtime.catalog().location(ORDERS))
            .filter("_change_type = 'update_postimage' OR _change_type = 'insert'")
            .select("order_id")
            .orderBy("order_id")
            .collectAsList();
    assertThat(changes.stream().map(r -> r.getString(0)).toList())
        .as("the change data feed shows exactly the changed orders")
        .containsExactly("o01", "o03", "o21");
  }

  @Test
  @Order(4)
  void anErrorCheckLeavesSilverUnchangedAndExitsWithTheQualityGateCode() {
    LakehouseRuntime runtime = runtime();
    List<Object[]> rows = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      rows.add(order("o3" + i, "c3", i < 5 ? -1.0 : 5.0, "placed", "2024-03-03T10:00:00Z"));
    }
    bronze.append(
        "orders",
        BronzeFixture.ORDERS_WITH_COUPON,
        "2024-03-03",
        "2024-03-03T06:00:00Z",
        rows.stream().map(r -> append(r, null)).toList());
    long silverVersion = runtime.catalog().currentVersion(ORDERS);
    long quarantineVersion = runtime.catalog().currentVersion(QUARANTINE);

    CliRun run;
    try (StepLines steps = StepLines.capture()) {
      run =
          CliRun.of(
              new SilverCommand(),
              "--conf-dir",
              TestLake.confDir().toString(),
              "--conf",
              "lakehouse.lake-root=" + lake.lakeRoot(),
              "--conf",
              "lakehouse.landing-root=" + lake.landingRoot(),
              "--table",
              "orders",
              "--date",
              "2024-03-03");
      assertThat(steps.of("silver orders"))
          .as("the gate's steps")
          .containsSubsequence(
              "batch 2: quality checks run: 11 checks, 2 failed, 2 blocking",
              "batch 2: metrics written to silver.orders_quality_metrics; nothing published",
              "finished: quality gate failed");
    }

    assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.QUALITY_GATE.code());
    assertThat(run.out() + run.err())
        .as("progress goes to the log (stderr), not the command's " + "output")
        .doesNotContain("silver orders: ");
    assertThat(run.err())
        .contains("quality gate failed for silver.orders (run date 2024-03-03)")
        .contains("silver.orders was not changed")
        .contains("range_amount [range, error]: failed (Compliance = 0.5000, required >= 0.9)")
        .contains(
            "quarantine_rate [quarantine-rate, error]: failed (QuarantinedFraction = 0.5000,"
                + " required <= 0.2): 5 of 10 rows quarantined");
    assertThat(runtime.catalog().currentVersion(ORDERS)).isEqualTo(silverVersion);
    assertThat(runtime.catalog().currentVersion(QUARANTINE)).isEqualTo(quarantineVersion);

    // The rejected batch is not lost: the next run reads it again (and fails again).
    assertThatThrownBy(() -> recorded(runtime, "2024-03-03"))
        .isInstanceOfSatisfying(
            LakehouseException.class,
            e -> assertThat(e.exitCode()).isEqualTo(ExitCode.QUALITY_GATE));
    assertThat(runtime.catalog().currentVersion(ORDERS)).isEqualTo(silverVersion);
  }

  @Test
  @Order(5)
  void everyRunIsRecordedWithItsMetrics() {
    LakehouseRuntime runtime = runtime();
    List<Row> runs =
        new RunHistory(runtime.spark(), runtime.catalog())
            .read()
            .orderBy("started_at")
            .selectExpr("rows_read", "rows_quarantined", "details['silver.orders'] AS silver")
            .collectAsList();
    assertThat(runs.stream().map(r -> silver(r, "status")).toList())
        .containsExactly(
            "published", "no_new_data", "published", "quality_gate_failed", "quality_gate_failed");
    Row first = runs.get(0);
    assertThat(
            List.of(
                first.<Long>getAs("rows_read"),
                silver(first, "inserted"),
                silver(first, "duplicates_discarded"),
                first.<Long>getAs("rows_quarantined")))
        .containsExactly(25L, "20", "2", 3L);
    assertThat(silver(runs.get(3), "message")).contains("quality gate failed");

    Row command =
        new RunHistory(runtime.spark(), runtime.catalog())
            .read()
            .where("job LIKE '%silver%' AND exit_code = 3")
            .orderBy("started_at")
            .first();
    assertThat(
            List.<Object>of(
                command.getAs("target"),
                command.getAs("exit_code"),
                command.getAs("rows_read"),
                command.getAs("rows_written"),
                command.getAs("rows_quarantined")))
        .as("the CLI run in the log of every command: read, but nothing written")
        .containsExactly("silver.orders", 3, 10L, 0L, 0L);
    Row rejected = runs.get(3);
    assertThat(
            List.of(
                rejected.<Long>getAs("rows_read"),
                silver(rejected, "inserted"),
                silver(rejected, "quarantined")))
        .as("what the rejected batch held")
        .containsExactly(10L, "5", "5");

    List<Row> metrics =
        runtime
            .catalog()
            .read(TableId.of("silver", "orders_quality_metrics"))
            .filter("table = 'orders'")
            .orderBy("recorded_at")
            .collectAsList();
    assertThat(
            metrics.stream()
                .filter(r -> r.<String>getAs("check").equals("range_amount"))
                .map(r -> r.<String>getAs("batch_status") + ":" + r.<String>getAs("status"))
                .toList())
        .containsExactly(
            "published:passed", "published:passed", "rejected:failed", "rejected:failed");
    assertThat(
            metrics.stream()
                .filter(
                    r ->
                        r.<String>getAs("metric").equals("rows_read")
                            && r.<String>getAs("batch_status").equals("published"))
                .map(r -> r.<Double>getAs("value"))
                .sorted()
                .toList())
        .containsExactly(5.0, 25.0);
    assertThat(
            metrics.stream()
                .filter(r -> r.<String>getAs("check").equals("row_count_anomaly"))
                .map(r -> r.<String>getAs("status"))
                .toList())
        .as("skipped until two published batches exist, then 5 -> 10 rows is within +1000%")
        .containsExactly(
            Status.SKIPPED.label(),
            Status.SKIPPED.label(),
            Status.PASSED.label(),
            Status.PASSED.label());
  }

  static Object[] append(Object[] values, Object extra) {
    Object[] copy = java.util.Arrays.copyOf(values, values.length + 1);
    copy[values.length] = extra;
    return copy;
  }

  /** Runs silver as the CLI does: recorded in the run history, failures too. */
  private static SilverReport recorded(LakehouseRuntime runtime, String runDate) {
    return RecordedRun.of(
        runtime,
        "run silver",
        job -> SilverJob.run(job, SilverJob.Request.load(job, "orders", LocalDate.parse(runDate))));
  }

  /** One of the table's facts in a run's {@code details}. */
  private static String silver(Row run, String key) {
    return run.<scala.collection.Map<String, String>>getAs("silver").get(key).getOrElse(() -> null);
  }
}
