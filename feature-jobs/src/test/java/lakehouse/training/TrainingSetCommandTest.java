package lakehouse.training;

import static lakehouse.training.LakeTables.f;
import static lakehouse.training.LakeTables.label;
import static lakehouse.training.Rows.day;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import lakehouse.common.CommonErrors;
import lakehouse.common.ops.RunHistory;
import lakehouse.common.testing.CliRun;
import lakehouse.common.testing.TestLake;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line: spec errors exit 2 before any Spark job; build, list, show, rebuild. */
class TrainingSetCommandTest {
  @TempDir Path dir;

  private String[] args(TestLake lake, String... command) {
    List<String> all = new ArrayList<>(List.of(command));
    all.addAll(
        List.of(
            "--conf",
            "lakehouse.lake-root=" + lake.lakeRoot(),
            "--conf",
            "lakehouse.landing-root=" + lake.landingRoot()));
    return all.toArray(String[]::new);
  }

  private TestLake lakeWithTables() {
    TestLake lake = TestLake.create(dir);
    new LakeTables(lake)
        .createFeatures()
        .appendFeatures(f(1, day(1), 1, 10), f(2, day(1), 2, 20))
        .labels(label(1, day(3), true), label(2, day(3), false));
    return lake;
  }

  /** Runs a command and counts the Spark jobs it started, but for recording its run. */
  private record Counted(CliRun run, int jobs, List<String> sites) {}

  private Counted counted(TestLake lake, String... args) throws Exception {
    AtomicInteger jobs = new AtomicInteger();
    List<String> sites = java.util.Collections.synchronizedList(new ArrayList<>());
    SparkListener listener =
        new SparkListener() {
          @Override
          public void onJobStart(SparkListenerJobStart jobStart) {
            if (jobStart.stageInfos().isEmpty()) {
              return; // runs no task, reads nothing
            }
            String site = jobStart.stageInfos().head().details();
            // The job runner records the run in the run history: a write (its record), not a read
            // of the data.
            if (!site.contains(RunHistory.class.getName())
                && !site.contains("OptimisticTransactionImpl.commit")) {
              jobs.incrementAndGet();
              sites.add(site);
            }
          }
        };
    lake.spark().sparkContext().addSparkListener(listener);
    try {
      CliRun run = CliRun.of(new TrainingSetCommand(), args);
      lake.spark().sparkContext().listenerBus().waitUntilEmpty();
      return new Counted(run, jobs.get(), List.copyOf(sites));
    } finally {
      lake.spark().sparkContext().removeSparkListener(listener);
    }
  }

  private Counted buildSpec(TestLake lake, String spec) throws Exception {
    Path file = LakeTables.spec(dir, "bad", spec);
    return counted(lake, args(lake, "build", "--spec", file.toString()));
  }

