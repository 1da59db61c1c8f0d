package lakehouse.bronze;

import static lakehouse.bronze.BronzeTestSupport.land;
import static lakehouse.bronze.BronzeTestSupport.run;
import static lakehouse.bronze.BronzeTestSupport.table;
import static lakehouse.bronze.BronzeTestSupport.version;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import lakehouse.bronze.BronzeJob.Step;
import lakehouse.common.testing.TestLake;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each landed file is ingested once: across consecutive runs, and when a run dies between its
 * commits and is run again.
 */
class ExactlyOnceTest {
  /** Stands in for the process dying: thrown from between two real commits of a run. */
  static final class Crash extends RuntimeException {
    Crash(Step step) {
      super("simulated crash after " + step);
    }
  }

  private static void landTwoDays(TestLake lake) {
    land(
        lake,
        "orders",
        "2026-01-01",
        "orders-2026-01-01-001.json",
        "{\"order_id\":\"O1\",\"customer_id\":\"C1\",\"amount\":10.50}",
        "{\"order_id\":\"O2\",\"customer_id\":\"C2\",\"amount\":3}",
        "{\"order_id\":\"O3\",\"customer_id\"",
        "{\"order_id\":\"O4\",\"customer_id\":\"C4\",\"amount\":7.25}");
    land(
        lake,
        "orders",
        "2026-01-02",
        "orders-2026-01-02-001.json",
        "{\"order_id\":\"O5\",\"customer_id\":\"C5\",\"amount\":1.00}",
        "not json at all");
  }

  private static List<String> orderIds(TestLake lake) {
    return table(lake, "bronze.orders").orderBy("order_id").collectAsList().stream()
        .map(r -> r.<String>getAs("order_id"))
        .toList();
  }

  private static List<String> rejectedLines(TestLake lake) {
    return table(lake, "bronze.orders_rejects")
        .orderBy("_source_file", "_line_number")
        .collectAsList()
        .stream()
        .map(
            r ->
                r.<String>getAs("_source_file").replaceAll(".*/", "")
                    + ":"
                    + r.<Long>getAs("_line_number"))
        .toList();
  }

  private static final List<String> ALL_ORDERS = List.of("O1", "O2", "O4", "O5");
  private static final List<String> ALL_REJECTS =
      List.of("orders-2026-01-01-001.json:3", "orders-2026-01-02-001.json:2");

  @Test
  void consecutiveRunsWriteEachFileOnce(@TempDir Path dir) {
    TestLake lake = TestLake.create(dir);
    landTwoDays(lake);

    BronzeReport first = run(lake, "orders", Optional.of(LocalDate.parse("2026-01-01")));
    assertThat(first.filesIngested()).isEqualTo(1);
    assertThat(orderIds(lake)).containsExactly("O1", "O2", "O4");

    BronzeReport second = run(lake, "orders", Optional.empty());
    assertThat(second.filesFound()).isEqualTo(2);
    assertThat(second.filesSkipped()).as("day 1 was taken by the first run").isEqualTo(1);
    assertThat(second.filesIngested()).isEqualTo(1);
    long dataVersion = version(lake, "bronze.orders");
    long rejectsVersion = version(lake, "bronze.orders_rejects");

    BronzeReport third = run(lake, "orders", Optional.empty());
    assertThat(third.status()).isEqualTo(BronzeReport.Status.NOTHING_NEW);
    assertThat(third.filesSkipped()).isEqualTo(2);
    assertThat(third.rowsWritten() + third.rowsRejected()).isZero();
    assertThat(third.summary()).contains("nothing new");
    assertThat(version(lake, "bronze.orders")).as("a rerun writes nothing").isEqualTo(dataVersion);
    assertThat(version(lake, "bronze.orders_rejects")).isEqualTo(rejectsVersion);

    assertThat(orderIds(lake)).containsExactlyElementsOf(ALL_ORDERS);
    assertThat(rejectedLines(lake)).containsExactlyElementsOf(ALL_REJECTS);
    assertThat(BronzeTestSupport.runsOf(lake, "bronze.orders"))
        .extracting(r -> r.get("status"))
        .containsExactly("ingested", "ingested", "nothing_new");
  }

