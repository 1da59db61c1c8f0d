package lakehouse.bronze;

import static lakehouse.bronze.BronzeTestSupport.land;
import static lakehouse.bronze.BronzeTestSupport.landParquet;
import static lakehouse.bronze.BronzeTestSupport.run;
import static lakehouse.bronze.BronzeTestSupport.source;
import static lakehouse.bronze.BronzeTestSupport.table;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;
import lakehouse.common.ExitCode;
import lakehouse.common.LakehouseException;
import lakehouse.common.testing.CliRun;
import lakehouse.common.testing.SparkTestSession;
import lakehouse.common.testing.TestLake;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.io.compress.BZip2Codec;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Awkward landed input (issue 19): CSV files without their header, values a pinned type cannot
 * hold, compressed files, files the pattern does not take, lines over the limit, and mistakes in a
 * declaration. Every record ends in the table or in rejects with a fitting reason, counted.
 */
class BronzeInputsTest {
  private static final String PEOPLE = "format = csv\ncolumns = [id, name, city]";

  @BeforeAll
  static void session() {
    SparkTestSession.get(); // the CLI tests work on the JVM's running session
  }

  @Test
  void aCsvFileWithoutItsHeaderIsRejectedLineByLineAndItsRecordsNeverBecomeColumns(
      @TempDir Path dir) {
    TestLake lake = TestLake.create(dir);
    land(lake, "people", "2026-01-01", "a.csv", "id,name,city", "1,Ann,Oslo");
    land(lake, "people", "2026-01-01", "b.csv", "2,Bob,Rome", "", "3,Cid,Lima");
    land(lake, "people", "2026-01-01", "c.csv", "id,name,id", "4,Dan,5");

    BronzeReport report = run(lake, source(lake, "people", PEOPLE), Optional.empty());

    assertThat(table(lake, "bronze.people").columns())
        .containsExactly(
            "id", "name", "city", "_ingested_at", "_source_file", "_run_id", "_landing_date");
    assertThat(report.rowsWritten()).isEqualTo(1);
    assertThat(report.rowsRejected())
        .as("every line of both files, the first ones included")
        .isEqualTo(4);
    assertThat(report.reconciles()).isTrue();
    List<Row> rejects =
        table(lake, "bronze.people_rejects")
            .orderBy("_source_file", "_line_number")
            .collectAsList();
    assertThat(rejects)
        .extracting(
            r ->
                r.<String>getAs("_source_file").replaceAll(".*/", "")
                    + ":"
                    + r.getAs("_line_number")
                    + " "
                    + r.getAs("_raw")
                    + " | "
                    + r.getAs("_reason"))
        .containsExactly(
            "b.csv:1 2,Bob,Rome | "
                + RejectReasons.badHeader(
                    "has 3 fields that are not a" + " declared column: '2', 'Bob', 'Rome'",
                    List.of("id", "name", "city")),
            "b.csv:3 3,Cid,Lima | " + RejectReasons.fileOfBadHeader(),
            "c.csv:1 id,name,id | "
                + RejectReasons.badHeader("names column 'id' twice", List.of("id", "name", "city")),
            "c.csv:2 4,Dan,5 | " + RejectReasons.fileOfBadHeader());
  }

  @Test
  void withoutAHeaderEveryLineIsARecordOfTheDeclaredColumns(@TempDir Path dir) {
    TestLake lake = TestLake.create(dir);
    land(lake, "people", "2026-01-01", "a.csv", "1,Ann,Oslo", "2,Bob", "3,Cid,Lima");

    BronzeReport report =
        run(lake, source(lake, "people", PEOPLE + "\nheader = false"), Optional.empty());

    assertThat(report.rowsWritten()).isEqualTo(2);
    assertThat(table(lake, "bronze.people").orderBy("id").collectAsList())
        .extracting(r -> r.<String>getAs("id") + r.getAs("name") + r.getAs("city"))
        .containsExactly("1AnnOslo", "3CidLima");
    Row reject = table(lake, "bronze.people_rejects").first();
    assertThat(reject.<Long>getAs("_line_number")).isEqualTo(2L);
    assertThat(reject.<String>getAs("_reason"))
        .isEqualTo(RejectReasons.wrongColumnCountDeclared(3, 2));
  }

