package lakehouse.common.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import lakehouse.common.ExitCode;
import lakehouse.common.LakehouseException;
import lakehouse.common.testing.TestLake;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TableVersionsTest {
  private static final TableId THINGS = TableId.of("gold", "things");

  /** Far from any commit time, so a test sees whether the file time was used. */
  private static final Instant Y2K = Instant.parse("2000-01-01T00:00:00Z");

  /** Creates gold.things (version 0) and commits one INSERT per statement. */
  private static LakeCatalog things(TestLake lake, String properties, int inserts) {
    LakeCatalog catalog = new LakeCatalog(lake.spark(), lake.lakeRoot());
    String location = catalog.location(THINGS);
    lake.spark()
        .sql(
            "CREATE TABLE delta.`"
                + location
                + "` (id BIGINT) USING DELTA"
                + (properties.isBlank() ? "" : " TBLPROPERTIES (" + properties + ")"));
    for (int i = 1; i <= inserts; i++) {
      lake.spark().sql("INSERT INTO delta.`" + location + "` VALUES (" + i + ")");
    }
    return catalog;
  }

  private static Path log(LakeCatalog catalog) {
    return Path.of(URI.create(catalog.location(THINGS))).resolve("_delta_log");
  }

  private static Path commitFile(LakeCatalog catalog, long version) {
    return log(catalog).resolve(String.format("%020d.json", version));
  }

  /** Sets every commit file's modification time to 2000-01-01. */
  private static void ageCommitFiles(LakeCatalog catalog, long latest) throws IOException {
    for (long v = 0; v <= latest; v++) {
      Files.setLastModifiedTime(commitFile(catalog, v), java.nio.file.attribute.FileTime.from(Y2K));
    }
  }

  /** The in-commit timestamp as the commit file states it (first line, commitInfo). */
  private static Instant inCommitTimestamp(LakeCatalog catalog, long version) throws IOException {
    String first = Files.readAllLines(commitFile(catalog, version)).get(0);
    return Instant.ofEpochMilli(
        new ObjectMapper().readTree(first).get("commitInfo").get("inCommitTimestamp").asLong());
  }

  @Test
  void listsVersionsAndDatesThemByInCommitTimestamp(@TempDir Path dir) throws IOException {
    TestLake lake = TestLake.create(dir);
    SparkSession spark = lake.spark();
    LakeCatalog catalog = things(lake, "", 2);
    ageCommitFiles(catalog, 2);

    TableVersions versions = TableVersions.of(spark, catalog, THINGS);

    assertThat(versions.versions()).containsExactly(0L, 1L, 2L);
    assertThat(versions.oldest()).isZero();
    assertThat(versions.latest()).isEqualTo(2);
    assertThat(versions.hasCheckpoint()).isFalse();
    assertThat(versions.oldestReconstructable()).isZero();
    Instant first = inCommitTimestamp(catalog, 1);
    assertThat(versions.timestamp(1)).isEqualTo(first).isAfter(Y2K);
    assertThat(versions.timestamp(2)).isEqualTo(inCommitTimestamp(catalog, 2)).isAfter(first);
    assertThat(versions.operation(0)).isEqualTo("CREATE TABLE");
    assertThat(versions.operation(1)).isEqualTo("WRITE");
    assertThat(versions.operationParameters(1)).containsEntry("mode", "Append");
    assertThat(versions.operationMetrics(1)).containsEntry("numOutputRows", "1");

    Instant at0 = versions.timestamp(0);
    Instant at1 = versions.timestamp(1);
    assertThat(versions.commitMicros(1))
        .containsExactly(
            RowFactory.create(0L, at0.getEpochSecond() * 1_000_000L + at0.getNano() / 1000),
            RowFactory.create(1L, at1.getEpochSecond() * 1_000_000L + at1.getNano() / 1000));
  }

  @Test
  void withoutInCommitTimestampsTheCommitFileTimeCounts(@TempDir Path dir) throws IOException {
    TestLake lake = TestLake.create(dir);
    LakeCatalog catalog = things(lake, "delta.enableInCommitTimestamps = false", 1);
    ageCommitFiles(catalog, 1);
    Files.setLastModifiedTime(
        commitFile(catalog, 1), java.nio.file.attribute.FileTime.from(Y2K.plusSeconds(60)));

    TableVersions versions = TableVersions.of(lake.spark(), catalog, THINGS);

    assertThat(versions.timestamp(0)).isEqualTo(Y2K);
    assertThat(versions.timestamp(1)).isEqualTo(Y2K.plusSeconds(60));
    assertThat(versions.atOrBefore(Y2K.plusSeconds(59))).isZero();
  }

  @Test
  void atOrBeforeFindsTheCommitAtTheInstantAndNotOneMillisecondBefore(@TempDir Path dir) {
    TestLake lake = TestLake.create(dir);
    TableVersions versions = TableVersions.of(lake.spark(), things(lake, "", 2), THINGS);
    Instant at1 = versions.timestamp(1);

    assertThat(versions.atOrBefore(at1)).isEqualTo(1);
    assertThat(versions.atOrBefore(at1.minusMillis(1))).isZero();
    assertThat(versions.atOrBefore(versions.timestamp(2).plusSeconds(3600))).isEqualTo(2);
    Instant before = versions.timestamp(0).minusMillis(1);
    assertThatThrownBy(() -> versions.atOrBefore(before))
        .isInstanceOfSatisfying(
            LakehouseException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE))
        .hasMessage(
            "gold.things has no version committed at or before "
                + before
                + " (its oldest available commit is at "
                + versions.timestamp(0)
                + ")");
  }

  @Test
  void aVersionWhoseDataFileIsGoneIsNoLongerReadable(@TempDir Path dir) throws IOException {
    TestLake lake = TestLake.create(dir);
    LakeCatalog catalog = things(lake, "", 2);
    TableVersions versions = TableVersions.of(lake.spark(), catalog, THINGS);
    versions.requireReadable(1, null);
    List<String> files = versions.files(1);
    assertThat(files).hasSize(1);
    assertThat(versions.missingFiles(1)).isEmpty();

    org.apache.hadoop.fs.Path file = new org.apache.hadoop.fs.Path(URI.create(files.get(0)));
    FileSystem fs = file.getFileSystem(lake.spark().sessionState().newHadoopConf());
    assertThat(fs.delete(file, false)).isTrue();

    assertThat(versions.missingFiles(1)).containsExactlyElementsOf(files);
    assertThatThrownBy(() -> versions.requireReadable(1, null))
        .isInstanceOfSatisfying(
            LakehouseException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.DATA_ERROR))
        .hasMessage(
            "version 1 of table gold.things is no longer readable: 1 of its 1 data files "
                + "were removed (by VACUUM), e.g. "
                + file.getName());
    assertThatThrownBy(() -> versions.requireReadable(2, "cannot rebuild training set ab12"))
        .hasMessageStartingWith(
            "cannot rebuild training set ab12: version 2 of table "
                + "gold.things is no longer readable: 1 of its 2 data files were removed");
    versions.requireReadable(0, null); // empty: nothing to lose

    assertThatThrownBy(() -> versions.requireReadable(3, null))
        .isInstanceOfSatisfying(
            LakehouseException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE))
        .hasMessage(
            "table gold.things has no version 3 (its versions are 0 to 2; see 'history "
                + "gold.things')");
    assertThatThrownBy(() -> versions.requireVersion(-1, "--from"))
        .hasMessage("--from must be a version number (0 or more), got -1");
  }

  @Test
  void afterLogCleanUpTheOldestCheckpointIsTheOldestReadableVersion(@TempDir Path dir)
      throws IOException {
    TestLake lake = TestLake.create(dir);
    LakeCatalog catalog = things(lake, "delta.checkpointInterval = 2", 4); // checkpoints 2 and 4
    Instant at2 = TableVersions.of(lake.spark(), catalog, THINGS).timestamp(2);
    Files.delete(commitFile(catalog, 0)); // what log clean-up does below a checkpoint
    Files.delete(commitFile(catalog, 1));

    TableVersions versions = TableVersions.of(lake.spark(), catalog, THINGS);

    assertThat(versions.versions()).containsExactly(2L, 3L, 4L);
    assertThat(versions.hasCheckpoint()).isTrue();
    assertThat(versions.oldestReconstructable()).isEqualTo(2);
    assertThat(versions.inLog(1)).isFalse();
    assertThat(versions.inLog(2)).isTrue();
    versions.requireReadable(2, null);
    assertThat(versions.requireVersion(2, "--from").fieldNames()).containsExactly("id");
    String gone =
        "version 1 of table gold.things is no longer readable: the Delta log no longer "
            + "has it (log clean-up removed the entries before version 2)";
    assertThatThrownBy(() -> versions.requireReadable(1, null))
        .isInstanceOfSatisfying(
            LakehouseException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.DATA_ERROR))
        .hasMessage(gone);
    assertThatThrownBy(() -> versions.requireVersion(1, "--from")).hasMessage(gone);
    assertThatThrownBy(() -> versions.timestamp(1)).hasMessage(gone);
    assertThat(versions.atOrBefore(at2)).isEqualTo(2);
    assertThatThrownBy(() -> versions.atOrBefore(at2.minusMillis(1)))
        .hasMessageEndingWith("(its oldest available commit is at " + at2 + ")");

    Files.delete(commitFile(catalog, 3)); // a gap after the last usable checkpoint but one
    assertThat(TableVersions.of(lake.spark(), catalog, THINGS).oldestReconstructable())
        .isEqualTo(4);
  }

  @Test
  void aLocationWithoutCommitsIsAUsageError(@TempDir Path dir) {
    TestLake lake = TestLake.create(dir);
    LakeCatalog catalog = new LakeCatalog(lake.spark(), lake.lakeRoot());
    assertThatThrownBy(() -> TableVersions.of(lake.spark(), catalog, THINGS))
        .isInstanceOfSatisfying(
            LakehouseException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE))
        .hasMessageStartingWith("table gold.things has no commits in ");
  }
}
