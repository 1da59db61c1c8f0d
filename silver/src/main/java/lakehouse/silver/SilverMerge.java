package lakehouse.silver;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lead;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.when;

import io.delta.tables.DeltaTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import lakehouse.silver.contract.TableContract;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

/**
 * Deduplication against silver. {@link #plan} decides, before anything is written, what each
 * deduplicated batch row will do: {@code insert} (a new key), {@code update} (a newer version of an
 * existing key) or {@code stale} (not newer than what silver holds: a re-sent or late copy, counted
 * as a discarded duplicate). {@link #apply} then publishes the plan with one MERGE whose conditions
 * repeat the same rule, so a replayed batch changes nothing.
 *
 * <p>{@code history = latest}: the row with the later event time wins; on equal event times the
 * later ingestion wins, but only when some value differs (an exact copy landing again is a
 * duplicate, not an update that would churn the change data feed). {@code history = scd2}: a
 * version is new when silver has no row with the same key and {@code valid_from}; the key's
 * versions are re-chained ({@code valid_to} = the next version's {@code valid_from}, {@code
 * is_current} for the last), so a late version lands in the middle of the history and closes
 * nothing it should not.
 */
public final class SilverMerge {
  public static final String ACTION = "_action";
  private static final String T_EVENT = "_t_event";
  private static final String T_INGESTED = "_t_ingested";

  private SilverMerge() {}

  /**
   * The deduplicated batch with an {@value #ACTION} column (insert, update or stale) and a {@value
   * Deduplicator#KIND} column saying why a stale row is not taken ({@code exact}: silver holds the
   * same version with the same values; {@code conflicting}: the same version with other values;
   * {@code superseded}: silver holds a newer version) and which updates replace a version of the
   * same event time with other values ({@code conflicting}); null otherwise.
   */
  public static Dataset<Row> plan(
      Dataset<Row> deduped, Dataset<Row> silver, TableContract contract) {
    List<String> keys = contract.businessKey();
    String ev = contract.eventTime();
    List<String> values = valueColumns(contract);
    Column sameValues = lit(true);
    for (String c : values) {
      sameValues = sameValues.and(col(c).eqNullSafe(col("_t_" + c)));
    }
    String[] targetValues = values.stream().map(c -> "_t_" + c).toArray(String[]::new);
    if (contract.history() == TableContract.History.SCD2) {
      List<Column> versionColumns = new ArrayList<>();
      versionColumns.add(col(SilverTables.VALID_FROM).as(T_EVENT));
      for (String c : values) {
        versionColumns.add(silverValue(silver, deduped, c).as("_t_" + c));
      }
      Dataset<Row> versions =
          silver
              .select(keyColumns(keys, versionColumns.toArray(Column[]::new)))
              .withColumn("_version_exists", lit(true));
      Dataset<Row> existingKeys =
          silver.select(keyColumns(keys)).distinct().withColumn("_key_exists", lit(true));
      List<String> versionJoin = new ArrayList<>(keys);
      Dataset<Row> joined =
          deduped
              .withColumn(T_EVENT, col(ev))
              .join(versions, scalaSeq(append(versionJoin, T_EVENT)), "left")
              .join(existingKeys, scalaSeq(keys), "left");
      Column exists = col("_version_exists").isNotNull();
      return joined
          .withColumn(
              ACTION,
              when(exists, lit("stale"))
                  .when(col("_key_exists").isNotNull(), lit("update"))
                  .otherwise(lit("insert")))
          .withColumn(
              Deduplicator.KIND,
              when(
                  exists,
                  when(sameValues, lit(Deduplicator.EXACT))
                      .otherwise(lit(Deduplicator.CONFLICTING))))
          .drop("_version_exists", "_key_exists", T_EVENT)
          .drop(targetValues);
    }
    List<Column> targetColumns = new ArrayList<>();
    targetColumns.add(col(ev).as(T_EVENT));
    targetColumns.add(col(Conformer.INGESTED_AT).as(T_INGESTED));
    for (String c : values) {
      targetColumns.add(silverValue(silver, deduped, c).as("_t_" + c));
    }
    Dataset<Row> current = silver.select(keyColumns(keys, targetColumns.toArray(Column[]::new)));
    Dataset<Row> joined = deduped.join(current, scalaSeq(keys), "left");
    Column sameTime = col(ev).equalTo(col(T_EVENT));
    Column newer =
        col(ev)
            .gt(col(T_EVENT))
            .or(sameTime.and(col(Conformer.INGESTED_AT).gt(col(T_INGESTED))).and(not(sameValues)));
    Column action =
        when(col(T_EVENT).isNull(), lit("insert"))
            .when(newer, lit("update"))
            .otherwise(lit("stale"));
    return joined
        .withColumn(ACTION, action)
        .withColumn(
            Deduplicator.KIND,
            when(
                    col(ACTION).equalTo(lit("stale")),
                    when(col(ev).lt(col(T_EVENT)), lit(Deduplicator.SUPERSEDED))
                        .when(sameValues, lit(Deduplicator.EXACT))
                        .otherwise(lit(Deduplicator.CONFLICTING)))
                .when(
                    col(ACTION).equalTo(lit("update")).and(sameTime),
                    lit(Deduplicator.CONFLICTING)))
        .drop(T_EVENT, T_INGESTED)
        .drop(targetValues);
  }

