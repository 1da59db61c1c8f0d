package lakehouse.training;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.last;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.raise_error;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.unix_micros;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;

/**
 * The point-in-time join: for every spine row, the latest feature row of each feature table with
 * equal keys and {@code feature_time <= event_time} (and {@code >= event_time - ttl}), else nulls.
 * Exactly one output row per spine row; the output is the spine's columns, untouched, then the
 * feature columns.
 *
 * <p>Sort-based, no range join: spine rows and the rows of every feature table are unioned into one
 * Dataset, partitioned by key (and a time bucket) and sorted by (time, feature rows before spine
 * rows, commit version, value hash); one pass over each partition ({@link AsOfSweep}) carries each
 * table's latest row forward onto the spine rows, keeping one row per table as state. Ordering
 * feature rows before spine rows at equal times makes the bound inclusive; the commit version (the
 * version that wrote the row's values, {@link RowCommits}) makes the row committed last win a tie
 * on feature time; the xxhash64 of the feature values settles the rest deterministically (the
 * greater hash wins). Where a table's commits are partly upper bounds (no row tracking, rows
 * rewritten), a spine row whose pick depends on an order the log cannot tell fails the build
 * ({@link TieGroup}); it never picks silently.
 *
 * <p>Hot keys: with a bucket width, the rows of hot keys (at least {@code hotKeyRows} spine and
 * feature rows, found by one counting pass and collected) are partitioned by (key, time bucket), so
 * one key's history is spread over many tasks. A spine row whose bucket has no candidate takes the
 * latest row of the earlier buckets, computed from one aggregate row per (key, bucket) — a table
 * far smaller than the input — and joined back on (key, bucket), which is unique on both sides.
 * Keys are not bucketed when some table's commits are partly upper bounds.
 *
 * <p>Known-at mode ({@link #knownAt}) sweeps through knowledge time instead, see {@link
 * KnownAtSweep}.
 */
public final class PointInTimeJoin {
  static final String KIND = "__kind";
  static final String TIME = "__t";
  static final String TIE = "__tie";
  static final String SPINE = "__s";
  static final String BUCKET = "__b";
  private static final String HOT = "__hot";
  static final int FEATURE_ROW = 0;
  static final int SPINE_ROW = 1;

  private PointInTimeJoin() {}

  /**
   * Joins the latest known feature rows onto the spine (latest and as-of modes).
   *
   * @param bucket the hot-key time bucket width, or {@link Duration#ZERO} for one bucket per key
   * @param hotKeyRows keys with at least this many spine and feature rows are spread over time
   *     buckets, the others stay in one; 0 spreads every key (needs no counting pass)
   */
  public static Dataset<Row> latest(
      Dataset<Row> spine,
      List<String> keys,
      String eventTime,
      List<FeatureInput> inputs,
      Duration bucket,
      long hotKeyRows) {
    boolean checkTies = inputs.stream().anyMatch(input -> !input.certain());
    // Ambiguous ties are found within one sorted pass; the carry between buckets does not look.
    long bucketMicros = checkTies ? 0 : bucket.toNanos() / 1000;
    List<DataType> payloadTypes = payloadTypes(inputs);
    Dataset<Row> spineSide = spineSide(spine, keys, eventTime, inputs.size(), payloadTypes);
    Dataset<Row> featureSide = null;
    for (int i = 0; i < inputs.size(); i++) {
      Dataset<Row> side =
          featureSide(
              inputs.get(i),
              i,
              keys,
              inputs.size(),
              payloadTypes,
              spineSide.schema().apply(SPINE).dataType());
      featureSide = featureSide == null ? side : featureSide.union(side);
    }
    Dataset<Row> hot = null;
    if (bucketMicros > 0 && hotKeyRows > 0) {
      hot = hotKeys(spineSide, featureSide, keys, hotKeyRows);
      if (hot == null) {
        bucketMicros = 0; // no key is hot: one bucket per key, nothing to carry between buckets
      }
    }
    Column bucketColumn = floor(unix_micros(col(TIME)).divide(Math.max(bucketMicros, 1)));
    if (hot != null) {
      // Only hot keys are bucketed; the others keep a null bucket, which the carry skips.
      spineSide = markHot(spineSide, hot, keys, bucketColumn);
      featureSide = markHot(featureSide, hot, keys, bucketColumn);
    } else {
      Column constant = bucketMicros > 0 ? bucketColumn : lit(0L);
      spineSide = spineSide.withColumn(BUCKET, constant);
      featureSide = featureSide.withColumn(BUCKET, constant);
    }

    List<Column> partition = keyColumns(keys);
    if (bucketMicros > 0) {
      partition.add(col(BUCKET));
    }
    List<Column> order = new ArrayList<>(partition);
    order.add(col(TIME));
    order.add(col(KIND));
    order.add(col(FeatureInput.COMMIT));
    order.add(col(TIE));
    Dataset<Row> sorted =
        spineSide
            .union(featureSide)
            .repartition(partition.toArray(Column[]::new))
            .sortWithinPartitions(order.toArray(Column[]::new));
    Dataset<Row> joined = AsOfSweep.run(sorted, keys.size(), inputs.size(), checkTies);
    if (bucketMicros > 0) {
      joined = withEarlierBuckets(joined, spineSide, featureSide, keys, inputs.size(), hot != null);
    }
    return finish(joined, spine, keys, inputs);
  }

