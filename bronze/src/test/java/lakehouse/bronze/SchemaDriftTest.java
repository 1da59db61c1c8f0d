package lakehouse.bronze;

import static lakehouse.bronze.BronzeTestSupport.land;
import static lakehouse.bronze.BronzeTestSupport.run;
import static lakehouse.bronze.BronzeTestSupport.source;
import static lakehouse.bronze.BronzeTestSupport.table;
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

/**
 * New columns are added, missing ones are null, and a value its column's fixed type cannot hold is
 * a rejected line, not a stopped run.
 */
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
    assertThat(second.summary())
        .contains("new columns coupon")
        .contains("columns not in the landed files (null): tag");

    List<Row> rows = table(lake, "bronze.items").orderBy("id").collectAsList();
    assertThat(rows).extracting(r -> r.<String>getAs("coupon")).containsExactly(null, "C10");
    assertThat(rows).extracting(r -> r.<String>getAs("tag")).containsExactly("x", null);
    assertThat(rows).extracting(r -> r.<Long>getAs("n")).containsExactly(1L, 2L);
    assertThat(BronzeTestSupport.runsOf(lake, "bronze.items"))
        .extracting(r -> r.get("added_columns"))
        .as("the drift is in the run history")
        .containsOnlyOnce("coupon");
  }

  @Test
  void knownKeysAreParsedAgainstTheTableWithoutInferenceAndNewNestedFieldsAreAdded(
      @TempDir Path dir) {
    TestLake lake = TestLake.create(dir);
    SourceDefinition items = source(lake, "items", "format = json");
    land(
        lake,
        "items",
        "2026-01-01",
        "a.json",
        "{\"id\":\"a\",\"n\":1,\"meta\":{\"x\":1},\"lines\":[{\"sku\":\"s1\"}]}");
    run(lake, items, DAY_1);

    // Only nested fields are new: the batch's schema is inferred and the table gains them.
    land(
        lake,
        "items",
        "2026-01-02",
        "b.json",
        "{\"id\":\"b\",\"n\":2,\"meta\":{\"x\":2,\"y\":\"new\"},"
            + "\"lines\":[{\"sku\":\"s2\",\"qty\":3}]}");
    assertThat(prepare(lake, items, "2026-01-02").inferred()).isTrue();
    run(lake, items, Optional.of(LocalDate.parse("2026-01-02")));

    // Known keys only: the table's columns, no inference; what the batch lacks is reported.
    land(
        lake,
        "items",
        "2026-01-03",
        "c.json",
        "{\"id\":\"c\",\"meta\":{\"y\":\"again\"}}",
        "{\"id\":\"d\",\"n\":\"four\"}");
    assertThat(prepare(lake, items, "2026-01-03").inferred()).isFalse();
    BronzeReport third = run(lake, items, Optional.empty());
    assertThat(third.addedColumns()).isEmpty();
    assertThat(third.missingColumns()).containsExactly("lines");
    assertThat(third.rowsWritten()).isEqualTo(1);
    assertThat(third.rowsRejected()).isEqualTo(1);
    assertThat(table(lake, "bronze.items_rejects").first().<String>getAs("_reason"))
        .isEqualTo(RejectReasons.typeMismatch("n", "bigint", "four"));
    List<Row> rows =
        table(lake, "bronze.items")
            .orderBy("id")
            .selectExpr("id", "n", "meta.x", "meta.y", "lines[0].qty AS qty")
            .collectAsList();
    assertThat(rows.stream().map(Row::toString))
        .containsExactly("[a,1,1,null,null]", "[b,2,2,new,3]", "[c,null,null,again,null]");
  }

  /**
   * With {@code dropFieldIfAllNull} a column whose values are all null counts as not carried, which
   * only inference tells: a batch of known keys is inferred, and the column is reported missing.
   * Without the option the same batch is parsed against the table's columns and carries it.
   */
  @Test
  void dropFieldIfAllNullSendsEveryBatchToInference(@TempDir Path dir) {
    TestLake lake = TestLake.create(dir);
    SourceDefinition dropping =
        source(lake, "dropping", "format = json\noptions { dropFieldIfAllNull = true }");
    SourceDefinition keeping = source(lake, "keeping", "format = json");
    for (SourceDefinition source : List.of(dropping, keeping)) {
      String name = source.name();
      land(lake, name, "2026-01-01", "a.json", "{\"id\":\"a\",\"n\":1,\"note\":\"x\"}");
      run(lake, source, DAY_1);
      land(lake, name, "2026-01-02", "b.json", "{\"id\":\"b\",\"n\":2,\"note\":null}");
    }

    assertThat(prepare(lake, dropping, "2026-01-02").inferred()).isTrue();
    assertThat(run(lake, dropping, Optional.empty()).missingColumns()).containsExactly("note");
    assertThat(prepare(lake, keeping, "2026-01-02").inferred()).isFalse();
    assertThat(run(lake, keeping, Optional.empty()).missingColumns()).isEmpty();
    for (String table : List.of("bronze.dropping", "bronze.keeping")) {
      assertThat(
              table(lake, table)
                  .orderBy("id")
                  .selectExpr("id", "n", "note")
                  .collectAsList()
                  .stream()
                  .map(Row::toString))
          .as(table)
          .containsExactly("[a,1,x]", "[b,2,null]");
    }
  }

  /** A landing date's files prepared against the bronze table as it is now. */
  private static BatchReader.Prepared prepare(TestLake lake, SourceDefinition source, String date) {
    List<LandedFile> files =
        new LandingScanner(lake.spark().sparkContext().hadoopConfiguration())
            .scan(source, lake.landingRoot(), Optional.empty()).stream()
                .filter(file -> file.landingDate().toString().equals(date))
                .toList();
    return new BatchReader(lake.spark(), 1 << 20)
        .prepare(
            source,
            files,
            BronzeSchema.dataColumns(table(lake, "bronze." + source.name()).schema()));
  }

  @Test
  void aValueTheTablesTypeCannotHoldIsARejectNamingColumnAndValue(@TempDir Path dir) {
    TestLake lake = TestLake.create(dir);
    SourceDefinition items = source(lake, "items", "format = json");
    land(lake, "items", "2026-01-01", "a.json", "{\"id\":\"a\",\"n\":1}");
    Path bad =
        land(
            lake,
            "items",
            "2026-01-02",
            "b.json",
            "{\"id\":\"b\",\"n\":2}",
            "{\"id\":\"c\",\"n\":\"three\"}");
    run(lake, items, DAY_1);

    BronzeReport report = run(lake, items, Optional.empty());

    assertThat(report.status()).isEqualTo(BronzeReport.Status.INGESTED);
    assertThat(report.rowsWritten()).isEqualTo(1);
    assertThat(report.rowsRejected()).isEqualTo(1);
    assertThat(table(lake, "bronze.items").schema().apply("n").dataType().simpleString())
        .as("the table's type stays")
        .isEqualTo("bigint");
    Row reject = table(lake, "bronze.items_rejects").first();
    assertThat(reject.<String>getAs("_reason"))
        .isEqualTo(RejectReasons.typeMismatch("n", "bigint", "three"));
    assertThat(reject.<String>getAs("_raw")).isEqualTo("{\"id\":\"c\",\"n\":\"three\"}");
    assertThat(reject.<String>getAs("_source_file"))
        .isEqualTo(bad.toUri().toString().replace("file:///", "file:/"));
    assertThat(reject.<Long>getAs("_line_number")).isEqualTo(2L);
  }

  @Test
  void aFractionInAnIntegerColumnIsRejectedButAHintCarriesBoth(@TempDir Path dir) {
    TestLake lake = TestLake.create(dir);
    land(lake, "items", "2026-01-01", "a.json", "{\"id\":\"a\",\"n\":1}");
    land(lake, "items", "2026-01-02", "b.json", "{\"id\":\"b\",\"n\":2.5}");
    SourceDefinition unhinted = source(lake, "items", "format = json");
    run(lake, unhinted, DAY_1);
    BronzeReport second = run(lake, unhinted, Optional.empty());
    assertThat(second.rowsRejected()).isEqualTo(1);
    assertThat(table(lake, "bronze.items_rejects").first().<String>getAs("_reason"))
        .isEqualTo(RejectReasons.typeMismatch("n", "bigint", "2.5"));

    TestLake other = TestLake.create(dir.resolve("hinted"));
    land(other, "items", "2026-01-01", "a.json", "{\"id\":\"a\",\"n\":1}");
    land(other, "items", "2026-01-02", "b.json", "{\"id\":\"b\",\"n\":2.5}");
    SourceDefinition hinted = source(other, "items", "format = json\nschema-hints = \"n DOUBLE\"");
    run(other, hinted, DAY_1);
    run(other, hinted, Optional.empty());
    assertThat(table(other, "bronze.items").orderBy("id").collectAsList())
        .extracting(r -> r.<Double>getAs("n"))
        .containsExactly(1.0, 2.5);
    assertThat(table(other, "bronze.items").schema().fieldNames()[0])
        .as("hinted columns come first")
        .isEqualTo("n");
  }

  @Test
  void aHintThatDisagreesWithTheTableIsAUsageError(@TempDir Path dir) {
    TestLake lake = TestLake.create(dir);
    land(lake, "items", "2026-01-01", "a.json", "{\"id\":\"a\",\"n\":1}");
    run(lake, source(lake, "items", "format = json"), DAY_1);
    assertThatThrownBy(
            () ->
                run(
                    lake,
                    source(lake, "items", "format = json\nschema-hints = \"n STRING\""),
                    Optional.empty()))
        .isInstanceOfSatisfying(
            LakehouseException.class,
            e -> {
              assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE);
              assertThat(e.getMessage())
                  .isEqualTo(
                      BronzeErrors.hintDisagrees("items", "n", "string", "bigint").getMessage());
            });
  }
}
