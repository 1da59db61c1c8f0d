package lakehouse.training;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import lakehouse.common.catalog.TableId;
import lakehouse.common.testing.TestLake;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** Real Delta tables in a test lake: a churn spine and a customer feature table (with CDF). */
final class LakeTables {
  static final TableId FEATURES = TableId.of("gold", "customer_features");
  static final TableId LABELS = TableId.of("silver", "labels");
  static final StructType FEATURE_SCHEMA =
      new StructType()
          .add("customer_id", DataTypes.LongType)
          .add("feature_time", DataTypes.TimestampType)
          .add("orders_30d", DataTypes.DoubleType)
          .add("spend_30d", DataTypes.DoubleType);

  private final TestLake lake;

  LakeTables(TestLake lake) {
    this.lake = lake;
  }

  String location(TableId id) {
    return lake.runtime().catalog().location(id);
  }

  /** Creates an empty table (version 0) with the change data feed on, and registers it. */
  LakeTables create(TableId id, StructType schema) {
    lake.spark()
        .sql(
            "CREATE TABLE delta.`"
                + location(id)
                + "` ("
                + schema.toDDL()
                + ") USING DELTA TBLPROPERTIES (delta.enableChangeDataFeed = true)");
    lake.runtime().catalog().register(id);
    return this;
  }

  LakeTables createFeatures() {
    return create(FEATURES, FEATURE_SCHEMA);
  }

  /** Appends feature rows (customer, feature time, orders, spend) in one commit. */
  LakeTables appendFeatures(Object[]... rows) {
    write(FEATURES, FEATURE_SCHEMA, SaveMode.Append, rows);
    return this;
  }

  LakeTables overwriteFeatures(Object[]... rows) {
    write(FEATURES, FEATURE_SCHEMA, SaveMode.Overwrite, rows);
    return this;
  }

  /** Writes the spine table silver.labels (customer, label time, churned) as a new version. */
  LakeTables labels(Object[]... rows) {
    if (!lake.runtime().catalog().exists(LABELS)) {
      create(LABELS, Rows.SPINE);
    }
    write(LABELS, Rows.SPINE, SaveMode.Overwrite, rows);
    return this;
  }

  /** When version 0 of the table was committed (its in-commit timestamp). */
  java.time.Instant firstCommit(TableId id) {
    return lakehouse.common.catalog.TableVersions.of(lake.spark(), lake.runtime().catalog(), id)
        .timestamp(0);
  }

  /** Appends rows to any table of this lake in one commit. */
  LakeTables append(TableId id, StructType schema, Object[]... rows) {
    write(id, schema, SaveMode.Append, rows);
    return this;
  }

  private void write(TableId id, StructType schema, SaveMode mode, Object[]... rows) {
    List<Row> list = new ArrayList<>();
    for (Object[] row : rows) {
      list.add(RowFactory.create(row));
    }
    lake.spark()
        .createDataFrame(list, schema)
        .coalesce(1)
        .write()
        .format("delta")
        .mode(mode)
        .save(location(id));
  }

  static Object[] f(long customer, Timestamp featureTime, double orders, double spend) {
    return new Object[] {customer, featureTime, orders, spend};
  }

  static Object[] label(long customer, Timestamp at, boolean churned) {
    return new Object[] {customer, at, churned};
  }

  /** Writes a spec file into the test's folder. */
  static Path spec(Path dir, String name, String body) throws java.io.IOException {
    Path file = dir.resolve(name + ".conf");
    Files.writeString(file, body);
    return file;
  }

  static final String CHURN_SPEC =
      """
      name = churn_test
      spine { table = silver.labels, keys = [customer_id], event-time = label_ts, label = churned }
      features = [ { table = gold.customer_features, features = all, ttl = 30 days } ]
      """;

  /** A checkpoint at the latest version, then every older commit file removed. */
  static long cleanUpLog(TestLake lake, String location) {
    org.apache.spark.sql.delta.DeltaLog log =
        org.apache.spark.sql.delta.DeltaLog.forTable(lake.spark(), location);
    long checkpoint = log.update(false, scala.Option.empty(), scala.Option.empty()).version();
    log.checkpoint();
    Path tableDir =
        location.startsWith("file:") ? Path.of(java.net.URI.create(location)) : Path.of(location);
    try (java.util.stream.Stream<Path> files = Files.list(tableDir.resolve("_delta_log"))) {
      for (Path file : files.toList()) {
        String name = file.getFileName().toString();
        if (name.matches("\\d{20}\\.(json|crc)")
            && Long.parseLong(name.substring(0, 20)) < checkpoint) {
          Files.delete(file);
        }
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    org.apache.spark.sql.delta.DeltaLog.clearCache();
    return checkpoint;
  }
}
