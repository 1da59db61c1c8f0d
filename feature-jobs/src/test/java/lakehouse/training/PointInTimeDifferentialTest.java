package lakehouse.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import lakehouse.common.ExitCode;
import lakehouse.common.LakehouseException;
import lakehouse.common.catalog.TableId;
import lakehouse.common.testing.TestLake;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The point-in-time rules against a brute-force reading of the contract, on random multi-version
 * feature tables ({@link RandomHistory}) and spines whose event times sit on every boundary:
 * feature times, TTL edges ± 1 µs, every commit instant ± 1 ms and ± 1 s, and each commit plus the
 * serving delay ± 1 ms. The reference replays the table version by version: latest, TTL, {@code
 * --version} and {@code --as-of} read the pinned version's rows; known-at reads, for each spine
 * row, the version committed at or before {@code event_time - delay}; the pick is the greatest
 * (feature time, commit that wrote the values, value hash).
 *
 * <p>With row tracking every build must agree row for row. Without it a build may instead fail with
 * the ambiguous-tie error (exit 4) — never succeed with a different row. Seeds: {@code
 * -Dpit.seeds=N} runs seeds 1..N, {@code -Dpit.seeds=A-B} seeds A..B ({@code
 * bench/training/differential.sh} runs many); every third seed's table has no row tracking.
 */
class PointInTimeDifferentialTest {
  private static final Duration TTL = Duration.ofMinutes(90);
  private static final Duration DELAY = Duration.ofMillis(1500).plusNanos(1000);
  private static final StructType SPINE =
      new StructType()
          .add("row_id", DataTypes.LongType)
          .add("site", DataTypes.StringType)
          .add("event_time", DataTypes.TimestampType);

  @TempDir static Path dir;

  static Stream<Long> seeds() {
    String seeds = System.getProperty("pit.seeds");
    if (seeds == null) {
      return Stream.of(2L, 3L);
    }
    String[] range = seeds.split("-", 2);
    return range.length == 1
        ? LongStream.rangeClosed(1, Long.parseLong(range[0])).boxed()
        : LongStream.rangeClosed(Long.parseLong(range[0]), Long.parseLong(range[1])).boxed();
  }

