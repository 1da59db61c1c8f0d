package lakehouse.gold.drift;

import static org.apache.spark.sql.functions.col;

import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import lakehouse.common.catalog.LakeCatalog;
import lakehouse.common.catalog.TableId;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * A feature profiles table ({@code gold._feature_profiles_<set>}, {@code
 * gold._training_profiles_<name>}): one row per feature and feature-set day or training-set build.
 * A feature set's days are replaced when they are profiled again (a recomputed day gets a new
 * profile), a build's profile when the build is profiled again; each write is one Delta commit.
 */
public final class ProfileStore {
  /** The table's columns. */
  public static final StructType SCHEMA =
      new StructType()
          .add("scope", DataTypes.StringType, false)
          .add("subject", DataTypes.StringType, false)
          .add("build_id", DataTypes.StringType, true)
          .add("profile_date", DataTypes.DateType, true)
          .add("feature", DataTypes.StringType, false)
          .add("kind", DataTypes.StringType, false)
          .add("type", DataTypes.StringType, true)
          .add("rows", DataTypes.LongType, false)
          .add("nulls", DataTypes.LongType, false)
          .add("null_rate", DataTypes.DoubleType, false)
          .add("min", DataTypes.DoubleType, true)
          .add("max", DataTypes.DoubleType, true)
          .add("mean", DataTypes.DoubleType, true)
          .add("stddev", DataTypes.DoubleType, true)
          .add("sketch_values", DataTypes.createArrayType(DataTypes.DoubleType, false), true)
          .add("sketch_weights", DataTypes.createArrayType(DataTypes.LongType, false), true)
          .add("top_values", DataTypes.createArrayType(DataTypes.StringType, true), true)
          .add("top_counts", DataTypes.createArrayType(DataTypes.LongType, false), true)
          .add("distinct_values", DataTypes.LongType, true)
          .add("source_version", DataTypes.LongType, true)
          .add("profiled_at", DataTypes.TimestampType, false);

  private final SparkSession spark;
  private final LakeCatalog catalog;
  private final TableId table;

  public ProfileStore(SparkSession spark, LakeCatalog catalog, TableId table) {
    this.spark = spark;
    this.catalog = catalog;
    this.table = table;
  }

  public TableId table() {
    return table;
  }

  public boolean exists() {
    return catalog.exists(table);
  }

  /** Replaces the profiles of a feature set's days with these (one commit). */
  public long writeDays(
      String set, Collection<LocalDate> days, List<FeatureProfile> profiles, Instant at) {
    List<String> literals = new ArrayList<>();
    new TreeSet<>(days).forEach(d -> literals.add("DATE'" + d + "'"));
    return write(
        profiles,
        "scope = '"
            + FeatureProfile.FEATURE_SET
            + "' AND subject = '"
            + set.replace("'", "''")
            + "' AND profile_date IN ("
            + String.join(", ", literals)
            + ")",
        at);
  }

  /** Replaces the profile of a training-set build with these (one commit). */
  public long writeBuild(String buildId, List<FeatureProfile> profiles, Instant at) {
    return write(
        profiles,
        "scope = '"
            + FeatureProfile.TRAINING_SET
            + "' AND build_id = '"
            + buildId.replace("'", "''")
            + "'",
        at);
  }

  private long write(List<FeatureProfile> profiles, String condition, Instant at) {
    String location = catalog.location(table);
    if (!catalog.exists(table)) {
      spark.sql(
          "CREATE TABLE IF NOT EXISTS delta.`"
              + location
              + "` ("
              + SCHEMA.toDDL()
              + ") USING DELTA PARTITIONED BY (scope, subject) TBLPROPERTIES ("
              + LakeCatalog.keyProperty(
                  List.of("scope", "subject", "build_id", "profile_date", "feature"))
              + ")");
    }
    List<Row> rows = new ArrayList<>();
    Timestamp stamp = Timestamp.from(at);
    for (FeatureProfile p : profiles) {
      rows.add(toRow(p, stamp));
    }
    spark
        .createDataFrame(rows, SCHEMA)
        .coalesce(1)
        .write()
        .format("delta")
        .mode("overwrite")
        .option("replaceWhere", condition)
        .save(location);
    catalog.register(table);
    return catalog.currentVersion(table);
  }

