package lakehouse.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import lakehouse.common.LakehouseRuntime;
import lakehouse.common.catalog.TableId;
import lakehouse.common.testing.TestLake;
import lakehouse.report.ReportFacts.DriftFacts;
import lakehouse.report.ReportFacts.DriftRow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The drift gatherer reads the newest comparison of each subject from the drift table as gold
 * writes it (lakehouse.gold.drift.DriftStore's columns), features worst first.
 */
class DriftGathererTest {
  @Test
  void newestComparisonPerSubjectWorstFirst(@TempDir Path dir) {
    TestLake lake = TestLake.create(dir);
    try (LakehouseRuntime runtime = lake.runtime()) {
      TableId table = TableId.parse("gold._feature_drift_cf");
      String location = runtime.catalog().location(table);
      lake.spark()
          .sql(
              "CREATE TABLE delta.`"
                  + location
                  + "` (check_id STRING, checked_at TIMESTAMP, scope STRING, subject STRING,"
                  + " current STRING, current_date DATE, reference STRING, feature STRING, kind"
                  + " STRING, psi DOUBLE, ks DOUBLE, null_rate_change DOUBLE, reference_mean"
                  + " DOUBLE, current_mean DOUBLE, direction STRING, severity STRING, breaches"
                  + " ARRAY<STRING>, bins ARRAY<STRING>, reference_shares ARRAY<DOUBLE>,"
                  + " current_shares ARRAY<DOUBLE>, reference_rows BIGINT, current_rows BIGINT)"
                  + " USING DELTA");
      String row =
          "('%s', TIMESTAMP'%s', 'feature_set', 'cf', '%s', DATE'%s', 'ref', '%s', "
              + "'numeric', %s, 0.1, 0.0, 1.0, 2.0, 'up', '%s', array(), array('<= 1', '> 1'), "
              + "array(0.5D, 0.5D), array(0.2D, 0.8D), 10, 10)";
      lake.spark()
          .sql(
              "INSERT INTO delta.`"
                  + location
                  + "` VALUES "
                  + String.format(
                      row,
                      "old",
                      "2026-01-20 06:00:00",
                      "2026-01-20",
                      "2026-01-20",
                      "a",
                      "0.9",
                      "error")
                  + ", "
                  + String.format(
                      row,
                      "new",
                      "2026-01-21 06:00:00",
                      "2026-01-21",
                      "2026-01-21",
                      "a",
                      "0.01",
                      "ok")
                  + ", "
                  + String.format(
                      row,
                      "new",
                      "2026-01-21 06:00:00",
                      "2026-01-21",
                      "2026-01-21",
                      "b",
                      "0.3",
                      "error")
                  + ", "
                  + String.format(
                      row,
                      "new",
                      "2026-01-21 06:00:00",
                      "2026-01-21",
                      "2026-01-21",
                      "c",
                      "0.15",
                      "warn"));
      runtime.catalog().register(table);

      assertThat(
              ReportGatherer.driftTables(
                  lake.settings(),
                  List.of(
                      table,
                      TableId.parse("gold._feature_registry_cf"),
                      TableId.parse("gold._training_drift_churn"))))
          .extracting(TableId::toString)
          .containsExactly("gold._feature_drift_cf", "gold._training_drift_churn");
      List<DriftFacts> drift = new DriftGatherer(runtime.catalog()).gather(List.of(table), 40);
      assertThat(drift).hasSize(1);
      DriftFacts facts = drift.get(0);
      assertThat(facts.current()).isEqualTo("2026-01-21");
      assertThat(facts.features()).extracting(DriftRow::feature).containsExactly("b", "c", "a");
      assertThat(facts.features().get(0).currentShares()).containsExactly(0.2, 0.8);
      assertThat(new DriftGatherer(runtime.catalog()).gather(table, 2).get(0).features())
          .hasSize(2);
    }
  }
}
