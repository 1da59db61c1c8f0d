package lakehouse.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import lakehouse.common.LakehouseRuntime;
import lakehouse.common.catalog.LogRowCounts;
import lakehouse.common.catalog.TableId;
import lakehouse.common.catalog.TableVersions;
import lakehouse.common.testing.SparkTestSession;
import lakehouse.common.testing.TestLake;
import lakehouse.report.ReportFacts.TableFacts;
import lakehouse.report.ReportFacts.VersionCount;
import org.apache.spark.sql.SparkSession;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The row counts the report takes from the Delta log, checked against real counts ({@code count()}
 * of each version) on real tables: appends, DELETE, UPDATE, MERGE, OPTIMIZE, overwrite, RESTORE,
 * deletion vectors, checkpoints, a log whose first commits were cleaned up, and files written
 * without statistics.
 */
class LogRowCountsTest {
  static final TableId CHANGES = TableId.of("silver", "changes");
  static final TableId VECTORS = TableId.of("silver", "vectors");
  static final TableId NO_STATS = TableId.of("bronze", "no_stats");
  static final TableId NO_STATS_NOW = TableId.of("bronze", "no_stats_now");
  static final TableId CLEANED = TableId.of("gold", "cleaned");

  @TempDir static Path dir;
  static TestLake lake;

  @BeforeAll
  static void build() throws IOException {
    SparkTestSession.get();
    lake = TestLake.create(dir);
    try (LakehouseRuntime runtime = lake.runtime()) {
      SparkSession spark = runtime.spark();
      // Every operation that changes rows, and a checkpoint every 3 commits.
      String changes = path(runtime, CHANGES);
      sql(
          spark,
          "CREATE TABLE delta.`%s` (id BIGINT, k BIGINT, v STRING) USING DELTA "
              + "TBLPROPERTIES ('delta.checkpointInterval' = '3')",
          changes);
      spark
          .sql("SELECT id, id % 3 AS k, 'a' AS v FROM range(10)")
          .repartition(2)
          .write()
          .format("delta")
          .mode("append")
          .save(changes);
      sql(spark, "INSERT INTO delta.`%s` SELECT id, id %% 3, 'b' FROM range(10, 15)", changes);
      sql(spark, "DELETE FROM delta.`%s` WHERE id < 3", changes);
      sql(spark, "UPDATE delta.`%s` SET v = 'u' WHERE k = 1", changes);
      sql(
          spark,
          "MERGE INTO delta.`%s` t USING (SELECT id, id %% 3 AS k FROM range(12, 20)) s "
              + "ON t.id = s.id WHEN MATCHED AND s.k = 0 THEN DELETE "
              + "WHEN MATCHED THEN UPDATE SET v = 'm' WHEN NOT MATCHED THEN INSERT (id, k, v) "
              + "VALUES (s.id, s.k, 'n')",
          changes);
      sql(spark, "OPTIMIZE delta.`%s`", changes);
      spark
          .sql("SELECT id, CAST(0 AS BIGINT) AS k, 'o' AS v FROM range(100, 104)")
          .write()
          .format("delta")
          .mode("overwrite")
          .save(changes);
      sql(spark, "RESTORE TABLE delta.`%s` TO VERSION AS OF 5", changes);
      sql(spark, "INSERT INTO delta.`%s` SELECT id, 1, 'c' FROM range(200, 207)", changes);
      sql(spark, "DELETE FROM delta.`%s` WHERE v = 'c' AND id > 204", changes);

      // Deletion vectors: DELETE and UPDATE mark rows deleted instead of rewriting files.
      String vectors = path(runtime, VECTORS);
      sql(
          spark,
          "CREATE TABLE delta.`%s` (id BIGINT, v STRING) USING DELTA "
              + "TBLPROPERTIES ('delta.enableDeletionVectors' = 'true')",
          vectors);
      spark
          .sql("SELECT id, 'x' AS v FROM range(50)")
          .repartition(3)
          .write()
          .format("delta")
          .mode("append")
          .save(vectors);
      sql(spark, "DELETE FROM delta.`%s` WHERE id %% 7 = 0", vectors);
      sql(spark, "UPDATE delta.`%s` SET v = 'y' WHERE id %% 5 = 0", vectors);
      sql(spark, "DELETE FROM delta.`%s` WHERE id %% 11 = 0", vectors);

      // A file written without statistics, later replaced by an overwrite that has them (row
      // tracking needs row counts, so these tables go without it).
      String noStats = path(runtime, NO_STATS);
      createWithoutRowTracking(spark, noStats);
      spark.range(20).write().format("delta").mode("append").save(noStats);
      withoutStats(
          spark, () -> spark.range(20, 25).write().format("delta").mode("append").save(noStats));
      spark.range(25, 30).write().format("delta").mode("append").save(noStats);
      spark.range(40).write().format("delta").mode("overwrite").save(noStats);
      spark.range(40, 42).write().format("delta").mode("append").save(noStats);
      String noStatsNow = path(runtime, NO_STATS_NOW);
      createWithoutRowTracking(spark, noStatsNow);
      spark.range(10).write().format("delta").mode("append").save(noStatsNow);
      withoutStats(
          spark, () -> spark.range(10, 13).write().format("delta").mode("append").save(noStatsNow));

      // Log clean-up: commits 0-3 removed below the checkpoint at version 4.
      String cleaned = path(runtime, CLEANED);
      sql(
          spark,
          "CREATE TABLE delta.`%s` (id BIGINT) USING DELTA "
              + "TBLPROPERTIES ('delta.checkpointInterval' = '4')",
          cleaned);
      for (int i = 1; i <= 7; i++) {
        spark.range(i * 10, i * 10 + i).write().format("delta").mode("append").save(cleaned);
      }
      sql(spark, "DELETE FROM delta.`%s` WHERE id = 41", cleaned);
    }
    for (int v = 0; v <= 3; v++) {
      Files.delete(dir.resolve("lake/gold/cleaned/_delta_log/" + String.format("%020d.json", v)));
    }
  }

