package lakehouse.gold;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.LocalDate;
import lakehouse.common.ExitCode;
import lakehouse.common.LakehouseException;
import lakehouse.common.catalog.TableId;
import lakehouse.common.testing.CliRun;
import lakehouse.common.testing.StepLines;
import lakehouse.gold.declarations.FeatureSet;
import lakehouse.gold.declarations.FeatureSetLoader;
import lakehouse.gold.drift.DriftComparison;
import lakehouse.gold.drift.DriftResult;
import lakehouse.gold.drift.DriftSpec;
import lakehouse.gold.drift.FeatureSetDrift;
import lakehouse.gold.drift.ProfileStore;
import lakehouse.sample.SampleGenerator;
import lakehouse.sample.SampleOptions;
import lakehouse.sample.SampleShift;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drift end to end on the sample generator's click stream: a shift planted from one day on is
 * flagged on exactly the feature it moves, in the direction it moves it; the same data without the
 * shift flags nothing; the gate stops a gold run (exit 3) without writing; a bad drift key is exit
 * 2 with file and line.
 */
class FeatureDriftTest {
  private static final LocalDate START = LocalDate.of(2026, 1, 1);
  private static final LocalDate SHIFT = LocalDate.of(2026, 1, 15);
  private static final LocalDate CHECKED = LocalDate.of(2026, 1, 21);
  private static final String REFERENCE = "2026-01-08..2026-01-14";
  private static final LocalDate FIRST = LocalDate.of(2026, 1, 8);

  /** Days landed: three after the day checked, so its window gets its late and spilled events. */
  private static final int DAYS = 24;

  private static final int CUSTOMERS = 500;

  private static final String ACTIVITY =
      """
      entity = [customer_id]
      sources { events { table = silver.events, time-column = event_ts } }
      aggregations = [
        { name = view_count, source = events, function = count, windows = [7 days]
          filter = "event_type = 'view'" }
        { name = click_count, source = events, function = count, windows = [7 days]
          filter = "event_type = 'click'" }
        { name = event_count, source = events, function = count, windows = [7 days] }
        { name = session_count, source = events, function = count_distinct, column = session_id
          windows = [7 days] }
        { name = page_count, source = events, function = count_distinct, column = page
          windows = [7 days] }
      ]
      recency = [ { name = days_since_last_visit, source = events, lookback = 7 days } ]
      drift { profile = true }
      """;

