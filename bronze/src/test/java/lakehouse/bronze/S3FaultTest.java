package lakehouse.bronze;

import static lakehouse.bronze.BronzeTestSupport.run;
import static lakehouse.bronze.BronzeTestSupport.table;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.file.Path;
import java.util.Optional;
import lakehouse.bronze.BronzeJob.Step;
import lakehouse.common.ExitCode;
import lakehouse.common.cli.Cli;
import lakehouse.common.testing.S3Bucket;
import lakehouse.common.testing.TestLake;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The s3a path under a fault: the S3 API server cut off between bronze's data commit and its
 * rejects commit (every connection dropped, new ones refused) ends the run with one readable line,
 * and the run after the server answers again finishes the interrupted batch with nothing lost and
 * nothing twice.
 */
class S3FaultTest {
  @RegisterExtension static final S3Bucket S3 = new S3Bucket("bronze-fault", true);

  @Test
  void theStorageGoneMidRunEndsTheRunAndTheRerunLosesNothing(@TempDir Path dir) throws Exception {
    TestLake lake = S3.lake(dir);
    failFast(lake.spark().sparkContext().hadoopConfiguration(), S3.name());
    // Two landed files: four good orders and one line that is no JSON object.
    land("landing/orders/2026-01-01/a.json", order("o1") + order("o2") + "{not json\n");
    land("landing/orders/2026-01-02/b.json", order("o3") + order("o4"));

    Throwable failure =
        catchThrowable(
            () ->
                run(
                    lake,
                    "orders",
                    Optional.empty(),
                    step -> {
                      if (step == Step.DATA_WRITTEN) {
                        S3.server().cut();
                      }
                    }));
    assertThat(failure).isNotNull();
    String message = Cli.message(failure);
    assertThat(message)
        .as("one line")
        .doesNotContain("\n")
        .startsWith("source 'orders': the storage failed mid-run (")
        .contains("rerun");
    assertThat(Cli.exitCode(failure)).as("retryable").isEqualTo(ExitCode.JOB_FAILED);

    S3.server().restore();
    BronzeReport rerun = run(lake, "orders", Optional.empty());
    assertThat(rerun.recoveredBatch()).as("the interrupted batch, finished").isEqualTo(1L);
    assertThat(table(lake, "bronze.orders").count()).isEqualTo(4);
    assertThat(table(lake, "bronze.orders_rejects").count()).isEqualTo(1);
  }

  private static void land(String key, String content) {
    S3.server().client().putObject(S3.name(), key, content);
  }

  private static String order(String id) {
    return "{\"order_id\":\""
        + id
        + "\",\"customer_id\":\"c1\",\"amount\":5.0,"
        + "\"currency\":\"EUR\",\"status\":\"placed\",\"category\":\"books\","
        + "\"order_ts\":\"2026-01-01T10:00:00Z\",\"updated_at\":\"2026-01-01T10:00:00Z\"}\n";
  }

  /** A storage that does not answer fails the run in seconds, not after minutes of retries. */
  private static void failFast(Configuration hadoop, String bucket) {
    String prefix = "fs.s3a.bucket." + bucket + ".";
    hadoop.set(prefix + "attempts.maximum", "1");
    hadoop.set(prefix + "retry.limit", "1");
    hadoop.set(prefix + "retry.interval", "100ms");
    hadoop.set(prefix + "retry.throttle.limit", "1");
    hadoop.set(prefix + "connection.establish.timeout", "2000");
    hadoop.set(prefix + "connection.timeout", "5000");
  }
}