  private static void createWithoutRowTracking(SparkSession spark, String location) {
    sql(
        spark,
        "CREATE TABLE delta.`%s` (id BIGINT) USING DELTA "
            + "TBLPROPERTIES ('delta.enableRowTracking' = 'false')",
        location);
  }

  private static void withoutStats(SparkSession spark, Runnable write) {
    spark.conf().set("spark.databricks.delta.stats.collect", "false");
    try {
      write.run();
    } finally {
      spark.conf().unset("spark.databricks.delta.stats.collect");
    }
  }

  private static String path(LakehouseRuntime runtime, TableId id) {
    return runtime.catalog().location(id);
  }

  private static void sql(SparkSession spark, String statement, String location) {
    spark.sql(String.format(statement, location));
  }

  /** The log's figure and the real count of every version from {@code first}. */
  private static void assertLogMatchesCounts(TableId id, long first) {
    try (LakehouseRuntime runtime = lake.runtime()) {
      TableVersions log = TableVersions.of(runtime.spark(), runtime.catalog(), id);
      TreeMap<Long, Long> fromLog =
          LogRowCounts.rows(log, runtime.spark().sessionState().newHadoopConf(), first);
      Map<Long, Long> counted = new TreeMap<>();
      for (long v = first; v <= log.latest(); v++) {
        counted.put(v, runtime.catalog().readVersion(id, v).count());
      }
      assertThat(fromLog).as(id + " rows per version from the log").isEqualTo(counted);
    }
  }

  @Test
  void rowsFromTheLogMatchCountsAcrossDeleteUpdateMergeOptimizeOverwriteAndRestore() {
    assertLogMatchesCounts(CHANGES, 0);
    try (LakehouseRuntime runtime = lake.runtime()) {
      TableVersions log = TableVersions.of(runtime.spark(), runtime.catalog(), CHANGES);
      assertThat(log.versions().stream().map(log::operation).toList())
          .containsExactly(
              "CREATE TABLE",
              "WRITE",
              "WRITE",
              "DELETE",
              "UPDATE",
              "MERGE",
              "OPTIMIZE",
              "WRITE",
              "RESTORE",
              "WRITE",
              "DELETE");
    }
  }

  @Test
  void replayStartsFromTheNewestCheckpointBeforeTheFirstVersionAskedFor() {
    for (long first = 1; first <= 10; first++) {
      assertLogMatchesCounts(CHANGES, first); // checkpoints at 3, 6 and 9
    }
  }

  @Test
  void deletionVectorsAreSubtracted() {
    assertLogMatchesCounts(VECTORS, 0);
  }

  @Test
  void aLogWhoseFirstCommitsWereCleanedUpStartsFromItsCheckpoint() {
    assertLogMatchesCounts(CLEANED, 4);
    assertLogMatchesCounts(CLEANED, 6);
  }

