package lakehouse.report;

import java.nio.file.Path;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import lakehouse.common.ExitCode;
import lakehouse.common.LakehouseRuntime;
import lakehouse.common.catalog.TableId;
import lakehouse.common.ops.RunHistory;
import lakehouse.common.ops.RunStats;
import lakehouse.common.testing.TestLake;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * A small lake built in code, shaped like the layers' tables, with figures the report tests check:
 * bronze.orders (3 versions: 3, 5, 9 rows) and 4 rejects; silver.orders (2 versions: 4, 6 rows) and
 * 3 quarantined rows; two quality checks over three batches; a feature table and registry; two
 * training-set builds (the newest with a readable output and a known lag distribution, the older
 * one pointing at an output that is gone); two runs in _ops.runs, one failed.
 */
final class SampleLake {
  static final Instant NOW = Instant.parse("2026-02-01T12:00:00Z");
  static final String SCRIPT_REASON = "malformed JSON: <script>alert('x')</script>";
  static final String RUN_ERROR = "quality gate failed: <b>completeness</b> 0.90 < 0.95";
  static final String TRAINING_ID = "churn-20260201T100000Z-abc123";
  static final String OLD_TRAINING_ID = "churn-20260131T100000Z-def456";

  private static TestLake shared;

  private SampleLake() {}

  /**
   * The one sample lake of this test JVM (built once: the test classes only read it), in a
   * temporary folder removed when the JVM exits.
   */
  static synchronized TestLake shared() {
    if (shared == null) {
      try {
        Path dir = java.nio.file.Files.createTempDirectory("report-sample-lake");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(dir.toFile())));
        shared = create(dir);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
    return shared;
  }

  private static void delete(java.io.File file) {
    java.io.File[] children = file.listFiles();
    if (children != null) {
      for (java.io.File child : children) {
        delete(child);
      }
    }
    file.delete();
  }

  static TestLake create(Path dir) {
    TestLake lake = TestLake.create(dir);
    try (LakehouseRuntime runtime = lake.runtime()) {
      SparkSession spark = runtime.spark();
      StructType orders =
          new StructType()
              .add("order_id", DataTypes.StringType)
              .add("amount", DataTypes.DoubleType);
      append(runtime, TableId.of("bronze", "orders"), orders, orders(0, 3));
      append(runtime, TableId.of("bronze", "orders"), orders, orders(3, 2));
      append(runtime, TableId.of("bronze", "orders"), orders, orders(5, 4));
      StructType rejects =
          new StructType().add("_raw", DataTypes.StringType).add("_reason", DataTypes.StringType);
      append(
          runtime,
          TableId.of("bronze", "orders_rejects"),
          rejects,
          List.of(
              RowFactory.create("{", "malformed JSON: the line is not a JSON object"),
              RowFactory.create("x", "malformed JSON: the line is not a JSON object"),
              RowFactory.create("\u0001", "bad encoding: the line is not valid UTF-8"),
              RowFactory.create("<", SCRIPT_REASON)));
      append(runtime, TableId.of("silver", "orders"), orders, orders(0, 4));
      append(runtime, TableId.of("silver", "orders"), orders, orders(4, 2));
      StructType quarantine =
          new StructType()
              .add("_failed_rules", DataTypes.createArrayType(DataTypes.StringType))
              .add("_raw", DataTypes.StringType);
      append(
          runtime,
          TableId.of("silver", "orders_quarantine"),
          quarantine,
          List.of(
              RowFactory.create(List.of("amount_not_null").toArray(), "{}"),
              RowFactory.create(List.of("amount_not_null", "currency_in_set").toArray(), "{}"),
              RowFactory.create(List.of("currency_in_set", "amount_not_null").toArray(), "{}")));
      append(runtime, TableId.of("silver", "orders_quality_metrics"), metricsSchema(), metrics());
      StructType features =
          new StructType()
              .add("customer_id", DataTypes.StringType)
              .add("feature_time", DataTypes.TimestampType)
              .add("order_count_30d", DataTypes.LongType);
      append(
          runtime,
          TableId.of("gold", "customer_features"),
          features,
          List.of(RowFactory.create("c1", ts("2026-01-09T23:59:59Z"), 2L)));
      append(
          runtime,
          TableId.of("gold", "_feature_registry_customer_features"),
          registrySchema(),
          List.of(
              registry("order_count_30d", 2, true, "Orders in the last 30 days"),
              registry("order_count_30d", 1, false, "old definition"),
              registry("view_count_7d", 1, true, "Views <7 days>")));
      append(runtime, TableId.of("gold", "training_churn"), trainingSchema(), trainingRows());
      append(
          runtime,
          TableId.of("gold", "_training_sets"),
          manifestSchema(),
          List.of(
              manifest(
                  TRAINING_ID,
                  "2026-02-01T10:00:00Z",
                  runtime.catalog().location(TableId.of("gold", "training_churn")),
                  0L),
              manifest(
                  OLD_TRAINING_ID,
                  "2026-01-31T10:00:00Z",
                  lake.lakeRoot() + "/gold/_gone_output",
                  null)));
      RunHistory runs = new RunHistory(spark, runtime.catalog());
      runs.write(
          "run-1",
          "bronze",
          "local",
          NOW.minusSeconds(600),
          NOW.minusSeconds(590),
          ExitCode.OK,
          new RunStats().target("orders").addRowsRead(9).addRowsWritten(9),
          null);
      runs.write(
          "run-2",
          "silver",
          "local",
          NOW.minusSeconds(300),
          NOW.minusSeconds(280),
          ExitCode.QUALITY_GATE,
          new RunStats().target("orders").addRowsRead(6),
          RUN_ERROR);
      runs.fold();
    }
    return lake;
  }

