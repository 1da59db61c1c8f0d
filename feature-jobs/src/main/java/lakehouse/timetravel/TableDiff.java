package lakehouse.timetravel;

import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.map_entries;
import static org.apache.spark.sql.functions.map_from_entries;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import lakehouse.common.CommonErrors;
import lakehouse.common.catalog.LakeCatalog;
import lakehouse.common.catalog.TableId;
import lakehouse.common.catalog.TableVersions;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The rows added, removed and changed in a Delta table between two versions.
 *
 * <p>With a key (columns that identify one row in each version) a row is <em>added</em> when its
 * key is only in the newer version, <em>removed</em> when only in the older one, and
 * <em>changed</em> when both have it with different values; the result names the changed columns
 * and shows {@code from_<column>} / {@code to_<column>} side by side. Without a key whole rows are
 * compared as multisets: only added and removed rows.
 *
 * <p>Two ways to find them, same answer: when the table recorded its change data feed for every
 * commit of the range, only the changes are read and netted per key (first state before the range,
 * last state after it); otherwise the two snapshots are compared by a full outer join on the key.
 * Columns that exist in one version only count as null in the other.
 *
 * <p>A key must identify one row in each version; a key given by the caller is checked on both
 * snapshots, a key the table declares in {@value LakeCatalog#KEY_PROPERTY} is trusted when the
 * change feed is used (its writers merge on it).
 */
public final class TableDiff {
  public static final String CHANGE = "_change";
  public static final String CHANGED_COLUMNS = "_changed_columns";
  public static final String ADDED = "added";
  public static final String REMOVED = "removed";
  public static final String CHANGED = "changed";
  public static final String FROM_PREFIX = "from_";
  public static final String TO_PREFIX = "to_";
  private static final String IN_FROM = "__in_from";
  private static final String IN_TO = "__in_to";

  /** How the differences were found. */
  public enum Method {
    CHANGE_DATA_FEED("change data feed"),
    SNAPSHOTS("snapshot comparison");

    private final String text;

    Method(String text) {
      this.text = text;
    }

    public String text() {
      return text;
    }
  }

  /**
   * A diff, lazily evaluated.
   *
   * @param key the key columns used, empty for a whole-row comparison
   * @param note why the change data feed was not used, or null
   * @param rows {@code _change}, the key (or all) columns, and for keyed diffs {@code
   *     _changed_columns} and {@code from_}/{@code to_} value pairs
   */
  public record Result(
      TableId table,
      long from,
      long to,
      List<String> key,
      Method method,
      String note,
      Dataset<Row> rows) {}

  private final SparkSession spark;
  private final LakeCatalog catalog;

  public TableDiff(SparkSession spark, LakeCatalog catalog) {
    this.spark = spark;
    this.catalog = catalog;
  }

  /**
   * Validates the range and the key and describes the differences.
   *
   * @param requestedKey the key columns, empty for whole rows, or null to take the table's {@value
   *     LakeCatalog#KEY_PROPERTY} property (whole rows when it has none)
   * @param preferChangeFeed whether to use the change data feed when it covers the range
   */
  public Result diff(
      TableId table, long from, long to, List<String> requestedKey, boolean preferChangeFeed) {
    TableVersions versions = TableVersions.of(spark, catalog, table);
    StructType fromSchema = versions.requireVersion(from, "--from");
    StructType toSchema = versions.requireVersion(to, "--to");
    if (from > to) {
      throw CommonErrors.reversedRange(from, to, "version");
    }
    boolean declaredKey = requestedKey == null;
    List<String> key = declaredKey ? tableKey(table) : requestedKey;
    for (String column : key) {
      requireKeyColumn(table, fromSchema, from, column);
      requireKeyColumn(table, toSchema, to, column);
    }
    StructType columns = unionColumns(toSchema, fromSchema);
    if (key.isEmpty()) {
      return new Result(
          table,
          from,
          to,
          key,
          Method.SNAPSHOTS,
          null,
          wholeRowDiff(
              align(catalog.readVersion(table, from), columns),
              align(catalog.readVersion(table, to), columns)));
    }
    List<String> values = valueColumns(columns, key);
    checkOutputNames(columns, key, values);
    String note = null;
    if (preferChangeFeed && from < to) {
      Dataset<Row> changes = null;
      try {
        changes = changeFeed(table, from, to);
      } catch (Exception e) { // Scala throws the checked AnalysisException undeclared
        if (!(e instanceof AnalysisException)) {
          throw SparkErrors.unchecked(e);
        }
        note = SparkErrors.firstLine(e.getMessage());
      }
      if (changes != null) {
        Dataset<Row> aligned = alignChanges(changes, columns);
        // The changes alone cannot show that a key is unique, only that it is not. A key the
        // table declares is a contract its writers keep (they MERGE on it); any other key is
        // checked on both snapshots, which costs the scans the change feed would have saved.
        requireUniqueChanges(table, aligned, key);
        if (!declaredKey) {
          requireUnique(
              table, align(catalog.readVersion(table, from), columns), key, "version " + from);
          requireUnique(
              table, align(catalog.readVersion(table, to), columns), key, "version " + to);
        }
        return new Result(
            table,
            from,
            to,
            key,
            Method.CHANGE_DATA_FEED,
            null,
            keyedDiff(netBefore(aligned, key), netAfter(aligned, key), key, values, columns));
      }
    }
    Dataset<Row> before = align(catalog.readVersion(table, from), columns);
    Dataset<Row> after = align(catalog.readVersion(table, to), columns);
    requireUnique(table, before, key, "version " + from);
    requireUnique(table, after, key, "version " + to);
    return new Result(
        table,
        from,
        to,
        key,
        Method.SNAPSHOTS,
        note,
        keyedDiff(before, after, key, values, columns));
  }

  /** Counts per kind of change: added, removed, changed (all present, zero when none). */
  public static Map<String, Long> summary(Dataset<Row> rows) {
    Map<String, Long> counts = new LinkedHashMap<>();
    counts.put(ADDED, 0L);
    counts.put(REMOVED, 0L);
    counts.put(CHANGED, 0L);
    for (Row row : rows.groupBy(CHANGE).agg(count(lit(1))).collectAsList()) {
      counts.put(row.getString(0), row.getLong(1));
    }
    return counts;
  }

  /**
   * Compares two versions row by row on the key: a full outer join with null-safe key equality.
   * Both inputs hold the key and value columns of {@code columns}.
   */
  public static Dataset<Row> keyedDiff(
      Dataset<Row> before,
      Dataset<Row> after,
      List<String> key,
      List<String> values,
      StructType columns) {
    List<Column> left = new ArrayList<>();
    List<Column> right = new ArrayList<>();
    for (String k : key) {
      left.add(col(k).as("__from_key_" + k));
      right.add(col(k).as("__to_key_" + k));
    }
    for (String v : values) {
      left.add(col(v).as(FROM_PREFIX + v));
      right.add(col(v).as(TO_PREFIX + v));
    }
    left.add(lit(true).as(IN_FROM));
    right.add(lit(true).as(IN_TO));
    Dataset<Row> b = before.select(left.toArray(Column[]::new));
    Dataset<Row> a = after.select(right.toArray(Column[]::new));
    Column on = lit(true);
    for (String k : key) {
      on = on.and(b.col("__from_key_" + k).eqNullSafe(a.col("__to_key_" + k)));
    }
    Dataset<Row> joined = b.join(a, on, "full_outer");

    Column anyChange = lit(false);
    List<Column> changedNames = new ArrayList<>();
    for (String v : values) {
      DataType type = columns.apply(v).dataType();
      Column differs =
          comparable(col(FROM_PREFIX + v), type)
              .eqNullSafe(comparable(col(TO_PREFIX + v), type))
              .unary_$bang();
      anyChange = anyChange.or(differs);
      changedNames.add(when(differs, lit(v)));
    }
    Column change =
        when(col(IN_FROM).isNull(), lit(ADDED))
            .when(col(IN_TO).isNull(), lit(REMOVED))
            .when(anyChange, lit(CHANGED));
    List<Column> out = new ArrayList<>();
    out.add(change.as(CHANGE));
    for (String k : key) {
      out.add(coalesce(col("__from_key_" + k), col("__to_key_" + k)).as(k));
    }
    out.add(
        when(
                col(IN_FROM).isNotNull().and(col(IN_TO).isNotNull()),
                changedNames.isEmpty()
                    ? lit("")
                    : concat_ws(",", changedNames.toArray(Column[]::new)))
            .as(CHANGED_COLUMNS));
    for (String v : values) {
      out.add(col(FROM_PREFIX + v));
      out.add(col(TO_PREFIX + v));
    }
    Dataset<Row> diff = joined.select(out.toArray(Column[]::new)).where(col(CHANGE).isNotNull());
    List<Column> order = new ArrayList<>();
    key.forEach(k -> order.add(col(k).asc_nulls_first()));
    order.add(col(CHANGE));
    return diff.orderBy(order.toArray(Column[]::new));
  }

  /**
   * Compares whole rows as multisets (a row twice in one version and once in the other is one added
   * or removed row). Maps are compared by their sorted entries.
   */
  public static Dataset<Row> wholeRowDiff(Dataset<Row> before, Dataset<Row> after) {
    StructType schema = after.schema();
    Dataset<Row> b = comparableRows(before, schema);
    Dataset<Row> a = comparableRows(after, schema);
    Dataset<Row> added = a.exceptAll(b).withColumn(CHANGE, lit(ADDED));
    Dataset<Row> removed = b.exceptAll(a).withColumn(CHANGE, lit(REMOVED));
    List<Column> out = new ArrayList<>();
    List<Column> order = new ArrayList<>();
    out.add(col(CHANGE));
    order.add(col(CHANGE));
    for (StructField field : schema.fields()) {
      out.add(
          field.dataType() instanceof MapType
              ? map_from_entries(col(field.name())).as(field.name())
              : col(field.name()));
      if (orderable(field.dataType())) {
        order.add(col(field.name()).asc_nulls_first());
      }
    }
    return added
        .unionByName(removed)
        .orderBy(order.toArray(Column[]::new))
        .select(out.toArray(Column[]::new));
  }

  /**
   * The key a table declares in its {@value LakeCatalog#KEY_PROPERTY} property, empty when none.
   */
  public List<String> tableKey(TableId table) {
    String declared =
        TableVersions.of(spark, catalog, table).properties().get(LakeCatalog.KEY_PROPERTY);
    return parseKey(declared);
  }

  /** Splits a comma-separated key; blank gives no key (whole rows). */
  public static List<String> parseKey(String text) {
    if (text == null || text.isBlank()) {
      return List.of();
    }
    return Arrays.stream(text.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  private Dataset<Row> changeFeed(TableId table, long from, long to) {
    Dataset<Row> changes =
        spark
            .read()
            .format("delta")
            .option("readChangeFeed", "true")
            .option("startingVersion", from + 1)
            .option("endingVersion", to)
            .load(catalog.location(table));
    // Delta checks that every commit of the range recorded its changes only when planning.
    changes.queryExecution().executedPlan();
    return changes;
  }

  /** Per key, the row as it was before the range: the pre-image of its first change. */
  static Dataset<Row> netBefore(Dataset<Row> changes, List<String> key) {
    return withFirstAndLast(changes, key)
        .where(
            col("_commit_version")
                .equalTo(col("__first"))
                .and(col("_change_type").isin("delete", "update_preimage")));
  }

  /** Per key, the row as it is after the range: the post-image of its last change. */
  static Dataset<Row> netAfter(Dataset<Row> changes, List<String> key) {
    return withFirstAndLast(changes, key)
        .where(
            col("_commit_version")
                .equalTo(col("__last"))
                .and(col("_change_type").isin("insert", "update_postimage")));
  }

  private static Dataset<Row> withFirstAndLast(Dataset<Row> changes, List<String> key) {
    WindowSpec perKey = Window.partitionBy(key.stream().map(k -> col(k)).toArray(Column[]::new));
    return changes
        .withColumn("__first", min("_commit_version").over(perKey))
        .withColumn("__last", max("_commit_version").over(perKey));
  }

  private void requireUniqueChanges(TableId table, Dataset<Row> changes, List<String> key) {
    List<Column> group = new ArrayList<>(key.stream().map(k -> col(k)).toList());
    group.add(col("_commit_version"));
    group.add(
        when(col("_change_type").isin("delete", "update_preimage"), lit("before"))
            .otherwise(lit("after"))
            .as("__side"));
    List<Row> duplicates =
        changes
            .groupBy(group.toArray(Column[]::new))
            .agg(count(lit(1)).as("n"))
            .where(col("n").gt(1))
            .limit(1)
            .collectAsList();
    if (!duplicates.isEmpty()) {
      Row row = duplicates.get(0);
      throw TimeTravelErrors.keyNotUnique(
          table,
          key,
          "version " + row.getAs("_commit_version"),
          describeKey(row, key),
          row.getLong(row.fieldIndex("n")));
    }
  }

  private static void requireUnique(
      TableId table, Dataset<Row> rows, List<String> key, String where) {
    List<Row> duplicates =
        rows.groupBy(key.stream().map(k -> col(k)).toArray(Column[]::new))
            .agg(count(lit(1)).as("n"))
            .where(col("n").gt(1))
            .limit(1)
            .collectAsList();
    if (!duplicates.isEmpty()) {
      Row row = duplicates.get(0);
      throw TimeTravelErrors.keyNotUnique(
          table, key, where, describeKey(row, key), row.getLong(row.fieldIndex("n")));
    }
  }

  private static String describeKey(Row row, List<String> key) {
    List<String> parts = new ArrayList<>();
    for (String k : key) {
      parts.add(k + "=" + row.get(row.fieldIndex(k)));
    }
    return String.join(", ", parts);
  }

  private static void requireKeyColumn(
      TableId table, StructType schema, long version, String column) {
    if (!Arrays.asList(schema.fieldNames()).contains(column)) {
      throw TimeTravelErrors.unknownKeyColumn(
          table, column, version, Arrays.asList(schema.fieldNames()));
    }
    DataType type = schema.apply(column).dataType();
    if (type instanceof MapType || type instanceof ArrayType || type instanceof StructType) {
      throw TimeTravelErrors.unsupportedKeyColumn(column, type.simpleString());
    }
  }

  /** The newer version's columns in its order, then those only the older version has. */
  static StructType unionColumns(StructType newer, StructType older) {
    StructType union = newer;
    Set<String> names = new LinkedHashSet<>(Arrays.asList(newer.fieldNames()));
    for (StructField field : older.fields()) {
      if (names.add(field.name())) {
        union = union.add(field);
      }
    }
    return union;
  }

  private static List<String> valueColumns(StructType columns, List<String> key) {
    return Arrays.stream(columns.fieldNames()).filter(c -> !key.contains(c)).toList();
  }

  private static void checkOutputNames(StructType columns, List<String> key, List<String> values) {
    Set<String> names = new LinkedHashSet<>(List.of(CHANGE, CHANGED_COLUMNS));
    names.addAll(key);
    for (String v : values) {
      for (String name : List.of(FROM_PREFIX + v, TO_PREFIX + v)) {
        if (!names.add(name)) {
          throw TimeTravelErrors.outputNameClash(name);
        }
      }
    }
    for (String k : key) {
      if (k.equals(CHANGE) || k.equals(CHANGED_COLUMNS)) {
        throw TimeTravelErrors.outputNameClash(k);
      }
    }
  }

  /** One version's rows with exactly the given columns (absent ones as typed nulls). */
  static Dataset<Row> align(Dataset<Row> rows, StructType columns) {
    Set<String> present = new LinkedHashSet<>(Arrays.asList(rows.columns()));
    List<Column> out = new ArrayList<>();
    for (StructField field : columns.fields()) {
      out.add(
          present.contains(field.name())
              ? col(field.name())
              : lit(null).cast(field.dataType()).as(field.name()));
    }
    return rows.select(out.toArray(Column[]::new));
  }

  private static Dataset<Row> alignChanges(Dataset<Row> changes, StructType columns) {
    return align(
        changes,
        columns
            .add("_change_type", DataTypes.StringType)
            .add("_commit_version", DataTypes.LongType));
  }

  private static Dataset<Row> comparableRows(Dataset<Row> rows, StructType schema) {
    List<Column> out = new ArrayList<>();
    for (StructField field : schema.fields()) {
      out.add(comparable(col(field.name()), field.dataType()).as(field.name()));
    }
    return rows.select(out.toArray(Column[]::new));
  }

  /** Maps cannot be compared in Spark; their sorted entries can. */
  private static Column comparable(Column column, DataType type) {
    return type instanceof MapType ? array_sort(map_entries(column)) : column;
  }

  private static boolean orderable(DataType type) {
    return !(type instanceof MapType);
  }
}
