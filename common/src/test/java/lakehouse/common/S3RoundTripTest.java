package lakehouse.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import lakehouse.common.catalog.TableId;
import lakehouse.common.spark.SparkSessions;
import lakehouse.common.testing.S3Bucket;
import lakehouse.common.testing.TestLake;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Writes, reads and time-travels a Delta table through s3a on a real S3 API server. */
class S3RoundTripTest {
  @RegisterExtension static final S3Bucket S3 = new S3Bucket("lake-test");

  @Test
  void deltaTableRoundTripsAndTimeTravelsThroughS3a(@TempDir Path dir) {
    TestLake lake = S3.lake(dir);
    assertThat(lake.lakeRoot()).isEqualTo("s3a://lake-test/lake");
    // The settings produce exactly the s3a conf prod.conf would, with the server's endpoint.
    assertThat(SparkSessions.defaults(lake.settings()))
        .containsEntry("spark.hadoop.fs.s3a.endpoint", S3.server().endpoint())
        .containsEntry("spark.hadoop.fs.s3a.path.style.access", "true");
    SparkSession spark = lake.spark();

    TableId table = TableId.of("silver", "customers");
    try (LakehouseRuntime runtime = lake.runtime()) {
      String location = runtime.catalog().location(table);
      assertThat(location).isEqualTo("s3a://lake-test/lake/silver/customers");
      spark.range(10).toDF("id").write().format("delta").save(location);
      spark.range(10, 15).toDF("id").write().format("delta").mode("append").save(location);
      runtime.catalog().register(table);

      assertThat(runtime.catalog().discover()).containsExactly(table);
      assertThat(spark.sql("SELECT count(*) FROM silver.customers").first().getLong(0))
          .isEqualTo(15);
      assertThat(
              spark.sql("SELECT max(id) FROM silver.customers VERSION AS OF 0").first().getLong(0))
          .isEqualTo(9);
      assertThat(runtime.catalog().currentVersion(table)).isEqualTo(1);
      assertThat(
              S3.server()
                  .client()
                  .listObjects(S3.name(), "lake/silver/customers/_delta_log/")
                  .getObjectSummaries())
          .isNotEmpty();
    }
  }
}
