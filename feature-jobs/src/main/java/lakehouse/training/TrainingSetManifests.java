package lakehouse.training;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import lakehouse.common.CommonErrors;
import lakehouse.common.catalog.LakeCatalog;
import lakehouse.common.catalog.TableId;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The manifest table {@code gold._training_sets}: one row per training-set build (see {@link
 * TrainingSetManifest}), appended when a build has written its output. The time-travel tools read
 * it too: {@link #pinnedVersions()} tells the vacuum guard which table versions recorded training
 * sets still need.
 */
public final class TrainingSetManifests {
  /** The manifest table's logical name. */
  public static final TableId TABLE = TableId.of("gold", "_training_sets");

  /** The table's schema; the first thirteen columns are a contract with other tools. */
  public static final StructType SCHEMA =
      new StructType()
          .add("training_set_id", DataTypes.StringType, false)
          .add("name", DataTypes.StringType, false)
          .add("built_at", DataTypes.TimestampType, false)
          .add("spec", DataTypes.StringType, false)
          .add("knowledge_mode", DataTypes.StringType, false)
          .add("as_of", DataTypes.StringType, true)
          .add("serving_delay", DataTypes.StringType, true)
          .add("spine_source", DataTypes.StringType, false)
          .add("spine_version", DataTypes.LongType, true)
          .add(
              "feature_versions",
              DataTypes.createMapType(DataTypes.StringType, DataTypes.LongType, false),
              false)
          .add("output_location", DataTypes.StringType, false)
          .add("row_count", DataTypes.LongType, false)
          .add("content_hash", DataTypes.StringType, false)
          .add("output_table", DataTypes.StringType, true)
          .add("output_version", DataTypes.LongType, true)
          .add("rebuilt_from", DataTypes.StringType, true)
          .add(
              "feature_null_rates",
              DataTypes.createMapType(DataTypes.StringType, DataTypes.DoubleType, false),
              true)
          .add(
              "label_counts",
              DataTypes.createMapType(DataTypes.StringType, DataTypes.LongType, false),
              true)
          .add("rules", DataTypes.IntegerType, true);

  /**
   * One table version a recorded training set needs to be rebuilt.
   *
   * @param fromVersion the oldest version the rebuild reads: the pinned version itself, or 0 for a
   *     known-at build (which reads the change data feed from the table's first version)
   * @param toVersion the pinned version
   */
  public record Pin(
      String trainingSetId,
      String name,
      Timestamp builtAt,
      String table,
      long fromVersion,
      long toVersion) {}

  private final SparkSession spark;
  private final LakeCatalog catalog;

  public TrainingSetManifests(SparkSession spark, LakeCatalog catalog) {
    this.spark = spark;
    this.catalog = catalog;
  }

  /** Whether any build has been recorded yet. */
  public boolean exists() {
    return catalog.exists(TABLE);
  }

  /** Appends one manifest row (creating and registering the table on first use). */
  public void append(TrainingSetManifest manifest) {
    boolean created = !exists();
    spark
        .createDataFrame(List.of(toRow(manifest)), SCHEMA)
        .coalesce(1)
        .write()
        .format("delta")
        .mode(SaveMode.Append)
        .option("mergeSchema", "true") // tables from before the rules column get it
        .save(catalog.location(TABLE));
    if (created) {
      catalog.register(TABLE);
    }
  }

  /** The recorded builds as a Dataset, newest first (empty when nothing was built yet). */
  public Dataset<Row> table() {
    if (!exists()) {
      return spark.createDataFrame(List.of(), SCHEMA);
    }
    return catalog.read(TABLE).orderBy(org.apache.spark.sql.functions.col("built_at").desc());
  }

  /** Every recorded build, newest first. */
  public List<TrainingSetManifest> all() {
    List<TrainingSetManifest> result = new ArrayList<>();
    for (Row row : table().collectAsList()) {
      result.add(fromRow(row));
    }
    return result;
  }

  /** The build with this id (or a unique id prefix of at least six characters). */
  public TrainingSetManifest find(String idOrPrefix) {
    List<TrainingSetManifest> matches =
        all().stream()
            .filter(
                m ->
                    m.trainingSetId().equals(idOrPrefix)
                        || (idOrPrefix.length() >= 6 && m.trainingSetId().startsWith(idOrPrefix)))
            .toList();
    if (matches.size() == 1) {
      return matches.get(0);
    }
    if (matches.isEmpty()) {
      throw CommonErrors.unknownTrainingSet(idOrPrefix);
    }
    throw CommonErrors.ambiguousTrainingSet(
        idOrPrefix, matches.stream().map(TrainingSetManifest::trainingSetId).toList());
  }

  /** Every (build, table) pin: feature tables and, for a table spine, the spine table. */
  public List<Pin> pins() {
    List<Pin> pins = new ArrayList<>();
    for (TrainingSetManifest m : all()) {
      boolean knownAt = KnowledgeMode.KNOWN_AT.word().equals(m.knowledgeMode());
      for (Map.Entry<String, Long> entry : m.featureVersions().entrySet()) {
        pins.add(
            new Pin(
                m.trainingSetId(),
                m.name(),
                m.builtAt(),
                entry.getKey(),
                knownAt ? 0L : entry.getValue(),
                entry.getValue()));
      }
      if (m.spineVersion() != null) {
        pins.add(
            new Pin(
                m.trainingSetId(),
                m.name(),
                m.builtAt(),
                m.spineSource(),
                m.spineVersion(),
                m.spineVersion()));
      }
      if (TrainingSpec.Spine.QUERY.equals(m.spineSource())) {
        TrainingSpec.parseRendered(m.spec(), "training set " + m.trainingSetId() + " spec")
            .spine()
            .versions()
            .forEach(
                (table, version) ->
                    pins.add(
                        new Pin(
                            m.trainingSetId(),
                            m.name(),
                            m.builtAt(),
                            table.toString(),
                            version,
                            version)));
      }
    }
    return pins;
  }

  /**
   * Per logical table name, every version some recorded training set reads when rebuilt (a known-at
   * build needs every version from 0 to its pin, because it reads the change feed).
   */
  public Map<String, SortedSet<Long>> pinnedVersions() {
    Map<String, SortedSet<Long>> result = new TreeMap<>();
    for (Pin pin : pins()) {
      SortedSet<Long> versions = result.computeIfAbsent(pin.table(), t -> new TreeSet<>());
      for (long v = pin.fromVersion(); v <= pin.toVersion(); v++) {
        versions.add(v);
      }
    }
    result.replaceAll((table, versions) -> Collections.unmodifiableSortedSet(versions));
    return Collections.unmodifiableMap(result);
  }

  static Row toRow(TrainingSetManifest m) {
    return RowFactory.create(
        m.trainingSetId(),
        m.name(),
        m.builtAt(),
        m.spec(),
        m.knowledgeMode(),
        m.asOf(),
        m.servingDelay(),
        m.spineSource(),
        m.spineVersion(),
        m.featureVersions(),
        m.outputLocation(),
        m.rowCount(),
        m.contentHash(),
        m.outputTable(),
        m.outputVersion(),
        m.rebuiltFrom(),
        m.featureNullRates(),
        m.labelCounts(),
        m.rules());
  }

  static TrainingSetManifest fromRow(Row row) {
    return new TrainingSetManifest(
        row.getAs("training_set_id"),
        row.getAs("name"),
        row.getAs("built_at"),
        row.getAs("spec"),
        row.getAs("knowledge_mode"),
        row.getAs("as_of"),
        row.getAs("serving_delay"),
        row.getAs("spine_source"),
        row.getAs("spine_version"),
        javaMap(row, "feature_versions"),
        row.getAs("output_location"),
        row.getAs("row_count"),
        row.getAs("content_hash"),
        row.getAs("output_table"),
        row.getAs("output_version"),
        row.getAs("rebuilt_from"),
        javaMap(row, "feature_null_rates"),
        javaMap(row, "label_counts"),
        List.of(row.schema().fieldNames()).contains("rules") ? row.getAs("rules") : null);
  }

  private static <V> Map<String, V> javaMap(Row row, String column) {
    int index = row.fieldIndex(column);
    if (row.isNullAt(index)) {
      return Map.of();
    }
    return new LinkedHashMap<>(row.<String, V>getJavaMap(index));
  }
}
