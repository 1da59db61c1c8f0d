package lakehouse.common.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import lakehouse.common.ExitCode;
import lakehouse.common.LakehouseException;
import lakehouse.common.LakehouseRuntime;
import lakehouse.common.catalog.TableId;
import lakehouse.common.settings.LakePaths;
import lakehouse.common.testing.LineageFiles;
import lakehouse.common.testing.SparkTestSession;
import lakehouse.common.testing.TestLake;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several job runs on one runtime (as the demo runs them) are recorded one row and one event pair
 * each, every run with only what it did itself; a Delta table written by path is an output.
 */
class JobRunTest {

  @Test
  void runsOnOneRuntimeAreRecordedSeparately(@TempDir Path dir) {
    SparkTestSession.get();
    TestLake lake = TestLake.create(dir);
    LakehouseRuntime runtime = lake.runtime();
    StringWriter warnings = new StringWriter();
    PrintWriter err = new PrintWriter(warnings, true);
    TableId first = TableId.of("silver", "first");
    String folder = LakePaths.join(lake.lakeRoot(), "exports", "second");

    JobRun.run(
        runtime,
        "lakehouse run first",
        JobRun.newRunId(),
        null,
        err,
        job -> {
          job.spark().range(3).write().format("delta").save(job.catalog().location(first));
          job.stats().target(first.toString()).addRowsWritten(3).versionWritten(first, 0);
          return ExitCode.OK;
        });
    JobRun.run(
        runtime,
        "lakehouse export",
        JobRun.newRunId(),
        null,
        err,
        job -> {
          job.stats().target("second").versionRead(first, 0);
          job.catalog().readVersion(first, 0).write().format("delta").save(folder);
          job.stats().pathWritten(folder, 0);
          return ExitCode.OK;
        });
    // A user error that arrives wrapped (by Spark, a thread pool) keeps its exit code.
    assertThatThrownBy(
            () ->
                JobRun.run(
                    runtime,
                    "lakehouse export",
                    JobRun.newRunId(),
                    null,
                    err,
                    job -> {
                      job.stats().target("third").versionRead(first, 0);
                      throw new IllegalStateException(
                          "wrapped",
                          new LakehouseException(
                              ExitCode.DATA_ERROR, "version 0 of silver.first is gone"));
                    }))
        .isInstanceOf(IllegalStateException.class);
    assertThat(warnings.toString()).isEmpty();

    List<Row> runs =
        new RunHistory(lake.spark(), runtime.catalog())
            .runs(null)
            .orderBy("started_at")
            .collectAsList();
    assertThat(runs)
        .extracting(
            r ->
                r.<String>getAs("job")
                    + " "
                    + r.getAs("target")
                    + " "
                    + r.getAs("status")
                    + " "
                    + r.getAs("exit_code")
                    + " "
                    + r.getAs("rows_written"))
        .containsExactly(
            "lakehouse run first silver.first succeeded 0 3",
            "lakehouse export second succeeded 0 0",
            "lakehouse export third failed 4 0");
    Row second = runs.get(1);
    assertThat(second.getJavaMap(second.fieldIndex("versions_read")))
        .isEqualTo(Map.of("silver.first", 0L));
    assertThat(second.getJavaMap(second.fieldIndex("versions_written")))
        .as("a table written by path, keyed by its location")
        .isEqualTo(Map.of(folder, 0L));
    assertThat(runs.get(2).<String>getAs("error")).isEqualTo("version 0 of silver.first is gone");

    List<JsonNode> events = LineageFiles.events(lake);
    assertThat(events).hasSize(6);
    JsonNode firstEnd = LineageFiles.last(events, "lakehouse.run.first.silver.first", "COMPLETE");
    assertThat(LineageFiles.datasets(firstEnd, "inputs")).isEmpty();
    assertThat(LineageFiles.datasets(firstEnd, "outputs"))
        .containsExactly(lake.lakeRoot() + " | silver.first @ 0");
    JsonNode export = LineageFiles.last(events, "lakehouse.export.second", "COMPLETE");
    assertThat(LineageFiles.startOf(events, export).at("/eventTime").asText())
        .isLessThanOrEqualTo(export.at("/eventTime").asText());
    assertThat(LineageFiles.datasets(export, "inputs"))
        .containsExactly(lake.lakeRoot() + " | silver.first @ 0");
    assertThat(LineageFiles.datasets(export, "outputs"))
        .as("the folder, in the file namespace")
        .containsExactly("file | " + dir.resolve("lake/exports/second") + " @ 0");
    JsonNode failed = LineageFiles.last(events, "lakehouse.export.third", "FAIL");
    assertThat(failed.at("/run/facets/lakehouse_run/exitCode").asInt()).isEqualTo(4);
    assertThat(LineageFiles.datasets(failed, "outputs")).isEmpty();
  }
}
