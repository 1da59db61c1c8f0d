package lakehouse.bronze;

import static lakehouse.bronze.BronzeTestSupport.land;
import static lakehouse.bronze.BronzeTestSupport.run;
import static lakehouse.bronze.BronzeTestSupport.source;
import static lakehouse.bronze.BronzeTestSupport.table;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import lakehouse.common.ExitCode;
import lakehouse.common.LakehouseException;
import lakehouse.common.testing.CliRun;
import lakehouse.common.testing.SparkTestSession;
import lakehouse.common.testing.TestLake;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Declared null markers of CSV sources (issue 18) on a domain shaped unlike the sample: hourly site
 * observations with {@code NA} for a missing reading, and reader options that bronze does not
 * honour, which are declaration errors instead of being ignored.
 */
class NullMarkersAndOptionsTest {
  private static final String SITES =
      String.join(
          "\n",
          "format = csv",
          "columns = [site, observed_at, temp_c, wind_kmh, status]",
          "schema-hints = \"temp_c DOUBLE, wind_kmh INT\"");

  @BeforeAll
  static void session() {
    SparkTestSession.get(); // the CLI tests work on the JVM's running session
  }

  @Test
  void aDeclaredNullMarkerIsNullInAHintedColumnAndAnyOtherNotARejectedLine(@TempDir Path dir) {
    TestLake lake = TestLake.create(dir);
    land(
        lake,
        "sites",
        "2026-03-01",
        "obs.csv",
        "site;observed_at;temp_c;wind_kmh;status",
        "S1;2026-03-01T00:00:00Z;4.5;12;ok",
        "S1;2026-03-01T01:00:00Z;NA;NA;NA",
        "S2;2026-03-01T00:00:00Z;\"NA\";7;n/a",
        "S2;2026-03-01T01:00:00Z;-;3;ok",
        "S3;2026-03-01T00:00:00Z;warm;NA;ok",
        "S3;2026-03-01T01:00:00Z;;;ok");

    BronzeReport report =
        run(
            lake,
            source(lake, "sites", SITES + "\noptions { sep = \";\", nullValue = [NA, \"-\"] }"),
            Optional.empty());

    assertThat(report.reconciles()).isTrue();
    assertThat(List.of(report.recordsRead(), report.rowsWritten(), report.rowsRejected()))
        .as(
            "read = written + rejected; only a value that is no marker and no number is a"
                + " reject")
        .containsExactly(6L, 5L, 1L);
    List<Row> rows = table(lake, "bronze.sites").orderBy("site", "observed_at").collectAsList();
    assertThat(rows)
        .extracting(
            r ->
                r.getAs("site")
                    + " "
                    + r.getAs("temp_c")
                    + " "
                    + r.getAs("wind_kmh")
                    + " "
                    + r.getAs("status"))
        .as(
            "markers are null, quoted or not, in typed and string columns alike; other text"
                + " stays")
        .containsExactly(
            "S1 4.5 12 ok",
            "S1 null null null",
            "S2 null 7 n/a",
            "S2 null 3 ok",
            "S3 null null ok");
    Row reject = table(lake, "bronze.sites_rejects").first();
    assertThat(reject.<String>getAs("_reason"))
        .isEqualTo(RejectReasons.typeMismatch("temp_c", "double", "warm"));
    assertThat(reject.<String>getAs("_raw"))
        .as("the line as landed, marker included")
        .isEqualTo("S3;2026-03-01T00:00:00Z;warm;NA;ok");
  }

  @Test
  void sparksSingleStringFormIsHonouredToo(@TempDir Path dir) {
    TestLake lake = TestLake.create(dir);
    land(
        lake,
        "sites",
        "2026-03-01",
        "obs.csv",
        "site,observed_at,temp_c,wind_kmh,status",
        "S1,2026-03-01T00:00:00Z,NA,5,NA",
        "S2,2026-03-01T00:00:00Z,-,5,ok");

    SourceDefinition sites = source(lake, "sites", SITES + "\noptions { nullValue = \"NA\" }");
    BronzeReport report = run(lake, sites, Optional.empty());

    assertThat(sites.nullValues()).containsExactly("NA");
    assertThat(report.rowsWritten()).isEqualTo(1);
    Row s1 = table(lake, "bronze.sites").first();
    assertThat(s1.isNullAt(s1.fieldIndex("temp_c"))).isTrue();
    assertThat(s1.isNullAt(s1.fieldIndex("status"))).isTrue();
    assertThat(table(lake, "bronze.sites_rejects").first().<String>getAs("_reason"))
        .as("only the declared marker")
        .isEqualTo(RejectReasons.typeMismatch("temp_c", "double", "-"));
  }

