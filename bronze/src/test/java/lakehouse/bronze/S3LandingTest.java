package lakehouse.bronze;

import static lakehouse.bronze.BronzeTestSupport.run;
import static lakehouse.bronze.BronzeTestSupport.table;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Optional;
import lakehouse.common.testing.S3Bucket;
import lakehouse.common.testing.TestLake;
import lakehouse.sample.SampleGenerator;
import lakehouse.sample.SampleManifest;
import lakehouse.sample.SampleOptions;
import lakehouse.sample.SourceManifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** A landing zone and a lake on s3a, served by a real S3 API server. */
class S3LandingTest {
  @RegisterExtension static final S3Bucket S3 = new S3Bucket("bronze-test");

  @Test
  void ingestsFromAnS3aLandingZoneExactlyOnce(@TempDir Path dir) throws Exception {
    TestLake lake = S3.lake(dir);
    assertThat(lake.landingRoot()).isEqualTo("s3a://bronze-test/landing");
    SampleManifest manifest =
        new SampleGenerator(new SampleOptions(LocalDate.of(2026, 1, 1), 2, 120, 5L))
            .generate(lake.landingRoot(), lake.spark().sparkContext().hadoopConfiguration());
    SourceManifest orders = manifest.source("orders");

    BronzeReport report = run(lake, "orders", Optional.empty());
    assertThat(report.filesIngested()).isEqualTo(orders.files().size());
    assertThat(report.rowsWritten()).isEqualTo(orders.totalGoodRecords());
    assertThat(report.rowsRejected()).isEqualTo(orders.totalMalformedLines());
    assertThat(table(lake, "bronze.orders").count()).isEqualTo(orders.totalGoodRecords());
    assertThat(table(lake, "bronze.orders").first().<String>getAs("_source_file"))
        .startsWith("s3a://bronze-test/landing/orders/2026-01-0");

    BronzeReport again = run(lake, "orders", Optional.empty());
    assertThat(again.status()).isEqualTo(BronzeReport.Status.NOTHING_NEW);
    assertThat(table(lake, "bronze.orders").count()).isEqualTo(orders.totalGoodRecords());
    assertThat(
            S3.server()
                .client()
                .listObjects(S3.name(), "lake/bronze/orders/_delta_log/")
                .getObjectSummaries())
        .isNotEmpty();
    assertThat(lake.runtime().catalog().discover())
        .extracting(Object::toString)
        .contains("bronze.orders", "bronze.orders_rejects", "_ops.bronze_files_orders");
  }
}
