package lakehouse.training;

import static lakehouse.training.LakeTables.f;
import static lakehouse.training.LakeTables.label;
import static lakehouse.training.Rows.day;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.delta.tables.DeltaTable;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import lakehouse.common.ExitCode;
import lakehouse.common.LakehouseException;
import lakehouse.common.LakehouseRuntime;
import lakehouse.common.catalog.TableId;
import lakehouse.common.testing.StepLines;
import lakehouse.common.testing.TestLake;
import lakehouse.timetravel.TimeTravelFixtures;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Builds against real Delta tables: rules 6, 7, 8 and 9, and the manifest table. */
class TrainingSetBuilderTest {
  @TempDir Path dir;

  private List<String> rows(TrainingSetManifest manifest) {
    return PointInTimeJoinTest.render(
        TestLake.create(dir)
            .spark()
            .read()
            .format("delta")
            .option("versionAsOf", manifest.outputVersion())
            .load(manifest.outputLocation()));
  }

  @Test
  void buildsWritesAndRecordsAManifest() throws Exception {
    TestLake lake = TestLake.create(dir);
    new LakeTables(lake)
        .createFeatures()
        .appendFeatures(f(1, day(1), 1, 10), f(1, day(3), 3, 30), f(2, day(2), 2, 20))
        .labels(
            label(1, day(2), true),
            label(1, day(4), false),
            label(2, day(1), false),
            label(3, day(4), true));
    LakehouseRuntime runtime = lake.runtime();
    TrainingSpec spec = TrainingSpec.load(LakeTables.spec(dir, "churn", LakeTables.CHURN_SPEC));

    TrainingSetManifest m;
    try (StepLines steps = StepLines.capture()) {
      m =
          TrainingSetBuilder.run(
              runtime, new TrainingSetBuilder.Request(spec, BuildOptions.defaults()));
      assertThat(steps.of("training-set churn_test"))
          .as("progress, step by step")
          .containsExactly(
              "inputs pinned and readable: spine silver.labels version 1,"
                  + " gold.customer_features version 1",
              "joined and written to gold.training_churn_test (version 0)",
              "content hash and null rates taken (4 rows)",
              "manifest recorded in gold._training_sets");
    }

    assertThat(rows(m))
        .as("spine columns, then <table>__<feature> columns")
        .containsExactly(
            "1 | 2026-01-02 00:00:00.0 | true | 2026-01-01 00:00:00.0 | 1.0 | 10.0",
            "1 | 2026-01-04 00:00:00.0 | false | 2026-01-03 00:00:00.0 | 3.0 | 30.0",
            "2 | 2026-01-01 00:00:00.0 | false | null | null | null",
            "3 | 2026-01-04 00:00:00.0 | true | null | null | null");
    assertThat(lake.spark().read().format("delta").load(m.outputLocation()).columns())
        .containsExactly(
            "customer_id",
            "label_ts",
            "churned",
            "customer_features__feature_time",
            "customer_features__orders_30d",
            "customer_features__spend_30d");
    assertThat(m.outputTable()).isEqualTo("gold.training_churn_test");
    assertThat(m.knowledgeMode()).isEqualTo("latest");
    assertThat(m.featureVersions()).isEqualTo(Map.of("gold.customer_features", 1L));
    assertThat(m.spineSource()).isEqualTo("silver.labels");
    assertThat(m.spineVersion()).isEqualTo(1L);
    assertThat(m.rowCount()).isEqualTo(4);
    assertThat(m.featureNullRates()).containsEntry("customer_features__orders_30d", 0.5);
    assertThat(m.labelCounts()).isEqualTo(Map.of("false", 2L, "true", 2L));

    TrainingSetManifests manifests = new TrainingSetManifests(lake.spark(), runtime.catalog());
    TrainingSetManifest stored = manifests.find(m.trainingSetId());
    assertThat(stored).as("the manifest row reads back unchanged").isEqualTo(m);
    assertThat(TrainingSpec.parseRendered(stored.spec(), "stored")).isEqualTo(spec);
    assertThat(manifests.pinnedVersions())
        .containsEntry("gold.customer_features", new java.util.TreeSet<>(List.of(1L)))
        .containsEntry("silver.labels", new java.util.TreeSet<>(List.of(1L)));
    assertThat(lake.spark().sql("SELECT count(*) FROM gold._training_sets").first().getLong(0))
        .isEqualTo(1);
  }