  @Test
  void versionsHoldingAFileWithoutStatisticsHaveNoFigure() {
    try (LakehouseRuntime runtime = lake.runtime()) {
      TableVersions log = TableVersions.of(runtime.spark(), runtime.catalog(), NO_STATS);
      Map<Long, Long> rows =
          LogRowCounts.rows(log, runtime.spark().sessionState().newHadoopConf(), 0);
      Map<Long, Long> expected = new TreeMap<>();
      expected.put(0L, 0L); // CREATE TABLE
      expected.put(1L, 20L);
      expected.put(2L, null); // the append without statistics
      expected.put(3L, null); // still holds that file
      expected.put(4L, 40L); // the overwrite removed it
      expected.put(5L, 42L);
      assertThat(rows).isEqualTo(expected);
      for (long v : List.of(0L, 1L, 4L, 5L)) {
        assertThat(runtime.catalog().readVersion(NO_STATS, v).count()).isEqualTo(rows.get(v));
      }
    }
  }

  @Test
  void theReportSaysWhichVersionsHaveNoFigureAndCountsTheCurrentOneWhenNeeded() {
    try (LakehouseRuntime runtime = lake.runtime()) {
      TableGatherer gatherer =
          new TableGatherer(
              runtime.spark(), runtime.catalog(), ReportSettings.from(lake.settings()));
      TableFacts facts = gatherer.gather(NO_STATS, Set.of(NO_STATS));
      List<Long> rows = new ArrayList<>();
      facts.history().forEach(v -> rows.add(v.rows()));
      assertThat(rows).containsExactly(0L, 20L, null, null, 40L, 42L);
      assertThat(facts.rows()).isEqualTo(42);
      assertThat(facts.lastOperation()).isEqualTo("WRITE");

      Document page =
          Jsoup.parse(
              TablesSection.render(List.of(facts), List.of(), lake.lakeRoot(), SampleLake.NOW));
      assertThat(page.select("p.rows-unknown").text())
          .isEqualTo(ReportMessages.rowsNotInLog(List.of(2L, 3L)));
      assertThat(page.select("svg.line-chart circle.point").eachAttr("data-y"))
          .containsExactly("0.0", "20.0", "40.0", "42.0");

      // The current version holds a file without statistics: counted, never guessed.
      TableFacts now = gatherer.gather(NO_STATS_NOW, Set.of(NO_STATS_NOW));
      assertThat(now.history().get(now.history().size() - 1).rows()).isNull();
      assertThat(now.rows()).isEqualTo(13);
    }
  }

  @Test
  void gatheringLeavesTheSessionsSnapshotPartitionsAsTheyWere() {
    try (LakehouseRuntime runtime = lake.runtime()) {
      SparkSession spark = runtime.spark();
      String before = spark.conf().get(ReportGatherer.SNAPSHOT_PARTITIONS, null);
      ReportSettings settings = ReportSettings.from(lake.settings());
      try {
        spark.conf().unset(ReportGatherer.SNAPSHOT_PARTITIONS); // as in a command's session
        new ReportGatherer(runtime, settings).gather(SampleLake.NOW);
        assertThat(spark.conf().get(ReportGatherer.SNAPSHOT_PARTITIONS, null)).isNull();
        spark.conf().set(ReportGatherer.SNAPSHOT_PARTITIONS, "7");
        ReportFacts facts = new ReportGatherer(runtime, settings).gather(SampleLake.NOW);
        assertThat(spark.conf().get(ReportGatherer.SNAPSHOT_PARTITIONS)).isEqualTo("7");
        assertThat(facts.tables())
            .extracting(t -> t.id().toString())
            .containsExactly(
                "bronze.no_stats",
                "bronze.no_stats_now",
                "gold.cleaned",
                "silver.changes",
                "silver.vectors");
      } finally {
        if (before == null) {
          spark.conf().unset(ReportGatherer.SNAPSHOT_PARTITIONS);
        } else {
          spark.conf().set(ReportGatherer.SNAPSHOT_PARTITIONS, before);
        }
      }
    }
  }

  @Test
  void theReportsHistoryMatchesCountsOfTheNewestVersions() {
    try (LakehouseRuntime runtime = lake.runtime()) {
      ReportSettings settings =
          new ReportSettings(
              "t", 4, 5, 60, 25, 5, "gold._feature_registry_", ReportSettings.TRAINING_SETS);
      for (TableId id : List.of(CHANGES, VECTORS, CLEANED)) {
        TableFacts facts =
            new TableGatherer(runtime.spark(), runtime.catalog(), settings).gather(id, Set.of(id));
        assertThat(facts.history()).hasSize(4);
        for (VersionCount v : facts.history()) {
          assertThat(v.rows())
              .as(id + " v" + v.version())
              .isEqualTo(runtime.catalog().readVersion(id, v.version()).count());
        }
        assertThat(facts.rows()).isEqualTo(runtime.catalog().read(id).count());
        assertThat(facts.version()).isEqualTo(runtime.catalog().currentVersion(id));
      }
    }
  }
}
