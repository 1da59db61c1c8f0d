package lakehouse.report;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.unix_micros;
import static org.apache.spark.sql.functions.when;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import lakehouse.common.catalog.LakeCatalog;
import lakehouse.common.catalog.TableId;
import lakehouse.common.ops.StepLog;
import lakehouse.report.ReportFacts.Lag;
import lakehouse.report.ReportFacts.LagBucket;
import lakehouse.report.ReportFacts.TrainingSetFacts;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;

/**
 * The training-set builds recorded in {@code gold._training_sets}, newest first. For the newest
 * builds the output is read back (at the Delta version the build wrote) to chart, per feature
 * table, the distribution of {@code event time - feature time}: a point-in-time correct set has no
 * negative lag, and a long tail shows stale features. Null rates and label counts come from the
 * manifest, or from the output when the manifest does not carry them.
 *
 * <p>The lag needs the feature time in the output: the builder names it {@code
 * <table>__<feature-time>} (or its rename) when the spec takes the feature-time column among a
 * table's features. The spine's event time is always in the output.
 */
final class TrainingSetGatherer {
  private static final long HOUR = 3_600_000_000L;
  private static final long DAY = 24 * HOUR;

  /** Lag buckets: label and upper bound in microseconds (exclusive). */
  static final List<Map.Entry<String, Long>> BUCKETS =
      List.of(
          Map.entry("0–1 h", HOUR),
          Map.entry("1–6 h", 6 * HOUR),
          Map.entry("6–24 h", DAY),
          Map.entry("1–2 d", 2 * DAY),
          Map.entry("2–7 d", 7 * DAY),
          Map.entry("7–30 d", 30 * DAY));

  static final String NEGATIVE = "< 0 (leak)";
  static final String LONGEST = "≥ 30 d";
  static final String NO_VALUE = "no feature row";

  private final SparkSession spark;
  private final LakeCatalog catalog;
  private final ReportSettings settings;

  TrainingSetGatherer(SparkSession spark, LakeCatalog catalog, ReportSettings settings) {
    this.spark = spark;
    this.catalog = catalog;
    this.settings = settings;
  }