  @Test
  void aTieOnFeatureTimeGoesToTheRowCommittedLast() throws Exception {
    TestLake lake = TestLake.create(dir);
    new LakeTables(lake)
        .createFeatures()
        .appendFeatures(f(1, day(3), 2, 99)) // version 1
        .appendFeatures(f(1, day(3), 1, 11)) // version 2: same key and time
        .labels(label(1, day(5), true));
    TrainingSetManifest m =
        TrainingSetBuilder.run(
            lake.runtime(),
            new TrainingSetBuilder.Request(
                TrainingSpec.load(LakeTables.spec(dir, "churn", LakeTables.CHURN_SPEC)),
                BuildOptions.defaults()));
    assertThat(rows(m))
        .as("the later commit wins although its values sort lower")
        .containsExactly("1 | 2026-01-05 00:00:00.0 | true | 2026-01-03 00:00:00.0 | 1.0 | 11.0");
  }

  @Test
  void asOfByVersionAndByTimestampPinsOlderVersions() throws Exception {
    TestLake lake = TestLake.create(dir);
    LakeTables tables =
        new LakeTables(lake)
            .createFeatures()
            .appendFeatures(f(1, day(1), 1, 10)) // version 1
            .appendFeatures(f(1, day(2), 2, 20)) // version 2
            .appendFeatures(f(1, day(3), 3, 30)) // version 3
            .labels(label(1, day(9), true));
    TrainingSpec spec = TrainingSpec.load(LakeTables.spec(dir, "churn", LakeTables.CHURN_SPEC));

    TrainingSetManifest byVersion =
        TrainingSetBuilder.run(
            lake.runtime(),
            new TrainingSetBuilder.Request(
                spec, BuildOptions.defaults().withVersion(LakeTables.FEATURES, 1)));
    assertThat(rows(byVersion))
        .containsExactly("1 | 2026-01-09 00:00:00.0 | true | 2026-01-01 00:00:00.0 | 1.0 | 10.0");
    assertThat(byVersion.knowledgeMode()).isEqualTo("as_of");
    assertThat(byVersion.featureVersions()).isEqualTo(Map.of("gold.customer_features", 1L));
    assertThat(byVersion.asOf()).isEqualTo("gold.customer_features=1");

    Timestamp version2 =
        (Timestamp)
            DeltaTable.forPath(lake.spark(), tables.location(LakeTables.FEATURES))
                .history()
                .where("version = 2")
                .select("timestamp")
                .first()
                .get(0);
    Instant asOf = version2.toInstant().plusMillis(1);
    TrainingSetManifest byTime =
        TrainingSetBuilder.run(
            lake.runtime(),
            new TrainingSetBuilder.Request(
                spec, BuildOptions.defaults().withAsOf(asOf).withVersion(LakeTables.LABELS, 1)));
    assertThat(byTime.featureVersions())
        .as("the version committed at or before the time")
        .isEqualTo(Map.of("gold.customer_features", 2L));
    assertThat(rows(byTime))
        .containsExactly("1 | 2026-01-09 00:00:00.0 | true | 2026-01-02 00:00:00.0 | 2.0 | 20.0");

    assertThatThrownBy(
            () ->
                TrainingSetBuilder.run(
                    lake.runtime(),
                    new TrainingSetBuilder.Request(
                        spec,
                        BuildOptions.defaults().withAsOf(Instant.parse("2000-01-01T00:00:00Z")))))
        .isInstanceOf(LakehouseException.class)
        .hasMessageContaining(
            "gold.customer_features has no version committed at or before "
                + "2000-01-01T00:00:00Z");
  }

