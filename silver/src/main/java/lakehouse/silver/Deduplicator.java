package lakehouse.silver;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sha2;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import lakehouse.silver.contract.ColumnSpec;
import lakehouse.silver.contract.TableContract;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

/**
 * Deduplication within a batch, telling apart why a row is not kept. A <em>version</em> is a
 * business key with an event time. Of the rows of one version, the one ingested last is kept (then
 * by source file and raw values, so the pick never depends on partitioning); every other row of the
 * version is
 *
 * <ul>
 *   <li>an <b>exact duplicate</b> when its values (every declared column, as conformed) equal the
 *       kept row's or those of an earlier row of the same values: a copy landing again, or
 *   <li>a <b>conflicting duplicate</b> when its values differ: the data says two things about one
 *       version, and which is right cannot be told (a wrong business key looks like this).
 * </ul>
 *
 * With {@code n} rows of {@code d} distinct values in a version, {@code n - d} are exact and {@code
 * d - 1} conflicting. For {@code history = latest} only the key's latest version is kept: the kept
 * row of an earlier version is <b>superseded</b>. For {@code history = scd2} every version is kept.
 */
public final class Deduplicator {
  /**
   * Why a row is (not) kept: one of {@link #KEPT}, {@link #EXACT}, {@link #CONFLICTING}, {@link
   * #SUPERSEDED}.
   */
  public static final String KIND = "_dedupe";

  public static final String KEPT = "kept";
  public static final String EXACT = "exact";
  public static final String CONFLICTING = "conflicting";
  public static final String SUPERSEDED = "superseded";

  private static final String FINGERPRINT = "_values_sha";
  private static final String VERSION_RANK = "_version_rank";
  private static final String VALUES_RANK = "_values_rank";
  private static final String KEPT_VALUES = "_kept_values";
  private static final String KEY_RANK = "_key_rank";

  private Deduplicator() {}

  /**
   * The rows with {@value #KIND}: {@code kept} for one row per version (per key for {@code
   * latest}), else why not.
   */
  public static Dataset<Row> classify(Dataset<Row> rows, TableContract contract) {
    List<Column> key = contract.businessKey().stream().map(Deduplicator::quoted).toList();
    List<Column> version = new ArrayList<>(key);
    version.add(quoted(contract.eventTime()));
    List<Column> versionAndValues = new ArrayList<>(version);
    versionAndValues.add(col(FINGERPRINT));
    Column[] ingestionOrder = {
      col(Conformer.INGESTED_AT).desc_nulls_last(),
      col(Conformer.SOURCE_FILE).desc_nulls_last(),
      col(Conformer.RAW).desc_nulls_last()
    };
    WindowSpec byVersion =
        Window.partitionBy(version.toArray(Column[]::new)).orderBy(ingestionOrder);
    WindowSpec byValues =
        Window.partitionBy(versionAndValues.toArray(Column[]::new)).orderBy(ingestionOrder);
    // Hash-partitioned by the key once: every window below partitions by the key and more.
    Dataset<Row> ranked =
        rows.repartition(key.toArray(Column[]::new))
            .withColumn(FINGERPRINT, fingerprint(contract))
            .withColumn(VERSION_RANK, row_number().over(byVersion))
            .withColumn(VALUES_RANK, row_number().over(byValues))
            .withColumn(KEPT_VALUES, first(col(FINGERPRINT)).over(byVersion));
    Column keptOfVersion = col(VERSION_RANK).equalTo(1);
    Column kept = keptOfVersion;
    if (contract.history() == TableContract.History.LATEST) {
      List<Column> latestFirst = new ArrayList<>();
      latestFirst.add(quoted(contract.eventTime()).desc());
      latestFirst.addAll(List.of(ingestionOrder));
      ranked =
          ranked.withColumn(
              KEY_RANK,
              row_number()
                  .over(
                      Window.partitionBy(key.toArray(Column[]::new))
                          .orderBy(latestFirst.toArray(Column[]::new))));
      kept = col(KEY_RANK).equalTo(1);
    }
    Column kind =
        when(kept, lit(KEPT))
            .when(keptOfVersion, lit(SUPERSEDED))
            .when(col(FINGERPRINT).equalTo(col(KEPT_VALUES)), lit(EXACT))
            .when(col(VALUES_RANK).equalTo(1), lit(CONFLICTING))
            .otherwise(lit(EXACT));
    return ranked
        .withColumn(KIND, kind)
        .drop(FINGERPRINT, VERSION_RANK, VALUES_RANK, KEPT_VALUES, KEY_RANK);
  }

  /** The rows that survive deduplication, without {@value #KIND}. */
  public static Dataset<Row> latest(Dataset<Row> rows, TableContract contract) {
    return classify(rows, contract).filter(col(KIND).equalTo(lit(KEPT))).drop(KIND);
  }

  /**
   * The row's values as one comparable string: a SHA-256 of the declared columns as JSON (nulls
   * included). Derived columns follow from these, lineage columns are no value.
   */
  static Column fingerprint(TableContract contract) {
    Column[] values =
        contract.columns().stream()
            .map(ColumnSpec::name)
            .map(Deduplicator::quoted)
            .toArray(Column[]::new);
    return sha2(to_json(struct(values), Map.of("ignoreNullFields", "false")), 256);
  }

  private static Column quoted(String name) {
    return col("`" + name + "`");
  }
}
