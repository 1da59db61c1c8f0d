package lakehouse.training;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.when;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import lakehouse.common.LakehouseException;
import lakehouse.common.catalog.LakeCatalog;
import lakehouse.common.catalog.TableVersions;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** Reads a plan's inputs at their pinned versions, shaped for {@link PointInTimeJoin}. */
final class TrainingInputs {
  private final SparkSession spark;
  private final LakeCatalog catalog;
  private final List<String> warnings = new ArrayList<>();

  TrainingInputs(SparkSession spark, LakeCatalog catalog) {
    this.spark = spark;
    this.catalog = catalog;
  }

  /** Reads a file spine; CSV gets a header and inferred types unless its options say otherwise. */
  static Dataset<Row> readSpineFile(SparkSession spark, TrainingSpec.Spine spine) {
    Map<String, String> options = new LinkedHashMap<>();
    if ("csv".equals(spine.format())) {
      options.put("header", "true");
      options.put("inferSchema", "true");
    }
    options.putAll(spine.options());
    DataFrameReader reader = spark.read().format(spine.format()).options(options);
    try {
      return reader.load(spine.path());
    } catch (Exception e) {
      throw LakehouseException.usage(
          "cannot read the spine file " + spine.path() + ": " + firstLine(e.getMessage()));
    }
  }

  Dataset<Row> spine(TrainingPlan plan) {
    TrainingSpec.Spine spine = plan.spec().spine();
    if (spine.isQuery()) {
      return SpineQuery.run(spark, catalog, spine.query(), spine.versions());
    }
    return spine.isTable()
        ? catalog.readVersion(spine.table(), plan.spineVersion())
        : readSpineFile(spark, spine);
  }

  /** Each feature table's rows at its pinned version, with the commit that wrote each row. */
  List<FeatureInput> snapshots(TrainingPlan plan) {
    List<FeatureInput> inputs = new ArrayList<>();
    for (TrainingPlan.Feature feature : plan.features()) {
      RowCommits.Read read =
          RowCommits.read(
              spark, feature.location(), feature.version(), columns(plan, feature, false));
      inputs.add(
          new FeatureInput(
              feature.table().toString(),
              read.rows(),
              feature.outputs(),
              feature.ttl(),
              read.certain()));
    }
    return inputs;
  }

  /**
   * Each feature table's row versions up to the pinned version: a row version becomes current with
   * its insert (or update post-image) and stops with its delete (or update pre-image), at the
   * commit's timestamp, read from the change data feed. When log clean-up removed the first
   * commits, the rows of the oldest retained version start the history at that version's commit
   * time, and spine rows that would need to know the table before it fail the build. Rows a RESTORE
   * brings back keep the commit that wrote them ({@link RowCommits} of the restored version), not
   * the restore's.
   */
  List<FeatureInput> histories(TrainingPlan plan, Dataset<Row> spine) {
    List<TableVersions> logs = new ArrayList<>();
    plan.features().forEach(feature -> logs.add(TableVersions.of(spark, catalog, feature.table())));
    checkKnowledge(plan, spine, logs);
    List<FeatureInput> inputs = new ArrayList<>();
    for (int i = 0; i < logs.size(); i++) {
      TrainingPlan.Feature feature = plan.features().get(i);
      TableVersions versions = logs.get(i);
      long base = base(versions);
      StructType commitSchema =
          new StructType()
              .add("__v", DataTypes.LongType)
              .add(FeatureInput.KNOWN_AT, DataTypes.LongType);
      Dataset<Row> commits =
          spark.createDataFrame(versions.commitMicros(feature.version()), commitSchema);
      Dataset<Row> rows = null;
      boolean certain = true;
      if (base > 0) {
        RowCommits.Read start =
            RowCommits.read(spark, feature.location(), base, columns(plan, feature, false));
        certain = start.certain();
        rows =
            start
                .rows()
                .select(
                    columns(
                        plan,
                        feature,
                        true,
                        lit(KnownAtSweep.INSERT).as(FeatureInput.OP),
                        col(FeatureInput.COMMIT),
                        col(FeatureInput.EXACT),
                        lit(micros(versions.timestamp(base))).as(FeatureInput.KNOWN_AT)));
      }
      if (feature.version() > base || base == 0) {
        Dataset<Row> changes =
            changes(plan, feature, base == 0 ? 0 : base + 1)
                .join(broadcast(commits), col(FeatureInput.COMMIT).equalTo(col("__v")))
                .drop("__v");
        // commitMicros above has read every commit's commitInfo: the operations cost nothing.
        for (long version : versions.versions()) {
          if (version > base
              && version <= feature.version()
              && "RESTORE".equals(versions.operation(version))) {
            RowCommits.Read restored =
                RowCommits.read(spark, feature.location(), version, columns(plan, feature, false));
            certain &= restored.certain();
            changes = withRestoredCommits(plan, feature, changes, version, restored.rows());
          }
        }
        rows = rows == null ? changes : rows.unionByName(changes);
      }
      inputs.add(
          new FeatureInput(
              feature.table().toString(), rows, feature.outputs(), feature.ttl(), certain));
    }
    return inputs;
  }