  private static void append(
      LakehouseRuntime runtime, TableId id, StructType schema, List<Row> rows) {
    runtime
        .spark()
        .createDataFrame(rows, schema)
        .coalesce(1)
        .write()
        .format("delta")
        .mode("append")
        .save(runtime.catalog().location(id));
    runtime.catalog().register(id);
  }

  private static List<Row> orders(int from, int count) {
    List<Row> rows = new ArrayList<>();
    for (int i = from; i < from + count; i++) {
      rows.add(RowFactory.create("o" + i, 10.0 * i));
    }
    return rows;
  }

  static StructType metricsSchema() {
    return new StructType()
        .add("table", DataTypes.StringType)
        .add("run_date", DataTypes.DateType)
        .add("run_id", DataTypes.StringType)
        .add("batch_id", DataTypes.LongType)
        .add("check", DataTypes.StringType)
        .add("check_type", DataTypes.StringType)
        .add("severity", DataTypes.StringType)
        .add("metric", DataTypes.StringType)
        .add("value", DataTypes.DoubleType)
        .add("threshold", DataTypes.StringType)
        .add("status", DataTypes.StringType)
        .add("detail", DataTypes.StringType)
        .add("batch_status", DataTypes.StringType)
        .add("recorded_at", DataTypes.TimestampType);
  }

  /** completeness_amount: 0.99 passed, 0.90 failed, 0.97 passed; amount_range: 2 passes. */
  private static List<Row> metrics() {
    List<Row> rows = new ArrayList<>();
    double[] completeness = {0.99, 0.90, 0.97};
    String[] status = {"passed", "failed", "passed"};
    for (int i = 0; i < 3; i++) {
      Date day = Date.valueOf("2026-01-0" + (i + 1));
      Timestamp at = ts("2026-01-0" + (i + 1) + "T06:00:00Z");
      // Written out of order: the report must order by recording time.
      rows.add(
          0,
          RowFactory.create(
              "orders",
              day,
              "r" + i,
              0L,
              "completeness_amount",
              "completeness",
              "error",
              "completeness",
              completeness[i],
              ">= 0.95",
              status[i],
              i == 1 ? "10 of 100 rows without amount" : "",
              status[i].equals("passed") ? "published" : "rejected",
              at));
      rows.add(
          RowFactory.create(
              "orders",
              day,
              "r" + i,
              0L,
              "amount_range",
              "range",
              "warn",
              "in_range",
              1.0 * (i + 1),
              "in [0, 10000]",
              "passed",
              "",
              "published",
              at));
      rows.add(
          RowFactory.create(
              "orders",
              day,
              "r" + i,
              0L,
              "_volume",
              "volume",
              "info",
              "rows_read",
              100.0,
              null,
              "recorded",
              null,
              "published",
              at));
    }
    return rows;
  }

