package lakehouse.training;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.input_file_name;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.regexp_extract;
import static org.apache.spark.sql.functions.split;
import static org.apache.spark.sql.functions.when;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import lakehouse.common.LakehouseException;
import lakehouse.common.catalog.LakeCatalog;
import lakehouse.common.settings.LakePaths;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** Reads a plan's inputs at their pinned versions, shaped for {@link PointInTimeJoin}. */
final class TrainingInputs {
  private static final String FILE = "__file";
  private static final String LOG_VERSION = "(\\d{20})\\.json$";

  private final SparkSession spark;
  private final LakeCatalog catalog;

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
      throw LakehouseException.usage("cannot read the spine file " + spine.path() + ": "
          + firstLine(e.getMessage()));
    }
  }

  Dataset<Row> spine(TrainingPlan plan) {
    TrainingSpec.Spine spine = plan.spec().spine();
    return spine.isTable() ? catalog.readVersion(spine.table(), plan.spineVersion())
        : readSpineFile(spark, spine);
  }

  /** Each feature table's rows at its pinned version, with the commit that wrote each row. */
  List<FeatureInput> snapshots(TrainingPlan plan) {
    List<FeatureInput> inputs = new ArrayList<>();
    for (TrainingPlan.Feature feature : plan.features()) {
      Dataset<Row> rows = catalog.readVersion(feature.table(), feature.version())
          .select(columns(plan, feature, false, col("_metadata.file_name").as(FILE)));
      Dataset<Row> fileVersions = addedFiles(feature);
      rows = rows.join(broadcast(fileVersions), rows.col(FILE).equalTo(fileVersions.col(FILE)),
              "left")
          .select(columns(plan, feature, true,
              coalesce(fileVersions.col(FeatureInput.COMMIT), lit(-1L)).as(FeatureInput.COMMIT)));
      inputs.add(new FeatureInput(feature.table().toString(), rows, feature.outputs(),
          feature.ttl()));
    }
    return inputs;
  }

  /**
   * Each feature table's row versions from the change data feed up to the pinned version: a row
   * version becomes current with its insert (or update post-image) and stops with its delete (or
   * update pre-image), at the commit's timestamp.
   */
  List<FeatureInput> histories(TrainingPlan plan) {
    List<FeatureInput> inputs = new ArrayList<>();
    for (TrainingPlan.Feature feature : plan.features()) {
      Dataset<Row> changes = spark.read().format("delta")
          .option("readChangeFeed", "true")
          .option("startingVersion", 0)
          .option("endingVersion", feature.version())
          .load(feature.location())
          .where(col("_change_type").isin("insert", "update_postimage", "delete",
              "update_preimage"));
      StructType commitSchema = new StructType()
          .add("__v", DataTypes.LongType).add(FeatureInput.KNOWN_AT, DataTypes.LongType);
      Dataset<Row> commits = spark.createDataFrame(
          TableVersions.of(spark, catalog, feature.table()).commitMicros(feature.version()),
          commitSchema);
      Column op = when(col("_change_type").isin("insert", "update_postimage"),
          lit(KnownAtSweep.INSERT)).otherwise(lit(KnownAtSweep.DELETE));
      Dataset<Row> rows = changes
          .select(columns(plan, feature, false, op.as(FeatureInput.OP),
              col("_commit_version").as(FeatureInput.COMMIT)))
          .join(broadcast(commits), col(FeatureInput.COMMIT).equalTo(col("__v")))
          .drop("__v");
      inputs.add(new FeatureInput(feature.table().toString(), rows, feature.outputs(),
          feature.ttl()));
    }
    return inputs;
  }

  /**
   * Fails with a clear message when a pinned version's files are gone (VACUUM) or its log
   * entries were cleaned up, instead of a read error halfway through or different rows.
   */
  void requireReadable(TrainingPlan plan, String trainingSetId) {
    for (TrainingPlan.Feature feature : plan.features()) {
      requireReadable(feature.table().toString(), feature.location(), feature.version(),
          trainingSetId);
    }
    if (plan.spec().spine().isTable()) {
      requireReadable(plan.spec().spine().source(),
          catalog.location(plan.spec().spine().table()), plan.spineVersion(), trainingSetId);
    }
  }

  private void requireReadable(String table, String location, long version, String id) {
    String[] files;
    try {
      files = spark.read().format("delta").option("versionAsOf", version).load(location)
          .inputFiles();
    } catch (Exception e) {
      throw LakehouseException.data(TrainingMessages.versionGone(table, version, id));
    }
    try {
      FileSystem fs = new Path(location).getFileSystem(spark.sparkContext().hadoopConfiguration());
      for (String file : files) {
        if (!fs.exists(new Path(file))) {
          throw LakehouseException.data(TrainingMessages.versionGone(table, version, id));
        }
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot check the files of " + table, e);
    }
  }

  /** File name → the log version that added it (files from before the oldest log entry: -1). */
  private Dataset<Row> addedFiles(TrainingPlan.Feature feature) {
    StructType logSchema = new StructType().add("add",
        new StructType().add("path", DataTypes.StringType));
    return spark.read().schema(logSchema)
        .json(LakePaths.join(feature.location(), "_delta_log", "[0-9]*.json"))
        .where(col("add").isNotNull())
        .select(element_at(split(col("add.path"), "/"), -1).as(FILE),
            regexp_extract(input_file_name(), LOG_VERSION, 1).cast(DataTypes.LongType)
                .as(FeatureInput.COMMIT))
        .where(col(FeatureInput.COMMIT).leq(feature.version()))
        .groupBy(FILE).agg(max(FeatureInput.COMMIT).as(FeatureInput.COMMIT));
  }

  /** Keys (cast to the spine's types), feature time, output features, then the extras. */
  private static Column[] columns(TrainingPlan plan, TrainingPlan.Feature feature,
      boolean alreadyRenamed, Column... extra) {
    StructType spineSchema = plan.spineSchema();
    List<Column> columns = new ArrayList<>();
    for (String key : plan.spec().spine().keys()) {
      columns.add(col(key).cast(spineSchema.apply(key).dataType()).as(key));
    }
    columns.add(col(alreadyRenamed ? FeatureInput.FEATURE_TIME : feature.featureTime())
        .cast(DataTypes.TimestampType).as(FeatureInput.FEATURE_TIME));
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