  /** The change data feed from {@code from} to the pinned version, as row versions. */
  private Dataset<Row> changes(TrainingPlan plan, TrainingPlan.Feature feature, long from) {
    Column op =
        when(col("_change_type").isin("insert", "update_postimage"), lit(KnownAtSweep.INSERT))
            .otherwise(lit(KnownAtSweep.DELETE));
    return spark
        .read()
        .format("delta")
        .option("readChangeFeed", "true")
        .option("startingVersion", from)
        .option("endingVersion", feature.version())
        .load(feature.location())
        .where(col("_change_type").isin("insert", "update_postimage", "delete", "update_preimage"))
        .select(
            columns(
                plan,
                feature,
                false,
                op.as(FeatureInput.OP),
                col("_commit_version").as(FeatureInput.COMMIT),
                lit(true).as(FeatureInput.EXACT)));
  }

  /**
   * A RESTORE's change feed inserts every row of the files it brings back at the restore's version;
   * each such row takes the commit of a row with the same key, feature time and values in the
   * restored version (the greatest, if several).
   */
  private static Dataset<Row> withRestoredCommits(
      TrainingPlan plan,
      TrainingPlan.Feature feature,
      Dataset<Row> changes,
      long restore,
      Dataset<Row> restored) {
    List<String> content = new ArrayList<>(feature.spineKeys());
    content.add(FeatureInput.FEATURE_TIME);
    content.add(PointInTimeJoin.TIE);
    Dataset<Row> original =
        restored
            .withColumn(PointInTimeJoin.TIE, tie(feature))
            .groupBy(
                content.stream().map(org.apache.spark.sql.functions::col).toArray(Column[]::new))
            .agg(max(struct(col(FeatureInput.COMMIT), col(FeatureInput.EXACT))).as("__orig"))
            .withColumn("__restore", lit(restore));
    List<String> joinOn = new ArrayList<>(content);
    joinOn.add("__restore");
    Column isRestored =
        col(FeatureInput.COMMIT)
            .equalTo(restore)
            .and(col(FeatureInput.OP).equalTo(KnownAtSweep.INSERT));
    Dataset<Row> marked =
        changes
            .withColumn(PointInTimeJoin.TIE, tie(feature))
            .withColumn("__restore", when(isRestored, lit(restore)));
    Dataset<Row> joined =
        marked.join(
            broadcast(original),
            scala.collection.JavaConverters.asScalaBuffer(joinOn).toSeq(),
            "left");
    return joined
        .withColumn(
            FeatureInput.COMMIT,
            coalesce(col("__orig").getField(FeatureInput.COMMIT), col(FeatureInput.COMMIT)))
        .withColumn(
            FeatureInput.EXACT,
            coalesce(col("__orig").getField(FeatureInput.EXACT), col(FeatureInput.EXACT)))
        .select(
            changes.columns()[0],
            java.util.Arrays.copyOfRange(changes.columns(), 1, changes.columns().length));
  }

  private static Column tie(TrainingPlan.Feature feature) {
    return PointInTimeJoin.tieHash(
        feature.outputs().stream().map(org.apache.spark.sql.functions::col).toList());
  }

  /** What reading the inputs met and went on with, one line each (the build's warnings). */
  List<String> warnings() {
    return List.copyOf(warnings);
  }

  /** The oldest version whose rows the log can still give: where a table's history starts. */
  private static long base(TableVersions versions) {
    return Math.max(versions.oldest(), versions.oldestReconstructable());
  }