  static StructType registrySchema() {
    return new StructType()
        .add("feature", DataTypes.StringType)
        .add("feature_set", DataTypes.StringType)
        .add("version", DataTypes.IntegerType)
        .add("is_current", DataTypes.BooleanType)
        .add("kind", DataTypes.StringType)
        .add("type", DataTypes.StringType)
        .add("description", DataTypes.StringType)
        .add("window", DataTypes.StringType)
        .add("source_tables", DataTypes.createArrayType(DataTypes.StringType))
        .add("owner", DataTypes.StringType);
  }

  private static Row registry(String feature, int version, boolean current, String text) {
    return RowFactory.create(
        feature,
        "customer_features",
        version,
        current,
        "aggregation",
        "bigint",
        text,
        "30 days",
        List.of("silver.orders").toArray(),
        "growth");
  }

  static StructType trainingSchema() {
    return new StructType()
        .add("customer_id", DataTypes.StringType)
        .add("label_ts", DataTypes.TimestampType)
        .add("churned", DataTypes.BooleanType)
        .add("customer_features__feature_time", DataTypes.TimestampType)
        .add("customer_features__order_count_30d", DataTypes.LongType);
  }

  /** Lags: 1 µs (0–1 h), 3 days (2–7 d), 40 days (≥ 30 d), no feature row. */
  private static List<Row> trainingRows() {
    return List.of(
        RowFactory.create(
            "c1",
            ts("2026-01-10T00:00:00Z"),
            true,
            Timestamp.from(Instant.parse("2026-01-09T23:59:59.999999Z")),
            2L),
        RowFactory.create("c2", ts("2026-01-10T00:00:00Z"), false, ts("2026-01-07T00:00:00Z"), 1L),
        RowFactory.create("c3", ts("2026-03-01T00:00:00Z"), false, ts("2026-01-20T00:00:00Z"), 0L),
        RowFactory.create("c4", ts("2026-01-10T00:00:00Z"), false, null, null));
  }

  static StructType manifestSchema() {
    return new StructType()
        .add("training_set_id", DataTypes.StringType)
        .add("name", DataTypes.StringType)
        .add("built_at", DataTypes.TimestampType)
        .add("spec", DataTypes.StringType)
        .add("knowledge_mode", DataTypes.StringType)
        .add("as_of", DataTypes.StringType)
        .add("serving_delay", DataTypes.StringType)
        .add("spine_source", DataTypes.StringType)
        .add("spine_version", DataTypes.LongType)
        .add("feature_versions", DataTypes.createMapType(DataTypes.StringType, DataTypes.LongType))
        .add("output_location", DataTypes.StringType)
        .add("row_count", DataTypes.LongType)
        .add("content_hash", DataTypes.StringType)
        .add("output_table", DataTypes.StringType)
        .add("output_version", DataTypes.LongType)
        .add("rebuilt_from", DataTypes.StringType)
        .add(
            "feature_null_rates",
            DataTypes.createMapType(DataTypes.StringType, DataTypes.DoubleType))
        .add("label_counts", DataTypes.createMapType(DataTypes.StringType, DataTypes.LongType));
  }

  /** The spec as the training-set builder renders it (JSON, valid HOCON). */
  static final String SPEC =
      """
      {"name":"churn","spine":{"table":"silver.labels","keys":["customer_id"],
       "event-time":"label_ts","label":"churned"},
       "features":[{"table":"gold.customer_features",
         "features":["feature_time","order_count_30d"],"rename":{},
         "feature-time":"feature_time"}],
       "knowledge":{"mode":"latest","serving-delay":"0ms"},"output":"gold.training_churn"}
      """;

  private static Row manifest(String id, String builtAt, String location, Long outputVersion) {
    return RowFactory.create(
        id,
        "churn",
        ts(builtAt),
        SPEC,
        "latest",
        null,
        null,
        "silver.labels",
        3L,
        scala(Map.of("gold.customer_features", 7L)),
        location,
        4L,
        "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
        "gold.training_churn",
        outputVersion,
        null,
        outputVersion == null
            ? null
            : scala(
                Map.of(
                    "customer_features__order_count_30d",
                    0.25,
                    "customer_features__feature_time",
                    0.25)),
        outputVersion == null ? null : scala(Map.of("false", 3L, "true", 1L)));
  }

  private static <K, V> scala.collection.Map<K, V> scala(Map<K, V> map) {
    return scala.collection.JavaConverters.mapAsScalaMap(new java.util.LinkedHashMap<>(map));
  }

  static Timestamp ts(String iso) {
    return Timestamp.from(Instant.parse(iso));
  }

  static List<String> list(String... values) {
    return Arrays.asList(values);
  }
}