  @Test
  void optionsBronzeDoesNotHonourAreDeclarationErrorsNamingOptionFileAndLine(@TempDir Path dir) {
    Path conf = TestLake.copyConf(dir);
    BronzeTestSupport.declare(
        conf,
        "labels",
        String.join(
            "\n",
            "format = csv",
            "columns = [customer_id, label_ts, churned]",
            "options {",
            "  nullvalue = NA",
            "  escape = \"\\\\\"",
            "  header = false",
            "}"));
    BronzeTestSupport.declare(
        conf,
        "events",
        String.join(
            "\n",
            "format = json",
            "options {",
            "  allowComments = true",
            "  multiLine = true",
            "  nullValue = NA",
            "  allowComment = true",
            "}"));

    CliRun csv =
        CliRun.of(new BronzeCommand(), "--conf-dir", conf.toString(), "--source", "labels");
    CliRun json =
        CliRun.of(new BronzeCommand(), "--conf-dir", conf.toString(), "--source", "events");

    assertThat(csv.exitCode()).as(csv.err()).isEqualTo(ExitCode.USAGE.code());
    assertThat(problems(csv))
        .as(
            "nullvalue is nullValue (names without case, as"
                + " in Spark); the others are named with their lines")
        .containsExactlyInAnyOrder(
            "conf/sources/labels.conf: options.escape (conf/sources/labels.conf:5): is not"
                + " an option bronze honours for csv sources; a csv source takes delimiter, quote,"
                + " nullValue (sep for delimiter)",
            "conf/sources/labels.conf: options.header (conf/sources/labels.conf:6): is not"
                + " supported by bronze: use the declaration's own key: header = true | false; a"
                + " csv source takes delimiter, quote, nullValue (sep for delimiter)");
    assertThat(json.exitCode()).as(json.err()).isEqualTo(ExitCode.USAGE.code());
    assertThat(problems(json))
        .satisfiesExactlyInAnyOrder(
            l ->
                assertThat(l)
                    .isEqualTo(
                        "conf/sources/events.conf: options.multiLine (conf/sources/events.conf:4):"
                            + " is not supported by bronze: bronze reads the files itself, one"
                            + " record per line; a json source takes "
                            + String.join(", ", SourceOptions.JSON)),
            l ->
                assertThat(l)
                    .startsWith(
                        "conf/sources/events.conf: options.nullValue (conf/sources/events.conf:5):"
                            + " is not supported by bronze: JSON and parquet files have nulls of"
                            + " their own")
                    .contains("silver table contract (null-values)"),
            l ->
                assertThat(l)
                    .startsWith(
                        "conf/sources/events.conf: options.allowComment"
                            + " (conf/sources/events.conf:6): is not an option bronze honours for"
                            + " json sources")
                    .contains("allowComments"));
  }

  /** The problems a CLI run printed, one a line, without the leading "error: ". */
  private static List<String> problems(CliRun run) {
    return run.err().lines().map(l -> l.replaceFirst("^error: ", "")).toList();
  }

  @Test
  void aMarkerListMustHoldStringsAndOtherOptionsOneValue(@TempDir Path dir) {
    TestLake lake = TestLake.create(dir);
    LakehouseException e =
        catchThrowableOfType(
            () ->
                source(
                    lake,
                    "sites",
                    SITES + "\noptions { nullValue = [NA, [x]], delimiter = [\";\"] }"),
            LakehouseException.class);
    assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(e.getMessage().lines().toList())
        .satisfiesExactlyInAnyOrder(
            l ->
                assertThat(l)
                    .startsWith("test source sites: options.nullValue")
                    .contains("must be a list of strings"),
            l ->
                assertThat(l)
                    .startsWith("test source sites: options.delimiter")
                    .contains("must be a single value"));
  }
}
