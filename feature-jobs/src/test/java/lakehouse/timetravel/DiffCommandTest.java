package lakehouse.timetravel;

import static lakehouse.timetravel.TimeTravelFixtures.commit;
import static lakehouse.timetravel.TimeTravelFixtures.createTable;
import static lakehouse.timetravel.TimeTravelFixtures.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import lakehouse.common.catalog.TableId;
import lakehouse.common.testing.CliRun;
import lakehouse.common.testing.TestLake;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiffCommandTest {
  private static final String ORDERS = "order_id STRING, amount DOUBLE, status STRING";
  private static final String CDF = "delta.enableChangeDataFeed = true";

  /** v1: three orders; v2: o2 completed; v3: o3 deleted, o4 added; v4: o1 amount 11. */
  private static TableId orders(TestLake lake, String properties) {
    TableId table = createTable(lake, "silver.orders", ORDERS, properties);
    commit(
        lake,
        "INSERT INTO silver.orders VALUES ('o1', 10.0, 'placed'), ('o2', 20.0, 'placed'), "
            + "('o3', 30.0, 'placed')",
        "UPDATE silver.orders SET status = 'completed' WHERE order_id = 'o2'",
        "DELETE FROM silver.orders WHERE order_id = 'o3'",
        "INSERT INTO silver.orders VALUES ('o4', 40.0, 'placed')",
        "UPDATE silver.orders SET amount = 11.0 WHERE order_id = 'o1'");
    return table;
  }

  private static final List<String> EXPECTED =
      List.of(
          "changed,o1,amount,10.0,11.0,placed,placed",
          "changed,o2,status,20.0,20.0,placed,completed",
          "removed,o3,,30.0,,placed,",
          "added,o4,,,40.0,,placed");

  private static List<String> csvRows(CliRun run) {
    List<String> lines = run.out().lines().toList();
    assertThat(lines.get(0))
        .as(run.out())
        .isEqualTo("_change,order_id,_changed_columns,from_amount,to_amount,from_status,to_status");
    return lines.subList(1, lines.size());
  }

  @Test
  void keyedDiffUsesTheChangeDataFeedWhenRecorded(@TempDir Path dir) {
    TestLake lake = TestLake.create(dir);
    orders(lake, CDF);
    CliRun run =
        run(
            lake,
            new DiffCommand(),
            "silver.orders",
            "--from",
            "1",
            "--to",
            "5",
            "--key",
            "order_id",
            "--format",
            "csv");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(csvRows(run)).as(run.out()).containsExactlyElementsOf(EXPECTED);
    assertThat(run.err())
        .contains("change data feed")
        .contains("summary: 1 added, 1 removed, 2 changed");
  }

  @Test
  void snapshotComparisonGivesTheSameRows(@TempDir Path dir) {
    TestLake lake = TestLake.create(dir);
    orders(lake, CDF);
    CliRun run =
        run(
            lake,
            new DiffCommand(),
            "silver.orders",
            "--from",
            "1",
            "--to",
            "5",
            "--key",
            "order_id",
            "--format",
            "csv",
            "--snapshots");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(csvRows(run)).as(run.out()).containsExactlyElementsOf(EXPECTED);
    assertThat(run.err()).contains("snapshot comparison");
  }

  @Test
  void withoutChangeDataFeedTheSnapshotsAreComparedAndTheReasonShown(@TempDir Path dir) {
    TestLake lake = TestLake.create(dir);
    orders(lake, "");
    CliRun run =
        run(
            lake,
            new DiffCommand(),
            "silver.orders",
            "--from",
            "1",
            "--to",
            "5",
            "--key",
            "order_id");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out())
        .contains(
            "diff of silver.orders from version 1 to version 5 "
                + "(key order_id; snapshot comparison (change data feed not usable: ")
        .contains("DELTA_MISSING_CHANGE_DATA")
        .contains("summary: 1 added, 1 removed, 2 changed")
        .contains("(4 rows)");
  }

  @Test
  void anUpdateRevertedWithinTheRangeIsNoChange(@TempDir Path dir) {
    TestLake lake = TestLake.create(dir);
    orders(lake, CDF);
    commit(
        lake,
        "UPDATE silver.orders SET amount = 10.0 WHERE order_id = 'o1'",
        "INSERT INTO silver.orders VALUES ('o5', 50.0, 'placed')",
        "DELETE FROM silver.orders WHERE order_id = 'o5'");
    for (String method : List.of("--key", "--snapshots")) {
      CliRun run =
          method.equals("--key")
              ? run(
                  lake,
                  new DiffCommand(),
                  "silver.orders",
                  "--from",
                  "4",
                  "--to",
                  "8",
                  "--key",
                  "order_id",
                  "--format",
                  "csv")
              : run(
                  lake,
                  new DiffCommand(),
                  "silver.orders",
                  "--from",
                  "4",
                  "--to",
                  "8",
                  "--key",
                  "order_id",
                  "--format",
                  "csv",
                  "--snapshots");
      assertThat(run.exitCode()).as(run.err()).isZero();
      assertThat(csvRows(run)).as(method + ": o1 back to 10.0, o5 came and went").isEmpty();
      assertThat(run.err()).contains("summary: 0 added, 0 removed, 0 changed");
    }
  }

  @Test
  void theKeyComesFromTheTablePropertyAndWholeRowsWithoutOne(@TempDir Path dir) {
    TestLake lake = TestLake.create(dir);
    orders(lake, CDF + ", lakehouse.key = 'order_id'");
    CliRun keyed =
        run(
            lake,
            new DiffCommand(),
            "silver.orders",
            "--from",
            "1",
            "--to",
            "5",
            "--format",
            "csv");
    assertThat(keyed.exitCode()).as(keyed.err()).isZero();
    assertThat(csvRows(keyed)).containsExactlyElementsOf(EXPECTED);

    CliRun whole =
        run(
            lake,
            new DiffCommand(),
            "silver.orders",
            "--from",
            "1",
            "--to",
            "5",
            "--key",
            "",
            "--format",
            "csv");
    assertThat(whole.exitCode()).as(whole.err()).isZero();
    assertThat(whole.out().lines().toList())
        .as(whole.out())
        .containsExactly(
            "_change,order_id,amount,status",
            "added,o1,11.0,placed",
            "added,o2,20.0,completed",
            "added,o4,40.0,placed",
            "removed,o1,10.0,placed",
            "removed,o2,20.0,placed",
            "removed,o3,30.0,placed");
    assertThat(whole.err())
        .contains("whole rows")
        .contains("summary: 3 added, 3 removed, 0 changed");
  }

  @Test
  void aColumnAddedInTheRangeCountsAsNullBefore(@TempDir Path dir) {
    TestLake lake = TestLake.create(dir);
    createTable(lake, "gold.features", "customer_id STRING, spend DOUBLE", "");
    commit(
        lake,
        "INSERT INTO gold.features VALUES ('c1', 1.0), ('c2', 2.0)",
        "ALTER TABLE gold.features ADD COLUMNS (visits INT)",
        "UPDATE gold.features SET visits = 3 WHERE customer_id = 'c1'");
    CliRun run =
        run(
            lake,
            new DiffCommand(),
            "gold.features",
            "--from",
            "1",
            "--to",
            "3",
            "--key",
            "customer_id",
            "--format",
            "json");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out().lines().toList())
        .containsExactly(
            "{\"_change\":\"changed\",\"customer_id\":\"c1\",\"_changed_columns\":\"visits\","
                + "\"from_spend\":1.0,\"to_spend\":1.0,\"to_visits\":3}");
  }

  @Test
  void mapColumnsAreCompared(@TempDir Path dir) {
    TestLake lake = TestLake.create(dir);
    createTable(lake, "gold.pins", "id STRING, versions MAP<STRING, BIGINT>", "");
    commit(
        lake,
        "INSERT INTO gold.pins VALUES ('a', map('x', 1L, 'y', 2L)), ('b', map('x', 1L))",
        "UPDATE gold.pins SET versions = map('y', 2L, 'x', 1L) WHERE id = 'a'",
        "UPDATE gold.pins SET versions = map('x', 5L) WHERE id = 'b'");
    CliRun keyed =
        run(
            lake,
            new DiffCommand(),
            "gold.pins",
            "--from",
            "1",
            "--to",
            "3",
            "--key",
            "id",
            "--format",
            "csv");
    assertThat(keyed.exitCode()).as(keyed.err()).isZero();
    assertThat(keyed.out().lines().skip(1).toList())
        .as("same entries in another order is no change")
        .containsExactly("changed,b,versions,(x -> 1),(x -> 5)");
    CliRun whole =
        run(
            lake,
            new DiffCommand(),
            "gold.pins",
            "--from",
            "1",
            "--to",
            "3",
            "--key",
            "",
            "--format",
            "csv");
    assertThat(whole.exitCode()).as(whole.err()).isZero();
    assertThat(whole.out().lines().skip(1).toList())
        .containsExactly("added,b,(x -> 5)", "removed,b,(x -> 1)");
  }

  @Test
  void aKeyThatIsNotUniqueIsRefused(@TempDir Path dir) {
    TestLake lake = TestLake.create(dir);
    orders(lake, CDF);
    for (String flag : List.of("--format", "--snapshots")) {
      CliRun run =
          flag.equals("--snapshots")
              ? run(
                  lake,
                  new DiffCommand(),
                  "silver.orders",
                  "--from",
                  "1",
                  "--to",
                  "5",
                  "--key",
                  "status",
                  flag)
              : run(
                  lake,
                  new DiffCommand(),
                  "silver.orders",
                  "--from",
                  "1",
                  "--to",
                  "5",
                  "--key",
                  "status");
      assertThat(run.exitCode()).as(run.out()).isEqualTo(2);
      assertThat(run.err())
          .contains("key (status) does not identify one row in version ")
          .contains("rows have status=placed");
    }
  }

  @Test
  void badInputIsAUsageErrorWithOneMessage(@TempDir Path dir) {
    TestLake lake = TestLake.create(dir);
    orders(lake, CDF);
    CliRun unknownTable = run(lake, new DiffCommand(), "silver.nope", "--from", "0", "--to", "1");
    assertThat(unknownTable.exitCode()).isEqualTo(2);
    assertThat(unknownTable.err())
        .startsWith("error: unknown table 'silver.nope'")
        .contains("known tables: silver.orders");

    CliRun unknownVersion =
        run(lake, new DiffCommand(), "silver.orders", "--from", "1", "--to", "9");
    assertThat(unknownVersion.exitCode()).isEqualTo(2);
    assertThat(unknownVersion.err().strip())
        .isEqualTo(
            "error: table silver.orders has no version 9 "
                + "(its versions are 0 to 5; see 'history silver.orders')");

    CliRun reversed = run(lake, new DiffCommand(), "silver.orders", "--from", "4", "--to", "2");
    assertThat(reversed.exitCode()).isEqualTo(2);
    assertThat(reversed.err().strip())
        .isEqualTo("error: --from 4 is after --to 2: give the older version as --from");

    CliRun negative = run(lake, new DiffCommand(), "silver.orders", "--from", "-1", "--to", "2");
    assertThat(negative.exitCode()).isEqualTo(2);
    assertThat(negative.err()).contains("--from must be a version number (0 or more), got -1");

    CliRun badKey =
        run(
            lake,
            new DiffCommand(),
            "silver.orders",
            "--from",
            "1",
            "--to",
            "2",
            "--key",
            "order_no");
    assertThat(badKey.exitCode()).isEqualTo(2);
    assertThat(badKey.err().strip())
        .isEqualTo(
            "error: key column 'order_no' is not in version 1 "
                + "of silver.orders (columns: order_id, amount, status)");

    CliRun missingOption = run(lake, new DiffCommand(), "silver.orders", "--from", "1");
    assertThat(missingOption.exitCode()).isEqualTo(2);
    assertThat(missingOption.err()).contains("Missing required option: '--to=V2'");

    CliRun badFormat =
        run(
            lake,
            new DiffCommand(),
            "silver.orders",
            "--from",
            "1",
            "--to",
            "2",
            "--format",
            "xml");
    assertThat(badFormat.exitCode()).isEqualTo(2);
    assertThat(badFormat.err()).contains("--format must be table, csv or json, got 'xml'");
  }

  @Test
  void aVersionWhoseFilesWereVacuumedIsNamed(@TempDir Path dir) {
    TestLake lake = TestLake.create(dir);
    TableId table = orders(lake, "");
    TimeTravelFixtures.vacuumEverythingOld(lake, table);
    CliRun run =
        run(
            lake,
            new DiffCommand(),
            "silver.orders",
            "--from",
            "1",
            "--to",
            "5",
            "--key",
            "order_id");
    assertThat(run.exitCode()).as(run.err()).isEqualTo(4);
    assertThat(run.err())
        .startsWith("error: version 1 of table silver.orders is no longer " + "readable: ")
        .containsPattern(
            "\\d+ of its \\d+ data files were removed \\(by VACUUM\\), " + "e\\.g\\. part-");
  }

  @Test
  void summaryCountsEveryRowEvenBeyondTheLimit(@TempDir Path dir) {
    TestLake lake = TestLake.create(dir);
    orders(lake, CDF);
    CliRun run =
        run(
            lake,
            new DiffCommand(),
            "silver.orders",
            "--from",
            "1",
            "--to",
            "5",
            "--key",
            "order_id",
            "--limit",
            "1");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out())
        .contains("(1 row)")
        .contains("summary: 1 added, 1 removed, 2 changed (first 1 rows shown)");
  }
}