  @Test
  void knownAtShowsValuesAsTheyWereKnownDespiteLaterBackfillAndCorrection() throws Exception {
    TestLake lake = TestLake.create(dir);
    LakeTables tables =
        new LakeTables(lake).createFeatures().appendFeatures(f(1, day(1), 1, 10)); // version 1
    lake.spark()
        .sql(
            "UPDATE delta.`"
                + tables.location(LakeTables.FEATURES)
                + "` SET spend_30d = 11 WHERE customer_id = 1"); // 2: a correction
    tables.appendFeatures(f(1, day(2), 2, 20)); // 3: late backfill
    Map<Long, Instant> commits = new java.util.HashMap<>();
    for (Row row :
        DeltaTable.forPath(lake.spark(), tables.location(LakeTables.FEATURES))
            .history()
            .collectAsList()) {
      commits.put(row.getAs("version"), ((Timestamp) row.getAs("timestamp")).toInstant());
    }
    Instant t1 = commits.get(1L);
    Instant t2 = commits.get(2L);
    Instant t3 = commits.get(3L);
    tables.labels(
        label(1, Timestamp.from(t1), true), // the first value, just committed
        label(1, Timestamp.from(t2.minusMillis(1)), true), // before the correction
        label(1, Timestamp.from(t2), true), // the corrected value
        label(1, Timestamp.from(t3.minusMillis(1)), true), // backfill not yet committed
        label(1, Timestamp.from(t3), true)); // backfill known
    TrainingSpec spec =
        TrainingSpec.load(
            LakeTables.spec(
                dir,
                "churn",
                """
                name = churn_known
                spine { table = silver.labels, keys = [customer_id], event-time = label_ts }
                features = [ { table = gold.customer_features, features = [spend_30d] } ]
                knowledge { mode = known_at }
                """));

    TrainingSetManifest knownAt =
        TrainingSetBuilder.run(
            lake.runtime(), new TrainingSetBuilder.Request(spec, BuildOptions.defaults()));
    assertThat(knownAt.knowledgeMode()).isEqualTo("known_at");
    assertThat(knownAt.servingDelay()).isEqualTo("PT0S");
    assertThat(rows(knownAt).stream().map(r -> r.substring(r.lastIndexOf("| ") + 2)).toList())
        .as("ordered by event time: 10 until the correction, 11 until the backfill, then 20")
        .containsExactly("10.0", "10.0", "11.0", "11.0", "20.0");

    TrainingSetManifest latest =
        TrainingSetBuilder.run(
            lake.runtime(),
            new TrainingSetBuilder.Request(spec, BuildOptions.defaults().withKnownAt(false, null)));
    assertThat(rows(latest).stream().map(r -> r.substring(r.lastIndexOf("| ") + 2)).toList())
        .as("latest mode leaks the backfill into every row")
        .containsExactly("20.0", "20.0", "20.0", "20.0", "20.0");

    TrainingSetManifest delayed =
        TrainingSetBuilder.run(
            lake.runtime(),
            new TrainingSetBuilder.Request(
                spec, BuildOptions.defaults().withKnownAt(true, Duration.ofMillis(1))));
    assertThat(rows(delayed).stream().map(r -> r.substring(r.lastIndexOf("| ") + 2)).toList())
        .as("one millisecond of serving delay makes each commit servable a millisecond later")
        .containsExactly("null", "10.0", "10.0", "11.0", "11.0");
    assertThat(
            new TrainingSetManifests(lake.spark(), lake.runtime().catalog())
                .pins().stream()
                    .filter(
                        p ->
                            p.trainingSetId().equals(knownAt.trainingSetId())
                                && p.table().equals("gold.customer_features"))
                    .findFirst()
                    .orElseThrow()
                    .fromVersion())
        .as("a known-at build needs the feature table's history from 0")
        .isZero();
  }

