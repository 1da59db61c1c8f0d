package lakehouse.silver;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.row_number;

import java.util.ArrayList;
import java.util.List;
import lakehouse.silver.contract.TableContract;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

/**
 * Picks one row per version within a batch. For {@code history = latest} a version is the
 * business key: the row with the latest event time wins. For {@code history = scd2} a version is
 * the business key plus its event time, so every distinct version survives and only repeats of
 * the same version are dropped. Ties are broken by the later ingestion time, then by source file
 * and raw values, so the pick never depends on partitioning (no {@code dropDuplicates}).
 */
public final class Deduplicator {
  /** 1 for the row kept, 2.. for the duplicates it replaces. */
  public static final String RANK = "_dedupe_rank";

  private Deduplicator() {}

  /** The rows with their {@value #RANK}. */
  public static Dataset<Row> rank(Dataset<Row> rows, TableContract contract) {
    List<Column> partition = new ArrayList<>(contract.businessKey().stream().map(c -> col(c)).toList());
    if (contract.history() == TableContract.History.SCD2) {
      partition.add(col(contract.eventTime()));
    }
    WindowSpec window = Window.partitionBy(partition.toArray(Column[]::new)).orderBy(
        col(contract.eventTime()).desc(),
        col(Conformer.INGESTED_AT).desc_nulls_last(),
        col(Conformer.SOURCE_FILE).desc_nulls_last(),
        col(Conformer.RAW).desc_nulls_last());
    return rows.withColumn(RANK, row_number().over(window));
  }

  /** The rows that survive deduplication, without the rank column. */
  public static Dataset<Row> latest(Dataset<Row> rows, TableContract contract) {
    return rank(rows, contract).filter(col(RANK).equalTo(1)).drop(RANK);
  }
}