  @Test
  void aRunThatDiesAfterTheDataCommitIsFinishedByTheNextRun(@TempDir Path dir) {
    TestLake lake = TestLake.create(dir);
    landTwoDays(lake);

    assertThatThrownBy(
            () ->
                run(
                    lake,
                    "orders",
                    Optional.empty(),
                    step -> {
                      if (step == Step.DATA_WRITTEN) {
                        throw new Crash(step);
                      }
                    }))
        .isInstanceOf(Crash.class);
    // The crash came after a real commit: the rows are there, the rejects are not.
    assertThat(orderIds(lake)).containsExactlyElementsOf(ALL_ORDERS);
    assertThat(
            lake.runtime()
                .catalog()
                .exists(lakehouse.common.catalog.TableId.parse("bronze.orders_rejects")))
        .isFalse();
    long dataVersion = version(lake, "bronze.orders");

    BronzeReport rerun = run(lake, "orders", Optional.empty());
    assertThat(rerun.recoveredBatch()).isEqualTo(1L);
    assertThat(rerun.summary()).contains("recovered: finished batch 1");
    assertThat(version(lake, "bronze.orders"))
        .as("the data commit is not repeated")
        .isEqualTo(dataVersion);
    assertThat(orderIds(lake)).as("no duplicates").containsExactlyElementsOf(ALL_ORDERS);
    assertThat(rejectedLines(lake)).as("nothing missing").containsExactlyElementsOf(ALL_REJECTS);
    List<Row> runIds =
        table(lake, "bronze.orders_rejects").select("_run_id").distinct().collectAsList();
    assertThat(runIds).as("the finished batch keeps its planning run's id").hasSize(1);
    assertThat(runIds.get(0).getString(0))
        .isEqualTo(table(lake, "bronze.orders").first().<String>getAs("_run_id"));

    assertThat(BronzeTestSupport.runsOf(lake, "bronze.orders"))
        .extracting(r -> r.get("status"))
        .containsExactly("failed", "ingested");
    assertThat(run(lake, "orders", Optional.empty()).status())
        .isEqualTo(BronzeReport.Status.NOTHING_NEW);
    assertThat(orderIds(lake)).containsExactlyElementsOf(ALL_ORDERS);
  }

  @Test
  void aRunThatDiesAfterPlanningOrAfterBothCommitsLosesAndDuplicatesNothing(@TempDir Path dir) {
    TestLake lake = TestLake.create(dir);
    landTwoDays(lake);

    assertThatThrownBy(
            () ->
                run(
                    lake,
                    "orders",
                    Optional.of(LocalDate.parse("2026-01-01")),
                    step -> {
                      if (step == Step.PLANNED) {
                        throw new Crash(step);
                      }
                    }))
        .isInstanceOf(Crash.class);
    assertThat(
            lake.runtime()
                .catalog()
                .exists(lakehouse.common.catalog.TableId.parse("bronze.orders")))
        .isFalse();

    // The next run finishes the planned day-1 batch before taking day 2; it then dies after
    // both commits of day 2, before it could report.
    assertThatThrownBy(
            () ->
                run(
                    lake,
                    "orders",
                    Optional.empty(),
                    step -> {
                      if (step == Step.REJECTS_WRITTEN && tableHas(lake, "O5")) {
                        throw new Crash(step);
                      }
                    }))
        .isInstanceOf(Crash.class);

    BronzeReport last = run(lake, "orders", Optional.empty());
    assertThat(last.status()).isEqualTo(BronzeReport.Status.NOTHING_NEW);
    assertThat(last.filesSkipped()).isEqualTo(2);
    assertThat(orderIds(lake)).containsExactlyElementsOf(ALL_ORDERS);
    assertThat(rejectedLines(lake)).containsExactlyElementsOf(ALL_REJECTS);
  }

  private static boolean tableHas(TestLake lake, String orderId) {
    return orderIds(lake).contains(orderId);
  }
}