  @Test
  void rebuildGivesTheSameRowsAndHashAfterTheTablesMovedOn() throws Exception {
    TestLake lake = TestLake.create(dir);
    LakeTables tables =
        new LakeTables(lake)
            .createFeatures()
            .appendFeatures(f(1, day(1), 1, 10), f(2, day(1), 5, 50))
            .labels(label(1, day(3), true), label(2, day(3), false));
    TrainingSpec spec = TrainingSpec.load(LakeTables.spec(dir, "churn", LakeTables.CHURN_SPEC));
    TrainingSetManifest original =
        TrainingSetBuilder.run(
            lake.runtime(), new TrainingSetBuilder.Request(spec, BuildOptions.defaults()));
    tables
        .appendFeatures(f(1, day(2), 2, 20))
        .labels(label(1, day(3), true), label(2, day(3), false), label(3, day(3), true));

    TrainingSetManifest rebuilt = TrainingSetBuilder.rebuild(lake.runtime(), original, null);
    assertThat(rebuilt.contentHash()).isEqualTo(original.contentHash());
    assertThat(rebuilt.rebuiltFrom()).isEqualTo(original.trainingSetId());
    assertThat(rebuilt.featureVersions()).isEqualTo(original.featureVersions());
    assertThat(rebuilt.knowledgeMode()).isEqualTo("latest");
    assertThat(rows(rebuilt)).isEqualTo(rows(original));
    assertThat(rebuilt.outputLocation()).contains("_training_rebuilds");

    TrainingSetManifest fresh =
        TrainingSetBuilder.run(
            lake.runtime(), new TrainingSetBuilder.Request(spec, BuildOptions.defaults()));
    assertThat(fresh.contentHash())
        .as("different rows, different hash")
        .isNotEqualTo(original.contentHash());
  }

  @Test
  void rebuildAfterVacuumFailsNamingTheTableAndVersion() throws Exception {
    TestLake lake = TestLake.create(dir);
    LakeTables tables =
        new LakeTables(lake)
            .createFeatures()
            .appendFeatures(f(1, day(1), 1, 10))
            .labels(label(1, day(3), true));
    TrainingSpec spec = TrainingSpec.load(LakeTables.spec(dir, "churn", LakeTables.CHURN_SPEC));
    TrainingSetManifest original =
        TrainingSetBuilder.run(
            lake.runtime(), new TrainingSetBuilder.Request(spec, BuildOptions.defaults()));
    tables.overwriteFeatures(f(1, day(1), 7, 70));
    TimeTravelFixtures.vacuumEverythingOld(lake, LakeTables.FEATURES);

    assertThatThrownBy(() -> TrainingSetBuilder.rebuild(lake.runtime(), original, null))
        .isInstanceOf(LakehouseException.class)
        .satisfies(
            e -> assertThat(((LakehouseException) e).exitCode()).isEqualTo(ExitCode.DATA_ERROR))
        .hasMessageStartingWith(
            TrainingErrors.cannotReproduce(original.trainingSetId())
                + ": version 1 of table gold.customer_features is no longer readable: ")
        .hasMessageNotContaining("\n");
  }