  /**
   * Joins feature rows as they were known at each spine row's event time minus the serving delay
   * (known-at mode): a row version committed at {@code c} counts for a spine row at {@code t} once
   * {@code c + delay <= t}, and stops counting once its replacement or delete at {@code r} has
   * {@code r + delay <= t}.
   */
  public static Dataset<Row> knownAt(
      Dataset<Row> spine,
      List<String> keys,
      String eventTime,
      Duration servingDelay,
      List<FeatureInput> inputs) {
    List<DataType> payloadTypes = payloadTypes(inputs);
    long delayMicros = servingDelay.toNanos() / 1000;
    Dataset<Row> spineSide = spineSide(spine, keys, eventTime, inputs.size(), payloadTypes);
    DataType spineType = spineSide.schema().apply(SPINE).dataType();
    Dataset<Row> union =
        spineSide
            .withColumn(FeatureInput.KNOWN_AT, unix_micros(col(TIME)).minus(delayMicros))
            .withColumn(FeatureInput.OP, lit(KnownAtSweep.QUERY))
            .withColumn(KnownAtSweep.SOURCE, lit(-1));
    for (int i = 0; i < inputs.size(); i++) {
      FeatureInput input = inputs.get(i);
      Dataset<Row> side =
          featureSide(
                  input,
                  i,
                  keys,
                  inputs.size(),
                  payloadTypes,
                  spineType,
                  FeatureInput.KNOWN_AT,
                  FeatureInput.OP)
              .withColumn(KnownAtSweep.SOURCE, lit(i));
      union = union.union(side);
    }
    union = union.withColumn(KnownAtSweep.TIME_MICROS, unix_micros(col(TIME)));
    Column[] partition = keyColumns(keys).toArray(Column[]::new);
    List<Column> order = keyColumns(keys);
    order.add(col(FeatureInput.KNOWN_AT));
    order.add(col(FeatureInput.OP));
    Dataset<Row> sorted =
        union.repartition(partition).sortWithinPartitions(order.toArray(Column[]::new));
    Dataset<Row> joined = KnownAtSweep.run(sorted, keys.size(), payloadTypes);
    return finish(joined, spine, keys, inputs);
  }

  /** The value hash that settles a full tie (same feature time and commit), greater wins. */
  static Column tieHash(List<Column> values) {
    return values.isEmpty() ? lit(0L) : xxhash64(values.toArray(Column[]::new));
  }

  private static List<DataType> payloadTypes(List<FeatureInput> inputs) {
    List<DataType> types = new ArrayList<>();
    for (FeatureInput input : inputs) {
      types.add(input.rows().select(payloadStruct(input)).schema().fields()[0].dataType());
    }
    return types;
  }

  private static Column payloadStruct(FeatureInput input) {
    List<Column> fields = new ArrayList<>();
    for (String output : input.outputs()) {
      fields.add(input.rows().col(output));
    }
    fields.add(input.rows().col(FeatureInput.FEATURE_TIME));
    return struct(fields.toArray(Column[]::new));
  }

  private static Dataset<Row> spineSide(
      Dataset<Row> spine,
      List<String> keys,
      String eventTime,
      int sources,
      List<DataType> payloadTypes) {
    List<Column> columns = new ArrayList<>();
    for (int j = 0; j < keys.size(); j++) {
      columns.add(spine.col(keys.get(j)).as(key(j)));
    }
    columns.add(spine.col(eventTime).cast(DataTypes.TimestampType).as(TIME));
    columns.add(lit(SPINE_ROW).as(KIND));
    columns.add(lit(null).cast(DataTypes.LongType).as(FeatureInput.COMMIT));
    columns.add(lit(null).cast(DataTypes.LongType).as(TIE));
    columns.add(lit(null).cast(DataTypes.BooleanType).as(FeatureInput.EXACT));
    List<Column> spineColumns = new ArrayList<>();
    for (String column : spine.columns()) {
      spineColumns.add(spine.col(column));
    }
    columns.add(struct(spineColumns.toArray(Column[]::new)).as(SPINE));
    for (int i = 0; i < sources; i++) {
      columns.add(lit(null).cast(payloadTypes.get(i)).as(payload(i)));
    }
    return spine.select(columns.toArray(Column[]::new));
  }