  private enum Mode {
    LATEST,
    TTL,
    VERSION,
    AS_OF,
    KNOWN_AT,
    KNOWN_AT_DELAY
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void buildsAgreeWithTheContractOnRandomHistories(long seed) throws Exception {
    boolean rowTracking = seed % 3 != 0;
    TestLake lake = TestLake.create(dir.resolve("seed" + seed));
    TableId table = TableId.of("gold", "site_readings");
    RandomHistory history = new RandomHistory(lake, table, seed, rowTracking).run(8);
    String context =
        "seed "
            + seed
            + (rowTracking ? "" : " (no row tracking)")
            + ", history "
            + history.operations;
    Row sparkHash = lake.spark().sql("SELECT xxhash64(CAST(2.5 AS DOUBLE))").first();
    assertThat(
            RandomHistory.pickOrder()
                .compare(
                    new RandomHistory.ModelRow("x", 0, 2.5, 0),
                    new RandomHistory.ModelRow("x", 0, 0.0, 0)))
        .as("the reference hashes values as Spark's xxhash64 does")
        .isEqualTo(
            Long.compare(
                sparkHash.getLong(0),
                lake.spark().sql("SELECT xxhash64(CAST(0.0 AS DOUBLE))").first().getLong(0)));

    List<Row> spine = spine(history);
    Instant base = history.commits.get(history.oldestRetained);
    List<Row> knowable =
        spine.stream()
            .filter(
                r -> r.isNullAt(2) || !r.getTimestamp(2).toInstant().minus(DELAY).isBefore(base))
            .toList();
    String fullSpine = writeSpine(lake, "spine_all_" + seed, spine);
    String knowableSpine = writeSpine(lake, "spine_knowable_" + seed, knowable);
    int ambiguous = 0;
    for (Mode mode : Mode.values()) {
      boolean knownAt = mode == Mode.KNOWN_AT || mode == Mode.KNOWN_AT_DELAY;
      Duration delay = mode == Mode.KNOWN_AT_DELAY ? DELAY : Duration.ZERO;
      BuildOptions options =
          BuildOptions.defaults().withOutput(dir.resolve("out-" + seed + "-" + mode).toString());
      long version = history.latest();
      if (mode == Mode.VERSION) {
        version = history.randomRetainedVersion();
        options = options.withVersion(table, version);
      } else if (mode == Mode.AS_OF) {
        version = history.randomRetainedVersion();
        Instant at = history.commits.get(version).plusMillis(history.random().nextInt(3));
        version =
            history.commits.entrySet().stream()
                .filter(e -> !e.getValue().isAfter(at))
                .mapToLong(Map.Entry::getKey)
                .max()
                .orElseThrow();
        options = options.withAsOf(at);
      } else if (knownAt) {
        options = options.withKnownAt(true, delay);
      }
      boolean cleaned = history.oldestRetained > 0;
      List<Row> rows = knownAt && cleaned ? knowable : spine;
      TrainingSpec spec =
          spec(lake, table, knownAt && cleaned ? knowableSpine : fullSpine, mode == Mode.TTL);
      List<String> expected =
          expected(
              history,
              rows,
              version,
              mode == Mode.TTL ? TTL : null,
              knownAt ? Optional.of(delay) : Optional.empty());
      try {
        TrainingSetManifest built =
            TrainingSetBuilder.run(lake.runtime(), new TrainingSetBuilder.Request(spec, options));
        List<String> actual =
            lake
                .spark()
                .read()
                .format("delta")
                .option("versionAsOf", built.outputVersion())
                .load(built.outputLocation())
                .collectAsList()
                .stream()
                .map(PointInTimeDifferentialTest::render)
                .sorted()
                .toList();
        compare(context + ", mode " + mode + ", version " + version, expected, actual);
      } catch (LakehouseException e) {
        if (rowTracking
            || e.exitCode() != ExitCode.DATA_ERROR
            || !e.getMessage().startsWith(TrainingErrors.AMBIGUOUS_TIE)) {
          throw new AssertionError(context + ", mode " + mode + ": " + e.getMessage(), e);
        }
        ambiguous++;
      }
      if (knownAt && cleaned && knowable.size() < spine.size()) {
        try {
          TrainingSetBuilder.run(
              lake.runtime(),
              new TrainingSetBuilder.Request(spec(lake, table, fullSpine, false), options));
          fail(
              context
                  + ": a known-at build whose spine starts before the retained log "
                  + "must fail");
        } catch (LakehouseException e) {
          assertThat(e.exitCode()).isEqualTo(ExitCode.DATA_ERROR);
          assertThat(e.getMessage()).contains("log is retained only from");
        }
      }
    }
    System.out.printf(
        "differential %s: %d spine rows x %d modes, %d loud ambiguous-tie " + "failures%n",
        context, spine.size(), Mode.values().length, ambiguous);
  }

  private static void compare(String context, List<String> expected, List<String> actual) {
    if (expected.equals(actual)) {
      return;
    }
    List<String> missing = new ArrayList<>(expected);
    actual.forEach(missing::remove);
    List<String> extra = new ArrayList<>(actual);
    expected.forEach(extra::remove);
    fail(
        context
            + ": "
            + missing.size()
            + " expected rows not built, e.g. "
            + missing.subList(0, Math.min(5, missing.size()))
            + "; built instead "
            + extra.subList(0, Math.min(5, extra.size())));
  }

