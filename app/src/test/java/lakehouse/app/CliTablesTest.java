package lakehouse.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import lakehouse.common.catalog.LakeCatalog;
import lakehouse.common.catalog.TableId;
import lakehouse.common.testing.CliRun;
import lakehouse.common.testing.SparkTestSession;
import lakehouse.common.testing.TestLake;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** tables, history and sql over a small lake, through the CLI. */
class CliTablesTest {
  @TempDir static Path dir;
  private static TestLake lake;

  @BeforeAll
  static void lakeWithTwoVersions() {
    SparkTestSession.get();
    lake = TestLake.create(dir);
    LakeCatalog catalog = new LakeCatalog(lake.spark(), lake.lakeRoot());
    String location = catalog.location(TableId.of("silver", "orders"));
    lake.spark()
        .sql("SELECT id AS order_id, id * 1.5 AS amount FROM range(3)")
        .write()
        .format("delta")
        .save(location);
    lake.spark()
        .sql("SELECT id AS order_id, id * 1.5 AS amount FROM range(3, 5)")
        .write()
        .format("delta")
        .mode("append")
        .save(location);
  }

  private static CliRun cli(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--conf");
    all.add("lakehouse.lake-root=" + lake.lakeRoot());
    return CliRun.of(new LakehouseCli(), all.toArray(String[]::new));
  }

  @Test
  void tablesListsVersionAndRows() {
    CliRun run = cli("tables", "--format", "csv");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out().lines().toList())
        .containsExactly(
            "name,layer,location,version,rows",
            "silver.orders,silver," + lake.lakeRoot() + "/silver/orders,1,5");
  }

  @Test
  void theResultFileTellsTheOutcomeForCallersWithoutTheExitCode() throws Exception {
    Path ok = dir.resolve("results/ok.json");
    CliRun run = cli("tables", "--result-file", ok.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(java.nio.file.Files.readString(ok))
        .contains(
            "\"status\":\"succeeded\"",
            "\"exit_code\":0",
            "\"exit_class\":\"ok\"",
            "\"command\":\"lakehouse tables\"");

    Path usage = dir.resolve("results/usage.json");
    run = cli("tables", "--result-file", usage.toString(), "--conf", "lakehouse.no-such-key=1");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(java.nio.file.Files.readString(usage))
        .contains(
            "\"status\":\"failed\"", "\"exit_code\":2", "\"exit_class\":\"usage\"", "no-such-key");

    Path failed = dir.resolve("results/failed.json");
    run = cli("sql", "SELECT raise_error('boom')", "--result-file", failed.toString());
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(java.nio.file.Files.readString(failed))
        .contains("\"exit_code\":1", "\"exit_class\":\"job_failed\"", "boom");
  }

  @Test
  void sqlSaysWhenItCutTheResult() {
    CliRun cut = cli("sql", "SELECT id FROM range(5)", "--format", "csv", "--limit", "3");
    assertThat(cut.out().lines().toList()).containsExactly("id", "0", "1", "2");
    assertThat(cut.err()).contains("only the first 3 rows are shown");
    CliRun all = cli("sql", "SELECT id FROM range(5)", "--format", "csv", "--limit", "0");
    assertThat(all.out().lines()).hasSize(6);
    assertThat(all.err()).doesNotContain("only the first");
  }

  @Test
  void sqlTimeTravelsAndPrintsOnlyDataAsJson() {
    CliRun run =
        cli("sql", "SELECT count(*) AS n FROM silver.orders VERSION AS OF 0", "--format", "json");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).isEqualTo("{\"n\":3}\n");
  }

  @Test
  void sqlTablePrintsAlignedRows() {
    CliRun run =
        cli("sql", "SELECT order_id, amount FROM silver.orders ORDER BY order_id", "--limit", "2");
    assertThat(run.out().lines().toList())
        .containsExactly(
            "order_id | amount",
            "---------+-------",
            "0        | 0.0",
            "1        | 1.5",
            "(2 rows)");
  }

  @Test
  void badSqlIsAUsageError() {
    CliRun run = cli("sql", "SELEC nothing");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).startsWith("error: SQL error: ").doesNotContain("\tat ");
    CliRun unknown = cli("sql", "SELECT * FROM silver.nope");
    assertThat(unknown.exitCode()).isEqualTo(2);
    assertThat(unknown.err()).contains("silver`.`nope");
  }

  @Test
  void vacuumIsRefusedAndPointsToTheGuardedMaintenanceVacuum() {
    CliRun named =
        cli(
            "sql",
            "  /* tidy up */ -- before the demo\n  vacuum silver.orders " + "RETAIN 0 HOURS");
    assertThat(named.exitCode()).isEqualTo(2);
    assertThat(named.err().strip())
        .isEqualTo(
            "error: VACUUM is not run through 'sql', which "
                + "would bypass the retention guard: use bin/lakehouse maintenance vacuum --table "
                + "silver.orders [--dry-run], which keeps the versions recorded training sets pin "
                + "readable");
    CliRun byPath = cli("sql", "VACUUM delta.`" + lake.lakeRoot() + "/silver/orders` DRY RUN");
    assertThat(byPath.exitCode()).isEqualTo(2);
    assertThat(byPath.err().strip())
        .startsWith("error: VACUUM is not run through 'sql'")
        .contains("maintenance vacuum --table T [--dry-run]")
        .doesNotContain("\n");

    CliRun notVacuum =
        cli(
            "sql",
            "SELECT count(*) AS vacuum FROM silver.orders VERSION AS OF 0",
            "--format",
            "csv");
    assertThat(notVacuum.exitCode()).as(notVacuum.err()).isZero();
    assertThat(notVacuum.out()).isEqualTo("vacuum\n3\n");
  }

  @Test
  void historyShowsEveryVersion() {
    CliRun run = cli("history", "silver.orders", "--format", "csv");
    assertThat(run.exitCode()).as(run.err()).isZero();
    List<String> lines = run.out().lines().toList();
    assertThat(lines.get(0)).startsWith("version,timestamp,operation");
    assertThat(lines).hasSize(3);
    assertThat(lines.get(1)).startsWith("1,").contains("WRITE");
  }

  @Test
  void historyOfAnUnknownTableNamesTheKnownOnes() {
    CliRun run = cli("history", "gold.nope");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().trim()).endsWith("known tables: silver.orders");
  }
}
