package lakehouse.gold.ops;

import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import lakehouse.common.catalog.LakeCatalog;
import lakehouse.common.catalog.TableId;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The run log of the gold layer ({@code _ops.gold_runs}): one row per run with what it computed
 * and which source versions it read. A run that has taken every source change up to its versions
 * into account (a {@code --changed} run, or the first run of a set) marks itself as the new
 * watermark, from which the next {@code --changed} run looks for changes.
 */
public final class GoldRuns {
  /** The columns of the run log. */
  public static final StructType SCHEMA = new StructType()
      .add("run_id", DataTypes.StringType)
      .add("feature_set", DataTypes.StringType)
      .add("mode", DataTypes.StringType)
      .add("status", DataTypes.StringType)
      .add("message", DataTypes.StringType)
      .add("requested_from", DataTypes.DateType)
      .add("requested_to", DataTypes.DateType)
      .add("days", DataTypes.createArrayType(DataTypes.DateType))
      .add("late_days", DataTypes.createArrayType(DataTypes.DateType))
      .add("rows_written", DataTypes.LongType)
      .add("gold_version", DataTypes.LongType)
      .add("source_versions", DataTypes.createMapType(DataTypes.StringType, DataTypes.LongType))
      .add("advances_watermark", DataTypes.BooleanType)
      .add("started_at", DataTypes.TimestampType)
      .add("finished_at", DataTypes.TimestampType)
      .add("duration_ms", DataTypes.LongType);

  /** One run's summary. */
  public record Run(String runId, String featureSet, String mode, String status, String message,
      LocalDate requestedFrom, LocalDate requestedTo, List<LocalDate> days,
      List<LocalDate> lateDays, long rowsWritten, Long goldVersion,
      Map<String, Long> sourceVersions, boolean advancesWatermark, Instant startedAt,
      Instant finishedAt) {

    Row toRow() {
      return RowFactory.create(runId, featureSet, mode, status, message, date(requestedFrom),
          date(requestedTo), dates(days), dates(lateDays), rowsWritten, goldVersion,
          new LinkedHashMap<>(sourceVersions),
          advancesWatermark, Timestamp.from(startedAt), Timestamp.from(finishedAt),
          finishedAt.toEpochMilli() - startedAt.toEpochMilli());
    }
  }

  private final SparkSession spark;
  private final LakeCatalog catalog;
  private final TableId table;

  public GoldRuns(SparkSession spark, LakeCatalog catalog, TableId table) {
    this.spark = spark;
    this.catalog = catalog;
    this.table = table;
  }

  public TableId table() {
    return table;
  }

  /** Appends one run's summary. */
  public void append(Run run) {
    spark.createDataFrame(List.of(run.toRow()), SCHEMA)
        .write().format("delta").mode("append").save(catalog.location(table));
    catalog.register(table);
  }

  /**
   * The source versions every computed snapshot of the set already reflects, or null when no
   * run has set a watermark.
   */
  public Map<String, Long> watermark(String featureSet) {
    if (!catalog.exists(table)) {
      return null;
    }
    List<Row> rows = catalog.read(table)
        .filter(functions.col("feature_set").equalTo(featureSet)
            .and(functions.col("status").equalTo("ok"))
            .and(functions.col("advances_watermark")))
        .orderBy(functions.col("finished_at").desc(), functions.col("run_id").desc())
        .limit(1)
        .select("source_versions")
        .collectAsList();
    if (rows.isEmpty()) {
      return null;
    }
    Map<String, Long> versions = new LinkedHashMap<>();
    scala.collection.Map<String, Object> map = rows.get(0).getMap(0);
    scala.collection.Iterator<scala.Tuple2<String, Object>> it = map.iterator();
    while (it.hasNext()) {
      scala.Tuple2<String, Object> entry = it.next();
      versions.put(entry._1(), ((Number) entry._2()).longValue());
    }
    return versions;
  }

  private static Date date(LocalDate day) {
    return day == null ? null : Date.valueOf(day);
  }

  private static List<Date> dates(List<LocalDate> days) {
    List<Date> result = new ArrayList<>();
    days.forEach(d -> result.add(Date.valueOf(d)));
    return result;
  }
}
