package lakehouse.common.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import lakehouse.common.LakehouseRuntime;
import lakehouse.common.testing.TestLake;
import org.apache.spark.sql.AnalysisException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Lazy registration: a runtime registers nothing, and a statement registers exactly the lake tables
 * it names. The tables have names of their own, since the JVM's session is shared.
 */
class RegisterReferencedTest {
  private static final TableId ORDERS = TableId.of("lazy_silver", "orders");
  private static final TableId CUSTOMERS = TableId.of("lazy_silver", "customers");
  private static final TableId FEATURES = TableId.of("lazy_gold", "features");
  @TempDir static Path dir;
  private static TestLake lake;

  @BeforeAll
  static void lakeOfThreeTables() {
    lake = TestLake.create(dir);
    lake.append(ORDERS, "SELECT id AS order_id, id % 2 AS customer_id FROM range(4)");
    lake.append(ORDERS, "SELECT id AS order_id, id % 2 AS customer_id FROM range(4, 6)");
    lake.append(CUSTOMERS, "SELECT id AS customer_id FROM range(2)");
    lake.append(FEATURES, "SELECT id AS customer_id FROM range(2)");
  }

  private static void unregisterAll() {
    for (TableId id : List.of(ORDERS, CUSTOMERS, FEATURES)) {
      lake.spark().sql("DROP TABLE IF EXISTS " + id.sql()); // external: the files stay
    }
  }

  private static boolean registered(TableId id) {
    return lake.spark().catalog().tableExists(id.toString());
  }

  @Test
  void theParserFindsNamesInSubqueriesCteBodiesJoinsExpressionsAndTimeTravel() {
    StatementNames names =
        StatementNames.of(
            lake.spark(),
            """
            WITH recent AS (SELECT * FROM Lazy_Silver.Orders VERSION AS OF 0)
            SELECT * FROM recent r JOIN (SELECT * FROM a.b TIMESTAMP AS OF '2024-01-01') s
              ON r.customer_id = s.customer_id
            WHERE r.customer_id IN (SELECT customer_id FROM spark_catalog.c.d)
              AND EXISTS (SELECT 1 FROM e.f)\
            """);
    assertThat(names.tables())
        .containsExactlyInAnyOrder(
            List.of("lazy_silver", "orders"),
            List.of("recent"),
            List.of("a", "b"),
            List.of("spark_catalog", "c", "d"),
            List.of("e", "f"));
    assertThat(StatementNames.of(lake.spark(), "DESCRIBE HISTORY a.b").tables())
        .containsExactly(List.of("a", "b"));
    assertThat(StatementNames.of(lake.spark(), "SHOW TABLES IN a").namespaces())
        .containsExactly(List.of("a"));
    assertThat(StatementNames.of(lake.spark(), "SHOW DATABASES").namespaces())
        .containsExactly(List.of());
    assertThat(StatementNames.of(lake.spark(), "SELEC nothing").tables()).isEmpty();
  }

  @Test
  void aRuntimeRegistersNothingAndAStatementOnlyTheLakeTablesItNames() {
    unregisterAll();
    try (LakehouseRuntime runtime = lake.runtime()) {
      assertThat(registered(ORDERS) || registered(CUSTOMERS) || registered(FEATURES)).isFalse();
      String statement =
          """
          WITH latest AS (SELECT customer_id FROM lazy_silver.customers)
          SELECT count(*) FROM lazy_silver.orders VERSION AS OF 0
          WHERE customer_id IN (SELECT customer_id FROM latest) AND order_id < 100\
          """;
      assertThat(runtime.catalog().registerReferenced(statement))
          .containsExactlyInAnyOrder(ORDERS, CUSTOMERS);
      assertThat(registered(FEATURES)).as("not named, not registered").isFalse();
      assertThat(lake.spark().sql(statement).first().getLong(0)).isEqualTo(4);
    }
  }

  @Test
  void unknownTablesAndAliasesAreLeftToSpark() {
    unregisterAll();
    try (LakehouseRuntime runtime = lake.runtime()) {
      String statement = "SELECT * FROM lazy_silver.nope";
      assertThat(runtime.catalog().registerReferenced(statement)).isEmpty();
      assertThatThrownBy(() -> lake.spark().sql(statement))
          .isInstanceOf(AnalysisException.class)
          .hasMessageContaining("TABLE_OR_VIEW_NOT_FOUND")
          .hasMessageContaining("`nope`");
      assertThat(runtime.catalog().registerReferenced("WITH t AS (SELECT 1) SELECT * FROM t"))
          .isEmpty();
    }
  }

  @Test
  void historyAndShowStatementsRegisterWhatTheyShow() {
    unregisterAll();
    try (LakehouseRuntime runtime = lake.runtime()) {
      LakeCatalog catalog = runtime.catalog();
      String history = "DESCRIBE HISTORY lazy_silver.orders";
      assertThat(catalog.registerReferenced(history)).containsExactly(ORDERS);
      assertThat(lake.spark().sql(history).count()).isEqualTo(2);

      String show = "SHOW TABLES IN lazy_silver";
      assertThat(catalog.registerReferenced(show)).containsExactly(CUSTOMERS, ORDERS);
      assertThat(lake.spark().sql(show).collectAsList())
          .extracting(r -> r.getString(1))
          .containsExactly("customers", "orders");
      assertThat(registered(FEATURES)).isFalse();

      assertThat(catalog.registerReferenced("SHOW DATABASES"))
          .containsExactly(FEATURES, CUSTOMERS, ORDERS);
      assertThat(lake.spark().sql("SHOW DATABASES").collectAsList())
          .extracting(r -> r.getString(0))
          .contains("lazy_gold", "lazy_silver");
    }
  }
}
