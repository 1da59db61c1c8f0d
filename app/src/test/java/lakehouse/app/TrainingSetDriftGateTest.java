package lakehouse.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Date;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import lakehouse.common.LakehouseRuntime;
import lakehouse.common.catalog.TableId;
import lakehouse.common.testing.CliRun;
import lakehouse.common.testing.TestLake;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The drift gate of a training-set build ({@code drift { gate = true }}), through the CLI of the
 * application jar, where the training module finds gold's gate: a build whose features were taken
 * on a day the feature set has since drifted from stops with exit 3 and publishes nothing; a build
 * matching the latest snapshot publishes. Meters and their faults, not the sample's customers.
 */
class TrainingSetDriftGateTest {
  private static final TableId GOLD = TableId.of("gold", "meter_features");
  private static final TableId FAULTS = TableId.of("silver", "meter_faults");

  @TempDir Path dir;

  @Test
  void aBuildSkewedFromTheLatestSnapshotStopsWithExit3AndPublishesNothing() throws Exception {
    Path features = Files.createDirectories(dir.resolve("features"));
    Files.writeString(
        features.resolve("meter_features.conf"),
        """
        entity = [meter_id]
        sources { readings { table = silver.readings, time-column = read_ts } }
        aggregations = [
          { name = readings, source = readings, function = count, windows = [7 days] }
          { name = max_kw, source = readings, function = max, column = kw, windows = [7 days] }
        ]
        """);
    TestLake lake = TestLake.create(dir, "lakehouse.gold.features-dir=" + features);
    SparkSession spark = lake.spark();
    try (LakehouseRuntime runtime = lake.runtime()) {
      // Two snapshot days: the same reading counts, the peak load shifted up on the second.
      StructType gold =
          new StructType()
              .add("meter_id", DataTypes.LongType)
              .add("feature_time", DataTypes.TimestampType)
              .add("feature_date", DataTypes.DateType)
              .add("readings_7d", DataTypes.LongType)
              .add("max_kw_7d", DataTypes.DoubleType);
      StructType faults =
          new StructType()
              .add("meter_id", DataTypes.LongType)
              .add("fault_ts", DataTypes.TimestampType)
              .add("failed", DataTypes.IntegerType);
      List<Row> snapshots = new ArrayList<>();
      List<Row> spine = new ArrayList<>();
      for (long m = 0; m < 300; m++) {
        snapshots.add(
            RowFactory.create(
                m,
                Timestamp.valueOf("2026-03-01 23:59:59"),
                Date.valueOf("2026-03-01"),
                m % 7,
                2.0 + m % 10));
        snapshots.add(
            RowFactory.create(
                m,
                Timestamp.valueOf("2026-03-02 23:59:59"),
                Date.valueOf("2026-03-02"),
                m % 7,
                40.0 + m % 10));
        spine.add(
            RowFactory.create(
                m,
                Timestamp.valueOf(m % 2 == 0 ? "2026-03-02 06:00:00" : "2026-03-03 06:00:00"),
                (int) (m % 3 == 0 ? 1 : 0)));
      }
      spark
          .createDataFrame(snapshots, gold)
          .write()
          .format("delta")
          .partitionBy("feature_date")
          .save(runtime.catalog().location(GOLD));
      spark
          .createDataFrame(spine, faults)
          .write()
          .format("delta")
          .save(runtime.catalog().location(FAULTS));
    }
    Path early = spec("faults_early", "fault_ts < '2026-03-03'", "drift { gate = true }");
    Path recent = spec("faults_recent", "fault_ts >= '2026-03-03'", "drift { gate = true }");
    Path typo = spec("faults_typo", "true", "drift { gate = true, against = latest }");

    CliRun stopped = build(lake, features, early);
    assertThat(stopped.exitCode()).as(stopped.out() + stopped.err()).isEqualTo(3);
    assertThat(stopped.err())
        .contains(
            "drift gate: training set faults_early build faults_early-",
            "against meter_features@2026-03-02",
            "1 feature(s) breach an error threshold: " + "meter_features__max_kw_7d (up;",
            "nothing was written",
            "gold._training_drift_faults_early");
    assertThat(
            Files.exists(Path.of(lake.dir().resolve("lake/gold/training_faults_early").toString())))
        .as("no output written")
        .isFalse();
    assertThat(
            spark
                .read()
                .format("delta")
                .load(lake.dir().resolve("lake/gold/_training_drift_faults_early").toString())
                .select("feature", "severity")
                .collectAsList())
        .extracting(Row::toString)
        .as("the comparison that stopped the build is recorded, feature by feature")
        .containsExactlyInAnyOrder(
            "[meter_features__max_kw_7d,error]", "[meter_features__readings_7d,ok]");

    CliRun published = build(lake, features, recent);
    assertThat(published.exitCode()).as(published.out() + published.err()).isZero();
    assertThat(published.err())
        .as("a warn-severity breach is a warning of the run")
        .contains(
            "warning: drift faults_recent.meter_features__max_kw_7d against "
                + "meter_features@2026-03-02: down; ks 0.1 >= warn 0.1");
    assertThat(
            spark
                .read()
                .format("delta")
                .load(lake.dir().resolve("lake/gold/training_faults_recent").toString())
                .count())
        .isEqualTo(150);
    List<Row> manifests =
        spark
            .read()
            .format("delta")
            .load(lake.dir().resolve("lake/gold/_training_sets").toString())
            .select("name")
            .collectAsList();
    assertThat(manifests)
        .extracting(r -> r.getString(0))
        .as("only the build that passed")
        .containsExactly("faults_recent");

    CliRun bad = build(lake, features, typo);
    assertThat(bad.exitCode()).isEqualTo(2);
    assertThat(bad.err()).contains("faults_typo.conf", "drift", "against");
  }

  private Path spec(String name, String where, String drift) throws Exception {
    return Files.writeString(
        dir.resolve(name + ".conf"),
        """
        name = %s
        spine {
          query = "SELECT * FROM silver.meter_faults WHERE %s"
          keys = [meter_id]
          event-time = fault_ts
          label = failed
        }
        features = [ { table = gold.meter_features, features = all } ]
        %s
        """
            .formatted(name, where, drift));
  }

  private static CliRun build(TestLake lake, Path features, Path spec) {
    return CliRun.of(
        new LakehouseCli(),
        "training-set",
        "build",
        "--spec",
        spec.toString(),
        "--conf-dir",
        TestLake.confDir().toString(),
        "--conf",
        "lakehouse.lake-root=" + lake.lakeRoot(),
        "--conf",
        "lakehouse.landing-root=" + lake.landingRoot(),
        "--conf",
        "lakehouse.gold.features-dir=" + features);
  }
}