  private static Dataset<Row> featureSide(
      FeatureInput input,
      int index,
      List<String> keys,
      int sources,
      List<DataType> payloadTypes,
      DataType spineType,
      String... passThrough) {
    Dataset<Row> rows = input.rows();
    List<Column> columns = new ArrayList<>();
    for (int j = 0; j < keys.size(); j++) {
      columns.add(rows.col(keys.get(j)).as(key(j)));
    }
    columns.add(rows.col(FeatureInput.FEATURE_TIME).as(TIME));
    columns.add(lit(FEATURE_ROW).as(KIND));
    columns.add(rows.col(FeatureInput.COMMIT).as(FeatureInput.COMMIT));
    List<Column> values = new ArrayList<>();
    for (String output : input.outputs()) {
      values.add(rows.col(output));
    }
    columns.add(tieHash(values).as(TIE));
    columns.add(
        input.certain()
            ? lit(true).as(FeatureInput.EXACT)
            : rows.col(FeatureInput.EXACT).as(FeatureInput.EXACT));
    columns.add(lit(null).cast(spineType).as(SPINE));
    for (int i = 0; i < sources; i++) {
      columns.add(
          i == index
              ? payloadStruct(input).as(payload(i))
              : lit(null).cast(payloadTypes.get(i)).as(payload(i)));
    }
    for (String column : passThrough) {
      columns.add(rows.col(column));
    }
    Column usable = rows.col(FeatureInput.FEATURE_TIME).isNotNull();
    for (String key : keys) {
      usable = usable.and(rows.col(key).isNotNull());
    }
    return rows.where(usable).select(columns.toArray(Column[]::new));
  }

  /**
   * The keys with at least {@code hotKeyRows} spine and feature rows, found by one counting pass
   * and collected on the driver (there are at most all rows / {@code hotKeyRows} of them), or null
   * when no key is that hot.
   */
  private static Dataset<Row> hotKeys(
      Dataset<Row> spineSide, Dataset<Row> featureSide, List<String> keys, long hotKeyRows) {
    Column[] keyColumns = keyColumns(keys).toArray(Column[]::new);
    Dataset<Row> counted =
        spineSide
            .select(keyColumns)
            .union(featureSide.select(keyColumns))
            .groupBy(keyColumns)
            .count()
            .where(col("count").geq(hotKeyRows))
            .select(keyColumns);
    List<Row> hot = counted.collectAsList();
    return hot.isEmpty()
        ? null
        : counted.sparkSession().createDataFrame(hot, counted.schema()).withColumn(HOT, lit(true));
  }

  private static Dataset<Row> markHot(
      Dataset<Row> side, Dataset<Row> hot, List<String> keys, Column bucketColumn) {
    List<String> names = new ArrayList<>();
    for (int j = 0; j < keys.size(); j++) {
      names.add(key(j));
    }
    // Joined on the key names, which come first in both sides, so the column order is kept.
    return side.join(
            broadcast(hot), scala.collection.JavaConverters.asScalaBuffer(names).toSeq(), "left")
        .withColumn(BUCKET, when(col(HOT), bucketColumn))
        .drop(HOT);
  }

