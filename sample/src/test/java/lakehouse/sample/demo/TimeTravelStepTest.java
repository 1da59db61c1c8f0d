package lakehouse.sample.demo;

import static lakehouse.timetravel.TimeTravelFixtures.commit;
import static lakehouse.timetravel.TimeTravelFixtures.createTable;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;
import lakehouse.common.LakehouseRuntime;
import lakehouse.common.testing.TestLake;
import lakehouse.training.TrainingSetManifest;
import lakehouse.training.TrainingSetManifests;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TimeTravelStepTest {
  @Test
  void showsADiffAndWhatTheGuardKeeps(@TempDir Path dir) {
    TestLake lake = TestLake.create(dir, "lakehouse.maintenance.listing-parallelism=2");
    createTable(
        lake, "gold.features", "customer_id STRING, spend DOUBLE", "lakehouse.key = 'customer_id'");
    commit(
        lake,
        "INSERT INTO gold.features VALUES ('c1', 1.0), ('c2', 2.0)",
        "UPDATE gold.features SET spend = 5.0 WHERE customer_id = 'c1'",
        "INSERT INTO gold.features VALUES ('c3', 3.0)",
        // a commit that changes no row: the demo looks past it
        "UPDATE gold.features SET spend = spend WHERE customer_id = 'c2'");
    StringWriter text = new StringWriter();
    try (LakehouseRuntime runtime = lake.runtime()) {
      new TrainingSetManifests(lake.spark(), runtime.catalog())
          .append(
              new TrainingSetManifest(
                  "ts-1",
                  "churn",
                  Timestamp.from(Instant.now()),
                  "{}",
                  "latest",
                  null,
                  null,
                  "spine.csv",
                  null,
                  Map.of("gold.features", 1L),
                  "/tmp/out",
                  2,
                  "h",
                  null,
                  null,
                  null,
                  Map.of(),
                  Map.of(),
                  TrainingSetManifest.RULES));
      TimeTravelStep.run(runtime, new PrintWriter(text, true));
    }
    assertThat(text.toString())
        .as("the last commit that changed rows")
        .contains("Diff: bin/lakehouse diff gold.features --from 2 --to 3")
        .contains("(key customer_id; snapshot comparison")
        .containsPattern(
            "_change +\\| customer_id +\\| _changed_columns +\\| from_spend +\\|" + " to_spend")
        .contains("summary: 1 added, 0 removed, 0 changed")
        .contains("Retention guard: bin/lakehouse maintenance vacuum --dry-run")
        .containsPattern(
            "gold\\.features \\| 30 days +\\| reproducibility window \\| 0 +\\| "
                + "churn \\(ts-1\\)");
  }
}
