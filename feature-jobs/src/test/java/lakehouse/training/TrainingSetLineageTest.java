package lakehouse.training;

import static lakehouse.training.LakeTables.f;
import static lakehouse.training.LakeTables.label;
import static lakehouse.training.Rows.day;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import lakehouse.common.catalog.TableId;
import lakehouse.common.settings.LakePaths;
import lakehouse.common.testing.CliRun;
import lakehouse.common.testing.LineageFiles;
import lakehouse.common.testing.TestLake;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code training-set build} and {@code rebuild} are job runs: one run-history row each (failed
 * ones too) and OpenLineage events naming the spine and feature tables at the versions the build
 * pinned, and the training set and the manifest table at the versions written.
 */
class TrainingSetLineageTest {
  @TempDir Path dir;

  private static String[] args(TestLake lake, String... command) {
    List<String> all = new java.util.ArrayList<>(List.of(command));
    all.addAll(
        List.of(
            "--conf",
            "lakehouse.lake-root=" + lake.lakeRoot(),
            "--conf",
            "lakehouse.landing-root=" + lake.landingRoot()));
    return all.toArray(String[]::new);
  }

  private static long version(TestLake lake, TableId table) {
    return lake.runtime().catalog().currentVersion(table);
  }

  @Test
  void buildAndRebuildNameThePinnedInputsAndWhatTheyWrote() throws Exception {
    TestLake lake = TestLake.create(dir);
    LakeTables tables =
        new LakeTables(lake)
            .createFeatures()
            .appendFeatures(f(1, day(1), 1, 10), f(2, day(1), 2, 20))
            .labels(label(1, day(3), true), label(2, day(3), false));
    String root = lake.lakeRoot();
    Path spec = LakeTables.spec(dir, "churn", LakeTables.CHURN_SPEC);
    TableId output = TableId.of("gold", "training_churn_test");

    CliRun missing =
        CliRun.of(
            new TrainingSetCommand(),
            args(
                lake, "build", "--spec", spec.toString(), "--version", "gold.customer_features=9"));
    assertThat(missing.exitCode()).as(missing.err()).isEqualTo(2);

    CliRun build =
        CliRun.of(new TrainingSetCommand(), args(lake, "build", "--spec", spec.toString()));
    assertThat(build.exitCode()).as(build.err()).isZero();
    assertThat(build.err()).as("no recording warning").isEmpty();
    String id = build.out().split(" ")[3].replace(":", "");
    long labels = version(lake, LakeTables.LABELS);
    long features = version(lake, LakeTables.FEATURES);
    long builtVersion = version(lake, output);
    long manifestAfterBuild = version(lake, TrainingSetManifests.TABLE);

    // New feature data after the build: the rebuild still reads the versions the build pinned.
    tables.appendFeatures(f(1, day(2), 5, 50));
    CliRun rebuild = CliRun.of(new TrainingSetCommand(), args(lake, "rebuild", id));
    assertThat(rebuild.exitCode()).as(rebuild.err()).isZero();
    String rebuiltFolder =
        dir.resolve("lake/gold/_training_rebuilds/churn_test").resolve(id).toString();

    List<JsonNode> events = LineageFiles.events(lake);
    assertThat(events).as("START and an end event for each of the three runs").hasSize(6);
    List<String> pinned =
        List.of(
            root + " | silver.labels @ " + labels,
            root + " | gold.customer_features @ " + features);

    JsonNode built = LineageFiles.last(events, "training-set.build.churn_test", "COMPLETE");
    assertThat(LineageFiles.startOf(events, built).at("/job/name").asText())
        .isEqualTo("training-set.build.churn_test");
    assertThat(LineageFiles.datasets(built, "inputs")).containsExactlyInAnyOrderElementsOf(pinned);
    assertThat(LineageFiles.datasets(built, "outputs"))
        .containsExactlyInAnyOrder(
            root + " | gold.training_churn_test @ " + builtVersion,
            root + " | gold._training_sets @ " + manifestAfterBuild);
    assertThat(built.at("/run/facets/lakehouse_run/rowsWritten").asLong()).isEqualTo(2);

    JsonNode rebuilt = LineageFiles.last(events, "training-set.rebuild.churn_test", "COMPLETE");
    assertThat(LineageFiles.datasets(rebuilt, "inputs"))
        .as("the build's pins, not the latest")
        .containsExactlyInAnyOrderElementsOf(pinned);
    assertThat(LineageFiles.datasets(rebuilt, "outputs"))
        .containsExactlyInAnyOrder(
            "file | " + rebuiltFolder + " @ 0",
            root + " | gold._training_sets @ " + (manifestAfterBuild + 1));

    JsonNode failed = LineageFiles.last(events, "training-set.build.churn_test", "FAIL");
    assertThat(failed.at("/run/facets/lakehouse_run/exitCode").asInt()).isEqualTo(2);
    assertThat(LineageFiles.datasets(failed, "outputs")).isEmpty();

    List<Row> runs =
        new lakehouse.common.ops.RunHistory(lake.spark(), lake.runtime().catalog())
            .read()
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
                    + r.getAs("exit_code"))
        .containsExactly(
            "training-set build churn_test failed 2",
            "training-set build churn_test succeeded 0",
            "training-set rebuild churn_test succeeded 0");
    Row ok = runs.get(1);
    assertThat(ok.getJavaMap(ok.fieldIndex("versions_read")))
        .isEqualTo(Map.of("silver.labels", labels, "gold.customer_features", features));
    assertThat(ok.getJavaMap(ok.fieldIndex("versions_written")))
        .isEqualTo(
            Map.of(
                "gold.training_churn_test",
                builtVersion,
                "gold._training_sets",
                manifestAfterBuild));
    assertThat(ok.<Long>getAs("rows_written")).isEqualTo(2L);
    Row again = runs.get(2);
    assertThat(again.getJavaMap(again.fieldIndex("versions_written")))
        .as("a rebuild writes a folder, keyed by its location")
        .containsEntry(LakePaths.join(root, "gold", "_training_rebuilds", "churn_test", id), 0L)
        .hasSize(2);
  }
}
