package lakehouse.training;

import static lakehouse.training.LakeTables.f;
import static lakehouse.training.LakeTables.label;
import static lakehouse.training.Rows.day;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.Arrays;
import java.util.List;
import lakehouse.common.LakehouseException;
import lakehouse.common.testing.TestLake;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rule 9 at full precision, and manifests recorded before the rules were corrected. */
class RebuildRulesTest {
  @TempDir Path dir;

  @Test
  void aSubMillisecondTtlRebuildsBitForBitAndOldManifestsSayWhyNot() throws Exception {
    TestLake lake = TestLake.create(dir);
    Timestamp edge = Timestamp.from(day(1).toInstant().plusSeconds(12 * 3600));
    edge.setNanos(1000); // 12 hours + 1 microsecond after the feature time
    new LakeTables(lake)
        .createFeatures()
        .appendFeatures(f(1, day(1), 1, 10))
        .labels(label(1, edge, true));
    TrainingSpec spec =
        TrainingSpec.load(
            LakeTables.spec(
                dir,
                "ttl",
                """
                name = ttl_edge
                spine { table = silver.labels, keys = [customer_id], event-time = label_ts }
                features = [ { table = gold.customer_features, features = [spend_30d],
                               ttl = 43200000001us } ]
                """));
    TrainingSetManifest built =
        TrainingSetBuilder.run(
            lake.runtime(), new TrainingSetBuilder.Request(spec, BuildOptions.defaults()));
    assertThat(built.spec()).contains("43200000001us");
    assertThat(lake.spark().read().format("delta").load(built.outputLocation()).first().get(3))
        .as("the row exactly at the TTL edge is a candidate")
        .isEqualTo(10.0);
    assertThat(built.rules()).isEqualTo(TrainingSetManifest.RULES);
    TrainingSetManifests manifests =
        new TrainingSetManifests(lake.spark(), lake.runtime().catalog());
    assertThat(manifests.find(built.trainingSetId()).rules()).isEqualTo(TrainingSetManifest.RULES);

    TrainingSetManifest rebuilt =
        TrainingSetBuilder.rebuild(
            lake.runtime(),
            manifests.find(built.trainingSetId()),
            dir.resolve("rebuilt").toString());
    assertThat(rebuilt.contentHash()).isEqualTo(built.contentHash());

    TrainingSetManifest old =
        new TrainingSetManifest(
            built.trainingSetId(),
            built.name(),
            built.builtAt(),
            built.spec(),
            built.knowledgeMode(),
            built.asOf(),
            built.servingDelay(),
            built.spineSource(),
            built.spineVersion(),
            built.featureVersions(),
            built.outputLocation(),
            built.rowCount(),
            "0".repeat(64),
            built.outputTable(),
            built.outputVersion(),
            null,
            built.featureNullRates(),
            built.labelCounts(),
            null);
    assertThatThrownBy(
            () -> TrainingSetBuilder.rebuild(lake.runtime(), old, dir.resolve("old").toString()))
        .isInstanceOf(LakehouseException.class)
        .hasMessageContaining("it was built before the point-in-time rules were corrected");
  }

  @Test
  void aManifestTableFromBeforeTheRulesColumnTakesNewBuilds() {
    TestLake lake = TestLake.create(dir);
    StructType before =
        new StructType(
            Arrays.copyOf(
                TrainingSetManifests.SCHEMA.fields(),
                TrainingSetManifests.SCHEMA.fields().length - 1));
    Row row =
        RowFactory.create(
            "old-1",
            "old",
            new Timestamp(0),
            "{}",
            "latest",
            null,
            null,
            "silver.labels",
            1L,
            java.util.Map.of("gold.f", 1L),
            "/x",
            1L,
            "h",
            null,
            0L,
            null,
            null,
            null);
    lake.spark()
        .createDataFrame(List.of(row), before)
        .write()
        .format("delta")
        .save(lake.runtime().catalog().location(TrainingSetManifests.TABLE));
    lake.runtime().catalog().register(TrainingSetManifests.TABLE);
    TrainingSetManifests manifests =
        new TrainingSetManifests(lake.spark(), lake.runtime().catalog());
    assertThat(manifests.find("old-1").rules()).as("recorded before rules were").isNull();
    TrainingSetManifest fresh =
        new TrainingSetManifest(
            "new-1",
            "new",
            new Timestamp(1000),
            "{}",
            "latest",
            null,
            null,
            "silver.labels",
            1L,
            java.util.Map.of("gold.f", 1L),
            "/y",
            1L,
            "h",
            null,
            0L,
            null,
            java.util.Map.of(),
            java.util.Map.of(),
            TrainingSetManifest.RULES);
    manifests.append(fresh);
    assertThat(manifests.find("new-1")).isEqualTo(fresh);
    assertThat(manifests.all()).hasSize(2);
  }
}
