package lakehouse.gold.registry;

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
import lakehouse.gold.declarations.FeatureSet;
import lakehouse.gold.declarations.FeatureSpec;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The feature registry: one row per feature and definition version, one table per feature set
 * ({@code <prefix><set>}, by default {@code gold._feature_registry_<set>}), so gold jobs of
 * different sets share no write target and run side by side (on S3 too). A run keeps the current
 * version's row when the definition hash is unchanged (widening its first/last computed dates) and
 * adds version n+1 when it changed; features no longer declared stay with {@code is_current =
 * false}. A set's table is replaced in one commit. Readers see the union of every set's table.
 */
public final class FeatureRegistry {
  /** The registry's columns. */
  public static final StructType SCHEMA =
      new StructType()
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
  private final String prefix;

  /**
   * @param prefix how every set's registry table is named before the set's name
   */
  public FeatureRegistry(SparkSession spark, LakeCatalog catalog, String prefix) {
    this.spark = spark;
    this.catalog = catalog;
    this.prefix = prefix;
  }

  /** The registry table of one feature set. */
  public TableId table(String featureSet) {
    return TableId.parse(prefix + featureSet);
  }

  /** The registry's tables as a user reads their names: {@code gold._feature_registry_<set>}. */
  public String describe() {
    return prefix + "<feature set>";
  }

  /** The registry tables of the lake, one per feature set computed so far, by name. */
  public List<TableId> tables() {
    return tablesOf(catalog.discover(), prefix);
  }

  /** The registry tables among {@code tables}. */
  public static List<TableId> tablesOf(Collection<TableId> tables, String prefix) {
    return tables.stream()
        .filter(t -> t.toString().startsWith(prefix))
        .sorted(java.util.Comparator.comparing(TableId::toString))
        .toList();
  }

  public boolean exists() {
    return !tables().isEmpty();
  }

  /** Every registry row (all sets, all versions); empty when no set was computed yet. */
  public Dataset<Row> read() {
    Dataset<Row> all = spark.createDataFrame(List.of(), SCHEMA);
    for (TableId table : tables()) {
      all = all.unionByName(catalog.read(table), true);
    }
    return all;
  }

  /**
   * Records that the set's features were computed for {@code days}.
   *
   * @param types each feature's Spark type, from the written table's schema
   * @param now the run's clock reading
   * @return the rows of the set after the update, current ones first
   */
  public List<Row> record(
      FeatureSet set, Map<String, String> types, Collection<LocalDate> days, Instant now) {
    LocalDate first = Collections.min(days);
    LocalDate last = Collections.max(days);
    TableId table = table(set.name());
    List<Row> existing = catalog.exists(table) ? catalog.read(table).collectAsList() : List.of();
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
      int version =
          same
              ? previous.<Integer>getAs("version")
              : maxVersion.getOrDefault(feature.name(), 0) + 1;
      LocalDate firstComputed =
          same ? min(previous.<Date>getAs("first_computed_date"), first) : first;
      LocalDate lastComputed = same ? max(previous.<Date>getAs("last_computed_date"), last) : last;
      Timestamp registeredAt = same ? previous.getAs("registered_at") : stamp;
      result.add(
          RowFactory.create(
              feature.name(),
              set.name(),
              version,
              true,
              feature.kind(),
              String.join(",", set.entity()),
              types.get(feature.name()),
              feature.description(),
              feature.window(),
              set.sourceTables(feature),
              set.owner(),
              set.definition(feature),
              hash,
              Date.valueOf(firstComputed),
              Date.valueOf(lastComputed),
              registeredAt,
              stamp));
    }
    for (Row row : existing) {
      boolean stillCurrent =
          result.stream()
              .anyMatch(
                  r ->
                      r.getString(0).equals(row.getAs("feature"))
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
    spark
        .createDataFrame(result, SCHEMA)
        .coalesce(1)
        .write()
        .format("delta")
        .mode("overwrite")
        .save(catalog.location(table));
    catalog.register(table);
    return result;
  }

  private static List<Object> javaList(Object value) {
    if (value == null) {
      return null;
    }
    return new ArrayList<>(
        scala.collection.JavaConverters.seqAsJavaList((scala.collection.Seq<Object>) value));
  }

  private static LocalDate min(Date date, LocalDate other) {
    return date == null || other.isBefore(date.toLocalDate()) ? other : date.toLocalDate();
  }

  private static LocalDate max(Date date, LocalDate other) {
    return date == null || other.isAfter(date.toLocalDate()) ? other : date.toLocalDate();
  }
}
