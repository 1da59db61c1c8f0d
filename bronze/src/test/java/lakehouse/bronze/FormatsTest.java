package lakehouse.bronze;

import static lakehouse.bronze.BronzeTestSupport.land;
import static lakehouse.bronze.BronzeTestSupport.run;
import static lakehouse.bronze.BronzeTestSupport.source;
import static lakehouse.bronze.BronzeTestSupport.table;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import lakehouse.common.testing.TestLake;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CSV and parquet sources, and what a line reader must get right. */
class FormatsTest {

  @Test
  void csvLinesUpByHeaderNameAndKeepsBrokenLinesAside(@TempDir Path dir) {
    TestLake lake = TestLake.create(dir);
    land(
        lake,
        "people",
        "2026-01-01",
        "p1.csv",
        "id,name,city",
        "1,\"Doe, Jane\",Paris",
        "",
        "2,Bob",
        "3,\"Quote \"\"Q\"\"\",",
        "4,\"open,Rome");
    land(lake, "people", "2026-01-02", "p2.csv", "\uFEFFname,id\r", "Eve,5\r", "Zed,6,extra\r");
    land(lake, "people", "2026-01-02", "_SUCCESS", "");
    BronzeReport report =
        run(
            lake,
            source(lake, "people", "format = csv\ncolumns = [id, name, city]"),
            Optional.empty());

    assertThat(report.filesFound()).as("markers are not data").isEqualTo(2);
    assertThat(report.recordsRead()).as("blank lines carry no record").isEqualTo(6);
    assertThat(report.rowsWritten()).isEqualTo(3);
    assertThat(report.rowsRejected()).isEqualTo(3);
    List<Row> rows = table(lake, "bronze.people").orderBy("id").collectAsList();
    assertThat(rows)
        .extracting(r -> r.<String>getAs("id") + "|" + r.getAs("name") + "|" + r.getAs("city"))
        .containsExactly("1|Doe, Jane|Paris", "3|Quote \"Q\"|null", "5|Eve|null");
    List<Row> rejects =
        table(lake, "bronze.people_rejects")
            .orderBy("_source_file", "_line_number")
            .collectAsList();
    assertThat(rejects)
        .extracting(r -> r.<Long>getAs("_line_number") + " " + r.getAs("_reason"))
        .containsExactly(
            "4 " + RejectReasons.wrongColumnCount(3, 2),
            "6 " + RejectReasons.MALFORMED_CSV + "a quoted field is not closed",
            "3 " + RejectReasons.wrongColumnCount(2, 3));
    assertThat(rejects.get(2).<String>getAs("_raw")).isEqualTo("Zed,6,extra");
  }

  @Test
  void aCsvHintTypesTheColumnAndAValueThatDoesNotFitIsARejectedLine(@TempDir Path dir) {
    TestLake lake = TestLake.create(dir);
    SourceDefinition labels =
        source(
            lake,
            "labels",
            "format = csv\ncolumns = [customer_id, churned]\nschema-hints = \"churned BOOLEAN\"");
    land(lake, "labels", "2026-01-01", "l1.csv", "customer_id,churned", "C1,true", "C2,");
    run(lake, labels, Optional.empty());
    assertThat(table(lake, "bronze.labels").orderBy("customer_id").collectAsList())
        .extracting(r -> r.<Boolean>getAs("churned"))
        .containsExactly(true, null);

    land(lake, "labels", "2026-01-02", "l2.csv", "customer_id,churned", "C3,maybe", "C4,false");
    BronzeReport report = run(lake, labels, Optional.empty());

    assertThat(report.status()).isEqualTo(BronzeReport.Status.INGESTED);
    assertThat(report.rowsWritten()).isEqualTo(1);
    assertThat(report.rowsRejected()).isEqualTo(1);
    assertThat(
            table(lake, "bronze.labels")
                .where("customer_id = 'C4'")
                .first()
                .<Boolean>getAs("churned"))
        .isFalse();
    Row reject = table(lake, "bronze.labels_rejects").first();
    assertThat(reject.<String>getAs("_reason"))
        .isEqualTo(RejectReasons.typeMismatch("churned", "boolean", "maybe"));
    assertThat(reject.<String>getAs("_raw")).isEqualTo("C3,maybe");
    assertThat(reject.<Long>getAs("_line_number")).isEqualTo(2L);
  }

  @Test
  void invalidUtf8IsRejectedWithItsLineNumber(@TempDir Path dir) {
    TestLake lake = TestLake.create(dir);
    byte[] good = "{\"id\":\"a\"}\n".getBytes(StandardCharsets.UTF_8);
    byte[] broken = {(byte) 0xC3, (byte) 0x28, '"', 'i', 'd', '"', ':', '1', '}', '\n'};
    byte[] accented = "{\"id\":\"é\"}".getBytes(StandardCharsets.UTF_8); // no final newline
    byte[] all = new byte[good.length + broken.length + accented.length];
    System.arraycopy(good, 0, all, 0, good.length);
    System.arraycopy(broken, 0, all, good.length, broken.length);
    System.arraycopy(accented, 0, all, good.length + broken.length, accented.length);
    land(lake, "items", "2026-01-01", "a.json", all);
    run(lake, source(lake, "items", "format = json"), Optional.empty());
    assertThat(table(lake, "bronze.items").orderBy("id").collectAsList())
        .extracting(r -> r.<String>getAs("id"))
        .containsExactly("a", "é");
    Row reject = table(lake, "bronze.items_rejects").first();
    assertThat(reject.<String>getAs("_reason")).isEqualTo(RejectReasons.BAD_ENCODING);
    assertThat(reject.<Long>getAs("_line_number")).isEqualTo(2L);
    assertThat(reject.<String>getAs("_raw")).endsWith("\"id\":1}");
  }

  @Test
  void parquetFilesAreIngestedWithAuditColumnsAndNewColumns(@TempDir Path dir) {
    TestLake lake = TestLake.create(dir);
    StructType first =
        new StructType().add("id", DataTypes.LongType).add("v", DataTypes.StringType);
    BronzeTestSupport.landParquet(
        lake,
        dir,
        "facts",
        "2026-01-01",
        "a.parquet",
        lake.spark()
            .createDataFrame(List.of(org.apache.spark.sql.RowFactory.create(1L, "x")), first));
    StructType second = first.add("extra", DataTypes.IntegerType);
    BronzeTestSupport.landParquet(
        lake,
        dir,
        "facts",
        "2026-01-02",
        "b.parquet",
        lake.spark()
            .createDataFrame(List.of(org.apache.spark.sql.RowFactory.create(2L, "y", 7)), second));
    SourceDefinition facts = source(lake, "facts", "format = parquet");
    run(lake, facts, Optional.of(java.time.LocalDate.parse("2026-01-01")));
    BronzeReport report = run(lake, facts, Optional.empty());
    assertThat(report.addedColumns()).containsExactly("extra");
    assertThat(report.reconciles()).isTrue();
    List<Row> rows = table(lake, "bronze.facts").orderBy("id").collectAsList();
    assertThat(rows)
        .extracting(
            r -> r.<Long>getAs("id") + ":" + r.getAs("extra") + ":" + r.getAs("_landing_date"))
        .containsExactly("1:null:2026-01-01", "2:7:2026-01-02");
    assertThat(rows.get(1).<String>getAs("_source_file")).endsWith("/2026-01-02/b.parquet");
  }
}
