package lakehouse.silver;

import static lakehouse.silver.BronzeFixture.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import lakehouse.common.ExitCode;
import lakehouse.common.LakehouseException;
import lakehouse.common.LakehouseRuntime;
import lakehouse.common.catalog.TableId;
import lakehouse.common.testing.CliRun;
import lakehouse.common.testing.TestLake;
import lakehouse.silver.quality.CheckOutcome;
import lakehouse.silver.quality.CheckOutcome.Status;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18 on a domain shaped unlike the sample: flights landed as CSV (every value a string,
 * {@code NA} for a missing one), declared in a conf directory of its own. Null markers per table
 * and per column, a derived label checked and written to silver, a business key with exact,
 * conflicting and superseded duplicates told apart, uniqueness measured on the input, row-count on
 * the rows published, and every new declaration key's mistakes as exit 2 with file and line.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DeclaredDomainTest {
  static final StructType FLIGHTS =
      fixture(
          "carrier",
          "flight_no",
          "flight_date",
          "sched_dep",
          "origin",
          "country",
          "dep_delay",
          "arr_delay",
          "cancelled");
  static final TableId SILVER = TableId.of("silver", "flights");

  static final String CONTRACT =
      String.join(
          "\n",
          "source = bronze.flights",
          "history = latest",
          "business-key = [carrier, flight_no, flight_date]",
          "event-time = sched_dep",
          "null-values = [NA]",
          "columns = [",
          "  { name = carrier, type = string, case = upper, required = true }",
          "  { name = flight_no, type = int, required = true }",
          "  { name = flight_date, type = date, required = true }",
          "  { name = sched_dep, type = timestamp, required = true }",
          "  { name = origin, type = string, case = upper }",
          "  # NA is Namibia here: the column opts out of the table's markers",
          "  { name = country, type = string, null-values = [] }",
          "  { name = dep_delay, type = int, null-values = [NA, \"-\"] }",
          "  { name = arr_delay, type = int }",
          "  { name = cancelled, type = boolean, case = upper, map { Y = true, N = false, \"?\" ="
              + " null } }",
          "]",
          "derived {",
          "  late = \"arr_delay > 15\"",
          "  delay_band = \"CASE WHEN cancelled THEN 'cancelled' WHEN late IS NULL THEN 'unknown'"
              + " WHEN late THEN 'late' ELSE 'on_time' END\"",
          "}",
          "checks = [",
          "  { type = allowed-values, column = delay_band, values = [cancelled, late, on_time,"
              + " unknown], severity = error }",
          "  { type = uniqueness, columns = [carrier, flight_no, flight_date, sched_dep],"
              + " severity = warn }",
          "  { type = conflicting-duplicates, severity = warn }",
          "  { type = completeness, column = late, min-fraction = 0.5, severity = warn }",
          "  { type = row-count, min = 1, severity = warn }",
          "]");

  @TempDir static Path dir;
  static TestLake lake;
  static Path conf;
  static BronzeFixture bronze;

  static StructType fixture(String... columns) {
    StructType schema = new StructType();
    for (String c : columns) {
      schema = schema.add(c, DataTypes.StringType, true);
    }
    return schema
        .add("_ingested_at", DataTypes.TimestampType, true)
        .add("_source_file", DataTypes.StringType, true)
        .add("_run_id", DataTypes.StringType, true)
        .add("_landing_date", DataTypes.DateType, true);
  }

  static LakehouseRuntime runtime() {
    if (lake == null) {
      conf = TestLake.copyConf(dir);
      declare("flights", CONTRACT);
      lake = TestLake.create(dir);
      bronze = new BronzeFixture(lake);
    }
    return lake.runtime();
  }

  static SilverReport run(String table, String date) {
    return SilverJob.run(
        runtime(),
        new SilverJob.Request(
            lakehouse.silver.contract.TableContracts.load(conf, table), LocalDate.parse(date)));
  }

  static Object[] flight(
      String carrier,
      String no,
      String dep,
      String country,
      String depDelay,
      String arrDelay,
      String cancelled) {
    return row(carrier, no, "2024-05-01", dep, "jfk", country, depDelay, arrDelay, cancelled);
  }

  static Map<String, Row> silverByFlight() {
    return runtime().catalog().read(SILVER).collectAsList().stream()
        .collect(Collectors.toMap(r -> r.getString(0) + r.getInt(1), r -> r));
  }

  static CheckOutcome outcome(SilverReport report, String check) {
    return report.outcomes().stream()
        .filter(o -> o.check().equals(check))
        .findFirst()
        .orElseThrow(() -> new AssertionError(check + " not in " + report.lines()));
  }

  @Test
  @Order(1)
  void markersAreNullBeforeTheCastDerivedColumnsAreWrittenAndDuplicatesAreToldApart() {
    runtime();
    bronze.append(
        "flights",
        FLIGHTS,
        "2024-05-01",
        "2024-05-02T06:00:00Z",
        List.of(
            flight("AA", "101", "2024-05-01T08:00:00Z", "US", "5", "20", "N"),
            flight("AA", "102", "2024-05-01T09:00:00Z", "US", "NA", "NA", "?"),
            flight("AA", "103", "2024-05-01T10:00:00Z", "NA", "-", "3", "n"),
            // an exact copy of AA101
            flight("AA", "101", "2024-05-01T08:00:00Z", "US", "5", "20", "N"),
            // one version, two stories: a conflicting duplicate
            flight("BA", "201", "2024-05-01T11:00:00Z", "GB", "0", "10", "N"),
            flight("BA", "201", "2024-05-01T11:00:00Z", "GB", "0", "45", "N"),
            // rescheduled: the earlier departure is superseded
            flight("BA", "202", "2024-05-01T12:00:00Z", "GB", "0", "5", "N"),
            flight("BA", "202", "2024-05-01T13:00:00Z", "GB", "0", "50", "N"),
            flight("UA", "301", "2024-05-01T14:00:00Z", "US", "NA", "NA", "Y"),
            // quarantined: a value that does not cast; a required value that is a marker
            flight("UA", "abc", "2024-05-01T15:00:00Z", "US", "1", "1", "N"),
            flight("NA", "302", "2024-05-01T16:00:00Z", "US", "1", "1", "N")));

    SilverReport report = run("flights", "2024-05-01");

    assertThat(report.reconciles()).as(String.join("\n", report.lines())).isTrue();
    assertThat(
            List.of(
                report.rowsRead(),
                report.inserted(),
                report.updated(),
                report.exactDuplicates(),
                report.conflictingDuplicates(),
                report.supersededVersions(),
                report.quarantined()))
        .as("read = inserted + updated + exact + conflicting + superseded" + " + quarantined")
        .containsExactly(11L, 6L, 0L, 1L, 1L, 1L, 2L);
    assertThat(report.duplicatesDiscarded()).isEqualTo(3);
    assertThat(report.lines().get(0))
        .contains("duplicates discarded 3 (exact 1, conflicting 1, superseded 1) + quarantined 2");

    assertThat(runtime().catalog().read(SILVER).columns())
        .as("derived columns follow the" + " declared ones")
        .startsWith(
            "carrier",
            "flight_no",
            "flight_date",
            "sched_dep",
            "origin",
            "country",
            "dep_delay",
            "arr_delay",
            "cancelled",
            "late",
            "delay_band");
    assertThat(runtime().catalog().read(SILVER).schema().apply("late").dataType())
        .isEqualTo(DataTypes.BooleanType);
    Map<String, Row> silver = silverByFlight();
    assertThat(silver.keySet())
        .containsExactlyInAnyOrder("AA101", "AA102", "AA103", "BA201", "BA202", "UA301");
    assertThat(values(silver.get("AA101"))).isEqualTo("20 5 true late US false");
    assertThat(values(silver.get("AA102")))
        .as("NA is null in typed columns, ? is mapped to" + " null; the label is unknown")
        .isEqualTo("null null null unknown US null");
    assertThat(values(silver.get("AA103")))
        .as("the column's own marker '-'; NA kept where the" + " column opts out")
        .isEqualTo("3 null false on_time NA false");
    assertThat(values(silver.get("BA201")))
        .as("the later of the conflicting rows (raw values," + " same ingestion)")
        .isEqualTo("45 0 true late GB false");
    assertThat(values(silver.get("BA202")))
        .as("the latest departure")
        .isEqualTo("50 0 true late GB false");
    assertThat(values(silver.get("UA301"))).isEqualTo("null null null cancelled US true");

    Map<String, List<String>> quarantined =
        runtime()
            .catalog()
            .read(TableId.of("silver", "flights_quarantine"))
            .collectAsList()
            .stream()
            .collect(
                Collectors.toMap(
                    r -> r.<String>getAs("_raw").replaceAll(".*\"flight_no\":\"([^\"]+)\".*", "$1"),
                    r -> r.<String>getList(0)));
    assertThat(quarantined)
        .as("a marker in a required column is a missing value, not a cast" + " failure")
        .containsOnly(
            Map.entry("abc", List.of("cast:flight_no")),
            Map.entry("302", List.of("required:carrier")));

    CheckOutcome unique = outcome(report, "uniqueness_carrier_flight_no_flight_date_sched_dep");
    assertThat(unique.status())
        .as("measured on the input: the conflicting BA201 rows share a" + " version")
        .isEqualTo(Status.FAILED);
    assertThat(unique.value()).as("6 of 8 distinct rows unique").isEqualTo(0.75);
    CheckOutcome conflicts = outcome(report, "conflicting_duplicates");
    assertThat(conflicts.status()).isEqualTo(Status.FAILED);
    assertThat(conflicts.detail())
        .contains("1 of 11 rows share business key and sched_dep")
        .contains(
            "(carrier=BA, flight_no=201, flight_date=2024-05-01,"
                + " sched_dep=2024-05-01T11:00:00Z)");
    assertThat(outcome(report, "allowed_values_delay_band").status()).isEqualTo(Status.PASSED);
    assertThat(outcome(report, "completeness_late").value())
        .as("over the 6 rows published")
        .isCloseTo(4.0 / 6, org.assertj.core.api.Assertions.within(1e-9));
    assertThat(outcome(report, "row_count").value()).isEqualTo(6.0);
    assertThat(report.status()).isEqualTo("published");

    List<Row> volumes =
        runtime()
            .catalog()
            .read(TableId.of("silver", "flights_quality_metrics"))
            .where("table = 'flights' AND check = '_volume'")
            .collectAsList();
    assertThat(
            volumes.stream()
                .collect(
                    Collectors.toMap(
                        r -> r.<String>getAs("metric"), r -> r.<Double>getAs("value"))))
        .containsEntry("exact_duplicates", 1.0)
        .containsEntry("conflicting_duplicates", 1.0)
        .containsEntry("superseded_versions", 1.0)
        .containsEntry("conflicting_updates", 0.0);
  }

  @Test
  @Order(2)
  void againstSilverAConflictIsCountedWhicheverRowWins() {
    bronze.append(
        "flights",
        FLIGHTS,
        "2024-05-02",
        "2024-05-03T06:00:00Z",
        List.of(
            // the same version as silver's with another arrival delay: a later ingestion wins
            flight("AA", "101", "2024-05-01T08:00:00Z", "US", "5", "25", "N"),
            // exactly what silver holds (NA and ? as before)
            flight("AA", "102", "2024-05-01T09:00:00Z", "US", "NA", "NA", "?"),
            // older than silver's version
            flight("BA", "202", "2024-05-01T12:00:00Z", "GB", "0", "5", "N"),
            flight("DL", "401", "2024-05-01T17:00:00Z", "US", "2", "16", "N")));

    SilverReport report = run("flights", "2024-05-02");

    assertThat(report.reconciles()).isTrue();
    assertThat(
            List.of(
                report.rowsRead(),
                report.inserted(),
                report.updated(),
                report.exactDuplicates(),
                report.conflictingDuplicates(),
                report.supersededVersions(),
                report.conflictingUpdates()))
        .containsExactly(4L, 1L, 1L, 1L, 0L, 1L, 1L);
    assertThat(report.lines().get(0))
        .contains(
            "1 of the updates replaced a row of the same key"
                + " and event time with other values");
    assertThat(outcome(report, "conflicting_duplicates").detail())
        .contains("(0 discarded, 1 replaced silver's row)")
        .contains("carrier=AA, flight_no=101");
    assertThat(values(silverByFlight().get("AA101"))).isEqualTo("25 5 true late US false");
    assertThat(values(silverByFlight().get("DL401"))).isEqualTo("16 2 true late US false");
  }

  @Test
  @Order(3)
  void rowCountMeasuresTheRowsPublished() {
    bronze.append(
        "flights",
        FLIGHTS,
        "2024-05-03",
        "2024-05-04T06:00:00Z",
        List.<Object[]>of(flight("DL", "401", "2024-05-01T17:00:00Z", "US", "2", "16", "N")));

    SilverReport report = run("flights", "2024-05-03");

    assertThat(List.of(report.rowsRead(), report.exactDuplicates())).containsExactly(1L, 1L);
    CheckOutcome rowCount = outcome(report, "row_count");
    assertThat(rowCount.value()).as("a copy of what silver holds publishes nothing").isZero();
    assertThat(rowCount.status()).isEqualTo(Status.FAILED);
    assertThat(report.warnings()).extracting(CheckOutcome::check).contains("row_count");
  }

  @Test
  @Order(4)
  void errorChecksOnConflictsAndOnAKeyThatIsNotUniqueStopThePublish() {
    // The same bronze table under a stricter contract, and a key that leaves out the flight.
    // Read from the start in one batch: BA201 and AA101 (20 against 25) conflict, 2 of 16.
    declare(
        "flights_strict",
        CONTRACT
            .replace(
                "{ type = conflicting-duplicates, severity = warn }",
                "{ type = conflicting-duplicates, severity = error, max-fraction = 0.05 }")
            .replace(
                "columns = [carrier, flight_no, flight_date, sched_dep]," + " severity = warn",
                "columns = [carrier, flight_date], severity = error"));

    LakehouseException e =
        catchThrowableOfType(() -> run("flights_strict", "2024-05-03"), LakehouseException.class);

    assertThat(e.exitCode()).isEqualTo(ExitCode.QUALITY_GATE);
    assertThat(e.getMessage())
        .contains("silver.flights_strict was not changed")
        .contains("uniqueness_carrier_flight_date [uniqueness, error]: failed")
        .contains(
            "conflicting_duplicates [conflicting-duplicates, error]: failed"
                + " (ConflictingFraction = 0.1250, required <= 0.05)");
    assertThat(runtime().catalog().exists(TableId.of("silver", "flights_strict"))).isFalse();
  }

  @Test
  @Order(5)
  void mistakesInEachNewKeyAreNamedWithFileAndLine() {
    declare(
        "broken",
        String.join(
            "\n",
            "source = bronze.flights",
            "business-key = [carrier]",
            "event-time = sched_dep",
            "nul-values = [NA]",
            "null-values = { NA = 1 }",
            "columns = [",
            "  { name = carrier, type = string, required = true, requried = true }",
            "  { name = sched_dep, type = timestamp, required = true, null-values = [[NA]] }",
            "  { name = arr_delay, type = int, map { NA = [1] } }",
            "]",
            "derived {",
            "  late = \"arr_delay >\"",
            "  carrier = \"upper(carrier)\"",
            "  \"Bad-Name\" = \"1\"",
            "  number = 15",
            "}",
            "checks = [",
            "  { type = conflicting-duplicates, severity = warn, max-fraktion = 0.1 }",
            "  { type = row-count, min = 1, column = carrier, severity = warn }",
            "  { type = conflicting-duplicates, name = c2, severity = warn, max-fraction = 2 }",
            "]"));

    LakehouseException e =
        catchThrowableOfType(
            () -> lakehouse.silver.contract.TableContracts.load(conf, "broken"),
            LakehouseException.class);

    assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE);
    String f = "conf/tables/broken.conf";
    assertThat(e.getMessage().lines().toList())
        .satisfiesExactlyInAnyOrder(
            l ->
                assertThat(l)
                    .startsWith(
                        f
                            + ": nul-values ("
                            + f
                            + ":4): is not a key of a table"
                            + " contract; known keys: source, history, business-key"),
            l ->
                assertThat(l)
                    .startsWith(f + ": null-values (" + f + ":5): must be a list of" + " strings"),
            l ->
                assertThat(l)
                    .startsWith(
                        f
                            + " columns[0]: requried ("
                            + f
                            + ":7): is not a key of"
                            + " a column; known keys: name, type"),
            l ->
                assertThat(l)
                    .startsWith(
                        f
                            + " columns[1]: null-values ("
                            + f
                            + ":8): must be a"
                            + " list of strings"),
            l ->
                assertThat(l)
                    .startsWith(
                        f
                            + " columns[2]: map.NA ("
                            + f
                            + ":9): must be a single"
                            + " value or null"),
            l ->
                assertThat(l)
                    .startsWith(
                        f + ": derived.late (" + f + ":12): is not a Spark SQL" + " expression: "),
            l ->
                assertThat(l)
                    .startsWith(
                        f
                            + ": derived.carrier ("
                            + f
                            + ":13): 'carrier' is a"
                            + " declared column"),
            l ->
                assertThat(l)
                    .startsWith(
                        f
                            + ": derived.Bad-Name ("
                            + f
                            + ":14): 'Bad-Name'"
                            + " must be lower case"),
            l ->
                assertThat(l)
                    .startsWith(
                        f
                            + ": derived.number ("
                            + f
                            + ":15): must be a Spark SQL"
                            + " expression in a string"),
            l ->
                assertThat(l)
                    .startsWith(
                        f
                            + " checks[0]: max-fraktion ("
                            + f
                            + ":18): is not a field of a conflicting-duplicates check; its fields:"
                            + " type, name, severity, max-fraction"),
            l ->
                assertThat(l)
                    .startsWith(
                        f
                            + " checks[1]: column ("
                            + f
                            + ":19): a row-count check"
                            + " is table-wide"),
            l ->
                assertThat(l)
                    .startsWith(
                        f
                            + " checks[2]: max-fraction ("
                            + f
                            + ":20): must lie"
                            + " between 0 and 1"));
  }

  @Test
  @Order(6)
  void derivedExpressionsThatDoNotResolveAreExit2FromTheCommand() {
    declare(
        "flights_bad_derived",
        String.join(
            "\n",
            "source = bronze.flights",
            "business-key = [carrier]",
            "event-time = sched_dep",
            "columns = [",
            "  { name = carrier, type = string, required = true }",
            "  { name = sched_dep, type = timestamp, required = true }",
            "  { name = arr_delay, type = int }",
            "]",
            "derived {",
            "  late = \"arr_dlay > 15\"",
            "  mean_delay = \"avg(arr_delay)\"",
            "  coin = \"rand() > 0.5\"",
            "  age = \"datediff(current_date(), sched_dep)\"",
            "  label = \"CAST(arr_delay > 15 AS INT)\"",
            "  ranked = \"row_number() OVER (ORDER BY sched_dep)\"",
            "}",
            "checks = [",
            "  { type = range, column = label, min = 0, max = 1, severity = error }",
            "]"));

    CliRun run =
        CliRun.of(
            new SilverCommand(),
            "--conf-dir",
            conf.toString(),
            "--conf",
            "lakehouse.lake-root=" + lake.lakeRoot(),
            "--conf",
            "lakehouse.landing-root=" + lake.landingRoot(),
            "--table",
            "flights_bad_derived",
            "--date",
            "2024-05-03");

    assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.USAGE.code());
    String f = "conf/tables/flights_bad_derived.conf";
    assertThat(run.err().lines().map(l -> l.replaceFirst("^error: ", "")).toList())
        .satisfiesExactlyInAnyOrder(
            l ->
                assertThat(l)
                    .startsWith(
                        f
                            + ": derived.late ("
                            + f
                            + ":10): cannot be computed"
                            + " from the typed columns: ")
                    .contains("`arr_dlay`"),
            l ->
                assertThat(l)
                    .startsWith(
                        f
                            + ": derived.mean_delay ("
                            + f
                            + ":11): must be"
                            + " computed from the row's own values"),
            l ->
                assertThat(l)
                    .startsWith(f + ": derived.coin (" + f + ":12): must be" + " deterministic"),
            l ->
                assertThat(l)
                    .startsWith(
                        f
                            + ": derived.age ("
                            + f
                            + ":13): must give the same"
                            + " value whenever it runs: current_date() is not allowed"),
            l ->
                assertThat(l)
                    .startsWith(
                        f
                            + ": derived.ranked ("
                            + f
                            + ":15): must be"
                            + " computed from the row's own values"));
    assertThat(runtime().catalog().exists(TableId.of("silver", "flights_bad_derived"))).isFalse();
  }

  @Test
  @Order(7)
  void aDerivedColumnDeclaredLaterIsAddedToTheTable() {
    declare("flights", CONTRACT.replace("derived {", "derived {\n  early = \"arr_delay < 0\""));
    bronze.append(
        "flights",
        FLIGHTS,
        "2024-05-04",
        "2024-05-05T06:00:00Z",
        List.of(
            flight("DL", "402", "2024-05-01T18:00:00Z", "US", "0", "-4", "N"),
            // a correction of AA103 (a later departure): the new column is filled in
            flight("AA", "103", "2024-05-01T10:30:00Z", "NA", "-", "30", "N")));

    SilverReport report = run("flights", "2024-05-04");

    assertThat(List.of(report.inserted(), report.updated())).containsExactly(1L, 1L);
    Map<String, Row> silver = silverByFlight();
    assertThat(silver.get("DL402").<Boolean>getAs("early")).isTrue();
    assertThat(silver.get("AA103").<Boolean>getAs("early")).isFalse();
    assertThat(silver.get("AA101").<Boolean>getAs("early"))
        .as("published before the column" + " was declared")
        .isNull();
    assertThat(values(silver.get("AA103"))).isEqualTo("30 null true late NA false");
  }

  /** arr_delay, dep_delay, late, delay_band, country, cancelled. */
  static String values(Row r) {
    return r.getAs("arr_delay")
        + " "
        + r.getAs("dep_delay")
        + " "
        + r.getAs("late")
        + " "
        + r.getAs("delay_band")
        + " "
        + r.getAs("country")
        + " "
        + r.getAs("cancelled");
  }

  static void declare(String table, String hocon) {
    try {
      Files.writeString(conf.resolve("tables").resolve(table + ".conf"), hocon);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