  @Test
  void aStringInAColumnAHintPinsIsARejectedLineAndTheRestIsWritten(@TempDir Path dir) {
    TestLake lake = TestLake.create(dir);
    land(
        lake,
        "orders",
        "2026-01-01",
        "orders-2026-01-01-001.json",
        "{\"order_id\":\"O1\",\"amount\":12.5}",
        "{\"order_id\":\"O2\",\"amount\":\"twelve\",\"status\":\"new\"}",
        "{\"order_id\":\"O3\",\"amount\":7}");

    BronzeReport report = run(lake, "orders", Optional.empty());

    assertThat(report.status()).isEqualTo(BronzeReport.Status.INGESTED);
    assertThat(table(lake, "bronze.orders").orderBy("order_id").collectAsList())
        .extracting(r -> r.<String>getAs("order_id") + "=" + r.getAs("amount"))
        .containsExactly("O1=12.5", "O3=7.0");
    Row reject = table(lake, "bronze.orders_rejects").first();
    assertThat(reject.<String>getAs("_reason"))
        .isEqualTo(RejectReasons.typeMismatch("amount", "double", "twelve"));
    assertThat(reject.<String>getAs("_raw"))
        .isEqualTo("{\"order_id\":\"O2\",\"amount\":\"twelve\",\"status\":\"new\"}");
    assertThat(report.reconciles()).isTrue();
  }

  @Test
  void aParquetFileWhoseColumnTypeCannotBeCarriedIsRejectedRowByRowNamingWhatPinsTheType(
      @TempDir Path dir) {
    TestLake lake = TestLake.create(dir);
    StructType strings =
        new StructType().add("order_id", DataTypes.StringType).add("amount", DataTypes.StringType);
    landParquet(
        lake,
        dir,
        "facts",
        "2026-01-01",
        "a.parquet",
        lake.spark()
            .createDataFrame(
                List.of(RowFactory.create("O1", "twelve"), RowFactory.create("O2", "x")), strings));
    landParquet(
        lake,
        dir,
        "facts",
        "2026-01-01",
        "b.parquet",
        lake.spark()
            .createDataFrame(
                List.of(RowFactory.create("O3", 3.5)),
                new StructType()
                    .add("order_id", DataTypes.StringType)
                    .add("amount", DataTypes.DoubleType)));

    BronzeReport report =
        run(
            lake,
            source(lake, "facts", "format = parquet\nschema-hints = \"amount DOUBLE\""),
            Optional.empty());

    assertThat(report.status()).isEqualTo(BronzeReport.Status.INGESTED);
    assertThat(report.recordsRead()).isEqualTo(3);
    assertThat(report.rowsRejected()).isEqualTo(2);
    assertThat(report.reconciles()).isTrue();
    assertThat(table(lake, "bronze.facts").collectAsList())
        .extracting(r -> r.<String>getAs("order_id") + "=" + r.getAs("amount"))
        .containsExactly("O3=3.5");
    List<Row> rejects = table(lake, "bronze.facts_rejects").orderBy("_raw").collectAsList();
    assertThat(rejects)
        .extracting(r -> r.<String>getAs("_raw"))
        .containsExactly(
            "{\"order_id\":\"O1\",\"amount\":\"twelve\"}",
            "{\"order_id\":\"O2\",\"amount\":\"x\"}");
    assertThat(rejects.get(0).<String>getAs("_reason"))
        .as("the table did not exist: the hint pins the type, no table 'has' it")
        .isEqualTo(
            RejectReasons.parquetTypeMismatch(
                "amount", "string", "the schema hint pins", "double"));
    assertThat(rejects.get(0).<String>getAs("_source_file")).endsWith("/2026-01-01/a.parquet");
  }

