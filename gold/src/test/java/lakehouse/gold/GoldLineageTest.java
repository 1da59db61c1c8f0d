package lakehouse.gold;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import lakehouse.common.catalog.TableId;
import lakehouse.common.testing.CliRun;
import lakehouse.common.testing.LineageFiles;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A gold run, failed or not, leaves one {@code _ops.runs} row and an OpenLineage START and
 * COMPLETE/FAIL pair naming the silver tables read at their pinned versions and the feature table
 * written at its new version.
 */
class GoldLineageTest {

  @Test
  void aGoldRunNamesTheSilverVersionsItReadAndTheFeatureVersionItWrote(@TempDir Path dir) {
    GoldLake lake = GoldJobTest.seeded(dir);
    String root = lake.lake.lakeRoot();
    Map<String, Long> silver =
        Map.of(
            "silver.orders", version(lake, "silver.orders"),
            "silver.events", version(lake, "silver.events"),
            "silver.customers", version(lake, "silver.customers"));
    String[] conf = {
      "--conf",
      "lakehouse.lake-root=" + root,
      "--conf",
      "lakehouse.gold.features-dir=" + lake.featuresDir
    };

    // --changed before any run has no watermark: a usage error after the sources were pinned.
    CliRun failed =
        CliRun.of(
            new GoldCommand(),
            RegistryAndCommandsTest.concat(
                new String[] {"--feature-set", "cust", "--changed"}, conf));
    assertThat(failed.exitCode()).isEqualTo(2);
    assertThat(failed.err().strip())
        .as("one message, no recording warning")
        .isEqualTo("error: " + GoldErrors.noWatermark("cust", "_ops.runs").getMessage());
    CliRun run =
        CliRun.of(
            new GoldCommand(),
            RegistryAndCommandsTest.concat(
                new String[] {
                  "--feature-set", "cust", "--from", "2024-03-01", "--to", "2024-03-03"
                },
                conf));
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.err()).isEmpty();
    long gold = version(lake, "gold.cust");

    List<JsonNode> events = LineageFiles.events(lake.lake);
    assertThat(events).as("one START and one end event per run").hasSize(4);
    List<String> inputs =
        silver.entrySet().stream()
            .map(e -> root + " | " + e.getKey() + " @ " + e.getValue())
            .toList();
    JsonNode complete = LineageFiles.last(events, "gold.gold.cust", "COMPLETE");
    assertThat(LineageFiles.startOf(events, complete).at("/job/name").asText())
        .isEqualTo("gold.gold.cust");
    assertThat(LineageFiles.datasets(complete, "inputs"))
        .containsExactlyInAnyOrderElementsOf(inputs);
    assertThat(LineageFiles.datasets(complete, "outputs"))
        .containsExactly(root + " | gold.cust @ " + gold);
    assertThat(complete.at("/run/facets/nominalTime/nominalStartTime").asText())
        .isEqualTo("2024-03-03T00:00Z");
    assertThat(complete.at("/run/facets/lakehouse_run/rowsWritten").asLong()).isEqualTo(6);
    JsonNode fail = LineageFiles.last(events, "gold.gold.cust", "FAIL");
    assertThat(LineageFiles.datasets(fail, "inputs"))
        .as("pinned before the failure")
        .containsExactlyInAnyOrderElementsOf(inputs);
    assertThat(LineageFiles.datasets(fail, "outputs")).isEmpty();
    assertThat(fail.at("/run/facets/errorMessage/message").asText())
        .isEqualTo(GoldErrors.noWatermark("cust", "_ops.runs").getMessage());

    List<Row> runs =
        new lakehouse.common.ops.RunHistory(lake.lake.spark(), lake.runtime.catalog())
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
        .containsExactly("gold gold.cust failed 2", "gold gold.cust succeeded 0");
    Row ok = runs.get(1);
    assertThat(ok.getJavaMap(ok.fieldIndex("versions_read"))).isEqualTo(silver);
    assertThat(ok.getJavaMap(ok.fieldIndex("versions_written")))
        .isEqualTo(Map.of("gold.cust", gold));
    assertThat(ok.<Long>getAs("rows_written")).isEqualTo(6L);
    assertThat(ok.getAs("run_date").toString()).isEqualTo("2024-03-03");
    assertThat(runs.get(0).<String>getAs("error"))
        .isEqualTo(GoldErrors.noWatermark("cust", "_ops.runs").getMessage());
  }

  private static long version(GoldLake lake, String table) {
    return lake.runtime.catalog().currentVersion(TableId.parse(table));
  }
}
