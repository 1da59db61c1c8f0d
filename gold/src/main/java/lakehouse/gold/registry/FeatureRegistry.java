package lakehouse.gold.registry;

import static org.apache.spark.sql.functions.col;

import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import lakehouse.common.catalog.LakeCatalog;
import lakehouse.common.catalog.TableId;
import lakehouse.gold.spec.FeatureSet;
import lakehouse.gold.spec.FeatureSpec;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The feature registry ({@code gold._feature_registry}): one row per feature and definition
 * version. A run keeps the current version's row when the definition hash is unchanged (widening
 * its first/last computed dates) and adds version n+1 when it changed; features no longer declared
 * stay with {@code is_current = false}. Each feature set's rows are replaced in one commit
 * (partitioned by feature set, so runs of different sets do not conflict).
 */
public final class FeatureRegistry {
  /** The registry's columns. */
  public static final StructType SCHEMA = new StructType()
      .add("feature", DataTypes.StringType)
      .add("feature_set", DataTypes.StringType)
      .add("version", DataTypes.IntegerType)
      .add("is_current", DataTypes.BooleanType)
      .add("kind", DataTypes.StringType)
      .add("entity", DataTypes.StringType)
      .add("type", DataTypes.StringType)
      .add("description", DataTypes.StringType)
      .add("window", DataTypes.StringType)
      .add("source_tables", DataTypes.createArrayType(DataTypes.StringType))
      .add("owner", DataTypes.StringType)
      .add("definition", DataTypes.StringType)
      .add("definition_hash", DataTypes.StringType)
      .add("first_computed_date", DataTypes.DateType)
      .add("last_computed_date", DataTypes.DateType)
      .add("registered_at", DataTypes.TimestampType)
      .add("updated_at", DataTypes.TimestampType);

  private final SparkSession spark;
  private final LakeCatalog catalog;
  private final TableId table;

  public FeatureRegistry(SparkSession spark, LakeCatalog catalog, TableId table) {
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

  /** Every registry row (all sets, all versions). */
  public Dataset<Row> read() {
    return catalog.read(table);
  }

  /**
   * Records that the set's features were computed for {@code days}.
   *
   * @param types each feature's Spark type, from the written table's schema
   * @param now the run's clock reading
   * @return the rows of the set after the update, current ones first
   */
  public List<Row> record(FeatureSet set, Map<String, String> types, Collection<LocalDate> days,
      Instant now) {
    LocalDate first = Collections.min(days);
    LocalDate last = Collections.max(days);
    List<Row> existing = exists()
        ? read().filter(col("feature_set").equalTo(set.name())).collectAsList()
        : List.of();
    Map<String, Integer> maxVersion = new LinkedHashMap<>();
    Map<String, Row> current = new LinkedHashMap<>();
    for (Row row : existing) {
      String feature = row.getAs("feature");
      maxVersion.merge(feature, row.<Integer>getAs("version"), Math::max);
      if (row.<Boolean>getAs("is_current")) {
        current.put(feature, row);
      }
    }
    Timestamp stamp = Timestamp.from(now);
    List<Row> result = new ArrayList<>();
    List<String> declared = new ArrayList<>();
    for (FeatureSpec feature : set.features()) {
      declared.add(feature.name());
      String hash = set.definitionHash(feature);
      Row previous = current.get(feature.name());
      boolean same = previous != null && hash.equals(previous.getAs("definition_hash"));
      int version = same ? previous.<Integer>getAs("version")
          : maxVersion.getOrDefault(feature.name(), 0) + 1;
      LocalDate firstComputed = same ? min(previous.<Date>getAs("first_computed_date"), first)
          : first;
      LocalDate lastComputed = same ? max(previous.<Date>getAs("last_computed_date"), last) : last;
      Timestamp registeredAt = same ? previous.getAs("registered_at") : stamp;
      result.add(RowFactory.create(feature.name(), set.name(), version, true, feature.kind(),
          String.join(",", set.entity()), types.get(feature.name()), feature.description(),
          feature.window(), set.sourceTables(feature), set.owner(), set.definition(feature), hash,
          Date.valueOf(firstComputed), Date.valueOf(lastComputed), registeredAt, stamp));
    }
    for (Row row : existing) {
      boolean stillCurrent = result.stream().anyMatch(r -> r.getString(0).equals(row.getAs("feature"))
          && r.getInt(2) == row.<Integer>getAs("version"));
      if (stillCurrent) {
        continue;
      }
      Object[] values = new Object[SCHEMA.size()];
      for (int i = 0; i < values.length; i++) {
        values[i] = row.get(row.fieldIndex(SCHEMA.fields()[i].name()));
      }
      boolean wasCurrent = Boolean.TRUE.equals(values[3]);
      values[3] = false; // superseded by a new version, or no longer declared
      if (wasCurrent) {
        values[16] = stamp;
      }
      values[9] = javaList(values[9]);
      result.add(RowFactory.create(values));
    }
    spark.createDataFrame(result, SCHEMA).write().format("delta").mode("overwrite")
        .partitionBy("feature_set")
        .option("replaceWhere", "feature_set = '" + set.name().replace("'", "''") + "'")
        .save(catalog.location(table));
    catalog.register(table);
    return result;
  }

  private static List<Object> javaList(Object value) {
    if (value == null) {
      return null;
    }
    return new ArrayList<>(scala.collection.JavaConverters.seqAsJavaList(
        (scala.collection.Seq<Object>) value));
  }

  private static LocalDate min(Date date, LocalDate other) {
    return date == null || other.isBefore(date.toLocalDate()) ? other : date.toLocalDate();
  }

  private static LocalDate max(Date date, LocalDate other) {
    return date == null || other.isAfter(date.toLocalDate()) ? other : date.toLocalDate();
  }
}
