package lakehouse.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import lakehouse.common.settings.Declarations;
import lakehouse.common.settings.Declarations.Kind;
import lakehouse.common.testing.CliRun;
import lakehouse.common.testing.LineageFiles;
import lakehouse.common.testing.TestLake;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo runs bronze → silver → gold → the churn training set in one JVM: each job is one
 * run-history row under its command's name, and the lineage events chain, every table a job reads
 * being the output of an earlier job at the same Delta version, from the landing folders to the
 * training set.
 */
class DemoLineageTest {

  @Test
  void eachJobIsRecordedOnceAndTheLineageChainsFromLandingToTheTrainingSet(@TempDir Path dir) {
    TestLake lake = TestLake.create(dir);
    String root = lake.lakeRoot();
    CliRun demo =
        CliRun.of(
            new LakehouseCli(),
            "demo",
            "--days",
            "2",
            "--customers",
            "40",
            "--conf",
            "lakehouse.lake-root=" + root,
            "--conf",
            "lakehouse.landing-root=" + lake.landingRoot());
    assertThat(demo.exitCode()).as(demo.err()).isZero();
    assertThat(demo.err()).as("no recording or lineage warning").doesNotContain("warning:");

    Declarations declarations = Declarations.of(lake.settings());
    List<String> sources = declarations.names(Kind.SOURCE);
    List<String> tables = declarations.names(Kind.TABLE);
    List<String> expectedRuns = new ArrayList<>();
    sources.forEach(s -> expectedRuns.add("lakehouse run bronze bronze." + s));
    tables.forEach(t -> expectedRuns.add("lakehouse run silver silver." + t));
    expectedRuns.add("lakehouse run gold gold.customer_features");
    expectedRuns.add("lakehouse training-set build churn");
    List<Row> runs =
        new lakehouse.common.ops.RunHistory(lake.spark(), lake.runtime().catalog())
            .read()
            .orderBy("started_at")
            .collectAsList();
    assertThat(runs)
        .as("one row per job, in pipeline order")
        .extracting(r -> r.<String>getAs("job") + " " + r.getAs("target"))
        .containsExactlyElementsOf(expectedRuns);
    assertThat(runs).extracting(r -> r.<String>getAs("status")).containsOnly("succeeded");

    List<JsonNode> events = LineageFiles.events(lake);
    assertThat(events).as("a START and a COMPLETE per job").hasSize(2 * expectedRuns.size());
    // Walk the runs in order: every lake table a job reads was written by an earlier job, at
    // the version read; the landing folders are the only other inputs.
    Set<String> written = new HashSet<>();
    for (String run : expectedRuns) {
      String job = run.replace(' ', '.');
      JsonNode complete = LineageFiles.last(events, job, "COMPLETE");
      for (String input : LineageFiles.datasets(complete, "inputs")) {
        if (input.startsWith(root + " | ")) {
          assertThat(written).as(job + " reads " + input).contains(input);
        } else {
          assertThat(job).as(input).startsWith("lakehouse.run.bronze.");
          assertThat(input).startsWith(lake.landingRoot() + " | ");
        }
      }
      assertThat(LineageFiles.datasets(complete, "outputs")).as(job + " writes").isNotEmpty();
      written.addAll(LineageFiles.datasets(complete, "outputs"));
    }

    // The churn chain, by name: landing orders → bronze.orders → silver.orders →
    // gold.customer_features → the training set; and silver.labels is the training set's spine.
    assertThat(
            LineageFiles.names(
                LineageFiles.last(events, "lakehouse.run.bronze.bronze.orders", "COMPLETE"),
                "inputs"))
        .containsExactly("orders");
    assertThat(output(events, "lakehouse.run.bronze.bronze.orders")).contains("bronze.orders");
    assertThat(
            LineageFiles.names(
                LineageFiles.last(events, "lakehouse.run.silver.silver.orders", "COMPLETE"),
                "inputs"))
        .containsExactly("bronze.orders");
    assertThat(
            LineageFiles.names(
                LineageFiles.last(events, "lakehouse.run.gold.gold.customer_features", "COMPLETE"),
                "inputs"))
        .contains("silver.orders", "silver.customers");
    JsonNode training = LineageFiles.last(events, "lakehouse.training-set.build.churn", "COMPLETE");
    assertThat(LineageFiles.names(training, "inputs"))
        .containsExactlyInAnyOrder("silver.labels", "gold.customer_features");
    assertThat(LineageFiles.names(training, "outputs"))
        .containsExactlyInAnyOrder("gold.training_churn", "gold._training_sets");
  }

  private static List<String> output(List<JsonNode> events, String job) {
    return LineageFiles.names(LineageFiles.last(events, job, "COMPLETE"), "outputs");
  }
}
