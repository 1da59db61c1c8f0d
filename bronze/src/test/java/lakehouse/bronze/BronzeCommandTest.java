package lakehouse.bronze;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import lakehouse.common.ExitCode;
import lakehouse.common.settings.LakePaths;
import lakehouse.common.testing.CliRun;
import lakehouse.common.testing.SparkTestSession;
import lakehouse.common.testing.StepLines;
import lakehouse.common.testing.TestLake;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code run bronze} as a user calls it: exit codes and messages. */
class BronzeCommandTest {
  @BeforeAll
  static void session() {
    SparkTestSession.get(); // the command works on the JVM's running session
  }

  private static String[] args(Path dir, String... more) {
    String[] base = {
      "--conf", "lakehouse.lake-root=" + LakePaths.toFileUri(dir.resolve("lake").toString()),
      "--conf", "lakehouse.landing-root=" + LakePaths.toFileUri(dir.resolve("landing").toString())
    };
    String[] all = new String[base.length + more.length];
    System.arraycopy(base, 0, all, 0, base.length);
    System.arraycopy(more, 0, all, base.length, more.length);
    return all;
  }

  @Test
  void ingestsASourceAndPrintsTheSummary(@TempDir Path dir) {
    TestLake lake = TestLake.create(dir);
    BronzeTestSupport.land(
        lake,
        "orders",
        "2026-01-01",
        "orders-2026-01-01-001.json",
        "{\"order_id\":\"O1\",\"amount\":1.5}",
        "{broken");
    BronzeTestSupport.land(
        lake,
        "orders",
        "2026-01-02",
        "orders-2026-01-02-001.json",
        "{\"order_id\":\"O2\",\"amount\":2}");
    CliRun run;
    try (StepLines steps = StepLines.capture()) {
      run = CliRun.of(new BronzeCommand(), args(dir, "--source", "orders", "--date", "2026-01-01"));
      assertThat(steps.of("bronze orders"))
          .as("progress lines on stderr, in order")
          .containsExactly(
              "1 files found",
              "recovery checked",
              "batch of 1 files read and checked (schema inferred)",
              "batch 1 planned",
              "batch 1 written to bronze.orders",
              "batch 1 written to bronze.orders_rejects",
              "batch 1 counted");
    }
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out())
        .as("the summary only, no progress line")
        .doesNotContain("planned")
        .contains("bronze orders: ingested")
        .contains("landing dates up to 2026-01-01")
        .contains("records: 2 read = 1 written to bronze.orders + 1 rejected");
    CliRun again = CliRun.of(new BronzeCommand(), args(dir, "--source", "orders"));
    assertThat(again.exitCode()).as(again.err()).isZero();
    assertThat(again.out()).contains("2 found, 1 ingested, 1 already ingested");
    assertThat(lake.spark().sql("SELECT count(*) FROM bronze.orders").first().getLong(0))
        .isEqualTo(2);
  }

  @Test
  void anEmptyLandingFolderIsNothingNew(@TempDir Path dir) throws Exception {
    Files.createDirectories(dir.resolve("landing").resolve("labels"));
    CliRun run = CliRun.of(new BronzeCommand(), args(dir, "--source", "labels"));
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out())
        .contains("bronze labels: nothing new")
        .contains("files:   0 found, 0 ingested, 0 already ingested");
  }

  @Test
  void aMissingLandingRootIsAUsageErrorNamingThePath(@TempDir Path dir) {
    CliRun run = CliRun.of(new BronzeCommand(), args(dir, "--source", "orders"));
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().trim())
        .isEqualTo(
            "error: "
                + BronzeErrors.landingRootMissing(
                        LakePaths.toFileUri(dir.resolve("landing").toString()))
                    .getMessage());
  }

  @Test
  void badArgumentsAreUsageErrors(@TempDir Path dir) {
    CliRun none = CliRun.of(new BronzeCommand(), args(dir));
    assertThat(none.exitCode()).isEqualTo(2);
    assertThat(none.err()).contains(BronzeErrors.sourceRequired().getMessage());

    CliRun both = CliRun.of(new BronzeCommand(), args(dir, "--source", "orders", "--all-sources"));
    assertThat(both.exitCode()).isEqualTo(2);
    assertThat(both.err()).contains(BronzeErrors.sourceAndAll().getMessage());

    CliRun unknown = CliRun.of(new BronzeCommand(), args(dir, "--source", "ordres"));
    assertThat(unknown.exitCode()).isEqualTo(2);
    assertThat(unknown.err())
        .contains("unknown source 'ordres'")
        .contains("declared sources: customers, events, labels, orders");

    CliRun badDate =
        CliRun.of(new BronzeCommand(), args(dir, "--source", "orders", "--date", "2026-13-01"));
    assertThat(badDate.exitCode()).isEqualTo(2);
    assertThat(badDate.err()).contains("--date");
  }

  @Test
  void aFolderThatIsNotADateIsADataError(@TempDir Path dir) throws Exception {
    Files.createDirectories(dir.resolve("landing").resolve("events").resolve("latest"));
    CliRun run = CliRun.of(new BronzeCommand(), args(dir, "--source", "events"));
    assertThat(run.exitCode()).isEqualTo(4);
    assertThat(run.err())
        .contains("landing folder")
        .contains("/events/latest")
        .contains("is not a yyyy-MM-dd date folder");
  }

  @Test
  void allSourcesRunsEverySourceListsEachFailureAtTheEndAndExitsWithTheMostSerious(
      @TempDir Path dir) throws Exception {
    Path conf = TestLake.copyConf(dir);
    // In name order: customers (bad declaration: 2), events (a folder that is no date: 4),
    // labels (no landing location: 2), orders (fine, and must still run).
    BronzeTestSupport.declare(conf, "customers", "format = csv\n");
    Files.createDirectories(dir.resolve("landing").resolve("events").resolve("latest"));
    Files.createDirectories(dir.resolve("landing").resolve("orders").resolve("2026-01-01"));
    Files.writeString(
        dir.resolve("landing")
            .resolve("orders")
            .resolve("2026-01-01")
            .resolve("orders-2026-01-01-001.json"),
        "{\"order_id\":\"O1\",\"amount\":1.5}\n");

    CliRun run =
        CliRun.of(new BronzeCommand(), args(dir, "--conf-dir", conf.toString(), "--all-sources"));

    assertThat(run.exitCode()).as(run.err()).isEqualTo(4);
    assertThat(run.out()).contains("bronze orders: ingested");
    List<String> errors = run.err().lines().filter(l -> l.startsWith("error: ")).toList();
    assertThat(errors).hasSize(4);
    assertThat(errors.get(0)).isEqualTo("error: 3 of 4 sources failed; the others ran:");
    assertThat(errors.get(1)).startsWith("error: bronze customers (exit 2): ").contains("columns");
    assertThat(errors.get(2))
        .startsWith("error: bronze events (exit 4): ")
        .contains("is not a yyyy-MM-dd date folder");
    assertThat(errors.get(3))
        .startsWith("error: bronze labels (exit 2): ")
        .contains("landing location of source 'labels' does not exist");
    assertThat(
            SparkTestSession.get()
                .read()
                .format("delta")
                .load(dir.resolve("lake").resolve("bronze").resolve("orders").toString())
                .count())
        .isEqualTo(1);
  }

  @Test
  void theMostSeriousExitCodeFollowsTheDocumentedOrder() {
    assertThat(ExitCode.mostSerious(List.of())).isEqualTo(ExitCode.OK);
    assertThat(ExitCode.mostSerious(List.of(ExitCode.USAGE, ExitCode.CONCURRENT_WRITER)))
        .isEqualTo(ExitCode.CONCURRENT_WRITER);
    assertThat(ExitCode.mostSerious(List.of(ExitCode.CONCURRENT_WRITER, ExitCode.QUALITY_GATE)))
        .isEqualTo(ExitCode.QUALITY_GATE);
    assertThat(ExitCode.mostSerious(List.of(ExitCode.QUALITY_GATE, ExitCode.DATA_ERROR)))
        .isEqualTo(ExitCode.DATA_ERROR);
    assertThat(
            ExitCode.mostSerious(List.of(ExitCode.DATA_ERROR, ExitCode.JOB_FAILED, ExitCode.USAGE)))
        .isEqualTo(ExitCode.JOB_FAILED);
  }
}
