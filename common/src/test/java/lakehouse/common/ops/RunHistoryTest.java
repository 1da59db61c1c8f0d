package lakehouse.common.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import lakehouse.common.ExitCode;
import lakehouse.common.LakehouseException;
import lakehouse.common.catalog.TableId;
import lakehouse.common.cli.LakehouseCommand;
import lakehouse.common.settings.LakehouseSettings;
import lakehouse.common.testing.CliRun;
import lakehouse.common.testing.SparkTestSession;
import lakehouse.common.testing.TestLake;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Every job run, failed and unfinished ones included, is in the run history from its start; a fold
 * moves finished runs into _ops.runs exactly once, also when it is interrupted.
 */
class RunHistoryTest {

  /** A job that writes a table, or fails the way it is told to. */
  @Command(name = "copy")
  static final class CopyJob extends LakehouseCommand {
    @Option(names = "--fail")
    String fail = "";

    /** The history as the job saw it while running. */
    static List<Row> seenWhileRunning;

    @Override
    protected ExitCode run(LakehouseSettings settings) {
      return runJob(
          settings,
          "silver.copy",
          runtime -> {
            TableId target = TableId.of("silver", "copy");
            runtime
                .stats()
                .target(target.toString())
                .runDate(LocalDate.of(2026, 1, 3))
                .addRowsRead(5)
                .addRowsQuarantined(1)
                .detail("silver.copy", Map.of("batches", List.of(1, 2), "mode", "full"));
            seenWhileRunning =
                new RunHistory(runtime.spark(), runtime.catalog()).runs(null).collectAsList();
            if (fail.equals("gate")) {
              throw new LakehouseException(ExitCode.QUALITY_GATE, "completeness of id 0.5 < 1.0");
            }
            if (fail.equals("bug")) {
              throw new IllegalStateException("boom");
            }
            runtime
                .spark()
                .range(4)
                .write()
                .format("delta")
                .save(runtime.catalog().location(target));
            runtime.stats().addRowsWritten(4).versionWritten(target, 0);
            return ExitCode.OK;
          });
    }
  }

  @Test
  void succeededAndFailedRunsAreRecorded(@TempDir Path dir) {
    SparkTestSession.get();
    TestLake lake = TestLake.create(dir);
    String[] conf = {"--conf", "lakehouse.lake-root=" + lake.lakeRoot()};

    assertThat(CliRun.of(new CopyJob(), conf).exitCode()).isZero();
    CliRun gate = CliRun.of(new CopyJob(), "--fail", "gate", conf[0], conf[1]);
    assertThat(gate.exitCode()).isEqualTo(3);
    assertThat(gate.err()).isEqualTo("error: completeness of id 0.5 < 1.0\n");
    assertThat(CliRun.of(new CopyJob(), "--fail", "bug", conf[0], conf[1]).exitCode()).isEqualTo(1);

    RunHistory history = new RunHistory(lake.spark(), lake.runtime().catalog());
    assertThat(CopyJob.seenWhileRunning).hasSize(3);
    assertThat(CopyJob.seenWhileRunning.get(0).<String>getAs("status"))
        .as("itself, newest first")
        .isEqualTo("running");
    assertThat(CopyJob.seenWhileRunning.get(0).<Integer>getAs("exit_code")).isNull();
    assertThat(lake.runtime().catalog().exists(RunHistory.TABLE))
        .as("jobs never write it")
        .isFalse();
    checkRuns(history.runs("silver.copy").orderBy("started_at").collectAsList());

    assertThat(history.fold()).isEqualTo(new RunHistory.Fold(3, 0, 0));
    checkRuns(history.runs("silver.copy").orderBy("started_at").collectAsList());
    assertThat(lake.spark().sql("SELECT count(*) FROM _ops.runs").first().getLong(0)).isEqualTo(3);
    assertThat(history.fold()).as("nothing left").isEqualTo(new RunHistory.Fold(0, 0, 0));
  }

