package lakehouse.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import lakehouse.common.catalog.LakeCatalog;
import lakehouse.common.catalog.TableId;
import lakehouse.common.testing.CliRun;
import lakehouse.common.testing.TestLake;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sql}, {@code tables} and the Python API register only what they need. The tables have
 * layers of their own (the JVM's session is shared), and each test starts with none of them
 * registered, as a new process does.
 */
class LazyRegistrationTest {
  private static final TableId ORDERS = TableId.of("lazy_app_silver", "orders");
  private static final TableId CUSTOMERS = TableId.of("lazy_app_silver", "customers");
  private static final TableId FEATURES = TableId.of("lazy_app_gold", "features");
  private static final List<TableId> ALL = List.of(FEATURES, CUSTOMERS, ORDERS);
  @TempDir static Path dir;
  private static TestLake lake;

  @BeforeAll
  static void lakeOfThreeTables() {
    lake = TestLake.create(dir);
    lake.append(ORDERS, "SELECT id AS order_id, id % 3 AS customer_id FROM range(6)");
    lake.append(ORDERS, "SELECT id AS order_id, CAST(0 AS BIGINT) AS customer_id FROM range(6, 9)");
    lake.append(CUSTOMERS, "SELECT id AS customer_id, id = 0 AS churned FROM range(3)");
    lake.append(FEATURES, "SELECT id AS customer_id FROM range(3)");
  }

  @BeforeEach
  void nothingRegistered() {
    for (TableId id : ALL) {
      lake.spark().sql("DROP TABLE IF EXISTS " + id.sql()); // external: the files stay
    }
  }

  private static CliRun cli(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--conf");
    all.add("lakehouse.lake-root=" + lake.lakeRoot());
    return CliRun.of(new LakehouseCli(), all.toArray(String[]::new));
  }

  private static List<TableId> registered() {
    return ALL.stream().filter(id -> lake.spark().catalog().tableExists(id.toString())).toList();
  }

  @Test
  void sqlRegistersTheTablesItsStatementNamesInCtesAndSubqueriesWithTimeTravel() {
    CliRun run =
        cli(
            "sql",
            """
            WITH churned AS (SELECT customer_id FROM lazy_app_silver.customers WHERE churned)
            SELECT count(*) AS n FROM lazy_app_silver.orders VERSION AS OF 0
            WHERE customer_id IN (SELECT customer_id FROM churned)\
            """,
            "--format",
            "csv");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).isEqualTo("n\n2\n");
    assertThat(registered())
        .as("only the tables named")
        .containsExactlyInAnyOrder(ORDERS, CUSTOMERS);
  }

  @Test
  void anUnknownTableIsTheSameUsageErrorAsBefore() {
    CliRun run = cli("sql", "SELECT * FROM lazy_app_silver.nope");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .startsWith(
            "error: SQL error: [TABLE_OR_VIEW_NOT_FOUND] The table or "
                + "view `lazy_app_silver`.`nope` cannot be found.")
        .doesNotContain("\tat ");
    assertThat(registered()).isEmpty();
  }

  @Test
  void describeHistoryAndShowTablesStillWork() {
    CliRun history = cli("sql", "DESCRIBE HISTORY lazy_app_silver.orders", "--format", "csv");
    assertThat(history.exitCode()).as(history.err()).isZero();
    assertThat(history.out().lines()).hasSize(3);
    CliRun show = cli("sql", "SHOW TABLES IN lazy_app_silver", "--format", "csv");
    assertThat(show.exitCode()).as(show.err()).isZero();
    assertThat(show.out().lines().toList())
        .containsExactly(
            "namespace,tableName,isTemporary",
            "lazy_app_silver,customers,false",
            "lazy_app_silver,orders,false");
    assertThat(registered()).doesNotContain(FEATURES);
  }

  @Test
  void tablesListsTheLayoutWithoutRegisteringAnything() throws Exception {
    // What a failed first write leaves: a _delta_log without a commit. No table; one warning.
    TableId halfMade = TableId.of("lazy_app_gold", "half_made");
    String halfMadeLocation = new LakeCatalog(lake.spark(), lake.lakeRoot()).location(halfMade);
    java.nio.file.Files.createDirectories(
        Path.of(java.net.URI.create(halfMadeLocation)).resolve("_delta_log"));
    CliRun run = cli("tables", "--format", "csv");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.err()).contains(LakeCatalog.uncommittedWarning(halfMade, halfMadeLocation));
    assertThat(run.out().lines().toList())
        .containsExactly(
            "name,layer,location,version,rows",
            "lazy_app_gold.features,lazy_app_gold,"
                + lake.lakeRoot()
                + "/lazy_app_gold/features,0,3",
            "lazy_app_silver.customers,lazy_app_silver,"
                + lake.lakeRoot()
                + "/lazy_app_silver/customers,0,3",
            "lazy_app_silver.orders,lazy_app_silver,"
                + lake.lakeRoot()
                + "/lazy_app_silver/orders,1,9");
    assertThat(registered()).isEmpty();
  }

  @Test
  void theNotebookApiRegistersWhatItsSqlAndTableName() {
    LakeApi api =
        LakeApi.open(
            lake.spark(),
            TestLake.confDir().toString(),
            "local",
            List.of("lakehouse.lake-root=" + lake.lakeRoot()));
    assertThat(registered()).as("opening registers nothing").isEmpty();
    assertThat(
            api.sql(
                    "SELECT count(*) FROM lazy_app_silver.orders o JOIN lazy_app_silver.customers"
                        + " VERSION AS OF 0 c USING (customer_id) WHERE c.churned")
                .first()
                .getLong(0))
        .isEqualTo(5);
    assertThat(registered()).containsExactlyInAnyOrder(ORDERS, CUSTOMERS);
    assertThat(api.table("lazy_app_gold.features").count()).isEqualTo(3);
    assertThat(registered()).contains(FEATURES);
  }
}
