package lakehouse.timetravel;

import static lakehouse.timetravel.TimeTravelFixtures.commit;
import static lakehouse.timetravel.TimeTravelFixtures.createTable;
import static lakehouse.timetravel.TimeTravelFixtures.rowsAt;
import static lakehouse.timetravel.TimeTravelFixtures.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import lakehouse.common.LakehouseRuntime;
import lakehouse.common.catalog.TableId;
import lakehouse.common.testing.CliRun;
import lakehouse.common.testing.TestLake;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RestoreCommandTest {

  /** v1: two rows; v2: a bad update; v3: a row deleted by mistake. */
  private static TableId orders(TestLake lake) {
    TableId table = createTable(lake, "silver.orders", "order_id STRING, amount DOUBLE", "");
    commit(
        lake,
        "INSERT INTO silver.orders VALUES ('o1', 10.0), ('o2', 20.0)",
        "UPDATE silver.orders SET amount = -1.0",
        "DELETE FROM silver.orders WHERE order_id = 'o2'");
    return table;
  }

  private static long latest(TestLake lake, TableId table) {
    try (LakehouseRuntime runtime = lake.runtime()) {
      return runtime.catalog().currentVersion(table);
    }
  }

  @Test
  void restoreCommitsTheOldContentsAsANewVersionAndKeepsHistory(@TempDir Path dir) {
    TestLake lake = TestLake.create(dir);
    TableId table = orders(lake);
    List<String> v1 = rowsAt(lake, table, 1);
    List<String> v3 = rowsAt(lake, table, 3);

    CliRun run = run(lake, new RestoreCommand(), "silver.orders", "--to-version", "1", "--yes");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out())
        .startsWith("restored silver.orders to the contents of version 1: " + "version 3 -> 4 (");
    assertThat(latest(lake, table)).isEqualTo(4);
    assertThat(rowsAt(lake, table, 4))
        .as("current rows are version 1's")
        .isEqualTo(v1)
        .containsExactly("[o1,10.0]", "[o2,20.0]");
    assertThat(rowsAt(lake, table, 3)).as("the restored-over version is still there").isEqualTo(v3);
  }

  @Test
  void withoutYesNothingHappens(@TempDir Path dir) {
    TestLake lake = TestLake.create(dir);
    TableId table = orders(lake);

    CliRun run = run(lake, new RestoreCommand(), "silver.orders", "--to-version", "1");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().strip())
        .isEqualTo(
            "error: restore replaces the current state of silver.orders with version 1 (as a new"
                + " commit; history is kept). Re-run with --yes to confirm");
    assertThat(latest(lake, table)).isEqualTo(3);
  }

  @Test
  void restoringTheCurrentVersionIsANoOp(@TempDir Path dir) {
    TestLake lake = TestLake.create(dir);
    TableId table = orders(lake);
    CliRun run = run(lake, new RestoreCommand(), "silver.orders", "--to-version", "3", "--yes");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out().strip())
        .isEqualTo("table silver.orders is already at version 3; nothing to restore");
    assertThat(latest(lake, table)).isEqualTo(3);
  }

  @Test
  void badInputIsAUsageError(@TempDir Path dir) {
    TestLake lake = TestLake.create(dir);
    TableId table = orders(lake);

    CliRun unknownTable =
        run(lake, new RestoreCommand(), "silver.nope", "--to-version", "1", "--yes");
    assertThat(unknownTable.exitCode()).isEqualTo(2);
    assertThat(unknownTable.err()).startsWith("error: unknown table 'silver.nope'");

    CliRun unknownVersion =
        run(lake, new RestoreCommand(), "silver.orders", "--to-version", "7", "--yes");
    assertThat(unknownVersion.exitCode()).isEqualTo(2);
    assertThat(unknownVersion.err().strip())
        .isEqualTo(
            "error: table silver.orders has no "
                + "version 7 (its versions are 0 to 3; see 'history silver.orders')");

    CliRun missingVersion = run(lake, new RestoreCommand(), "silver.orders", "--yes");
    assertThat(missingVersion.exitCode()).isEqualTo(2);
    assertThat(missingVersion.err()).contains("Missing required option: '--to-version=V'");

    CliRun notANumber =
        run(lake, new RestoreCommand(), "silver.orders", "--to-version", "two", "--yes");
    assertThat(notANumber.exitCode()).isEqualTo(2);
    assertThat(notANumber.err()).contains("Invalid value for option '--to-version'");
    assertThat(latest(lake, table)).isEqualTo(3);
  }

  @Test
  void aVacuumedVersionCannotBeRestoredAndTheTableIsUntouched(@TempDir Path dir) {
    TestLake lake = TestLake.create(dir);
    TableId table = orders(lake);
    TimeTravelFixtures.vacuumEverythingOld(lake, table);
    long afterVacuum = latest(lake, table); // VACUUM logs its start and end as commits
    CliRun run = run(lake, new RestoreCommand(), "silver.orders", "--to-version", "1", "--yes");
    assertThat(run.exitCode()).as(run.err()).isEqualTo(4);
    assertThat(run.err())
        .startsWith(
            "error: cannot restore silver.orders to version 1: files of that version were removed"
                + " by VACUUM (Not all files from version 1 are available");
    assertThat(latest(lake, table)).isEqualTo(afterVacuum);
  }
}
