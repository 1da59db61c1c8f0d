package lakehouse.silver;

import java.util.ArrayList;
import java.util.List;
import lakehouse.common.catalog.LakeCatalog;
import lakehouse.common.catalog.TableId;
import lakehouse.silver.contract.ColumnSpec;
import lakehouse.silver.contract.DerivedSpec;
import lakehouse.silver.contract.TableContract;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The schemas of the tables the silver layer writes, and their creation. Every one of them is
 * created with the change data feed on (gold finds changed dates from it) and registered in the
 * catalog.
 */
public final class SilverTables {
  public static final String VALID_FROM = "valid_from";
  public static final String VALID_TO = "valid_to";
  public static final String IS_CURRENT = "is_current";

  private SilverTables() {}

  /**
   * The silver table: the contract's columns, its derived columns (the contract resolved by {@link
   * lakehouse.silver.contract.DerivedColumns#resolve}), SCD2 columns and lineage columns.
   */
  public static StructType silverSchema(TableContract contract) {
    StructType schema = new StructType();
    for (ColumnSpec c : contract.columns()) {
      schema = schema.add(c.name(), c.type(), !c.required());
    }
    for (DerivedSpec d : contract.derived()) {
      if (d.type() == null) {
        throw new IllegalStateException(
            "derived column "
                + d.name()
                + " of silver."
                + contract.name()
                + " is not resolved (DerivedColumns.resolve)");
      }
      schema = schema.add(d.name(), d.type(), true);
    }
    if (contract.history() == TableContract.History.SCD2) {
      schema =
          schema
              .add(VALID_FROM, DataTypes.TimestampType, false)
              .add(VALID_TO, DataTypes.TimestampType, true)
              .add(IS_CURRENT, DataTypes.BooleanType, false);
    }
    return schema
        .add(Conformer.INGESTED_AT, DataTypes.TimestampType, true)
        .add(Conformer.SOURCE_FILE, DataTypes.StringType, true);
  }

  /** {@code silver.<name>_quarantine}: why and what, for every row that did not conform. */
  public static StructType quarantineSchema() {
    return new StructType()
        .add(Conformer.FAILED_RULES, DataTypes.createArrayType(DataTypes.StringType), false)
        .add(Conformer.RAW, DataTypes.StringType, true)
        .add(Conformer.INGESTED_AT, DataTypes.TimestampType, true)
        .add(Conformer.SOURCE_FILE, DataTypes.StringType, true)
        .add("_run_date", DataTypes.DateType, false)
        .add("_silver_run_id", DataTypes.StringType, false);
  }

  /** {@code silver.<table>_quality_metrics}: one row per check (and volume metric) per batch. */
  public static StructType metricsSchema() {
    return new StructType()
        .add("table", DataTypes.StringType, false)
        .add("run_date", DataTypes.DateType, false)
        .add("run_id", DataTypes.StringType, false)
        .add("batch_id", DataTypes.LongType, false)
        .add("check", DataTypes.StringType, false)
        .add("check_type", DataTypes.StringType, false)
        .add("severity", DataTypes.StringType, false)
        .add("metric", DataTypes.StringType, false)
        .add("value", DataTypes.DoubleType, true)
        .add("threshold", DataTypes.StringType, true)
        .add("status", DataTypes.StringType, false)
        .add("detail", DataTypes.StringType, true)
        .add("batch_status", DataTypes.StringType, false)
        .add("recorded_at", DataTypes.TimestampType, false);
  }

  /** Creates the table at its location when it does not exist yet, and registers it. */
  public static void ensure(
      SparkSession spark, LakeCatalog catalog, TableId id, StructType schema) {
    ensure(spark, catalog, id, schema, List.of());
  }

  /**
   * Creates the contract's silver table when it does not exist yet, declaring its row key ({@link
   * #rowKey}) for {@code diff}, and registers it.
   */
  public static void ensureTarget(SparkSession spark, LakeCatalog catalog, TableContract contract) {
    StructType schema = silverSchema(contract);
    ensure(spark, catalog, contract.target(), schema, rowKey(contract));
    // A column the contract gained (a derived column added later, say) is added to the table,
    // null in the rows published before: MERGE's updateAll/insertAll would leave it out.
    StructType existing = catalog.read(contract.target()).schema();
    List<String> added = new ArrayList<>();
    for (org.apache.spark.sql.types.StructField field : schema.fields()) {
      if (existing.getFieldIndex(field.name()).isEmpty()) {
        added.add("`" + field.name() + "` " + field.dataType().sql());
      }
    }
    if (!added.isEmpty()) {
      spark.sql(
          "ALTER TABLE delta.`"
              + catalog.location(contract.target())
              + "` ADD COLUMNS ("
              + String.join(", ", added)
              + ")");
    }
  }

  /**
   * The columns that identify one row of the contract's silver table: the business key, plus {@code
   * valid_from} when every version is kept.
   */
  public static List<String> rowKey(TableContract contract) {
    List<String> key = new ArrayList<>(contract.businessKey());
    if (contract.history() == TableContract.History.SCD2) {
      key.add(VALID_FROM);
    }
    return key;
  }

  private static void ensure(
      SparkSession spark, LakeCatalog catalog, TableId id, StructType schema, List<String> key) {
    if (!catalog.exists(id)) {
      // By path only: a builder given both a path and a location sees two spellings of one place.
      spark.sql(
          "CREATE TABLE IF NOT EXISTS delta.`"
              + catalog.location(id)
              + "` ("
              + schema.toDDL()
              + ") USING DELTA TBLPROPERTIES ('delta.enableChangeDataFeed' = 'true'"
              + (key.isEmpty() ? "" : ", " + LakeCatalog.keyProperty(key))
              + ")");
    }
    catalog.register(id);
  }
}
