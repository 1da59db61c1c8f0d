package lakehouse.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import lakehouse.common.testing.CliRun;
import lakehouse.common.testing.TestLake;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A domain shaped unlike the sample, declared only in a conf directory of its own ({@code
 * src/test/resources/domains/flights}) and run through the CLI from landed CSV to a rebuilt
 * training set: {@code NA} markers, a label derived in silver, a business key with exact and
 * conflicting duplicates, two gold feature sets of different entities joined into one training set
 * whose spine is a SQL query, and a TTL of one day and one microsecond.
 */
class SecondDomainEndToEndTest {
  @TempDir Path dir;

  private Path conf;
  private TestLake lake;

  private CliRun cli(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(
        List.of(
            "--conf-dir",
            conf.toString(),
            "--conf",
            "lakehouse.lake-root=" + lake.lakeRoot(),
            "--conf",
            "lakehouse.landing-root=" + lake.landingRoot()));
    CliRun run = CliRun.of(new LakehouseCli(), all.toArray(String[]::new));
    assertThat(run.exitCode()).as(String.join(" ", args) + "\n" + run.out() + run.err()).isZero();
    return run;
  }

  private void land(String source, String date, String... lines) throws IOException {
    Path folder =
        Path.of(lake.landingRoot().replaceFirst("^file:", "")).resolve(source).resolve(date);
    Files.createDirectories(folder);
    Files.writeString(folder.resolve(source + ".csv"), String.join("\n", lines) + "\n");
  }

  private long count(String sql) {
    return lake.spark().sql(sql).first().getLong(0);
  }

  @Test
  void csvToRebuiltTrainingSetThroughConfOnly() throws Exception {
    lake = TestLake.create(dir);
    conf = TestLake.copyConf(dir);
    Path declared = Path.of(getClass().getResource("/domains/flights").toURI());
    for (String kind : List.of("sources", "tables", "features", "training")) {
      replace(declared.resolve(kind), conf.resolve(kind));
    }
    land(
        "flights",
        "2024-05-03",
        "flight_id,carrier,origin,dep_ts,arr_delay",
        "F1,AA,jfk,2024-05-02T08:00:00Z,20",
        "F2,AA,LAX,2024-05-02T09:00:00Z,5",
        "F2,AA,LAX,2024-05-02T09:00:00Z,5", // exact duplicate
        "F3,BB,JFK,2024-05-03T10:00:00Z,NA", // no delay known: no label
        "F4,BB,JFK,2024-05-03T11:00:00Z,30",
        "F4,BB,JFK,2024-05-03T11:00:00Z,31", // the same flight with another delay
        "F5,AA,JFK,2024-05-03T12:00:00Z,0",
        "F6,AA,JFK,not a time,5"); // quarantined: dep_ts is required
    land(
        "weather",
        "2024-05-02",
        "site,obs_ts,temp_c,wind_kt",
        "JFK,2024-05-01T10:00:00Z,15.0,10",
        "JFK,2024-05-01T16:00:00Z,NA,20",
        "LAX,2024-05-01T12:00:00Z,22.5,5",
        "JFK,2024-05-02T10:00:00Z,17.0,30",
        "LAX,2024-05-02T12:00:00Z,NA,NA");

    cli("run", "bronze", "--all-sources");
    assertThat(
            count("SELECT count(*) FROM delta.`" + lake.lakeRoot() + "/bronze/flights`")
                + count(
                    "SELECT count(*) FROM delta.`" + lake.lakeRoot() + "/bronze/flights_rejects`"))
        .as("landed = bronze + rejects")
        .isEqualTo(8);
    assertThat(
            count(
                "SELECT count(*) FROM delta.`"
                    + lake.lakeRoot()
                    + "/bronze/flights`"
                    + " WHERE arr_delay IS NULL"))
        .as("NA is null in bronze")
        .isEqualTo(1);

    CliRun silver = cli("run", "silver", "--all-tables", "--date", "2024-05-03");
    assertThat(silver.out())
        .as("bronze = silver + quarantine + duplicates, told apart")
        .contains(
            "silver.flights run 2024-05-03: published; read 8 = inserted 5 + updated 0 + duplicates"
                + " discarded 2 (exact 1, conflicting 1, superseded 0) + quarantined 1")
        .contains("silver.weather run 2024-05-03: published; read 5 = inserted 5");
    assertThat(
            lake
                .spark()
                .sql(
                    "SELECT flight_id, late FROM delta.`"
                        + lake.lakeRoot()
                        + "/silver/flights` ORDER BY flight_id")
                .collectAsList()
                .stream()
                .map(Row::toString))
        .as("the label derived in silver")
        .containsExactly("[F1,true]", "[F2,false]", "[F3,null]", "[F4,true]", "[F5,false]");

    cli(
        "run",
        "gold",
        "--feature-set",
        "airport_weather",
        "--from",
        "2024-05-01",
        "--to",
        "2024-05-03");
    cli(
        "run",
        "gold",
        "--feature-set",
        "carrier_stats",
        "--from",
        "2024-05-01",
        "--to",
        "2024-05-03");

    CliRun built = cli("training-set", "build", "--spec", "delays");
    Matcher id = Pattern.compile("built training set (\\S+): 4 rows").matcher(built.out());
    assertThat(id.find()).as(built.out()).isTrue();
    String location = lake.lakeRoot() + "/gold/training_delays";
    List<String> rows =
        lake
            .spark()
            .read()
            .format("delta")
            .load(location)
            .orderBy("flight_id")
            .collectAsList()
            .stream()
            .map(Row::toString)
            .toList();
    assertThat(rows)
        .as("spine columns, then each table's features")
        .containsExactly(
            // F1 (May 2 at JFK) sees May 1: JFK's temperatures 15.0 and NA, winds 10 and 20;
            // carrier_stats has no row for AA before its first flight (May 2): no candidate.
            "[F1,AA,JFK,2024-05-02 08:00:00.0,true,15.0,20,null,null]",
            "[F2,AA,LAX,2024-05-02 09:00:00.0,false,22.5,5,null,null]",
            // F4 (May 3) sees May 2: JFK 17.0 and 30; BB first flies on May 3.
            "[F4,BB,JFK,2024-05-03 11:00:00.0,true,17.0,30,null,null]",
            // F5 sees May 2: AA flew F1 (20) and F2 (5) on May 2.
            "[F5,AA,JFK,2024-05-03 12:00:00.0,false,17.0,30,2,12.5]");
    assertThat(oracleRows())
        .as("an as-of join written in plain SQL agrees on every row")
        .isEqualTo(rows);

    CliRun rebuilt = cli("training-set", "rebuild", id.group(1));
    assertThat(rebuilt.out())
        .as("the query's pins and the sub-millisecond TTL kept exactly")
        .contains("(matches)");
  }

