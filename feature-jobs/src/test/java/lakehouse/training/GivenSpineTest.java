package lakehouse.training;

import static lakehouse.training.LakeTables.f;
import static lakehouse.training.LakeTables.label;
import static lakehouse.training.Rows.day;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import lakehouse.common.ExitCode;
import lakehouse.common.LakehouseException;
import lakehouse.common.catalog.TableId;
import lakehouse.common.testing.TestLake;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A spine given as a Dataset (the Python package's DataFrame spine): persisted as a version of a
 * lake table, the same rows as the table-spine build, rebuildable from the manifest alone.
 */
class GivenSpineTest {
  @TempDir Path dir;

  @Test
  void aGivenSpineBuildsTheTableSpineRowsAndRebuildsFromItsManifest() throws Exception {
    TestLake lake = TestLake.create(dir);
    new LakeTables(lake)
        .createFeatures()
        .appendFeatures(f(1, day(1), 1, 10), f(1, day(3), 2, 20), f(2, day(2), 5, 50))
        .labels(
            label(1, day(2), false),
            label(1, day(4), true),
            label(2, day(1), false),
            label(3, day(4), true));
    TrainingSpec spec = TrainingSpec.load(LakeTables.spec(dir, "churn", LakeTables.CHURN_SPEC));
    TrainingSetManifest fromTable =
        TrainingSetBuilder.run(
            lake.runtime(),
            new TrainingSetBuilder.Request(
                spec, BuildOptions.defaults().withOutput(dir.resolve("from-table").toString())));

    Dataset<Row> spine = lake.runtime().catalog().readVersion(LakeTables.LABELS, 1);
    TrainingSetManifest fromRows =
        TrainingSetBuilder.run(
            lake.runtime(),
            new TrainingSetBuilder.Request(spec, BuildOptions.defaults(), spine, null));

    TableId persisted = TrainingSetBuilder.defaultSpineTable("churn_test");
    assertThat(fromRows.spineSource()).isEqualTo(persisted.toString());
    assertThat(fromRows.spineVersion()).isEqualTo(0L);
    assertThat(fromRows.spec()).contains("gold._spine_churn_test");
    assertThat(fromRows.contentHash())
        .as("same rows, same columns as the table spine")
        .isEqualTo(fromTable.contentHash());
    assertThat(rows(lake, fromRows)).isEqualTo(rows(lake, fromTable));
    assertThat(fromRows.labelCounts()).isEqualTo(fromTable.labelCounts());

    // A second build over other rows is a new version; the first still rebuilds bit for bit.
    TrainingSetManifest second =
        TrainingSetBuilder.run(
            lake.runtime(),
            new TrainingSetBuilder.Request(
                spec, BuildOptions.defaults(), spine.where("customer_id = 1"), null));
    assertThat(second.spineVersion()).isEqualTo(1L);
    assertThat(second.rowCount()).isEqualTo(2);
    TrainingSetManifests manifests =
        new TrainingSetManifests(lake.spark(), lake.runtime().catalog());
    TrainingSetManifest rebuilt =
        TrainingSetBuilder.rebuild(
            lake.runtime(),
            manifests.find(fromRows.trainingSetId()),
            dir.resolve("rebuilt").toString());
    assertThat(rebuilt.contentHash()).isEqualTo(fromRows.contentHash());
    assertThat(rebuilt.spineVersion()).isEqualTo(0L);
    assertThat(manifests.pinnedVersions().get(persisted.toString()))
        .as("the vacuum guard keeps both spine versions")
        .containsExactly(0L, 1L);
  }

  @Test
  void aGivenSpineIsCheckedBeforeAnythingIsWrittenAndNeverOverwritesOtherTables() throws Exception {
    TestLake lake = TestLake.create(dir);
    new LakeTables(lake)
        .createFeatures()
        .appendFeatures(f(1, day(1), 1, 10))
        .labels(label(1, day(2), false));
    TrainingSpec spec =
        TrainingSpec.from(
            ConfigFactory.parseString(
                """
                name = given
                spine { keys = [customer_id], event-time = label_ts }
                features = [ { table = gold.customer_features, features = [spend_30d] } ]
                """),
            "a spec given as a dict",
            null,
            true);
    Dataset<Row> spine = lake.runtime().catalog().read(LakeTables.LABELS);

    assertThatThrownBy(
            () ->
                TrainingSetBuilder.run(
                    lake.runtime(),
                    new TrainingSetBuilder.Request(
                        spec,
                        BuildOptions.defaults(),
                        spine.withColumnRenamed("label_ts", "at"),
                        null)))
        .isInstanceOf(LakehouseException.class)
        .hasMessageContaining(
            "the spine DataFrame: column 'label_ts' is not in the spine " + "DataFrame")
        .extracting(e -> ((LakehouseException) e).exitCode())
        .isEqualTo(ExitCode.USAGE);
    assertThat(lake.runtime().catalog().exists(TrainingSetBuilder.defaultSpineTable("given")))
        .as("nothing persisted for a spec that does not fit")
        .isFalse();

    assertThatThrownBy(
            () ->
                TrainingSetBuilder.run(
                    lake.runtime(),
                    new TrainingSetBuilder.Request(
                        spec,
                        BuildOptions.defaults(),
                        spine.selectExpr("cast(customer_id as string) customer_id", "label_ts"),
                        null)))
        .hasMessageContaining("key column 'customer_id' is string in the spine but bigint");

    long labels = lake.runtime().catalog().currentVersion(LakeTables.LABELS);
    assertThatThrownBy(
            () ->
                TrainingSetBuilder.run(
                    lake.runtime(),
                    new TrainingSetBuilder.Request(
                        spec, BuildOptions.defaults(), spine, LakeTables.LABELS)))
        .hasMessage(TrainingErrors.spineTableNotASpine("silver.labels").getMessage());
    assertThat(lake.runtime().catalog().currentVersion(LakeTables.LABELS)).isEqualTo(labels);

    TrainingSetManifest built =
        TrainingSetBuilder.run(
            lake.runtime(),
            new TrainingSetBuilder.Request(
                spec, BuildOptions.defaults(), spine, TableId.of("gold", "my_spine")));
    assertThat(built.spineSource()).isEqualTo("gold.my_spine");
    assertThat(built.rowCount()).isEqualTo(1);
  }

  private static Set<String> rows(TestLake lake, TrainingSetManifest m) {
    return lake
        .spark()
        .read()
        .format("delta")
        .option("versionAsOf", m.outputVersion())
        .load(m.outputLocation())
        .collectAsList()
        .stream()
        .map(Row::toString)
        .collect(Collectors.toSet());
  }
}