  @Test
  void parquetFilesWhoseTypesSparkCannotMergeAreCarriedWhenTheFirstFilesTypeHoldsBoth(
      @TempDir Path dir) {
    TestLake lake = TestLake.create(dir);
    landParquet(
        lake,
        dir,
        "facts",
        "2026-01-01",
        "a.parquet",
        lake.spark()
            .createDataFrame(
                List.of(RowFactory.create("O1", "12")),
                new StructType()
                    .add("order_id", DataTypes.StringType)
                    .add("amount", DataTypes.StringType)));
    landParquet(
        lake,
        dir,
        "facts",
        "2026-01-01",
        "b.parquet",
        lake.spark()
            .createDataFrame(
                List.of(RowFactory.create("O2", 2.5)),
                new StructType()
                    .add("order_id", DataTypes.StringType)
                    .add("amount", DataTypes.DoubleType)));

    BronzeReport report = run(lake, source(lake, "facts", "format = parquet"), Optional.empty());

    assertThat(report.rowsWritten()).isEqualTo(2);
    assertThat(table(lake, "bronze.facts").orderBy("order_id").collectAsList())
        .extracting(r -> r.<String>getAs("amount"))
        .containsExactly("12", "2.5");
  }

  @Test
  void compressedFilesAreIngestedAndFilesThePatternSkipsAreCounted(@TempDir Path dir)
      throws IOException {
    TestLake lake = TestLake.create(dir);
    String lines = "{\"id\":\"a\"}\n\n{broken\n{\"id\":\"b\"}\n";
    ByteArrayOutputStream gzip = new ByteArrayOutputStream();
    try (OutputStream out = new GZIPOutputStream(gzip)) {
      out.write(lines.getBytes(StandardCharsets.UTF_8));
    }
    land(lake, "items", "2026-01-01", "a.json.gz", gzip.toByteArray());
    BZip2Codec bzip2 = new BZip2Codec();
    bzip2.setConf(new Configuration());
    ByteArrayOutputStream bz = new ByteArrayOutputStream();
    try (OutputStream out = bzip2.createOutputStream(bz)) {
      out.write("{\"id\":\"c\"}\n".getBytes(StandardCharsets.UTF_8));
    }
    land(lake, "items", "2026-01-01", "b.json.bz2", bz.toByteArray());
    land(lake, "items", "2026-01-01", "d.json", gzip.toByteArray()); // gzip, named as text
    land(lake, "items", "2026-01-01", "notes.txt", "not data");
    land(lake, "items", "2026-01-01", "c.jsonl", "{\"id\":\"d\"}");

    BronzeReport report = run(lake, source(lake, "items", "format = json"), Optional.empty());

    assertThat(report.filesFound()).isEqualTo(3);
    assertThat(table(lake, "bronze.items").orderBy("id").collectAsList())
        .extracting(r -> r.<String>getAs("id"))
        .containsExactly("a", "b", "c");
    List<Row> rejects = table(lake, "bronze.items_rejects").orderBy("_source_file").collectAsList();
    assertThat(rejects)
        .extracting(
            r ->
                r.<String>getAs("_source_file").replaceAll(".*/", "")
                    + ":"
                    + r.getAs("_line_number")
                    + " "
                    + r.getAs("_reason"))
        .containsExactly(
            "a.json.gz:3 " + RejectReasons.MALFORMED_JSON,
            "d.json:1 " + RejectReasons.gzipWithoutExtension());
    assertThat(report.reconciles()).isTrue();
    assertThat(report.filesUnmatched()).isEqualTo(2);
    assertThat(report.summary())
        .contains("2 not matching the file pattern (not ingested: ")
        .contains("/2026-01-01/c.jsonl")
        .contains("/2026-01-01/notes.txt");
    assertThat(BronzeTestSupport.runsOf(lake, "bronze." + report.source()).get(0))
        .containsEntry("files_unmatched", "2");
  }

