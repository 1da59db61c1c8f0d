package lakehouse.silver;

import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import lakehouse.common.catalog.TableId;
import lakehouse.common.testing.TestLake;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Builds bronze tables the way the bronze layer lands them: source columns as landed (strings for
 * CSV and timestamps, numbers for JSON numbers) plus the audit columns. Each {@link #append} is one
 * bronze commit (one landing run).
 */
final class BronzeFixture {
  static final StructType ORDERS =
      source(
          "order_id",
          DataTypes.StringType,
          "customer_id",
          DataTypes.StringType,
          "amount",
          DataTypes.DoubleType,
          "currency",
          DataTypes.StringType,
          "status",
          DataTypes.StringType,
          "category",
          DataTypes.StringType,
          "order_ts",
          DataTypes.StringType,
          "updated_at",
          DataTypes.StringType);
  static final StructType ORDERS_WITH_COUPON =
      source(
          "order_id",
          DataTypes.StringType,
          "customer_id",
          DataTypes.StringType,
          "amount",
          DataTypes.DoubleType,
          "currency",
          DataTypes.StringType,
          "status",
          DataTypes.StringType,
          "category",
          DataTypes.StringType,
          "order_ts",
          DataTypes.StringType,
          "updated_at",
          DataTypes.StringType,
          "coupon_code",
          DataTypes.StringType);
  static final StructType CUSTOMERS =
      source(
          "customer_id",
          DataTypes.StringType,
          "name",
          DataTypes.StringType,
          "email",
          DataTypes.StringType,
          "country",
          DataTypes.StringType,
          "segment",
          DataTypes.StringType,
          "signup_ts",
          DataTypes.StringType,
          "updated_at",
          DataTypes.StringType);
  static final StructType EVENTS =
      source(
          "event_id",
          DataTypes.StringType,
          "customer_id",
          DataTypes.StringType,
          "event_type",
          DataTypes.StringType,
          "event_ts",
          DataTypes.StringType,
          "page",
          DataTypes.StringType,
          "session_id",
          DataTypes.StringType);
  static final StructType LABELS =
      source(
          "customer_id",
          DataTypes.StringType,
          "label_ts",
          DataTypes.StringType,
          "churned",
          DataTypes.StringType);

  private final TestLake lake;
  private int appends;

  BronzeFixture(TestLake lake) {
    this.lake = lake;
  }

  private static StructType source(Object... namesAndTypes) {
    StructType schema = new StructType();
    for (int i = 0; i < namesAndTypes.length; i += 2) {
      schema = schema.add((String) namesAndTypes[i], (DataType) namesAndTypes[i + 1], true);
    }
    return schema
        .add("_ingested_at", DataTypes.TimestampType, true)
        .add("_source_file", DataTypes.StringType, true)
        .add("_run_id", DataTypes.StringType, true)
        .add("_landing_date", DataTypes.DateType, true);
  }

  /**
   * Appends rows (source values only) to {@code bronze.<source>} as one commit, ingested at {@code
   * ingestedAt} from one file of {@code landingDate}.
   */
  void append(
      String source,
      StructType schema,
      String landingDate,
      String ingestedAt,
      List<Object[]> rows) {
    appends++;
    List<Row> full = new ArrayList<>();
    for (Object[] values : rows) {
      List<Object> all = new ArrayList<>(Arrays.asList(values));
      all.add(Timestamp.from(Instant.parse(ingestedAt)));
      all.add(source + "/" + landingDate + "/" + source + "-" + landingDate + "-001");
      all.add("bronze-run-" + appends);
      all.add(Date.valueOf(LocalDate.parse(landingDate)));
      full.add(RowFactory.create(all.toArray()));
    }
    TableId id = TableId.of("bronze", source);
    lake.spark()
        .createDataFrame(full, schema)
        .write()
        .format("delta")
        .mode("append")
        .option("mergeSchema", "true")
        .partitionBy("_landing_date")
        .save(lake.runtime().catalog().location(id));
  }

  static Object[] row(Object... values) {
    return values;
  }
}