  @Test
  void specErrorsExitTwoBeforeAnySparkJob() throws Exception {
    TestLake lake = lakeWithTables();
    lake.spark()
        .read()
        .format("delta")
        .load(lake.runtime().catalog().location(LakeTables.FEATURES))
        .schema(); // warm Delta's log cache like a running job

    Counted unknownTable =
        buildSpec(
            lake,
            """
            spine { table = silver.labels, keys = [customer_id], event-time = label_ts }
            features = [ { table = gold.no_such_table } ]
            """);
    assertThat(unknownTable.run().exitCode()).isEqualTo(2);
    assertThat(unknownTable.run().err())
        .contains("unknown table 'gold.no_such_table'")
        .doesNotContain("Exception");

    Counted unknownColumn =
        buildSpec(
            lake,
            """
            spine { table = silver.labels, keys = [customer_id], event-time = label_time }
            features = [ { table = gold.customer_features, features = [orders_30d, refunds] } ]
            """);
    assertThat(unknownColumn.run().exitCode()).isEqualTo(2);
    assertThat(unknownColumn.run().err())
        .contains(
            TrainingErrors.unknownColumn(
                "spine silver.labels",
                "label_time",
                "silver.labels",
                List.of("customer_id", "label_ts", "churned")))
        .contains("column 'refunds' is not in gold.customer_features");

    Counted clash =
        buildSpec(
            lake,
            """
            spine { table = silver.labels, keys = [customer_id], event-time = label_ts }
            features = [
              { table = gold.customer_features, features = [orders_30d], rename { orders_30d = n } }
              { table = gold.customer_features, features = [spend_30d], rename { spend_30d = n } }
              { table = gold.customer_features, features = [spend_30d], rename { spend_30d = churned } }
            ]
            """);
    assertThat(clash.run().exitCode()).isEqualTo(2);
    assertThat(clash.run().err())
        .contains(
            TrainingErrors.nameClash(
                "n", "gold.customer_features.orders_30d", "gold.customer_features.spend_30d"))
        .contains(
            TrainingErrors.nameClash(
                "churned", "the spine (silver.labels)", "gold.customer_features.spend_30d"));

    Counted badDuration =
        buildSpec(
            lake,
            """
            spine { table = silver.labels, keys = [customer_id], event-time = label_ts }
            features = [ { table = gold.customer_features, ttl = "a fortnight" } ]
            """);
    assertThat(badDuration.run().exitCode()).isEqualTo(2);
    assertThat(badDuration.run().err()).contains("ttl").contains("must be a duration");

    Counted badDelay =
        counted(
            lake,
            args(
                lake,
                "build",
                "--spec",
                LakeTables.spec(dir, "churn", LakeTables.CHURN_SPEC).toString(),
                "--known-at",
                "--serving-delay",
                "soon"));
    assertThat(badDelay.run().exitCode()).isEqualTo(2);
    assertThat(badDelay.run().err())
        .contains(CommonErrors.badDuration("--serving-delay", "soon").getMessage());

    for (Counted c : List.of(unknownTable, unknownColumn, clash, badDuration, badDelay)) {
      assertThat(c.jobs()).as("no Spark job ran for: " + c.run().err() + c.sites()).isZero();
    }
    assertThat(lake.runtime().catalog().exists(TrainingSetManifests.TABLE))
        .as("nothing recorded")
        .isFalse();
  }

  @Test
  void buildListShowAndRebuildFromTheCommandLine() throws Exception {
    TestLake lake = lakeWithTables();
    Path spec = LakeTables.spec(dir, "churn", LakeTables.CHURN_SPEC);
    CliRun build =
        CliRun.of(
            new TrainingSetCommand(),
            args(
                lake, "build", "--spec", spec.toString(), "--version", "gold.customer_features=1"));
    assertThat(build.exitCode()).as(build.err()).isZero();
    assertThat(build.out()).contains("2 rows").contains("gold.customer_features@1");
    String id = build.out().split(" ")[3].replace(":", "");

    CliRun list = CliRun.of(new TrainingSetCommand(), args(lake, "list", "--format", "csv"));
    assertThat(list.exitCode()).as(list.err()).isZero();
    assertThat(list.out()).contains(id).contains("as_of");

    CliRun show = CliRun.of(new TrainingSetCommand(), args(lake, "show", id));
    assertThat(show.exitCode()).as(show.err()).isZero();
    assertThat(show.out())
        .contains("as_of (as of gold.customer_features=1)")
        .contains("customer_features__orders_30d")
        .contains("label balance:")
        .contains("false")
        .contains("50.0%");

    CliRun json = CliRun.of(new TrainingSetCommand(), args(lake, "show", id, "--format", "json"));
    Path manifestFile = dir.resolve("manifest.json");
    Files.writeString(manifestFile, json.out());
    CliRun rebuild =
        CliRun.of(new TrainingSetCommand(), args(lake, "rebuild", manifestFile.toString()));
    assertThat(rebuild.exitCode()).as(rebuild.err()).isZero();
    assertThat(rebuild.out()).contains("rebuilt training set " + id).contains("(matches)");

    CliRun unknown = CliRun.of(new TrainingSetCommand(), args(lake, "show", "nope"));
    assertThat(unknown.exitCode()).isEqualTo(2);
    assertThat(unknown.err()).contains(CommonErrors.unknownTrainingSet("nope").getMessage());
  }
}
