package lakehouse.bronze;

import static lakehouse.bronze.BronzeTestSupport.land;
import static lakehouse.bronze.BronzeTestSupport.run;
import static lakehouse.bronze.BronzeTestSupport.source;
import static lakehouse.bronze.BronzeTestSupport.table;
import static lakehouse.bronze.BronzeTestSupport.version;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import lakehouse.common.ExitCode;
import lakehouse.common.LakehouseException;
import lakehouse.common.testing.TestLake;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** New columns are added, missing ones are null, and a type that cannot be carried stops the run. */
class SchemaDriftTest {
  private static final Optional<LocalDate> DAY_1 = Optional.of(LocalDate.parse("2026-01-01"));

  @Test
  void newColumnsAreAddedAndReportedMissingOnesAreNull(@TempDir Path dir) {
    TestLake lake = TestLake.create(dir);
    SourceDefinition items = source(lake, "items", "format = json");
    land(lake, "items", "2026-01-01", "a.json", "{\"id\":\"a\",\"n\":1,\"tag\":\"x\"}");
    land(lake, "items", "2026-01-02", "b.json", "{\"id\":\"b\",\"n\":2,\"coupon\":\"C10\"}");

    BronzeReport first = run(lake, items, DAY_1);
    assertThat(first.addedColumns()).as("a new table adds nothing").isEmpty();
    BronzeReport second = run(lake, items, Optional.empty());
    assertThat(second.addedColumns()).containsExactly("coupon");
    assertThat(second.missingColumns()).containsExactly("tag");
    assertThat(second.summary()).contains("new columns coupon")
        .contains("columns not in the landed files (null): tag");

    List<Row> rows = table(lake, "bronze.items").orderBy("id").collectAsList();
    assertThat(rows).extracting(r -> r.<String>getAs("coupon")).containsExactly(null, "C10");
    assertThat(rows).extracting(r -> r.<String>getAs("tag")).containsExactly("x", null);
    assertThat(rows).extracting(r -> r.<Long>getAs("n")).containsExactly(1L, 2L);
    assertThat(table(lake, "_ops.bronze_runs").where("added_columns[0] = 'coupon'").count())
        .as("the drift is in the machine-readable report").isEqualTo(1);
  }

  @Test
  void aTypeThatCannotBeCarriedFailsNamingFileLineAndColumnAndWritesNothing(@TempDir Path dir) {
    TestLake lake = TestLake.create(dir);
    SourceDefinition items = source(lake, "items", "format = json");
    land(lake, "items", "2026-01-01", "a.json", "{\"id\":\"a\",\"n\":1}");
    Path bad = land(lake, "items", "2026-01-02", "b.json", "{\"id\":\"b\",\"n\":2}",
        "{\"id\":\"c\",\"n\":\"three\"}");
    run(lake, items, DAY_1);
    long dataVersion = version(lake, "bronze.items");
    long filesVersion = version(lake, "_ops.bronze_files_items");

    assertThatThrownBy(() -> run(lake, items, Optional.empty()))
        .isInstanceOfSatisfying(LakehouseException.class, e -> {
          assertThat(e.exitCode()).isEqualTo(ExitCode.DATA_ERROR);
          assertThat(e.getMessage()).isEqualTo(BronzeMessages.typeChange("items", "n", "bigint",
              "string", bad.toUri().toString().replace("file:///", "file:/"), 2L, "three"));
        });
    assertThat(version(lake, "bronze.items")).as("nothing written").isEqualTo(dataVersion);
    assertThat(version(lake, "_ops.bronze_files_items")).as("nothing planned")
        .isEqualTo(filesVersion);
    assertThat(table(lake, "_ops.bronze_runs").where("status = 'FAILED'").count()).isEqualTo(1);
  }

  @Test
  void aFractionInAnIntegerColumnIsATypeChangeButAHintCarriesBoth(@TempDir Path dir) {
    TestLake lake = TestLake.create(dir);
    land(lake, "items", "2026-01-01", "a.json", "{\"id\":\"a\",\"n\":1}");
    land(lake, "items", "2026-01-02", "b.json", "{\"id\":\"b\",\"n\":2.5}");
    SourceDefinition unhinted = source(lake, "items", "format = json");
    run(lake, unhinted, DAY_1);
    assertThatThrownBy(() -> run(lake, unhinted, Optional.empty()))
        .hasMessageContaining("column 'n' changes type: bronze.items has bigint")
        .hasMessageContaining("b.json line 1 has double (value 2.5)");

    TestLake other = TestLake.create(dir.resolve("hinted"));
    land(other, "items", "2026-01-01", "a.json", "{\"id\":\"a\",\"n\":1}");
    land(other, "items", "2026-01-02", "b.json", "{\"id\":\"b\",\"n\":2.5}");
    SourceDefinition hinted = source(other, "items",
        "format = json\nschema-hints = \"n DOUBLE\"");
    run(other, hinted, DAY_1);
    run(other, hinted, Optional.empty());
    assertThat(table(other, "bronze.items").orderBy("id").collectAsList())
        .extracting(r -> r.<Double>getAs("n")).containsExactly(1.0, 2.5);
    assertThat(table(other, "bronze.items").schema().fieldNames()[0])
        .as("hinted columns come first").isEqualTo("n");
  }

  @Test
  void aHintThatDisagreesWithTheTableIsAUsageError(@TempDir Path dir) {
    TestLake lake = TestLake.create(dir);
    land(lake, "items", "2026-01-01", "a.json", "{\"id\":\"a\",\"n\":1}");
    run(lake, source(lake, "items", "format = json"), DAY_1);
    assertThatThrownBy(() -> run(lake,
        source(lake, "items", "format = json\nschema-hints = \"n STRING\""), Optional.empty()))
        .isInstanceOfSatisfying(LakehouseException.class, e -> {
          assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE);
          assertThat(e.getMessage()).isEqualTo(
              BronzeMessages.hintDisagrees("items", "n", "string", "bigint"));
        });
  }
}