  /**
   * The known-at checks of every feature table, in one pass over the spine. A table whose log
   * clean-up removed its first commits must not be needed from before its oldest retained commit
   * (exit 4). Spine rows from before a fully retained table's first commit (plus the serving delay)
   * can know nothing of it: their features from it are null, which is right but easy to mistake for
   * a broken build, so they are counted and said.
   */
  private void checkKnowledge(TrainingPlan plan, Dataset<Row> spine, List<TableVersions> logs) {
    Duration delay = plan.servingDelay() == null ? Duration.ZERO : plan.servingDelay();
    Column eventTime = col(plan.spec().spine().eventTime()).cast(DataTypes.TimestampType);
    List<Column> measures = new ArrayList<>(List.of(min(eventTime)));
    for (TableVersions versions : logs) { // the first commit is only read where it is kept
      measures.add(
          base(versions) > 0
              ? lit(0L)
              : count(
                  when(
                      eventTime.lt(lit(java.sql.Timestamp.from(versions.timestamp(0).plus(delay)))),
                      lit(1))));
    }
    Row spineTimes = spine.agg(count(lit(1)), measures.toArray(Column[]::new)).first();
    for (int i = 0; i < logs.size(); i++) {
      TableVersions versions = logs.get(i);
      String table = plan.features().get(i).table().toString();
      long base = base(versions);
      long before = spineTimes.getLong(2 + i);
      if (base == 0 && before > 0) {
        warnings.add(
            TrainingErrors.beforeFirstCommit(
                table, before, spineTimes.getLong(0), versions.timestamp(0).toString(), delay));
      } else if (base > 0 && !spineTimes.isNullAt(1)) {
        Instant knowledge = spineTimes.getTimestamp(1).toInstant().minus(delay);
        Instant oldest = versions.timestamp(base);
        if (knowledge.isBefore(oldest)) {
          throw TrainingErrors.historyBeforeRetention(
              table, oldest.toString(), knowledge.toString());
        }
      }
    }
  }

  private static long micros(Instant at) {
    return at.getEpochSecond() * 1_000_000L + at.getNano() / 1000;
  }

  /**
   * Fails with a clear message when a pinned version's files are gone (VACUUM) or its log entries
   * were cleaned up, instead of a read error halfway through or different rows.
   */
  void requireReadable(TrainingPlan plan, String trainingSetId) {
    String purpose = TrainingErrors.cannotReproduce(trainingSetId);
    for (TrainingPlan.Feature feature : plan.features()) {
      TableVersions.of(spark, catalog, feature.table()).requireReadable(feature.version(), purpose);
    }
    if (plan.spec().spine().isTable()) {
      TableVersions.of(spark, catalog, plan.spec().spine().table())
          .requireReadable(plan.spineVersion(), purpose);
    }
    plan.spec()
        .spine()
        .versions()
        .forEach(
            (table, version) ->
                TableVersions.of(spark, catalog, table).requireReadable(version, purpose));
  }

  /**
   * Keys (named and typed as the spine's columns they join), feature time, output features, then
   * the extras.
   */
  private static Column[] columns(
      TrainingPlan plan, TrainingPlan.Feature feature, boolean alreadyRenamed, Column... extra) {
    StructType spineSchema = plan.spineSchema();
    List<Column> columns = new ArrayList<>();
    feature
        .keys()
        .forEach(
            (spineKey, key) ->
                columns.add(
                    col(alreadyRenamed ? spineKey : key)
                        .cast(spineSchema.apply(spineKey).dataType())
                        .as(spineKey)));
    columns.add(
        col(alreadyRenamed ? FeatureInput.FEATURE_TIME : feature.featureTime())
            .cast(DataTypes.TimestampType)
            .as(FeatureInput.FEATURE_TIME));
    for (int i = 0; i < feature.columns().size(); i++) {
      String output = feature.outputs().get(i);
      columns.add(col(alreadyRenamed ? output : feature.columns().get(i)).as(output));
    }
    for (Column column : extra) {
      columns.add(column);
    }
    return columns.toArray(Column[]::new);
  }

  private static String firstLine(String message) {
    return message == null ? "" : message.split("\n", 2)[0];
  }
}