  @Test
  void rebuildOfAChangedSpineFileFailsOnTheHash() throws Exception {
    TestLake lake = TestLake.create(dir);
    new LakeTables(lake).createFeatures().appendFeatures(f(1, day(1), 1, 10));
    Path spineFile = dir.resolve("spine.csv");
    java.nio.file.Files.writeString(
        spineFile, "customer_id,label_ts,churned\n1,2026-01-03T00:00:00Z,true\n");
    TrainingSpec spec =
        TrainingSpec.load(
            LakeTables.spec(
                dir,
                "file_spine",
                """
                spine { path = "%s", format = csv, keys = [customer_id], event-time = label_ts }
                features = [ { table = gold.customer_features, features = [orders_30d] } ]
                output = "%s"
                """
                    .formatted(spineFile.toUri(), dir.resolve("out").toUri())));
    TrainingSetManifest original =
        TrainingSetBuilder.run(
            lake.runtime(), new TrainingSetBuilder.Request(spec, BuildOptions.defaults()));
    assertThat(original.spineVersion()).as("a file spine has no version").isNull();
    assertThat(original.outputTable()).isNull();
    assertThat(rows(original)).containsExactly("1 | 2026-01-03 00:00:00.0 | true | 1.0");

    java.nio.file.Files.writeString(
        spineFile, "customer_id,label_ts,churned\n1,2026-01-03T00:00:00Z,false\n");
    assertThatThrownBy(() -> TrainingSetBuilder.rebuild(lake.runtime(), original, null))
        .isInstanceOf(LakehouseException.class)
        .hasMessageStartingWith(
            "rebuild of training set " + original.trainingSetId() + " produced different rows");
  }

  @Test
  void featureTablesOfTwoEntitiesJoinOnTheirOwnSpineColumns() throws Exception {
    TestLake lake = TestLake.create(dir);
    TableId visits = TableId.of("silver", "visits");
    TableId stores = TableId.of("gold", "store_features");
    StructType visitSchema =
        new StructType()
            .add("customer_id", DataTypes.LongType)
            .add("shop", DataTypes.StringType)
            .add("visit_ts", DataTypes.TimestampType);
    StructType storeSchema =
        new StructType()
            .add("store_id", DataTypes.StringType)
            .add("feature_time", DataTypes.TimestampType)
            .add("footfall", DataTypes.DoubleType);
    LakeTables tables =
        new LakeTables(lake)
            .createFeatures()
            .appendFeatures(f(1, day(1), 1, 10), f(2, day(2), 2, 20))
            .create(visits, visitSchema)
            .create(stores, storeSchema);
    tables.append(
        stores,
        storeSchema,
        new Object[] {"a", day(1), 100.0},
        new Object[] {"a", day(3), 300.0},
        new Object[] {"b", day(1), 7.0},
        // customer 1's id as a store id: joined on shop, never on customer_id
        new Object[] {"1", day(1), -1.0});
    tables.append(stores, storeSchema, new Object[] {"b", day(2), 8.0});
    tables.append(
        visits,
        visitSchema,
        new Object[] {1L, "a", day(2)},
        new Object[] {1L, "b", day(2)},
        new Object[] {2L, "a", day(4)},
        new Object[] {2L, "1", day(2, "12:00:00")},
        new Object[] {3L, "c", day(5)});
    String body =
        """
        name = visits
        spine { table = silver.visits, keys = [customer_id], event-time = visit_ts }
        features = [
          { table = gold.store_features, keys { shop = store_id }, features = [footfall] }
          { table = gold.customer_features, features = [spend_30d] }
        ]
        knowledge { mode = %s }
        """;
    TrainingSetManifest latest =
        TrainingSetBuilder.run(
            lake.runtime(),
            new TrainingSetBuilder.Request(
                TrainingSpec.load(LakeTables.spec(dir, "visits", body.formatted("latest"))),
                BuildOptions.defaults()));
    assertThat(lake.spark().read().format("delta").load(latest.outputLocation()).columns())
        .as("spine columns, then the features in declared order")
        .containsExactly(
            "customer_id",
            "shop",
            "visit_ts",
            "store_features__footfall",
            "customer_features__spend_30d");
    List<String> expected =
        List.of(
            "1 | a | 2026-01-02 00:00:00.0 | 100.0 | 10.0",
            "1 | b | 2026-01-02 00:00:00.0 | 8.0 | 10.0",
            "2 | 1 | 2026-01-02 12:00:00.0 | -1.0 | 20.0",
            "2 | a | 2026-01-04 00:00:00.0 | 300.0 | 20.0",
            "3 | c | 2026-01-05 00:00:00.0 | null | null");
    assertThat(rows(latest)).containsExactlyElementsOf(expected);

    LakehouseRuntime runtime = lake.runtime();
    TrainingSetManifest knownAt =
        TrainingSetBuilder.run(
            runtime,
            new TrainingSetBuilder.Request(
                TrainingSpec.load(LakeTables.spec(dir, "visits", body.formatted("known_at"))),
                BuildOptions.defaults()));
    assertThat(rows(knownAt))
        .as("every row was committed long after these 2026 event times")
        .allMatch(row -> row.endsWith("null | null"));
    assertThat(runtime.stats().warnings())
        .as("said, not silent")
        .containsExactly(
            TrainingErrors.beforeFirstCommit(
                "gold.store_features", 5, 5, tables.firstCommit(stores).toString(), Duration.ZERO),
            TrainingErrors.beforeFirstCommit(
                "gold.customer_features",
                5,
                5,
                tables.firstCommit(LakeTables.FEATURES).toString(),
                Duration.ZERO));
    assertThat(TrainingSetBuilder.rebuild(lake.runtime(), latest, null).contentHash())
        .as("the stored spec keeps the key mapping")
        .isEqualTo(latest.contentHash());

    TrainingSpec wrongColumn =
        TrainingSpec.load(
            LakeTables.spec(
                dir,
                "bad",
                """
                spine { table = silver.visits, keys = [customer_id], event-time = visit_ts }
                features = [ { table = gold.store_features, keys { shop = store } } ]
                """));
    assertThatThrownBy(
            () ->
                TrainingSetBuilder.run(
                    lake.runtime(),
                    new TrainingSetBuilder.Request(wrongColumn, BuildOptions.defaults())))
        .isInstanceOf(LakehouseException.class)
        .hasMessageContaining("feature table gold.store_features (key)")
        .hasMessageContaining("'store'");
  }

