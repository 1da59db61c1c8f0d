package lakehouse.gold.drift;

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
import lakehouse.common.testing.StepLines;
import lakehouse.common.testing.TestLake;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Training/serving skew: a build's output (written here with its manifest row, as the training-set
 * builder writes them) against the latest snapshot of its feature table; output columns are traced
 * through the default {@code <table>__<feature>} name and the spec's rename.
 */
class TrainingSetDriftTest {
  @Test
  void aBuildIsComparedWithTheLatestSnapshotFeatureByFeature(@TempDir Path dir) throws Exception {
    Path features = dir.resolve("features");
    Files.createDirectories(features);
    Files.writeString(
        features.resolve("acct.conf"),
        """
        entity = [customer_id]
        sources { events { table = silver.events, time-column = event_ts } }
        aggregations = [
          { name = visits, source = events, function = count, windows = [7 days] }
          { name = spend, source = events, function = sum, column = amount, windows = [7 days] }
        ]
        drift { features { spend_7d { thresholds { psi { warn = 5, error = 9 } } } } }
        """);
    TestLake lake = TestLake.create(dir, "lakehouse.gold.features-dir=" + features);
    SparkSession spark = lake.spark();
    try (LakehouseRuntime runtime = lake.runtime()) {
      // gold.acct: two days; the latest has many more visits, the same spend.
      StructType gold =
          new StructType()
              .add("customer_id", DataTypes.StringType)
              .add("feature_time", DataTypes.TimestampType)
              .add("feature_date", DataTypes.DateType)
              .add("visits_7d", DataTypes.LongType)
              .add("spend_7d", DataTypes.DoubleType);
      List<Row> rows = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        rows.add(
            RowFactory.create(
                "c" + i,
                Timestamp.valueOf("2026-01-01 23:59:59"),
                Date.valueOf("2026-01-01"),
                (long) (i % 5),
                (double) (i % 10)));
        rows.add(
            RowFactory.create(
                "c" + i,
                Timestamp.valueOf("2026-01-02 23:59:59"),
                Date.valueOf("2026-01-02"),
                (long) (5 + i % 5),
                (double) (i % 10)));
      }
      String goldLocation = runtime.catalog().location(TableId.of("gold", "acct"));
      spark
          .createDataFrame(rows, gold)
          .write()
          .format("delta")
          .partitionBy("feature_date")
          .save(goldLocation);
      runtime.catalog().register(TableId.of("gold", "acct"));

      // A build: visits like day 1, spend renamed.
      StructType out =
          new StructType()
              .add("customer_id", DataTypes.StringType)
              .add("label", DataTypes.IntegerType)
              .add("acct__feature_time", DataTypes.TimestampType)
              .add("acct__visits_7d", DataTypes.LongType)
              .add("money", DataTypes.DoubleType);
      List<Row> built = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        built.add(
            RowFactory.create(
                "c" + i,
                i % 2,
                Timestamp.valueOf("2026-01-01 23:59:59"),
                (long) (i % 5),
                (double) (i % 10)));
      }
      String output = dir.resolve("ts-out").toUri().toString();
      spark.createDataFrame(built, out).write().format("delta").save(output);
      StructType manifest =
          new StructType()
              .add("training_set_id", DataTypes.StringType)
              .add("name", DataTypes.StringType)
              .add("spec", DataTypes.StringType)
              .add("output_location", DataTypes.StringType)
              .add("output_version", DataTypes.LongType);
      String spec =
          "{\"name\":\"churn\",\"features\":[{\"table\":\"gold.acct\","
              + "\"features\":\"all\",\"rename\":{\"spend_7d\":\"money\"}}]}";
      spark
          .createDataFrame(
              List.of(
                  RowFactory.create("churn-20260103T000000Z-abc123", "churn", spec, output, 0L)),
              manifest)
          .write()
          .format("delta")
          .save(runtime.catalog().location(TrainingSetDrift.MANIFESTS));
      runtime.catalog().register(TrainingSetDrift.MANIFESTS);

      DriftComparison drift = TrainingSetDrift.compare(runtime, "churn-2026", "latest");
      assertThat(drift.current()).isEqualTo("acct@2026-01-02");
      assertThat(drift.reference()).isEqualTo("training set churn-20260103T000000Z-abc123");
      assertThat(drift.results())
          .extracting(DriftResult::feature)
          .containsExactly("acct__visits_7d", "money");
      DriftResult visits = drift.results().get(0);
      assertThat(visits.severity()).isEqualTo("error");
      assertThat(visits.direction()).isEqualTo("up");
      assertThat(visits.ks()).isEqualTo(1.0);
      assertThat(drift.results().get(1).severity()).isEqualTo("ok");
      assertThat(drift.results().get(1).psi()).isEqualTo(0.0);

      // Against the first day: no skew.
      assertThat(
              TrainingSetDrift.compare(runtime, "churn-20260103T000000Z-abc123", "2026-01-01")
                  .flagged())
          .isEmpty();

      String[] conf = {
        "--conf",
        "lakehouse.lake-root=" + lake.lakeRoot(),
        "--conf",
        "lakehouse.gold.features-dir=" + features
      };
      CliRun run;
      try (StepLines steps = StepLines.capture()) {
        run =
            CliRun.of(
                new TrainingSetDriftCommand(),
                concat(new String[] {"churn-2026", "--format", "json"}, conf));
        assertThat(steps.of("training-set drift churn-2026"))
            .as("progress lines, in order")
            .containsExactly(
                "acct@2026-01-02 against training set churn-20260103T000000Z-abc123: "
                    + "2 features, 1 flagged",
                "comparison recorded in gold._training_drift_churn");
      }
      assertThat(run.exitCode()).as(run.err()).isEqualTo(3);
      assertThat(
              new com.fasterxml.jackson.databind.ObjectMapper()
                  .enable(
                      com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                  .readTree(run.out())
                  .get("subject")
                  .asText())
          .as("stdout is one JSON document")
          .isEqualTo("churn");
      assertThat(run.out())
          .startsWith(
              "{\"scope\":\"training_set\",\"subject\":\"churn\","
                  + "\"current\":\"acct@2026-01-02\"");
      CliRun unknown =
          CliRun.of(new TrainingSetDriftCommand(), concat(new String[] {"nope-123456"}, conf));
      assertThat(unknown.exitCode()).isEqualTo(2);
      assertThat(unknown.err()).startsWith("error: unknown training set 'nope-123456'");
      CliRun badAgainst =
          CliRun.of(
              new TrainingSetDriftCommand(),
              concat(new String[] {"churn-2026", "--against", "yesterday"}, conf));
      assertThat(badAgainst.exitCode()).isEqualTo(2);
      assertThat(badAgainst.err()).startsWith("error: --against must be 'latest' or a day");
    }
  }

  private static String[] concat(String[] a, String[] b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
