package lakehouse.training;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import lakehouse.common.testing.SparkTestSession;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** Small builders for the join tests: spines and feature inputs made in code. */
final class Rows {
  static final StructType SPINE =
      new StructType()
          .add("customer_id", DataTypes.LongType)
          .add("label_ts", DataTypes.TimestampType)
          .add("churned", DataTypes.BooleanType);

  private Rows() {}

  static Timestamp ts(String instant) {
    return Timestamp.from(Instant.parse(instant));
  }

  /** Day {@code d} of January 2026 at {@code hh:mm:ss}, UTC. */
  static Timestamp day(int d, String time) {
    return ts(String.format("2026-01-%02dT%sZ", d, time));
  }

  static Timestamp day(int d) {
    return day(d, "00:00:00");
  }

  static final class Spine {
    private final List<Row> rows = new ArrayList<>();

    Spine row(Long customer, Timestamp at, Boolean churned) {
      rows.add(RowFactory.create(customer, at, churned));
      return this;
    }

    Dataset<Row> build() {
      return SparkTestSession.get().createDataFrame(rows, SPINE);
    }
  }

  /** Feature rows of one table with one feature column {@code value} (output name given). */
  static final class Features {
    private final String output;
    private final List<Row> rows = new ArrayList<>();
    private final boolean history;

    Features(String output, boolean history) {
      this.output = output;
      this.history = history;
    }

    static Features snapshot(String output) {
      return new Features(output, false);
    }

    static Features history(String output) {
      return new Features(output, true);
    }

    Features row(long customer, Timestamp featureTime, long commit, Double value) {
      rows.add(RowFactory.create(customer, featureTime, commit, value));
      return this;
    }

    /** A change-feed row version: {@code insert} true when it became current at {@code at}. */
    Features change(
        long customer,
        Timestamp featureTime,
        long commit,
        Double value,
        boolean insert,
        Timestamp at) {
      rows.add(
          RowFactory.create(
              customer,
              featureTime,
              commit,
              value,
              insert ? KnownAtSweep.INSERT : KnownAtSweep.DELETE,
              at.toInstant().getEpochSecond() * 1_000_000L + at.toInstant().getNano() / 1000));
      return this;
    }

    FeatureInput input(java.time.Duration ttl) {
      StructType schema =
          new StructType()
              .add("customer_id", DataTypes.LongType)
              .add(FeatureInput.FEATURE_TIME, DataTypes.TimestampType)
              .add(FeatureInput.COMMIT, DataTypes.LongType)
              .add(output, DataTypes.DoubleType);
      if (history) {
        schema =
            schema
                .add(FeatureInput.OP, DataTypes.IntegerType)
                .add(FeatureInput.KNOWN_AT, DataTypes.LongType);
      }
      return new FeatureInput(
          "gold." + output,
          SparkTestSession.get().createDataFrame(rows, schema),
          List.of(output),
          ttl);
    }
  }
}
