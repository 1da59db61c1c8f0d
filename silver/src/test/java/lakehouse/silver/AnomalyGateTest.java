package lakehouse.silver;

import static lakehouse.silver.BronzeFixture.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import lakehouse.common.ExitCode;
import lakehouse.common.LakehouseException;
import lakehouse.common.LakehouseRuntime;
import lakehouse.common.testing.TestLake;
import lakehouse.silver.contract.TableContract;
import lakehouse.silver.contract.TableContracts;
import lakehouse.silver.quality.CheckOutcome;
import lakehouse.silver.quality.CheckOutcome.Status;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The row-count anomaly check judges each batch against the published history. */
class AnomalyGateTest {
  @TempDir Path dir;

  static final TableContract EVENTS =
      TableContracts.parse(
          ConfigFactory.parseString(
              String.join(
                  "\n",
                  "source = bronze.events",
                  "business-key = [event_id]",
                  "event-time = event_ts",
                  "columns = [",
                  "  { name = event_id, type = string, required = true }",
                  "  { name = customer_id, type = string, required = true }",
                  "  { name = event_type, type = string }",
                  "  { name = event_ts, type = timestamp, required = true }",
                  "]",
                  "checks = [",
                  "  { name = volume, type = row-count-anomaly, max-decrease = 0.5, max-increase ="
                      + " 1.0, min-history = 1, severity = error }",
                  "]")),
          "events",
          "test");

  static List<Object[]> events(String prefix, int count) {
    List<Object[]> rows = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      rows.add(row(prefix + i, "c1", "view", "2024-03-01T10:00:00Z", "/", "s1"));
    }
    return rows;
  }

  static CheckOutcome volume(SilverReport report) {
    return report.outcomes().stream()
        .filter(o -> o.check().equals("volume"))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void aDropAgainstTheHistoryStopsThePublish() {
    TestLake lake = TestLake.create(dir);
    BronzeFixture bronze = new BronzeFixture(lake);
    LakehouseRuntime runtime = lake.runtime();

    bronze.append(
        "events", BronzeFixture.EVENTS, "2024-03-01", "2024-03-01T06:00:00Z", events("a", 4));
    SilverReport first =
        SilverJob.run(runtime, new SilverJob.Request(EVENTS, LocalDate.parse("2024-03-01")));
    assertThat(volume(first).status()).as("no history yet").isEqualTo(Status.SKIPPED);

    bronze.append(
        "events", BronzeFixture.EVENTS, "2024-03-02", "2024-03-02T06:00:00Z", events("b", 5));
    SilverReport second =
        SilverJob.run(runtime, new SilverJob.Request(EVENTS, LocalDate.parse("2024-03-02")));
    assertThat(volume(second).status()).as("4 -> 5 is within +100%").isEqualTo(Status.PASSED);

    bronze.append(
        "events", BronzeFixture.EVENTS, "2024-03-03", "2024-03-03T06:00:00Z", events("c", 1));
    long version = runtime.catalog().currentVersion(EVENTS.target());
    assertThatThrownBy(
            () ->
                SilverJob.run(
                    runtime, new SilverJob.Request(EVENTS, LocalDate.parse("2024-03-03"))))
        .isInstanceOfSatisfying(
            LakehouseException.class,
            e -> {
              assertThat(e.exitCode()).isEqualTo(ExitCode.QUALITY_GATE);
              assertThat(e.getMessage())
                  .contains(
                      "volume [row-count-anomaly, error]: failed "
                          + "(RowsRead = 1, required change vs previous run within -0.5/+1.0)")
                  .contains("previous run read 5 rows; 5 -> 1 is a change of -80.0%");
            });
    assertThat(runtime.catalog().currentVersion(EVENTS.target())).isEqualTo(version);
    assertThat(runtime.catalog().read(EVENTS.target()).count()).isEqualTo(9);
  }
}