  @Test
  void aTruncatedGzipFileIsADataErrorNamingItNotATrace(@TempDir Path dir) throws IOException {
    TestLake lake = TestLake.create(dir);
    ByteArrayOutputStream gzip = new ByteArrayOutputStream();
    try (OutputStream out = new GZIPOutputStream(gzip)) {
      for (int i = 0; i < 2000; i++) {
        out.write(("{\"id\":\"" + i + "\"}\n").getBytes(StandardCharsets.UTF_8));
      }
    }
    byte[] whole = gzip.toByteArray();
    Path file =
        land(
            lake,
            "items",
            "2026-01-01",
            "a.json.gz",
            java.util.Arrays.copyOf(whole, whole.length / 2));

    LakehouseException e =
        catchThrowableOfType(
            () -> run(lake, source(lake, "items", "format = json"), Optional.empty()),
            LakehouseException.class);

    assertThat(e).isNotNull();
    assertThat(e.exitCode()).isEqualTo(ExitCode.DATA_ERROR);
    assertThat(e.getMessage())
        .doesNotContain("\n")
        .startsWith(
            "source 'items': compressed file "
                + new org.apache.hadoop.fs.Path(file.toUri())
                + " cannot be decompressed (");
    assertThat(
            lake.runtime().catalog().exists(lakehouse.common.catalog.TableId.of("bronze", "items")))
        .as("nothing written")
        .isFalse();
  }

  @Test
  void aLineOverTheLimitIsRejectedSayingSoWithItsFirstBytes(@TempDir Path dir) {
    TestLake lake = TestLake.create(dir, "lakehouse.bronze.max-line-bytes=100");
    String big = "{\"id\":\"big\",\"text\":\"" + "x".repeat(5000) + "\"}";
    land(lake, "items", "2026-01-01", "a.json", "{\"id\":\"a\"}", big, "{\"id\":\"b\"}");

    BronzeReport report = run(lake, source(lake, "items", "format = json"), Optional.empty());

    assertThat(report.rowsWritten()).isEqualTo(2);
    Row reject = table(lake, "bronze.items_rejects").first();
    assertThat(reject.<String>getAs("_reason"))
        .isEqualTo(RejectReasons.lineTooLong(100))
        .startsWith("line longer than 100 bytes");
    assertThat(reject.<Long>getAs("_line_number")).isEqualTo(2L);
    assertThat(reject.<String>getAs("_raw")).isEqualTo(big.substring(0, 100));
  }

  @Test
  void declarationMistakesAreUsageErrorsNamingFileAndLine(@TempDir Path dir) {
    Path conf = TestLake.copyConf(dir);
    BronzeTestSupport.declare(
        conf,
        "labels",
        "format = csv\nheder = false\n" + "columns = [customer_id, label_ts, churned]\n");
    BronzeTestSupport.declare(conf, "customers", "format = csv\n");

    CliRun typo =
        CliRun.of(new BronzeCommand(), "--conf-dir", conf.toString(), "--source", "labels");
    CliRun noColumns =
        CliRun.of(new BronzeCommand(), "--conf-dir", conf.toString(), "--source", "customers");

    assertThat(typo.exitCode()).as(typo.err()).isEqualTo(2);
    assertThat(typo.err().strip())
        .doesNotContain("\n")
        .startsWith(
            "error: conf/sources/labels.conf: heder (conf/sources/labels.conf:2): is not"
                + " a key of a source declaration");
    assertThat(noColumns.exitCode()).as(noColumns.err()).isEqualTo(2);
    assertThat(noColumns.err())
        .contains("conf/sources/customers.conf: columns")
        .contains("is required for a csv source");
  }

  @Test
  void theProjectsCsvSourcesDeclareTheSampleHeaders(@TempDir Path dir) {
    TestLake lake = TestLake.create(dir);
    for (var sample :
        List.of(lakehouse.sample.SampleSource.CUSTOMERS, lakehouse.sample.SampleSource.LABELS)) {
      SourceDefinition declared = SourceDefinition.load(lake.settings(), sample.sourceName());
      assertThat(declared.columns()).isEqualTo(sample.columns());
      assertThat(declared.header()).isTrue();
    }
  }
}