  /**
   * Silver's value of a column, null when silver does not have the column yet (the contract gained
   * it; {@link SilverTables#ensureTarget} adds it when the batch is published).
   */
  private static Column silverValue(Dataset<Row> silver, Dataset<Row> deduped, String column) {
    return silver.schema().getFieldIndex(column).isDefined()
        ? col(column)
        : lit(null).cast(deduped.schema().apply(column).dataType());
  }

  /** The contract's columns that are not part of the business key. */
  private static List<String> valueColumns(TableContract contract) {
    return contract.columns().stream()
        .map(c -> c.name())
        .filter(c -> !contract.businessKey().contains(c))
        .toList();
  }

  /**
   * Publishes the planned rows with one MERGE.
   *
   * @return the number of older SCD2 versions closed (0 for latest tables)
   */
  public static long apply(DeltaTable target, Dataset<Row> planned, TableContract contract) {
    Dataset<Row> changes =
        planned.filter(col(ACTION).notEqual(lit("stale"))).drop(ACTION, Deduplicator.KIND);
    List<String> keys = contract.businessKey();
    String keyMatch =
        keys.stream()
            .map(k -> "t.`" + k + "` = s.`" + k + "`")
            .collect(Collectors.joining(" AND "));
    if (contract.history() == TableContract.History.LATEST) {
      String ev = "`" + contract.eventTime() + "`";
      String sameValues =
          valueColumns(contract).stream()
              .map(c -> "s.`" + c + "` <=> t.`" + c + "`")
              .collect(Collectors.joining(" AND "));
      String newer =
          "s."
              + ev
              + " > t."
              + ev
              + " OR (s."
              + ev
              + " = t."
              + ev
              + " AND s._ingested_at > t._ingested_at AND NOT ("
              + sameValues
              + "))";
      target
          .as("t")
          .merge(changes.as("s"), keyMatch)
          .whenMatched(newer)
          .updateAll()
          .whenNotMatched()
          .insertAll()
          .execute();
      return 0;
    }
    Dataset<Row> existing = target.toDF();
    Dataset<Row> newVersions =
        changes
            .withColumn(SilverTables.VALID_FROM, col(contract.eventTime()))
            .withColumn(SilverTables.VALID_TO, lit(null).cast("timestamp"))
            .withColumn(SilverTables.IS_CURRENT, lit(true))
            .select(existing.columns()[0], restOf(existing.columns()));
    Dataset<Row> affected =
        existing.join(changes.select(keyColumns(keys)).distinct(), scalaSeq(keys), "left_semi");
    Column[] partition = keys.stream().map(k -> col(k)).toArray(Column[]::new);
    Dataset<Row> chained =
        affected
            .unionByName(newVersions)
            .withColumn(
                SilverTables.VALID_TO,
                lead(col(SilverTables.VALID_FROM), 1)
                    .over(Window.partitionBy(partition).orderBy(col(SilverTables.VALID_FROM))))
            .withColumn(SilverTables.IS_CURRENT, col(SilverTables.VALID_TO).isNull());
    long closed =
        chained
            .join(
                affected.select(
                    keyColumns(
                        keys,
                        col(SilverTables.VALID_FROM),
                        col(SilverTables.VALID_TO).as("_old_to"))),
                scalaSeq(append(new ArrayList<>(keys), SilverTables.VALID_FROM)),
                "inner")
            .filter(col("_old_to").isNull().and(col(SilverTables.VALID_TO).isNotNull()))
            .count();
    target
        .as("t")
        .merge(chained.as("s"), keyMatch + " AND t.valid_from = s.valid_from")
        .whenMatched("NOT (t.valid_to <=> s.valid_to) OR t.is_current <> s.is_current")
        .updateExpr(
            Map.of(SilverTables.VALID_TO, "s.valid_to", SilverTables.IS_CURRENT, "s.is_current"))
        .whenNotMatched()
        .insertAll()
        .execute();
    return closed;
  }

  private static Column[] keyColumns(List<String> keys, Column... more) {
    List<Column> columns = new ArrayList<>(keys.stream().map(k -> col(k)).toList());
    columns.addAll(List.of(more));
    return columns.toArray(Column[]::new);
  }

  private static String[] restOf(String[] columns) {
    String[] rest = new String[columns.length - 1];
    System.arraycopy(columns, 1, rest, 0, rest.length);
    return rest;
  }

  private static List<String> append(List<String> list, String item) {
    List<String> copy = new ArrayList<>(list);
    copy.add(item);
    return copy;
  }

  static scala.collection.Seq<String> scalaSeq(List<String> items) {
    return scala.collection.JavaConverters.asScalaBuffer(new ArrayList<>(items)).toList();
  }
}
