package lakehouse.silver;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.LocalDate;
import lakehouse.common.LakehouseRuntime;
import lakehouse.common.catalog.TableId;
import lakehouse.common.testing.S3Bucket;
import lakehouse.common.testing.TestLake;
import lakehouse.silver.quality.CheckOutcome.Status;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Silver on an s3a lake (a real S3 API server): the incremental checkpoint, the silver table and
 * the metrics history that feeds the anomaly check all live in the bucket.
 */
class SilverOnS3Test {
  @RegisterExtension static final S3Bucket S3 = new S3Bucket("silver-test");

  @Test
  void runsIncrementallyWithItsMetricsHistoryOnS3(@TempDir Path dir) {
    TestLake lake = S3.lake(dir);
    BronzeFixture bronze = new BronzeFixture(lake);
    try (LakehouseRuntime runtime = lake.runtime()) {
      bronze.append(
          "events",
          BronzeFixture.EVENTS,
          "2024-03-01",
          "2024-03-01T06:00:00Z",
          AnomalyGateTest.events("a", 4));
      SilverReport first =
          SilverJob.run(
              runtime,
              new SilverJob.Request(AnomalyGateTest.EVENTS, LocalDate.parse("2024-03-01")));
      bronze.append(
          "events",
          BronzeFixture.EVENTS,
          "2024-03-02",
          "2024-03-02T06:00:00Z",
          AnomalyGateTest.events("b", 3));
      SilverReport second =
          SilverJob.run(
              runtime,
              new SilverJob.Request(AnomalyGateTest.EVENTS, LocalDate.parse("2024-03-02")));

      assertThat(first.inserted()).isEqualTo(4);
      assertThat(second.rowsRead()).as("only the new bronze rows").isEqualTo(3);
      assertThat(AnomalyGateTest.volume(second).status())
          .as("judged against the history read back from s3a")
          .isEqualTo(Status.PASSED);
      assertThat(runtime.catalog().location(TableId.of("silver", "events_quality_metrics")))
          .startsWith("s3a://silver-test/");
      assertThat(runtime.catalog().read(TableId.of("silver", "events")).count()).isEqualTo(7);
      assertThat(
              S3.server()
                  .client()
                  .listObjects(S3.name(), "lake/_checkpoints/silver/events/")
                  .getObjectSummaries())
          .as("checkpoint in the bucket")
          .isNotEmpty();
    }
  }
}