  @Test
  void aFoldInterruptedAfterItsAppendRecordsNoRunTwice(@TempDir Path dir) throws Exception {
    SparkTestSession.get();
    TestLake lake = TestLake.create(dir);
    String[] conf = {"--conf", "lakehouse.lake-root=" + lake.lakeRoot()};
    assertThat(CliRun.of(new CopyJob(), "--run-id", "copy-1", conf[0], conf[1]).exitCode())
        .isZero();
    RunHistory history = new RunHistory(lake.spark(), lake.runtime().catalog());
    Path pending = Path.of(java.net.URI.create(history.pendingLocation()));
    Path saved = dir.resolve("saved.json");
    java.nio.file.Files.copy(pending.resolve("copy-1.json"), saved);
    assertThat(history.fold().folded()).isEqualTo(1);
    // As if the fold had stopped between its append and the deletion of the record.
    java.nio.file.Files.copy(saved, pending.resolve("copy-1.json"));
    assertThat(history.read().count()).as("readers see it once").isEqualTo(1);
    assertThat(history.fold()).isEqualTo(new RunHistory.Fold(0, 1, 0));
    assertThat(lake.spark().sql("SELECT run_id FROM _ops.runs").collectAsList())
        .extracting(r -> r.getString(0))
        .containsExactly("copy-1");

    CliRun again = CliRun.of(new CopyJob(), "--run-id", "copy-1", conf[0], conf[1]);
    assertThat(again.exitCode()).isEqualTo(2);
    assertThat(again.err())
        .isEqualTo(
            "error: --run-id copy-1 is already in the run history "
                + "(_ops.runs); every run needs a new one\n");
    CliRun bad = CliRun.of(new CopyJob(), "--run-id", "../x", conf[0], conf[1]);
    assertThat(bad.exitCode()).isEqualTo(2);
    assertThat(bad.err()).startsWith("error: --run-id '../x' is not a run id");
  }

  @Test
  void aRunStillRunningPastTheLimitIsAbandonedUntilItsFinalRecordArrives(@TempDir Path dir) {
    SparkTestSession.get();
    TestLake lake = TestLake.create(dir);
    RunHistory history =
        new RunHistory(lake.spark(), lake.runtime().catalog(), java.time.Duration.ofMinutes(10));
    java.time.Instant hourAgo = java.time.Instant.now().minusSeconds(3600);
    RunStats stats = new RunStats("slow-1").target("silver.copy");
    history.write("slow-1", "copy", "local", hourAgo, null, null, stats, null);
    history.write(
        "fresh-1",
        "copy",
        "local",
        java.time.Instant.now(),
        null,
        null,
        new RunStats("fresh-1"),
        null);
    assertThat(history.runs(null).orderBy("run_id").collectAsList())
        .extracting(r -> r.<String>getAs("run_id") + " " + r.getAs("status"))
        .containsExactly("fresh-1 running", "slow-1 abandoned");
    assertThat(history.fold()).isEqualTo(new RunHistory.Fold(1, 0, 1));

    // It was alive after all: its final record replaces the abandoned row at the next fold.
    history.write(
        "slow-1", "copy", "local", hourAgo, java.time.Instant.now(), ExitCode.OK, stats, null);
    assertThat(history.fold()).isEqualTo(new RunHistory.Fold(0, 1, 1));
    assertThat(lake.spark().sql("SELECT run_id, status FROM _ops.runs").collectAsList())
        .extracting(r -> r.getString(0) + " " + r.getString(1))
        .containsExactly("slow-1 succeeded");
  }

  private static void checkRuns(List<Row> runs) {
    assertThat(runs).hasSize(3);
    Row ok = runs.get(0);
    assertThat(ok.<String>getAs("job")).isEqualTo("copy");
    assertThat(ok.<String>getAs("status")).isEqualTo("succeeded");
    assertThat(ok.<Integer>getAs("exit_code")).isZero();
    assertThat(ok.<Long>getAs("rows_read")).isEqualTo(5);
    assertThat(ok.<Long>getAs("rows_written")).isEqualTo(4);
    assertThat(ok.<Long>getAs("rows_quarantined")).isEqualTo(1);
    assertThat(ok.<java.sql.Date>getAs("run_date").toLocalDate())
        .isEqualTo(LocalDate.of(2026, 1, 3));
    assertThat(ok.getJavaMap(ok.fieldIndex("versions_written")))
        .isEqualTo(Map.of("silver.copy", 0L));
    assertThat(ok.<String>getAs("spark_app_id")).isNotBlank();
    assertThat(ok.<String>getAs("error")).isNull();
    assertThat(ok.<Long>getAs("duration_ms")).isNotNull();
    scala.collection.Map<String, scala.collection.Map<String, String>> details =
        ok.getAs("details");
    assertThat(details.apply("silver.copy").apply("batches")).isEqualTo("1,2");
    assertThat(details.apply("silver.copy").apply("mode")).isEqualTo("full");

    Row gateRun = runs.get(1);
    assertThat(gateRun.<String>getAs("status")).isEqualTo("failed");
    assertThat(gateRun.<Integer>getAs("exit_code")).isEqualTo(3);
    assertThat(gateRun.<String>getAs("error")).isEqualTo("completeness of id 0.5 < 1.0");
    Row bug = runs.get(2);
    assertThat(bug.<Integer>getAs("exit_code")).isEqualTo(1);
    assertThat(bug.<String>getAs("error")).contains("boom");
  }
}