  /** The brute-force reading of rules 1–7 for every spine row. */
  private static List<String> expected(
      RandomHistory history,
      List<Row> spine,
      long version,
      Duration ttl,
      Optional<Duration> knownAtDelay) {
    List<String> out = new ArrayList<>();
    for (Row row : spine) {
      Double value = null;
      if (!row.isNullAt(1) && !row.isNullAt(2)) {
        Instant t = row.getTimestamp(2).toInstant();
        long tMicros = micros(t);
        Long readVersion = version;
        if (knownAtDelay.isPresent()) {
          Instant knowledge = t.minus(knownAtDelay.get());
          Map.Entry<Long, Instant> known = null;
          for (Map.Entry<Long, Instant> commit :
              history.commits.headMap(version, true).entrySet()) {
            if (!commit.getValue().isAfter(knowledge)) {
              known = commit;
            }
          }
          readVersion = known == null ? null : known.getKey();
        }
        if (readVersion != null) {
          value =
              history.states.get(readVersion).stream()
                  .filter(
                      r ->
                          r.site().equals(row.getString(1))
                              && r.featureMicros() <= tMicros
                              && (ttl == null
                                  || r.featureMicros() >= tMicros - ttl.toNanos() / 1000))
                  .max(RandomHistory.pickOrder())
                  .map(RandomHistory.ModelRow::reading)
                  .orElse(null);
        }
      }
      out.add(
          row.get(0)
              + " | "
              + row.get(1)
              + " | "
              + (row.isNullAt(2) ? null : micros(row.getTimestamp(2).toInstant()))
              + " | "
              + value);
    }
    out.sort(null);
    return out;
  }

  private static String render(Row row) {
    return row.get(0)
        + " | "
        + row.get(1)
        + " | "
        + (row.isNullAt(2) ? null : micros(row.getTimestamp(2).toInstant()))
        + " | "
        + row.get(3);
  }

  /** Event times on every boundary, for every site, one absent site and a null key. */
  private static List<Row> spine(RandomHistory history) {
    List<Long> times = new ArrayList<>();
    long ttl = TTL.toNanos() / 1000;
    for (long ft : history.featureTimes) {
      for (long t : new long[] {ft, ft - 1, ft + 1, ft + ttl, ft + ttl - 1, ft + ttl + 1}) {
        times.add(t);
      }
    }
    long delay = DELAY.toNanos() / 1000;
    for (Instant commit : history.commits.values()) {
      long c = micros(commit);
      for (long t :
          new long[] {
            c,
            c - 1000,
            c + 1000,
            c - 1_000_000,
            c + 1_000_000,
            c + delay,
            c + delay - 1000,
            c + delay + 1000,
            c + delay - 1,
            c + delay + 1
          }) {
        times.add(t);
      }
    }
    List<Row> rows = new ArrayList<>();
    long id = 0;
    List<String> sites = new ArrayList<>(RandomHistory.SITES);
    sites.add("absent");
    for (long t : times) {
      for (String site : sites) {
        rows.add(RowFactory.create(id++, site, timestamp(t)));
      }
    }
    for (int i = 0; i < 5; i++) {
      rows.add(rows.get(i * 7)); // duplicate spine rows stay duplicates (rule 1)
    }
    rows.add(RowFactory.create(id, null, timestamp(times.get(0))));
    return rows;
  }

  private static String writeSpine(TestLake lake, String name, List<Row> rows) {
    String path = dir.resolve(name).toString();
    lake.spark().createDataFrame(rows, SPINE).coalesce(1).write().parquet(path);
    return path;
  }

  private static TrainingSpec spec(TestLake lake, TableId table, String spinePath, boolean ttl)
      throws Exception {
    return TrainingSpec.load(
        LakeTables.spec(
            dir,
            "readings",
            """
            name = readings
            spine { path = "%s", format = parquet, keys = [site], event-time = event_time }
            features = [ { table = %s, feature-time = obs_time, features = [reading],
                           rename { reading = reading } %s } ]
            """
                .formatted(spinePath, table, ttl ? ", ttl = 90 minutes" : "")));
  }

  private static Timestamp timestamp(long micros) {
    Timestamp ts = new Timestamp(Math.floorDiv(micros, 1000));
    ts.setNanos((int) Math.floorMod(micros, 1_000_000) * 1000);
    return ts;
  }

  private static long micros(Instant at) {
    return at.getEpochSecond() * 1_000_000L + at.getNano() / 1000;
  }
}