  static Row toRow(FeatureProfile p, Timestamp at) {
    List<String> names = new ArrayList<>(p.categories().keySet());
    List<Long> counts = new ArrayList<>(p.categories().values());
    List<Double> values = new ArrayList<>();
    for (double v : p.values()) {
      values.add(v);
    }
    List<Long> weights = new ArrayList<>();
    for (long w : p.weights()) {
      weights.add(w);
    }
    return RowFactory.create(
        p.scope(),
        p.subject(),
        p.buildId(),
        p.day() == null ? null : Date.valueOf(p.day()),
        p.feature(),
        p.kind(),
        p.type(),
        p.rows(),
        p.nulls(),
        p.nullRate(),
        p.min(),
        p.max(),
        p.mean(),
        p.stddev(),
        scala.collection.JavaConverters.asScalaBuffer(values).toSeq(),
        scala.collection.JavaConverters.asScalaBuffer(weights).toSeq(),
        scala.collection.JavaConverters.asScalaBuffer(names).toSeq(),
        scala.collection.JavaConverters.asScalaBuffer(counts).toSeq(),
        p.distinct(),
        p.sourceVersion(),
        at);
  }

  static FeatureProfile fromRow(Row r) {
    List<Double> values = r.getList(r.fieldIndex("sketch_values"));
    List<Long> weights = r.getList(r.fieldIndex("sketch_weights"));
    List<String> names = r.getList(r.fieldIndex("top_values"));
    List<Long> counts = r.getList(r.fieldIndex("top_counts"));
    Map<String, Long> categories = new LinkedHashMap<>();
    for (int i = 0; i < names.size(); i++) {
      categories.put(names.get(i), counts.get(i));
    }
    Date day = r.getAs("profile_date");
    return new FeatureProfile(
        r.getAs("scope"),
        r.getAs("subject"),
        r.getAs("build_id"),
        day == null ? null : day.toLocalDate(),
        day == null ? 0 : 1,
        r.getAs("feature"),
        r.getAs("kind"),
        r.getAs("type"),
        r.<Long>getAs("rows"),
        r.<Long>getAs("nulls"),
        r.getAs("min"),
        r.getAs("max"),
        r.getAs("mean"),
        r.getAs("stddev"),
        values.stream().mapToDouble(Double::doubleValue).toArray(),
        weights.stream().mapToLong(Long::longValue).toArray(),
        categories,
        r.isNullAt(r.fieldIndex("distinct_values")) ? 0 : r.<Long>getAs("distinct_values"),
        r.getAs("source_version"));
  }

  /** The profiles of a feature set's days from {@code from} to {@code to}, per feature and day. */
  public List<FeatureProfile> readDays(String set, LocalDate from, LocalDate to) {
    if (!exists()) {
      return List.of();
    }
    return catalog
        .read(table)
        .filter(
            col("scope")
                .equalTo(FeatureProfile.FEATURE_SET)
                .and(col("subject").equalTo(set))
                .and(col("profile_date").geq(Date.valueOf(from)))
                .and(col("profile_date").leq(Date.valueOf(to))))
        .collectAsList()
        .stream()
        .map(ProfileStore::fromRow)
        .toList();
  }

  /** The profiles of a training-set build. */
  public List<FeatureProfile> readBuild(String buildId) {
    if (!exists()) {
      return List.of();
    }
    return catalog
        .read(table)
        .filter(
            col("scope").equalTo(FeatureProfile.TRAINING_SET).and(col("build_id").equalTo(buildId)))
        .collectAsList()
        .stream()
        .map(ProfileStore::fromRow)
        .toList();
  }

  /** The days profiled for a feature set, ascending. */
  public List<LocalDate> days(String set) {
    if (!exists()) {
      return List.of();
    }
    Dataset<Row> rows =
        catalog
            .read(table)
            .filter(
                col("scope").equalTo(FeatureProfile.FEATURE_SET).and(col("subject").equalTo(set)))
            .select("profile_date")
            .distinct();
    return rows.collectAsList().stream().map(r -> r.getDate(0).toLocalDate()).sorted().toList();
  }

  /** Merges per-day profiles into one per feature (the window's profile). */
  public static Map<String, FeatureProfile> mergeByFeature(List<FeatureProfile> profiles) {
    Map<String, List<FeatureProfile>> byFeature = new LinkedHashMap<>();
    profiles.stream()
        .sorted(java.util.Comparator.comparing(FeatureProfile::feature))
        .forEach(p -> byFeature.computeIfAbsent(p.feature(), k -> new ArrayList<>()).add(p));
    Map<String, FeatureProfile> out = new LinkedHashMap<>();
    byFeature.forEach((f, list) -> out.put(f, FeatureProfile.merge(list)));
    return out;
  }
}
