package lakehouse.timetravel;

import static lakehouse.timetravel.TimeTravelFixtures.commit;
import static lakehouse.timetravel.TimeTravelFixtures.createTable;
import static lakehouse.timetravel.TimeTravelFixtures.rowsAt;
import static lakehouse.timetravel.TimeTravelFixtures.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import lakehouse.common.ExitCode;
import lakehouse.common.LakehouseException;
import lakehouse.common.LakehouseRuntime;
import lakehouse.common.catalog.TableId;
import lakehouse.common.catalog.TableVersions;
import lakehouse.common.testing.CliRun;
import lakehouse.common.testing.StepLines;
import lakehouse.common.testing.TestLake;
import lakehouse.training.TrainingSetManifest;
import lakehouse.training.TrainingSetManifests;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MaintenanceCommandTest {
  private static final String ZERO_MINIMUM = "lakehouse.maintenance.min-retention=0h";
  private static final String FAST_LISTING = "lakehouse.maintenance.listing-parallelism=2";

  /**
   * v1: two customers in two files; v2 and v3 rewrite one file each (UPDATEs), so both files of v1
   * are gone from the current version.
   */
  private static TableId features(TestLake lake) {
    TableId table = createTable(lake, "gold.features", "customer_id STRING, spend DOUBLE", "");
    commit(
        lake,
        "INSERT INTO gold.features VALUES ('c1', 1.0), ('c2', 2.0)",
        "UPDATE gold.features SET spend = 5.0 WHERE customer_id = 'c1'",
        "UPDATE gold.features SET spend = 7.0 WHERE customer_id = 'c2'");
    return table;
  }

  /** Records a training set that read {@code gold.features} at {@code version}. */
  private static void trainingSet(
      TestLake lake, String id, String name, Instant builtAt, long version) {
    try (LakehouseRuntime runtime = lake.runtime()) {
      new TrainingSetManifests(lake.spark(), runtime.catalog())
          .append(
              new TrainingSetManifest(
                  id,
                  name,
                  Timestamp.from(builtAt),
                  "{}",
                  "as_of",
                  null,
                  null,
                  "spine.csv",
                  null,
                  Map.of("gold.features", version),
                  "/tmp/out/" + id,
                  2,
                  "hash-" + id,
                  null,
                  null,
                  null,
                  Map.of(),
                  Map.of(),
                  TrainingSetManifest.RULES));
    }
  }

  private static CliRun vacuum(TestLake lake, String... args) {
    String[] all = new String[args.length + 5];
    all[0] = "vacuum";
    System.arraycopy(args, 0, all, 1, args.length);
    all[args.length + 1] = "--conf";
    all[args.length + 2] = ZERO_MINIMUM;
    all[args.length + 3] = "--conf";
    all[args.length + 4] = FAST_LISTING;
    return run(lake, new MaintenanceCommand(), all);
  }

  private static TableVersions versions(LakehouseRuntime runtime, TableId table) {
    return TableVersions.of(runtime.spark(), runtime.catalog(), table);
  }

  @Test
  void aRetentionThatWouldRemovePinnedFilesIsRefusedAndNothingIsDeleted(@TempDir Path dir) {
    TestLake lake = TestLake.create(dir);
    TableId table = features(lake);
    trainingSet(lake, "ts-1", "churn", Instant.now(), 1);
    List<String> v1 = rowsAt(lake, table, 1);

    CliRun run = vacuum(lake, "--table", "gold.features", "--retain", "0h");

    assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(2);
    assertThat(run.err())
        .startsWith(
            "error: vacuum refused, nothing was deleted: recorded training sets within the"
                + " reproducibility window still need files it would remove:\n"
                + "  gold.features: --retain 0 hours would remove files of versions read by churn"
                + " (ts-1); the shortest safe retention is 25 hours");
    try (LakehouseRuntime runtime = lake.runtime()) {
      for (long v = 0; v <= 3; v++) {
        versions(runtime, table).requireReadable(v, null);
      }
    }
    assertThat(rowsAt(lake, table, 1)).isEqualTo(v1);
  }

  @Test
  void theGuardedDefaultKeepsPinnedVersionsAndAlignsRetentionProperties(@TempDir Path dir) {
    TestLake lake = TestLake.create(dir);
    TableId table = features(lake);
    trainingSet(lake, "ts-1", "churn", Instant.now(), 1);

    CliRun run;
    try (StepLines steps = StepLines.capture()) {
      run = vacuum(lake);
      assertThat(steps.of("maintenance vacuum"))
          .as("progress lines on stderr, in order")
          .containsExactly(
              "2 tables to vacuum",
              "training-set pins read (tables with versions pinned within the window: 1)",
              "table 1/2 gold._training_sets planned (0 files to delete, retention 30 days)",
              "table 2/2 gold.features planned (0 files to delete, retention 30 days)",
              "table 1/2 gold._training_sets vacuumed (0 files deleted)",
              "table 2/2 gold.features vacuumed (0 files deleted)");
    }

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out())
        .contains("gold.features")
        .containsPattern(
            "gold\\.features +\\| 30 days +\\| reproducibility window \\| 0 +\\| "
                + "churn \\(ts-1\\) +\\| deletedFileRetentionDuration=interval 30 days")
        .containsPattern("gold\\._training_sets +\\| 30 days");
    try (LakehouseRuntime runtime = lake.runtime()) {
      versions(runtime, table).requireReadable(1, null);
      Map<String, String> properties = versions(runtime, table).properties();
      assertThat(properties)
          .containsEntry("delta.deletedFileRetentionDuration", "interval 30 days")
          .containsEntry("delta.logRetentionDuration", "interval 30 days");
    }
    CliRun again = vacuum(lake, "--table", "gold.features");
    assertThat(again.exitCode()).as(again.err()).isZero();
    assertThat(again.out())
        .as("aligned once, nothing to set the second time")
        .doesNotContain("interval 30 days");
  }

  @Test
  void pinsOnTheCurrentVersionOrOutsideTheWindowDoNotBlock(@TempDir Path dir) {
    TestLake lake = TestLake.create(dir);
    TableId table = features(lake);
    trainingSet(lake, "ts-now", "current", Instant.now(), 3);
    trainingSet(lake, "ts-old", "old", Instant.now().minus(Duration.ofDays(40)), 1);

    CliRun run = vacuum(lake, "--table", "gold.features", "--retain", "0h");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).containsPattern("gold\\.features +\\| 0 hours +\\| --retain +\\| 2 ");
    try (LakehouseRuntime runtime = lake.runtime()) {
      versions(runtime, table).requireReadable(3, null);
      assertThatThrownBy(() -> versions(runtime, table).requireReadable(1, null))
          .isInstanceOf(LakehouseException.class)
          .hasMessageStartingWith("version 1 of table gold.features is no longer readable: ");
    }
  }

  @Test
  void forceRemovesPinnedFilesSaysWhoLosesAndTheVersionThenFailsClearly(@TempDir Path dir) {
    TestLake lake = TestLake.create(dir);
    TableId table = features(lake);
    trainingSet(lake, "ts-1", "churn", Instant.now(), 1);

    CliRun run = vacuum(lake, "--table", "gold.features", "--retain", "0h", "--force");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.err())
        .contains(
            "warning: --force: gold.features loses files that churn "
                + "(ts-1) need; rebuilding them will fail");
    try (LakehouseRuntime runtime = lake.runtime()) {
      assertThatThrownBy(() -> versions(runtime, table).requireReadable(1, null))
          .isInstanceOfSatisfying(
              LakehouseException.class,
              e -> assertThat(e.exitCode()).isEqualTo(ExitCode.DATA_ERROR))
          .hasMessageMatching(
              "version 1 of table gold\\.features is no longer readable: 2 of "
                  + "its 2 data files were removed \\(by VACUUM\\), e\\.g\\. part-.*\\.parquet");
      versions(runtime, table).requireReadable(3, null);
    }
  }

  @Test
  void filesTheLogNoLongerTracksAreCaughtByTheDryRun(@TempDir Path dir) throws Exception {
    TestLake lake = TestLake.create(dir);
    // Without tombstone retention the log forgets removed files at once; VACUUM then judges
    // them by their modification time, which for v1's files we set 60 days back. One of them
    // (c1's, rewritten by the UPDATE) is no longer in the current version.
    TableId table =
        createTable(
            lake,
            "gold.features",
            "customer_id STRING, spend DOUBLE",
            "delta.deletedFileRetentionDuration = 'interval 0 hours'");
    commit(
        lake,
        "INSERT INTO gold.features VALUES ('c1', 1.0), ('c2', 2.0)",
        "UPDATE gold.features SET spend = 5.0 WHERE customer_id = 'c1'");
    trainingSet(lake, "ts-1", "churn", Instant.now(), 1);
    try (LakehouseRuntime runtime = lake.runtime()) {
      long old = Instant.now().minus(Duration.ofDays(60)).toEpochMilli();
      for (String file : versions(runtime, table).files(1)) {
        org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(file);
        FileSystem fs = path.getFileSystem(lake.spark().sessionState().newHadoopConf());
        fs.setTimes(path, old, old);
      }
    }

    CliRun run = vacuum(lake, "--table", "gold.features");

    assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(2);
    assertThat(run.err())
        .contains(
            "gold.features: even at retention 30 days VACUUM would delete "
                + "1 file of versions read by churn (ts-1)");
    try (LakehouseRuntime runtime = lake.runtime()) {
      versions(runtime, table).requireReadable(1, null);
    }
  }

  @Test
  void dryRunListsAndDeletesNothing(@TempDir Path dir) {
    TestLake lake = TestLake.create(dir);
    TableId table = features(lake);
    CliRun run = vacuum(lake, "--table", "gold.features", "--retain", "0h", "--dry-run");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out())
        .startsWith("dry run: nothing deleted, no property changed")
        .containsPattern("gold\\.features +\\| 0 hours +\\| --retain +\\| 2 ");
    try (LakehouseRuntime runtime = lake.runtime()) {
      versions(runtime, table).requireReadable(1, null);
      assertThat(versions(runtime, table).properties())
          .doesNotContainKey("delta.deletedFileRetentionDuration");
    }
  }

  @Test
  void badInputIsAUsageError(@TempDir Path dir) {
    TestLake lake = TestLake.create(dir);
    features(lake);
    CliRun belowMinimum = run(lake, new MaintenanceCommand(), "vacuum", "--retain", "1h");
    assertThat(belowMinimum.exitCode()).isEqualTo(2);
    assertThat(belowMinimum.err().strip())
        .isEqualTo(
            "error: --retain 1 hour is shorter than lakehouse.maintenance.min-retention (7 days),"
                + " which protects files of writes still in progress; pass --force to vacuum"
                + " anyway");

    CliRun badDuration = vacuum(lake, "--retain", "soon");
    assertThat(badDuration.exitCode()).isEqualTo(2);
    assertThat(badDuration.err())
        .contains(
            "--retain must be a duration such as '7 days', " + "'168 hours' or '0h', got 'soon'");

    CliRun unknownTable = vacuum(lake, "--table", "gold.nope");
    assertThat(unknownTable.exitCode()).isEqualTo(2);
    assertThat(unknownTable.err()).startsWith("error: unknown table 'gold.nope'");

    CliRun noSubcommand = CliRun.of(new MaintenanceCommand());
    assertThat(noSubcommand.exitCode()).isEqualTo(2);
    assertThat(noSubcommand.err()).contains("a subcommand is required: optimize or vacuum");

    CliRun badWindow = vacuum(lake, "--conf", "lakehouse.maintenance.reproducibility-window=-1d");
    assertThat(badWindow.exitCode()).isEqualTo(2);
    assertThat(badWindow.err())
        .contains("lakehouse.maintenance.reproducibility-window")
        .contains("must not be negative");
  }

  @Test
  void optimizeCompactsSmallFilesWithoutChangingRows(@TempDir Path dir) {
    TestLake lake = TestLake.create(dir);
    TableId table = createTable(lake, "gold.features", "customer_id STRING, spend DOUBLE", "");
    commit(
        lake,
        "INSERT INTO gold.features VALUES ('c1', 1.0)",
        "INSERT INTO gold.features VALUES ('c2', 2.0)",
        "INSERT INTO gold.features VALUES ('c3', 3.0)");
    List<String> before = rowsAt(lake, table, 3);

    CliRun run;
    try (StepLines steps = StepLines.capture()) {
      run = run(lake, new MaintenanceCommand(), "optimize", "--table", "gold.features");
      assertThat(steps.of("maintenance optimize"))
          .as("progress lines on stderr, in order")
          .containsExactly(
              "1 table to optimize",
              "table 1/1 gold.features optimized (3 files compacted into 1, version 4)");
    }
    assertThat(run.out()).as("stdout holds the table only").doesNotContain("optimized");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).containsPattern("gold\\.features \\| 3 +\\| 4 +\\| 3 +\\| 1");
    assertThat(rowsAt(lake, table, 4)).isEqualTo(before);
    CliRun all = run(lake, new MaintenanceCommand(), "optimize");
    assertThat(all.exitCode()).as(all.err()).isZero();
    assertThat(all.out())
        .as("nothing left to compact: no new version")
        .containsPattern("gold\\.features \\| 4 +\\| 4 +\\| 0 +\\| 0");
  }
}
