package lakehouse.training;

import static lakehouse.training.LakeTables.f;
import static lakehouse.training.LakeTables.label;
import static lakehouse.training.Rows.day;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.stream.Stream;
import lakehouse.common.ExitCode;
import lakehouse.common.LakehouseException;
import lakehouse.common.testing.TestLake;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rule 4's "committed last" belongs to the row, not to the file that holds it today: table rewrites
 * and log clean-up must not change which row wins a tie on feature time. Each scenario runs with
 * the correction's values hashing above and below the corrected row's, so a pick that fell to the
 * value hash would be wrong in one of them.
 */
class RowCommitTieTest {
  @TempDir Path dir;

  private static final String SPEC =
      """
      name = tie_test
      spine { table = silver.labels, keys = [customer_id], event-time = label_ts }
      features = [ { table = gold.customer_features, features = [spend_30d] } ]
      """;

  /** Version 1: the row and an unrelated one; 3: the correction and another unrelated one. */
  private LakeTables correctedHistory(
      TestLake lake, boolean rowTracking, double original, double correction) {
    LakeTables tables = new LakeTables(lake);
    lake.spark()
        .sql(
            "CREATE TABLE delta.`"
                + tables.location(LakeTables.FEATURES)
                + "` ("
                + LakeTables.FEATURE_SCHEMA.toDDL()
                + ") USING DELTA TBLPROPERTIES ("
                + "delta.enableChangeDataFeed = true, delta.enableRowTracking = "
                + rowTracking
                + ")");
    lake.runtime().catalog().register(LakeTables.FEATURES);
    return tables
        .appendFeatures(f(1, day(3), 1, original), f(2, day(1), 1, 1)) // version 1
        .appendFeatures(f(3, day(1), 1, 1)) // version 2
        .appendFeatures(f(1, day(3), 1, correction), f(2, day(2), 1, 2)) // version 3
        .labels(label(1, day(5), true));
  }

  private static Stream<double[]> bothHashOrders() {
    return Stream.of(new double[] {10, 11}, new double[] {11, 10});
  }

  private String picked(TestLake lake) throws Exception {
    TrainingSetManifest m =
        TrainingSetBuilder.run(
            lake.runtime(),
            new TrainingSetBuilder.Request(
                TrainingSpec.load(LakeTables.spec(dir, "tie", SPEC)), BuildOptions.defaults()));
    return lake.spark()
        .read()
        .format("delta")
        .option("versionAsOf", m.outputVersion())
        .load(m.outputLocation())
        .first()
        .get(3)
        .toString();
  }

  @Test
  void aCorrectionStillWinsAfterDeleteAndOptimizeRewroteBothFiles() {
    bothHashOrders()
        .forEach(
            values -> {
              TestLake lake = TestLake.create(dir.resolve("rt" + values[0]));
              LakeTables tables = correctedHistory(lake, true, values[0], values[1]);
              String table = "delta.`" + tables.location(LakeTables.FEATURES) + "`";
              lake.spark().sql("DELETE FROM " + table + " WHERE customer_id = 2"); // rewrites both
              try {
                assertThat(picked(lake))
                    .as("after DELETE, values " + values[0] + " then " + values[1])
                    .isEqualTo(String.valueOf(values[1]));
                lake.spark().sql("OPTIMIZE " + table);
                lake.spark().sql("OPTIMIZE " + table + " ZORDER BY (spend_30d)");
                assertThat(picked(lake))
                    .as("after OPTIMIZE and ZORDER")
                    .isEqualTo(String.valueOf(values[1]));
              } catch (Exception e) {
                throw new AssertionError(e);
              }
            });
  }

  @Test
  void aCorrectionStillWinsAfterLogCleanUp() {
    bothHashOrders()
        .forEach(
            values -> {
              TestLake lake = TestLake.create(dir.resolve("clean" + values[0]));
              LakeTables tables = correctedHistory(lake, true, values[0], values[1]);
              LakeTables.cleanUpLog(lake, tables.location(LakeTables.FEATURES));
              try {
                assertThat(picked(lake))
                    .as("both files were added before the oldest retained commit")
                    .isEqualTo(String.valueOf(values[1]));
              } catch (Exception e) {
                throw new AssertionError(e);
              }
            });
  }

  @Test
  void withoutRowTrackingATieTheLogCannotOrderFailsTheBuild() throws Exception {
    TestLake lake = TestLake.create(dir.resolve("plain"));
    LakeTables tables = correctedHistory(lake, false, 10, 11);
    assertThat(picked(lake)).as("appends only: the log orders the tie exactly").isEqualTo("11.0");
    lake.spark()
        .sql(
            "DELETE FROM delta.`"
                + tables.location(LakeTables.FEATURES)
                + "` WHERE customer_id = 2");
    lakehouse.common.catalog.TableId output =
        lakehouse.common.catalog.TableId.of("gold", "training_tie_test");
    long written = lake.runtime().catalog().currentVersion(output);
    assertThatThrownBy(() -> picked(lake))
        .isInstanceOf(LakehouseException.class)
        .satisfies(
            e -> assertThat(((LakehouseException) e).exitCode()).isEqualTo(ExitCode.DATA_ERROR))
        .hasMessageStartingWith(
            "ambiguous tie in gold.customer_features: rows with key 1 and "
                + "feature time 2026-01-03 00:00:00 have different values")
        .hasMessageContaining("delta.enableRowTracking = true")
        .hasMessageNotContaining("\n");
    assertThat(lake.runtime().catalog().currentVersion(output))
        .as("nothing was written")
        .isEqualTo(written);
  }
}
