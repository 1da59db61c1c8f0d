package lakehouse.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import java.util.List;
import lakehouse.common.testing.SparkTestSession;
import lakehouse.report.ReportFacts.Lag;
import lakehouse.report.ReportFacts.LagBucket;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;

/** The lag distribution straight from a training set's rows. */
class TrainingSetGathererTest {
  private static Dataset<Row> output() {
    return SparkTestSession.get()
        .createDataFrame(
            List.of(
                RowFactory.create(
                    "c1",
                    SampleLake.ts("2026-01-10T00:00:00Z"),
                    true,
                    SampleLake.ts("2026-01-10T06:00:00Z"),
                    2L), // a feature from the future: a leak
                RowFactory.create(
                    "c2",
                    SampleLake.ts("2026-01-10T00:00:00Z"),
                    false,
                    SampleLake.ts("2026-01-09T21:00:00Z"),
                    1L)),
            SampleLake.trainingSchema());
  }

  @Test
  void aNegativeLagIsCountedAndFlagged() {
    List<Lag> lags = TrainingSetGatherer.lags(output(), ConfigFactory.parseString(SampleLake.SPEC));
    assertThat(lags).hasSize(1);
    List<LagBucket> buckets = lags.get(0).buckets();
    assertThat(buckets.get(0)).isEqualTo(new LagBucket(TrainingSetGatherer.NEGATIVE, 1, true));
    assertThat(buckets)
        .filteredOn(b -> b.rows() > 0)
        .extracting(LagBucket::label)
        .containsExactly(TrainingSetGatherer.NEGATIVE, "1–6 h");
  }

  @Test
  void aRenamedFeatureTimeIsFoundAndAMissingOneExplained() {
    String renamed =
        SampleLake.SPEC.replace(
            "\"rename\":{}", "\"rename\":{\"feature_time\":\"customer_features__feature_time\"}");
    assertThat(TrainingSetGatherer.lags(output(), ConfigFactory.parseString(renamed)).get(0).note())
        .isNull();
    String other =
        SampleLake.SPEC.replace(
            "\"feature-time\":\"feature_time\"", "\"feature-time\":\"snapshot_ts\"");
    Lag missing = TrainingSetGatherer.lags(output(), ConfigFactory.parseString(other)).get(0);
    assertThat(missing.buckets()).isEmpty();
    assertThat(missing.note())
        .isEqualTo(
            ReportMessages.noFeatureTime(
                "gold.customer_features", "customer_features__snapshot_ts"));
  }

  @Test
  void nullRatesAndLabelsAreMeasuredWhenTheManifestLacksThem() {
    assertThat(TrainingSetGatherer.labelCounts(output(), "churned"))
        .containsExactly(java.util.Map.entry("false", 1L), java.util.Map.entry("true", 1L));
    assertThat(TrainingSetGatherer.nullRates(output(), ConfigFactory.parseString(SampleLake.SPEC)))
        .containsOnlyKeys("customer_features__feature_time", "customer_features__order_count_30d")
        .containsValues(0.0);
  }
}
