package lakehouse.gold;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** Builders of silver-shaped test tables (the input contract of the gold layer). */
final class Silver {
  static final StructType ORDERS =
      new StructType()
          .add("order_id", DataTypes.StringType)
          .add("customer_id", DataTypes.StringType)
          .add("amount", DataTypes.createDecimalType(12, 2))
          .add("currency", DataTypes.StringType)
          .add("status", DataTypes.StringType)
          .add("category", DataTypes.StringType)
          .add("order_ts", DataTypes.TimestampType)
          .add("updated_at", DataTypes.TimestampType);

  static final StructType EVENTS =
      new StructType()
          .add("event_id", DataTypes.StringType)
          .add("customer_id", DataTypes.StringType)
          .add("event_type", DataTypes.StringType)
          .add("event_ts", DataTypes.TimestampType)
          .add("page", DataTypes.StringType)
          .add("session_id", DataTypes.StringType);

  static final StructType CUSTOMERS =
      new StructType()
          .add("customer_id", DataTypes.StringType)
          .add("name", DataTypes.StringType)
          .add("email", DataTypes.StringType)
          .add("country", DataTypes.StringType)
          .add("segment", DataTypes.StringType)
          .add("signup_ts", DataTypes.TimestampType)
          .add("updated_at", DataTypes.TimestampType)
          .add("valid_from", DataTypes.TimestampType)
          .add("valid_to", DataTypes.TimestampType)
          .add("is_current", DataTypes.BooleanType);

  private Silver() {}

  static Timestamp ts(String iso) {
    return iso == null ? null : Timestamp.from(Instant.parse(iso));
  }

  /** Orders: {@code add(id, customer, amount, status, category, orderTs)}. */
  static final class Orders {
    private final List<Row> rows = new ArrayList<>();

    Orders add(
        String id, String customer, String amount, String status, String category, String orderTs) {
      rows.add(
          RowFactory.create(
              id,
              customer,
              amount == null ? null : new BigDecimal(amount),
              "EUR",
              status,
              category,
              ts(orderTs),
              ts(orderTs)));
      return this;
    }

    List<Row> rows() {
      return rows;
    }

    Dataset<Row> build(SparkSession spark) {
      return spark.createDataFrame(rows, ORDERS);
    }
  }

  /** Events: {@code add(id, customer, type, eventTs)}. */
  static final class Events {
    private final List<Row> rows = new ArrayList<>();

    Events add(String id, String customer, String type, String eventTs) {
      rows.add(RowFactory.create(id, customer, type, ts(eventTs), "/p", "s-" + customer));
      return this;
    }

    Dataset<Row> build(SparkSession spark) {
      return spark.createDataFrame(rows, EVENTS);
    }
  }

  /** SCD2 customer versions: {@code add(customer, country, segment, validFrom, validTo)}. */
  static final class Customers {
    private final List<Row> rows = new ArrayList<>();

    Customers add(
        String customer, String country, String segment, String validFrom, String validTo) {
      rows.add(
          RowFactory.create(
              customer,
              "n-" + customer,
              "h-" + customer,
              country,
              segment,
              ts(validFrom),
              ts(validFrom),
              ts(validFrom),
              ts(validTo),
              validTo == null));
      return this;
    }

    Dataset<Row> build(SparkSession spark) {
      return spark.createDataFrame(rows, CUSTOMERS);
    }
  }
}