  List<TrainingSetFacts> gather(StepLog steps) {
    List<Row> rows =
        catalog
            .read(settings.trainingSetsTable())
            .orderBy(col("built_at").desc(), col("training_set_id"))
            .collectAsList();
    List<TrainingSetFacts> result = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      boolean detailed = i < settings.detailedTrainingSets();
      String which =
          "training set " + (i + 1) + "/" + Math.min(rows.size(), settings.detailedTrainingSets());
      if (detailed) {
        steps.working(which + " " + rows.get(i).getAs("training_set_id"));
      }
      result.add(facts(rows.get(i), detailed));
      if (detailed) { // reads the build's output: one progress line each
        steps.step(which + " " + result.get(i).id() + " measured");
      }
    }
    return result;
  }

  private TrainingSetFacts facts(Row row, boolean detailed) {
    String id = row.getAs("training_set_id");
    String location = row.getAs("output_location");
    Long outputVersion = optional(row, "output_version");
    Map<String, Long> labels = new TreeMap<>(javaMap(row, "label_counts"));
    Map<String, Double> nullRates = javaMap(row, "feature_null_rates");
    List<Lag> lags = new ArrayList<>();
    String label = null;
    String note = null;
    Config spec = null;
    try {
      spec = ConfigFactory.parseString(row.getAs("spec"));
      label = spec.hasPath("spine.label") ? spec.getString("spine.label") : null;
    } catch (RuntimeException e) {
      note = ReportMessages.unreadableSpec(firstLine(e.getMessage()));
    }
    if (detailed) {
      Dataset<Row> output = null;
      try {
        output =
            outputVersion == null
                ? spark.read().format("delta").load(location)
                : spark.read().format("delta").option("versionAsOf", outputVersion).load(location);
        output.schema();
      } catch (Exception e) { // AnalysisException (path gone, not Delta) comes unchecked
        output = null;
        note = ReportMessages.outputGone(location, firstLine(e.getMessage()));
      }
      if (output != null && spec != null) {
        try {
          lags = lags(output, spec);
          if (labels.isEmpty() && label != null && TableGatherer.has(output.schema(), label)) {
            labels = labelCounts(output, label);
          }
          if (nullRates.isEmpty()) {
            nullRates = nullRates(output, spec);
          }
        } catch (com.typesafe.config.ConfigException e) { // a spec without the expected keys
          note = ReportMessages.unreadableSpec(firstLine(e.getMessage()));
        }
      }
    }
    Map<String, Long> featureVersions = new TreeMap<>(javaMap(row, "feature_versions"));
    return new TrainingSetFacts(
        id,
        row.getAs("name"),
        ((Timestamp) row.getAs("built_at")).toInstant(),
        row.getAs("knowledge_mode"),
        row.getAs("spine_source"),
        optional(row, "spine_version"),
        featureVersions,
        row.<Long>getAs("row_count"),
        row.getAs("content_hash"),
        location,
        outputVersion,
        label,
        labels,
        nullRates,
        List.copyOf(lags),
        detailed,
        note);
  }

  /** One lag distribution per feature table of the spec. */
  static List<Lag> lags(Dataset<Row> output, Config spec) {
    List<Lag> lags = new ArrayList<>();
    String eventTime = spec.getString("spine.event-time");
    for (Config feature : spec.getConfigList("features")) {
      TableId table = TableId.parse(feature.getString("table"));
      String featureTime =
          feature.hasPath("feature-time") ? feature.getString("feature-time") : "feature_time";
      String column = outputName(feature, table, featureTime);
      if (!TableGatherer.has(output.schema(), eventTime)) {
        lags.add(
            new Lag(table.toString(), column, List.of(), ReportMessages.noEventTime(eventTime)));
      } else if (!TableGatherer.has(output.schema(), column)) {
        lags.add(
            new Lag(
                table.toString(),
                column,
                List.of(),
                ReportMessages.noFeatureTime(table.toString(), column)));
      } else {
        lags.add(new Lag(table.toString(), column, lagBuckets(output, eventTime, column), null));
      }
    }
    return lags;
  }

  /** The output column a feature table's column becomes: its rename, else table__column. */
  static String outputName(Config feature, TableId table, String column) {
    if (feature.hasPath("rename") && feature.getConfig("rename").hasPath("\"" + column + "\"")) {
      return feature.getConfig("rename").getString("\"" + column + "\"");
    }
    return table.name() + "__" + column;
  }

  static List<LagBucket> lagBuckets(Dataset<Row> output, String eventTime, String featureTime) {
    Column lag =
        unix_micros(col("`" + eventTime + "`").cast(DataTypes.TimestampType))
            .minus(unix_micros(col("`" + featureTime + "`").cast(DataTypes.TimestampType)));
    Column bucket =
        when(col("`" + featureTime + "`").isNull(), lit(NO_VALUE)).when(lag.lt(0), lit(NEGATIVE));
    for (Map.Entry<String, Long> b : BUCKETS) {
      bucket = bucket.when(lag.lt(b.getValue()), lit(b.getKey()));
    }
    bucket = bucket.otherwise(lit(LONGEST));
    Map<String, Long> counts = new LinkedHashMap<>();
    for (Row row : output.groupBy(bucket.as("bucket")).count().collectAsList()) {
      counts.put(row.getString(0), row.getLong(1));
    }
    List<LagBucket> buckets = new ArrayList<>();
    if (counts.containsKey(NEGATIVE)) {
      buckets.add(new LagBucket(NEGATIVE, counts.get(NEGATIVE), true));
    }
    for (Map.Entry<String, Long> b : BUCKETS) {
      buckets.add(new LagBucket(b.getKey(), counts.getOrDefault(b.getKey(), 0L), false));
    }
    buckets.add(new LagBucket(LONGEST, counts.getOrDefault(LONGEST, 0L), false));
    buckets.add(new LagBucket(NO_VALUE, counts.getOrDefault(NO_VALUE, 0L), false));
    return buckets;
  }

  static Map<String, Long> labelCounts(Dataset<Row> output, String label) {
    Map<String, Long> counts = new TreeMap<>();
    for (Row row : output.groupBy(col("`" + label + "`")).count().collectAsList()) {
      counts.put(String.valueOf(row.get(0)), row.getLong(1));
    }
    return counts;
  }

  /** The share of null values of every output column that is not the spine's. */
  static Map<String, Double> nullRates(Dataset<Row> output, Config spec) {
    List<String> spineColumns = new ArrayList<>(spec.getStringList("spine.keys"));
    spineColumns.add(spec.getString("spine.event-time"));
    if (spec.hasPath("spine.label")) {
      spineColumns.add(spec.getString("spine.label"));
    }
    List<String> renamed = new ArrayList<>();
    for (Config feature : spec.getConfigList("features")) {
      if (feature.hasPath("rename")) {
        feature
            .getConfig("rename")
            .root()
            .unwrapped()
            .forEach((from, to) -> renamed.add(String.valueOf(to)));
      }
    }
    List<String> features = new ArrayList<>();
    List<Column> aggregates = new ArrayList<>();
    for (String column : output.columns()) {
      if (!spineColumns.contains(column) && (column.contains("__") || renamed.contains(column))) {
        features.add(column);
        aggregates.add(avg(when(col("`" + column + "`").isNull(), 1.0).otherwise(0.0)));
      }
    }
    Map<String, Double> rates = new LinkedHashMap<>();
    if (features.isEmpty()) {
      return rates;
    }
    Row row =
        output
            .agg(aggregates.get(0), aggregates.subList(1, aggregates.size()).toArray(Column[]::new))
            .first();
    for (int i = 0; i < features.size(); i++) {
      rates.put(features.get(i), row.isNullAt(i) ? 0.0 : row.getDouble(i));
    }
    return rates;
  }

  private static <T> T optional(Row row, String column) {
    int index;
    try {
      index = row.fieldIndex(column);
    } catch (IllegalArgumentException e) {
      return null;
    }
    return row.isNullAt(index) ? null : row.getAs(index);
  }

  private static <V> Map<String, V> javaMap(Row row, String column) {
    int index;
    try {
      index = row.fieldIndex(column);
    } catch (IllegalArgumentException e) {
      return Map.of();
    }
    if (row.isNullAt(index)) {
      return Map.of();
    }
    return new LinkedHashMap<>(row.<String, V>getJavaMap(index));
  }

  private static String firstLine(String message) {
    return message == null ? "" : message.split("\n", 2)[0];
  }
}