  @Test
  void aSpecKeyThatIsNotKnownIsAnErrorNamingFileAndLine() throws Exception {
    Path file =
        LakeTables.spec(
            dir,
            "typo",
            """
            spine { table = silver.visits, event-time = visit_ts }
            features = [
              { table = gold.store_features, key = [shop] }
            ]
            """);
    assertThatThrownBy(() -> TrainingSpec.load(file))
        .isInstanceOf(LakehouseException.class)
        .satisfies(e -> assertThat(((LakehouseException) e).exitCode()).isEqualTo(ExitCode.USAGE))
        .hasMessageContaining(
            file
                + " features[0]: key ("
                + file
                + ":3): "
                + "is not a key of a feature table reference")
        .hasMessageContaining("keys: is required when the spine declares no keys");
  }

  @Test
  void aSpineQueryReadsItsTablesAtPinnedVersionsAndRebuildsFromTheManifest() throws Exception {
    TestLake lake = TestLake.create(dir);
    TableId visits = TableId.of("silver", "visits");
    StructType visitSchema =
        new StructType()
            .add("customer_id", DataTypes.LongType)
            .add("shop", DataTypes.StringType)
            .add("visit_ts", DataTypes.TimestampType)
            .add("spent", DataTypes.DoubleType);
    LakeTables tables =
        new LakeTables(lake)
            .createFeatures()
            .appendFeatures(f(1, day(1), 1, 10), f(2, day(1), 2, 20), f(3, day(1), 3, 30))
            .create(visits, visitSchema);
    tables.append(
        visits,
        visitSchema,
        new Object[] {1L, "a", day(2), 5.0},
        new Object[] {2L, "b", day(2), 50.0},
        new Object[] {3L, "c", day(2), 0.0});
    String body =
        """
        spine {
          query = \"""
            WITH spenders AS (
              SELECT customer_id, visit_ts, spent FROM silver.visits
              WHERE customer_id IN (SELECT customer_id FROM gold.customer_features
                                    WHERE orders_30d < 3))
            SELECT s.customer_id, s.visit_ts, s.spent > 10 AS big FROM spenders s\"""
          keys = [customer_id], event-time = visit_ts, label = big
        }
        features = [ { table = gold.customer_features, features = [spend_30d] } ]
        output = "%s"
        """
            .formatted(dir.resolve("out").toUri());
    TrainingSpec spec = TrainingSpec.load(LakeTables.spec(dir, "spenders", body));
    TrainingSetManifest original =
        TrainingSetBuilder.run(
            lake.runtime(), new TrainingSetBuilder.Request(spec, BuildOptions.defaults()));
    assertThat(rows(original))
        .containsExactly(
            "1 | 2026-01-02 00:00:00.0 | false | 10.0", "2 | 2026-01-02 00:00:00.0 | true | 20.0");
    assertThat(original.spineSource()).isEqualTo("the spine query");
    assertThat(TrainingSpec.parseRendered(original.spec(), "manifest").spine().versions())
        .as("every table the query reads, pinned in the stored spec")
        .isEqualTo(Map.of(visits, 1L, LakeTables.FEATURES, 1L));
    assertThat(new TrainingSetManifests(lake.spark(), lake.runtime().catalog()).pinnedVersions())
        .as("the vacuum guard keeps them")
        .containsEntry("silver.visits", new java.util.TreeSet<>(List.of(1L)));

    tables.append(visits, visitSchema, new Object[] {1L, "a", day(3), 99.0});
    tables.appendFeatures(f(3, day(2), 0, 0));
    TrainingSetManifest rebuilt =
        TrainingSetBuilder.rebuild(
            lake.runtime(), original, dir.resolve("rebuilt").toUri().toString());
    assertThat(rebuilt.contentHash()).isEqualTo(original.contentHash());
    assertThat(
            TrainingSetBuilder.run(
                    lake.runtime(), new TrainingSetBuilder.Request(spec, BuildOptions.defaults()))
                .rowCount())
        .as("a new build reads the new versions")
        .isEqualTo(4);

    TrainingSpec strayPin =
        TrainingSpec.load(
            LakeTables.spec(
                dir,
                "stray",
                """
                spine { query = "SELECT * FROM silver.visits", versions { "gold.customer_features" = 1 }
                        keys = [customer_id], event-time = visit_ts }
                features = [ { table = gold.customer_features } ]
                """));
    assertThatThrownBy(
            () ->
                TrainingSetBuilder.run(
                    lake.runtime(),
                    new TrainingSetBuilder.Request(strayPin, BuildOptions.defaults())))
        .as("a pin the query does not use is a mistake, never ignored")
        .isInstanceOf(LakehouseException.class)
        .hasMessageContaining(
            "spine.versions pins gold.customer_features, which spine.query" + " does not read");

    for (String[] bad :
        new String[][] {
          {"SELECT * FROM silver.visits VERSION AS OF 1", "must not time travel itself"},
          {
            "SELECT * FROM silver.nowhere", "reads silver.nowhere, which is not a table of the lake"
          },
          {"SELECT * FROM delta.`" + tables.location(visits) + "`", "which is not a table"},
          {"SELEC 1", "spine.query cannot be run: "}
        }) {
      TrainingSpec badSpec =
          TrainingSpec.load(
              LakeTables.spec(
                  dir,
                  "bad",
                  """
                  spine { query = "%s", keys = [customer_id], event-time = visit_ts }
                  features = [ { table = gold.customer_features } ]
                  """
                      .formatted(bad[0].replace("\"", "\\\""))));
      assertThatThrownBy(
              () ->
                  TrainingSetBuilder.run(
                      lake.runtime(),
                      new TrainingSetBuilder.Request(badSpec, BuildOptions.defaults())))
          .as(bad[0])
          .isInstanceOf(LakehouseException.class)
          .satisfies(e -> assertThat(((LakehouseException) e).exitCode()).isEqualTo(ExitCode.USAGE))
          .hasMessageContaining(bad[1]);
    }
  }
}