  /** The training rows by a range join and row_number over the gold tables, as of now. */
  private List<String> oracleRows() {
    String root = lake.lakeRoot();
    String sql =
        """
        WITH spine AS (SELECT flight_id, carrier, origin, dep_ts, late
                       FROM delta.`%1$s/silver/flights` WHERE late IS NOT NULL),
        w AS (SELECT s.flight_id, g.temp_avg_1d, g.wind_max_1d, row_number() OVER (
                PARTITION BY s.flight_id ORDER BY g.feature_time DESC) AS n
              FROM spine s JOIN delta.`%1$s/gold/airport_weather` g ON g.site = s.origin
               AND g.feature_time <= s.dep_ts
               AND g.feature_time >= s.dep_ts - INTERVAL 86400000001 MICROSECONDS),
        c AS (SELECT s.flight_id, g.flights_7d, g.arr_delay_avg_7d, row_number() OVER (
                PARTITION BY s.flight_id ORDER BY g.feature_time DESC) AS n
              FROM spine s JOIN delta.`%1$s/gold/carrier_stats` g ON g.carrier = s.carrier
               AND g.feature_time <= s.dep_ts)
        SELECT s.*, w.temp_avg_1d, w.wind_max_1d, c.flights_7d, c.arr_delay_avg_7d
        FROM spine s LEFT JOIN w ON w.flight_id = s.flight_id AND w.n = 1
        LEFT JOIN c ON c.flight_id = s.flight_id AND c.n = 1 ORDER BY s.flight_id
        """
            .formatted(root);
    return lake.spark().sql(sql).collectAsList().stream().map(Row::toString).toList();
  }

  private static void replace(Path from, Path to) throws IOException {
    try (Stream<Path> old = Files.list(to)) {
      for (Path file : old.toList()) {
        Files.delete(file);
      }
    }
    try (Stream<Path> files = Files.list(from)) {
      files.forEach(
          file -> {
            try {
              Files.copy(file, to.resolve(file.getFileName()));
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          });
    }
  }
}
