package lakehouse.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import lakehouse.common.spark.SparkSessions;
import lakehouse.common.testing.SparkTestSession;
import lakehouse.common.testing.TestLake;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What opening the lake on a session a notebook started sets on it, and what it leaves alone. */
class LakeApiSessionTest {
  @Test
  void aGivenSessionGetsTheLakesCodegenLimitUnlessItHasOne(@TempDir Path dir) {
    SparkSession spark = SparkTestSession.get();
    String key = SparkSessions.HUGE_METHOD_LIMIT;
    String before = spark.conf().get(key, null);
    List<String> overrides = List.of("lakehouse.lake-root=" + dir.toUri());
    try {
      spark.conf().unset(key);
      LakeApi.open(spark, TestLake.confDir().toString(), "local", overrides);
      assertThat(spark.conf().get(key)).isEqualTo(SparkSessions.HOTSPOT_HUGE_METHOD_LIMIT);

      spark.conf().set(key, "12000");
      LakeApi.open(spark, TestLake.confDir().toString(), "local", overrides);
      assertThat(spark.conf().get(key)).as("the session's own value").isEqualTo("12000");
    } finally {
      if (before == null) {
        spark.conf().unset(key);
      } else {
        spark.conf().set(key, before);
      }
    }
  }
}
