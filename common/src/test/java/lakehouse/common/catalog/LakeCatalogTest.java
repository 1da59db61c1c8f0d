package lakehouse.common.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import lakehouse.common.LakehouseException;
import lakehouse.common.LakehouseRuntime;
import lakehouse.common.testing.TestLake;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LakeCatalogTest {

  @Test
  void logicalNamesResolveUnderTheLakeRoot(@TempDir Path dir) {
    TestLake lake = TestLake.create(dir);
    LakeCatalog catalog = new LakeCatalog(lake.spark(), lake.lakeRoot());
    assertThat(catalog.location(TableId.parse("silver.orders")))
        .isEqualTo(lake.lakeRoot() + "/silver/orders");
    assertThat(TableId.parse("gold._feature_registry").sql())
        .isEqualTo("`gold`.`_feature_registry`");
  }

  @Test
  void badNamesAreUsageErrors() {
    assertThatThrownBy(() -> TableId.parse("orders"))
        .isInstanceOf(LakehouseException.class)
        .hasMessage("table name 'orders' must be <layer>.<name>, e.g. silver.orders");
    assertThatThrownBy(() -> TableId.parse("Silver.Orders")).hasMessageContaining("lower case");
  }

  @Test
  void tablesWrittenByOneProcessAreQueryableBySqlWithTimeTravelInTheNextOnceNamed(
      @TempDir Path dir) {
    TestLake lake = TestLake.create(dir);
    SparkSession spark = lake.spark();
    TableId orders = TableId.of("silver", "orders");
    try (LakehouseRuntime first = lake.runtime()) {
      String location = first.catalog().location(orders);
      spark.range(3).toDF("id").write().format("delta").save(location);
      spark.range(5).toDF("id").write().format("delta").mode("append").save(location);
    }
    spark.sql("DROP TABLE IF EXISTS silver.orders"); // as if a new process started

    try (LakehouseRuntime next = lake.runtime()) {
      assertThat(next.catalog().discover()).containsExactly(orders);
      assertThat(next.catalog().currentVersion(orders)).isEqualTo(1L);
      assertThat(spark.catalog().tableExists("silver.orders")).as("registered lazily").isFalse();
      next.catalog().registerReferenced("SELECT count(*) FROM silver.orders");
      assertThat(spark.sql("SELECT count(*) FROM silver.orders").first().getLong(0)).isEqualTo(8);
      assertThat(spark.sql("SELECT count(*) FROM silver.orders VERSION AS OF 0").first().getLong(0))
          .isEqualTo(3);
      List<Row> props = spark.sql("SHOW TBLPROPERTIES silver.orders").collectAsList();
      assertThat(props)
          .anySatisfy(
              r -> {
                assertThat(r.getString(0)).isEqualTo("delta.enableInCommitTimestamps");
                assertThat(r.getString(1)).isEqualTo("true");
              });
    }
  }

  @Test
  void aRegistrationPointingAtAnotherLakeIsReplaced(@TempDir Path first, @TempDir Path second) {
    TableId t = TableId.of("gold", "things");
    for (Path dir : List.of(first, second)) {
      TestLake lake = TestLake.create(dir);
      try (LakehouseRuntime runtime = lake.runtime()) {
        long rows = dir.equals(first) ? 2 : 7;
        lake.spark().range(rows).write().format("delta").save(runtime.catalog().location(t));
        runtime.catalog().register(t);
        assertThat(lake.spark().sql("SELECT count(*) FROM gold.things").first().getLong(0))
            .isEqualTo(rows);
      }
    }
  }

  @Test
  void requireNamesTheKnownTables(@TempDir Path dir) {
    TestLake lake = TestLake.create(dir);
    try (LakehouseRuntime runtime = lake.runtime()) {
      lake.spark()
          .range(1)
          .write()
          .format("delta")
          .save(runtime.catalog().location(TableId.of("bronze", "events")));
      assertThatThrownBy(() -> runtime.catalog().require("bronze.orders"))
          .isInstanceOf(LakehouseException.class)
          .hasMessageEndingWith("known tables: bronze.events");
    }
  }

  @Test
  void aTableFolderWithoutACommitIsSkippedWithOneWarningAndCanBeRemoved(@TempDir Path dir)
      throws Exception {
    TestLake lake = TestLake.create(dir);
    SparkSession spark = lake.spark();
    TableId good = TableId.of("bronze", "good_table");
    TableId broken = TableId.of("bronze", "half_made");
    LakeCatalog catalog = new LakeCatalog(spark, lake.lakeRoot());
    spark.range(3).write().format("delta").save(catalog.location(good));
    // What a failed first write leaves: a _delta_log without a commit, and a data file.
    Path brokenDir = Path.of(java.net.URI.create(catalog.location(broken)));
    java.nio.file.Files.createDirectories(brokenDir.resolve("_delta_log"));
    java.nio.file.Files.write(brokenDir.resolve("part-00000.parquet"), new byte[] {1, 2, 3});

    List<String> warnings = new java.util.ArrayList<>();
    List<TableId> registered = catalog.registerAll(warnings::add);

    assertThat(registered).containsExactly(good);
    assertThat(warnings)
        .containsExactly(LakeCatalog.uncommittedWarning(broken, catalog.location(broken)));
    assertThat(catalog.discover()).containsExactly(good);
    assertThat(catalog.uncommitted()).containsExactly(broken);
    assertThat(spark.sql("SELECT count(*) FROM bronze.good_table").first().getLong(0)).isEqualTo(3);
    // A runtime starting on this lake (what every command does) starts.
    LakehouseRuntime.attach(lake.settings(), spark);

    assertThat(catalog.removeUncommitted(good)).as("a committed table is never removed").isFalse();
    assertThat(catalog.removeUncommitted(broken)).isTrue();
    assertThat(brokenDir).doesNotExist();
    assertThat(catalog.uncommitted()).isEmpty();
    assertThat(catalog.read(good).count()).isEqualTo(3);
  }
}
