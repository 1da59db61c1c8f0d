package lakehouse.gold.drift;

import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import lakehouse.common.catalog.LakeCatalog;
import lakehouse.common.catalog.TableId;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import scala.collection.JavaConverters;

/**
 * A drift results table ({@code gold._feature_drift_<set>}, {@code gold._training_drift_<name>}):
 * one row per feature and comparison, appended by {@code features drift}, {@code training-set
 * drift} and the gold gate; the report's drift section reads the newest comparison of each subject.
 */
public final class DriftStore {
  /** The table's columns. */
  public static final StructType SCHEMA =
      new StructType()
          .add("check_id", DataTypes.StringType, false)
          .add("checked_at", DataTypes.TimestampType, false)
          .add("scope", DataTypes.StringType, false)
          .add("subject", DataTypes.StringType, false)
          .add("current", DataTypes.StringType, false)
          .add("current_date", DataTypes.DateType, true)
          .add("reference", DataTypes.StringType, false)
          .add("feature", DataTypes.StringType, false)
          .add("kind", DataTypes.StringType, false)
          .add("psi", DataTypes.DoubleType, true)
          .add("ks", DataTypes.DoubleType, true)
          .add("null_rate_change", DataTypes.DoubleType, false)
          .add("reference_mean", DataTypes.DoubleType, true)
          .add("current_mean", DataTypes.DoubleType, true)
          .add("direction", DataTypes.StringType, false)
          .add("severity", DataTypes.StringType, false)
          .add("breaches", DataTypes.createArrayType(DataTypes.StringType, false), false)
          .add("bins", DataTypes.createArrayType(DataTypes.StringType, false), false)
          .add("reference_shares", DataTypes.createArrayType(DataTypes.DoubleType, false), false)
          .add("current_shares", DataTypes.createArrayType(DataTypes.DoubleType, false), false)
          .add("reference_rows", DataTypes.LongType, false)
          .add("current_rows", DataTypes.LongType, false);

  private final SparkSession spark;
  private final LakeCatalog catalog;
  private final TableId table;

  public DriftStore(SparkSession spark, LakeCatalog catalog, TableId table) {
    this.spark = spark;
    this.catalog = catalog;
    this.table = table;
  }

  /** Appends one comparison's results (one commit); returns the version written. */
  public long append(String checkId, Instant at, DriftComparison comparison) {
    String location = catalog.location(table);
    if (!catalog.exists(table)) {
      spark.sql(
          "CREATE TABLE IF NOT EXISTS delta.`"
              + location
              + "` ("
              + SCHEMA.toDDL()
              + ") USING DELTA PARTITIONED BY (scope) TBLPROPERTIES ("
              + LakeCatalog.keyProperty(List.of("check_id", "feature"))
              + ")");
    }
    List<Row> rows = new ArrayList<>();
    for (DriftResult r : comparison.results()) {
      rows.add(
          RowFactory.create(
              checkId,
              Timestamp.from(at),
              comparison.scope(),
              comparison.subject(),
              comparison.current(),
              comparison.currentDate() == null ? null : Date.valueOf(comparison.currentDate()),
              comparison.reference(),
              r.feature(),
              r.kind(),
              r.psi(),
              r.ks(),
              r.nullRateChange(),
              r.referenceMean(),
              r.currentMean(),
              r.direction(),
              r.severity(),
              seq(r.breaches()),
              seq(r.bins()),
              seq(r.referenceShares()),
              seq(r.currentShares()),
              r.referenceRows(),
              r.currentRows()));
    }
    spark
        .createDataFrame(rows, SCHEMA)
        .coalesce(1)
        .write()
        .format("delta")
        .mode("append")
        .save(location);
    catalog.register(table);
    return catalog.currentVersion(table);
  }

  private static <T> scala.collection.Seq<T> seq(List<T> list) {
    return JavaConverters.asScalaBuffer(new ArrayList<>(list)).toSeq();
  }
}
