package lakehouse.common.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import lakehouse.common.settings.LakehouseSettings;
import lakehouse.common.testing.TestLake;
import org.junit.jupiter.api.Test;

class SparkSessionsTest {
  @Test
  void everySessionTheLakeStartsKeepsGeneratedMethodsToWhatHotSpotCompilesUnlessToldOtherwise() {
    for (String env : List.of("local", "prod")) {
      LakehouseSettings settings = LakehouseSettings.load(TestLake.confDir(), env, List.of());
      assertThat(SparkSessions.defaults(settings))
          .as(env)
          .containsEntry(SparkSessions.HUGE_METHOD_LIMIT, "8000");
    }
    LakehouseSettings raised =
        LakehouseSettings.load(
            TestLake.confDir(),
            "local",
            List.of("lakehouse.spark.conf.\"spark.sql.codegen.hugeMethodLimit\"=65535"));
    assertThat(SparkSessions.defaults(raised))
        .containsEntry(SparkSessions.HUGE_METHOD_LIMIT, "65535");
  }
}