  @Test
  void aPlantedShiftIsFlaggedOnExactlyItsFeatureAndTheGateHoldsTheDayBack(@TempDir Path dir)
      throws Exception {
    GoldLake lake = lake(dir, new SampleShift(SampleShift.SESSIONS, 3, SHIFT));
    lake.declare("activity", ACTIVITY);
    GoldJob.run(lake.runtime, GoldJob.Request.days("activity", FIRST, CHECKED.minusDays(1)));

    // The gate: day 21 against the 7 days before it (the shift reached them part-way), with an
    // error threshold the shifted feature crosses.
    lake.declare(
        "activity",
        ACTIVITY
            + """
            drift { gate = true, thresholds { psi { warn = 0.1, error = 0.25 } } }
            """);
    long before = lake.runtime.catalog().currentVersion(TableId.parse("gold.activity"));
    assertThatThrownBy(
            () -> GoldJob.run(lake.runtime, GoldJob.Request.days("activity", CHECKED, CHECKED)))
        .isInstanceOfSatisfying(
            LakehouseException.class,
            e -> {
              assertThat(e.exitCode()).isEqualTo(ExitCode.QUALITY_GATE);
              assertThat(e.getMessage())
                  .startsWith(
                      "drift gate: activity 2026-01-21 against "
                          + "2026-01-14..2026-01-20: 1 feature(s) breach an error threshold: "
                          + "session_count_7d (up; psi ")
                  .endsWith("nothing was written");
            });
    assertThat(lake.runtime.catalog().currentVersion(TableId.parse("gold.activity")))
        .as("nothing written")
        .isEqualTo(before);
    assertThat(
            lake.read("gold.activity")
                .filter(col("feature_date").equalTo(java.sql.Date.valueOf(CHECKED)))
                .count())
        .isZero();
    assertThat(
            lake.read("gold._feature_drift_activity")
                .filter("severity = 'error'")
                .select("feature")
                .collectAsList())
        .extracting(r -> r.getString(0))
        .containsExactly("session_count_7d");

    // Without the gate the day publishes, and its comparison with the week before the shift
    // flags exactly the shifted feature, upwards.
    lake.declare("activity", ACTIVITY);
    try (StepLines steps = StepLines.capture()) {
      GoldJob.run(lake.runtime, GoldJob.Request.days("activity", CHECKED, CHECKED));
      assertThat(steps.of("gold activity"))
          .as("progress lines on stderr, in order")
          .containsExactly(
              "feature set loaded (6 features, 1 source)",
              "sources pinned: silver.events version 1",
              "declaration checked against the sources",
              "1 day to compute: 2026-01-21",
              "2026-01-21 computed and written to gold.activity (version 2, 639 rows)",
              "feature registry updated (gold._feature_registry_activity)",
              "day 2026-01-21 profiled",
              "profiles of 2026-01-21 written to gold._feature_profiles_activity");
    }
    DriftComparison drift = compare(lake);
    assertThat(drift.flagged())
        .as(describe(drift))
        .extracting(DriftResult::feature)
        .containsExactly("session_count_7d");
    DriftResult sessions = drift.flagged().get(0);
    assertThat(sessions.severity()).isEqualTo("error");
    assertThat(sessions.direction()).isEqualTo("up");
    assertThat(sessions.currentMean()).isGreaterThan(1.5 * sessions.referenceMean());
    assertThat(sessions.ks()).isGreaterThan(0.2);

    // The command: the same verdict, exit 3, table and JSON output.
    String[] conf = {
      "--conf",
      "lakehouse.lake-root=" + lake.lake.lakeRoot(),
      "--conf",
      "lakehouse.gold.features-dir=" + lake.featuresDir
    };
    CliRun table =
        CliRun.of(
            new FeaturesCommand(),
            concat(
                new String[] {
                  "drift",
                  "--feature-set",
                  "activity",
                  "--date",
                  CHECKED.toString(),
                  "--reference",
                  REFERENCE
                },
                conf));
    assertThat(table.exitCode()).as(table.err()).isEqualTo(3);
    assertThat(table.out())
        .contains("activity 2026-01-21 against " + REFERENCE + ": error")
        .containsPattern("session_count_7d +\\| numeric +\\| error +\\| up ");
    assertThat(table.err())
        .startsWith(
            "error: activity 2026-01-21 against "
                + REFERENCE
                + ": 1 feature(s) breach an error threshold: session_count_7d");
    CliRun json;
    try (StepLines steps = StepLines.capture()) {
      json =
          CliRun.of(
              new FeaturesCommand(),
              concat(
                  new String[] {
                    "drift",
                    "--feature-set",
                    "activity",
                    "--date",
                    CHECKED.toString(),
                    "--reference",
                    REFERENCE,
                    "--format",
                    "json"
                  },
                  conf));
      assertThat(steps.of("features drift activity"))
          .containsExactly(
              "2026-01-21 compared with " + REFERENCE + ": 6 features, 1 flagged",
              "comparison recorded in gold._feature_drift_activity");
    }
    assertThat(json.exitCode()).isEqualTo(3);
    assertThat(
            new com.fasterxml.jackson.databind.ObjectMapper()
                .enable(
                    com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .readTree(json.out())
                .get("features")
                .size())
        .as("stdout is one JSON document, no progress in it")
        .isEqualTo(6);
    assertThat(json.out())
        .startsWith(
            "{\"scope\":\"feature_set\",\"subject\":\"activity\","
                + "\"current\":\"2026-01-21\",\"reference\":\""
                + REFERENCE
                + "\",\"worst\":\"error\","
                + "\"features\":[{\"feature\":\"session_count_7d\"");
  }

  @Test
  void theSameDataWithoutTheShiftFlagsNothing(@TempDir Path dir) throws Exception {
    GoldLake lake = lake(dir, null);
    lake.declare("activity", ACTIVITY);
    GoldJob.run(lake.runtime, GoldJob.Request.days("activity", FIRST, CHECKED));
    DriftComparison drift = compare(lake);
    assertThat(drift.results()).hasSize(6);
    assertThat(drift.flagged()).as(describe(drift)).isEmpty();
  }

  @Test
  void unknownDriftKeysAreUsageErrorsWithFileAndLine(@TempDir Path dir) {
    GoldLake lake = GoldLake.create(dir);
    lake.declare(
        "activity",
        ACTIVITY
            + """
            drift {
              gate = true
              treshold { psi { error = 0.3 } }
              thresholds { psi { eror = 0.3 }, kss { warn = 0.1 } }
              features { session_count_7d { ignored = true } }
            }
            """);
    assertThatThrownBy(
            () -> DriftSpec.forFeatureSet(lake.lake.settings(), lake.featuresDir, "activity"))
        .isInstanceOfSatisfying(
            LakehouseException.class,
            e -> {
              assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE);
              assertThat(e.getMessage().replace(lake.featuresDir + "/", "").lines().toList())
                  .containsExactlyInAnyOrder(
                      "features/activity.conf drift: treshold (activity.conf:18): is not a key of a"
                          + " drift block; known keys: profile, reference-days, gate, thresholds,"
                          + " features",
                      "features/activity.conf drift thresholds: kss (activity.conf:19): is not a"
                          + " key of thresholds; known keys: psi, ks, null-rate-change",
                      "features/activity.conf drift thresholds psi: eror (activity.conf:19): is not"
                          + " a key of a threshold; known keys: warn, error",
                      "features/activity.conf drift features session_count_7d: ignored"
                          + " (activity.conf:20): is not a key of a feature's drift overrides;"
                          + " known keys: thresholds, ignore");
            });
    // The gold run checks the declaration before it reads anything.
    assertThatThrownBy(
            () -> GoldJob.run(lake.runtime, GoldJob.Request.days("activity", CHECKED, CHECKED)))
        .isInstanceOfSatisfying(
            LakehouseException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE));
  }

  private static DriftComparison compare(GoldLake lake) {
    GoldSettings settings = GoldSettings.from(lake.lake.settings());
    FeatureSet set = new FeatureSetLoader(settings.featuresDir(), settings).load("activity");
    DriftSpec spec =
        DriftSpec.forFeatureSet(lake.lake.settings(), settings.featuresDir(), "activity");
    ProfileStore store =
        new ProfileStore(
            lake.runtime.spark(), lake.runtime.catalog(), spec.profileTable("activity"));
    assertThat(store.days("activity")).as("gold run profiled every day").hasSize(14);
    return FeatureSetDrift.compare(
        lake.runtime,
        spec,
        set,
        store,
        CHECKED,
        FeatureSetDrift.Window.parse(REFERENCE, CHECKED, 7),
        null);
  }

  private static String describe(DriftComparison drift) {
    StringBuilder text = new StringBuilder();
    for (DriftResult r : drift.results()) {
      text.append(r.feature())
          .append(" ")
          .append(r.severity())
          .append(" psi=")
          .append(r.psi())
          .append(" ks=")
          .append(r.ks())
          .append(" null=")
          .append(r.nullRateChange())
          .append(" mean ")
          .append(r.referenceMean())
          .append(" -> ")
          .append(r.currentMean())
          .append('\n');
    }
    return text.toString();
  }

  /** Sample click stream landed, then read into silver.events as silver types it. */
  private static GoldLake lake(Path dir, SampleShift shift) throws Exception {
    GoldLake lake = GoldLake.create(dir);
    SampleOptions options = new SampleOptions(START, DAYS, CUSTOMERS, 17L).withShift(shift);
    Path landing = dir.resolve("landing");
    new SampleGenerator(options).generate(landing.toString(), new Configuration());
    Dataset<Row> raw =
        lake.lake
            .spark()
            .read()
            .schema(
                "event_id string, customer_id string, event_type string, event_ts string, "
                    + "page string, session_id string, _corrupt_record string")
            .json(landing.resolve("events").toString() + "/*/*");
    Dataset<Row> events =
        raw.filter(col("_corrupt_record").isNull().and(col("event_id").isNotNull()))
            .select(
                col("event_id"),
                col("customer_id"),
                functionsLower(col("event_type")),
                col("event_ts").cast("timestamp").as("event_ts"),
                col("page"),
                col("session_id"))
            .filter(col("event_ts").isNotNull())
            .dropDuplicates("event_id");
    lake.append("events", events);
    return lake;
  }

  private static org.apache.spark.sql.Column functionsLower(org.apache.spark.sql.Column c) {
    return org.apache.spark.sql.functions.lower(c).as("event_type");
  }

  private static String[] concat(String[] a, String[] b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
