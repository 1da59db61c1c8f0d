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

/** Every job run, failed ones included, leaves one row in _ops.runs. */
class RunLogTest {

  /** A job that writes a table, or fails the way it is told to. */
  @Command(name = "copy")
  static final class CopyJob extends LakehouseCommand {
    @Option(names = "--fail")
    String fail = "";

    @Override
    protected ExitCode run(LakehouseSettings settings) {
      return runJob(settings, runtime -> {
        TableId target = TableId.of("silver", "copy");
        runtime.stats().target(target.toString()).runDate(LocalDate.of(2026, 1, 3))
            .addRowsRead(5).addRowsQuarantined(1);
        if (fail.equals("gate")) {
          throw new LakehouseException(ExitCode.QUALITY_GATE, "completeness of id 0.5 < 1.0");
        }
        if (fail.equals("bug")) {
          throw new IllegalStateException("boom");
        }
        runtime.spark().range(4).write().format("delta").save(runtime.catalog().location(target));
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
    assertThat(CliRun.of(new CopyJob(), "--fail", "bug", conf[0], conf[1]).exitCode())
        .isEqualTo(1);

    List<Row> runs = new RunLog(lake.spark(), lake.runtime().catalog()).runs("silver.copy")
        .orderBy("started_at").collectAsList();
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

    Row gateRun = runs.get(1);
    assertThat(gateRun.<String>getAs("status")).isEqualTo("failed");
    assertThat(gateRun.<Integer>getAs("exit_code")).isEqualTo(3);
    assertThat(gateRun.<String>getAs("error")).isEqualTo("completeness of id 0.5 < 1.0");
    Row bug = runs.get(2);
    assertThat(bug.<Integer>getAs("exit_code")).isEqualTo(1);
    assertThat(bug.<String>getAs("error")).contains("boom");
    assertThat(lake.spark().sql("SELECT count(*) FROM _ops.runs").first().getLong(0))
        .isEqualTo(3);
  }
}
