package lakehouse.gold;

import io.delta.tables.DeltaTable;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;
import lakehouse.common.catalog.LakeCatalog;
import lakehouse.common.catalog.TableId;
import lakehouse.gold.compute.FeatureColumns;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Writes feature snapshots to {@code gold.<set>}: partitioned by {@code feature_date}, created with
 * the change data feed on (the training sets' known-at mode reads when each row version was
 * current), each run's days replaced in one commit, so a recomputed day is a new Delta version and
 * the values published before stay reachable by time travel.
 */
public final class GoldTable {
  private GoldTable() {}

  /**
   * Replaces the given days' rows with {@code rows} in one commit and returns the new version. A
   * new table declares its row key, the entity columns and {@code feature_date}, for {@code diff}.
   * Columns of new features are added to the table; those of removed features stay (null for days
   * computed without them).
   */
  public static long replaceDays(
      SparkSession spark,
      LakeCatalog catalog,
      TableId table,
      List<String> entity,
      Dataset<Row> rows,
      Collection<LocalDate> days) {
    String location = catalog.location(table);
    if (!catalog.exists(table)) {
      List<String> key = new ArrayList<>(entity);
      key.add(FeatureColumns.FEATURE_DATE);
      // By path only: a builder given both a path and a location sees two spellings of one place.
      spark.sql(
          "CREATE TABLE IF NOT EXISTS delta.`"
              + location
              + "` ("
              + nullable(rows.schema()).toDDL()
              + ") USING DELTA PARTITIONED BY ("
              + FeatureColumns.FEATURE_DATE
              + ") TBLPROPERTIES ('delta.enableChangeDataFeed' = 'true', "
              + LakeCatalog.keyProperty(key)
              + ")");
    }
    rows.write()
        .format("delta")
        .mode("overwrite")
        .option("replaceWhere", daysCondition(days))
        .option("mergeSchema", "true")
        .save(location);
    catalog.register(table);
    return catalog.currentVersion(table);
  }

  /** {@code feature_date} in the days: a range when they are contiguous, else a list. */
  public static String daysCondition(Collection<LocalDate> days) {
    TreeSet<LocalDate> sorted = new TreeSet<>(days);
    LocalDate first = sorted.first();
    LocalDate last = sorted.last();
    if (first.plusDays(sorted.size() - 1).equals(last)) {
      return FeatureColumns.FEATURE_DATE
          + " >= DATE'"
          + first
          + "' AND "
          + FeatureColumns.FEATURE_DATE
          + " <= DATE'"
          + last
          + "'";
    }
    List<String> literals = new ArrayList<>();
    sorted.forEach(d -> literals.add("DATE'" + d + "'"));
    return FeatureColumns.FEATURE_DATE + " IN (" + String.join(", ", literals) + ")";
  }

  /** The snapshot days the table holds now, sorted. */
  public static List<LocalDate> computedDays(
      SparkSession spark, LakeCatalog catalog, TableId table) {
    if (!catalog.exists(table)) {
      return List.of();
    }
    return catalog
        .read(table)
        .select(FeatureColumns.FEATURE_DATE)
        .distinct()
        .collectAsList()
        .stream()
        .map(r -> r.getDate(0).toLocalDate())
        .sorted()
        .toList();
  }

  /** The rows the last commit wrote, from its operation metrics. */
  public static long rowsWrittenByLastCommit(
      SparkSession spark, LakeCatalog catalog, TableId table) {
    Row last = DeltaTable.forPath(spark, catalog.location(table)).history(1).first();
    scala.collection.Map<String, String> metrics = last.getMap(last.fieldIndex("operationMetrics"));
    return metrics.contains("numOutputRows") ? Long.parseLong(metrics.apply("numOutputRows")) : 0L;
  }

  private static StructType nullable(StructType schema) {
    StructType result = new StructType();
    for (StructField field : schema.fields()) {
      result = result.add(field.name(), field.dataType(), true);
    }
    return result;
  }
}