  /**
   * Fills spine rows without a candidate in their own bucket from the earlier buckets.
   *
   * @param fewKeys only the few hot keys are bucketed, so the carried rows (one per hot key and
   *     bucket) are broadcast instead of shuffling the joined rows to meet them
   */
  private static Dataset<Row> withEarlierBuckets(
      Dataset<Row> joined,
      Dataset<Row> spineSide,
      Dataset<Row> featureSide,
      List<String> keys,
      int sources,
      boolean fewKeys) {
    List<Column> groupBy = keyColumns(keys);
    groupBy.add(col(BUCKET));
    List<Column> lastPerBucket = new ArrayList<>();
    for (int i = 0; i < sources; i++) {
      lastPerBucket.add(
          max(when(
                  col(payload(i)).isNotNull(),
                  struct(col(TIME), col(FeatureInput.COMMIT), col(TIE), col(payload(i)).as("p"))))
              .as(carry(i)));
    }
    Dataset<Row> perBucket =
        featureSide
            .where(col(BUCKET).isNotNull())
            .groupBy(groupBy.toArray(Column[]::new))
            .agg(
                lastPerBucket.get(0),
                lastPerBucket.subList(1, lastPerBucket.size()).toArray(Column[]::new))
            .withColumn(KIND, lit(1));
    List<Column> markerColumns = keyColumns(keys);
    markerColumns.add(col(BUCKET));
    Dataset<Row> markers =
        spineSide
            .where(col(BUCKET).isNotNull())
            .select(markerColumns.toArray(Column[]::new))
            .distinct()
            .withColumn(KIND, lit(0));
    for (int i = 0; i < sources; i++) {
      markers =
          markers.withColumn(
              carry(i), lit(null).cast(perBucket.schema().apply(carry(i)).dataType()));
    }
    // Markers sort before their own bucket's aggregate, so the frame ends at earlier buckets.
    WindowSpec earlier =
        Window.partitionBy(keyColumns(keys).toArray(Column[]::new))
            .orderBy(col(BUCKET), col(KIND))
            .rowsBetween(Window.unboundedPreceding(), Window.currentRow());
    List<Column> carried = keyColumns(keys);
    carried.add(col(BUCKET));
    carried.add(col(KIND));
    for (int i = 0; i < sources; i++) {
      carried.add(last(col(carry(i)), true).over(earlier).as(carry(i)));
    }
    Dataset<Row> carry =
        markers
            .unionByName(perBucket)
            .select(carried.toArray(Column[]::new))
            .where(col(KIND).equalTo(0))
            .drop(KIND);
    List<String> joinColumns = new ArrayList<>();
    for (int j = 0; j < keys.size(); j++) {
      joinColumns.add(key(j));
    }
    joinColumns.add(BUCKET);
    Dataset<Row> filled =
        joined.join(
            fewKeys ? broadcast(carry) : carry,
            scala.collection.JavaConverters.asScalaBuffer(joinColumns).toSeq(),
            "left");
    for (int i = 0; i < sources; i++) {
      filled = filled.withColumn(pick(i), coalesce(col(pick(i)), col(carry(i)).getField("p")));
    }
    return filled;
  }

  /**
   * Applies each table's TTL and lays out the spine's columns, then the feature columns. A spine
   * row whose pick is an ambiguous tie ({@link TieGroup}) fails the job: the write never commits.
   */
  private static Dataset<Row> finish(
      Dataset<Row> joined, Dataset<Row> spine, List<String> keys, List<FeatureInput> inputs) {
    List<Column> columns = new ArrayList<>();
    for (StructField field : spine.schema().fields()) {
      columns.add(col(SPINE).getField(field.name()).as(field.name()));
    }
    for (int i = 0; i < inputs.size(); i++) {
      FeatureInput input = inputs.get(i);
      Column picked = col(pick(i));
      Column usable = picked.isNotNull();
      if (input.ttl() != null) {
        long ttlMicros = input.ttl().toNanos() / 1000;
        usable =
            usable.and(
                unix_micros(picked.getField(FeatureInput.FEATURE_TIME))
                    .geq(unix_micros(col(TIME)).minus(ttlMicros)));
      }
      Column fail =
          raise_error(
              concat(
                  lit(TrainingErrors.AMBIGUOUS_TIE + input.table() + ": rows with key "),
                  keyText(keys),
                  lit(" and feature time "),
                  picked.getField(FeatureInput.FEATURE_TIME).cast(DataTypes.StringType),
                  lit(TrainingErrors.ambiguousTieRemedy(input.table()))));
      for (String output : input.outputs()) {
        Column value = when(usable, picked.getField(output));
        if (!input.certain()) {
          value = when(usable.and(col(ambiguous(i))), fail).otherwise(value);
        }
        columns.add(value.as(output));
      }
    }
    return joined.select(columns.toArray(Column[]::new));
  }

  private static Column keyText(List<String> keys) {
    List<Column> parts = new ArrayList<>();
    for (String key : keys) {
      parts.add(col(SPINE).getField(key).cast(DataTypes.StringType));
    }
    return concat_ws(", ", parts.toArray(Column[]::new));
  }

  static List<Column> keyColumns(List<String> keys) {
    List<Column> columns = new ArrayList<>();
    for (int j = 0; j < keys.size(); j++) {
      columns.add(col(key(j)));
    }
    return columns;
  }

  static String key(int j) {
    return "__k" + j;
  }

  static String payload(int i) {
    return "__f" + i;
  }

  static String pick(int i) {
    return "__p" + i;
  }

  static String ambiguous(int i) {
    return "__a" + i;
  }

  private static String carry(int i) {
    return "__c" + i;
  }
}
