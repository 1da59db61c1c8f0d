package lakehouse.gold;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import lakehouse.common.LakehouseRuntime;
import lakehouse.common.catalog.TableId;
import lakehouse.common.testing.TestLake;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * A test lake with silver tables written as silver writes them (Delta, change data feed on) and a
 * feature set directory of its own.
 */
final class GoldLake {
  final TestLake lake;
  final Path featuresDir;
  final LakehouseRuntime runtime;

  private GoldLake(TestLake lake, Path featuresDir) {
    this.lake = lake;
    this.featuresDir = featuresDir;
    this.runtime = lake.runtime();
  }

  static GoldLake create(Path dir) {
    Path features = dir.resolve("features");
    try {
      Files.createDirectories(features);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new GoldLake(TestLake.create(dir, "lakehouse.gold.features-dir=" + features), features);
  }

  /** Writes (or replaces) a feature set declaration. */
  GoldLake declare(String name, String hocon) {
    try {
      Files.writeString(featuresDir.resolve(name + ".conf"), hocon);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  /** Appends rows to a silver table, creating it with the change data feed on. */
  long append(String table, Dataset<Row> rows) {
    TableId id = TableId.of("silver", table);
    String location = runtime.catalog().location(id);
    if (!runtime.catalog().exists(id)) {
      lake.spark()
          .sql(
              "CREATE TABLE IF NOT EXISTS delta.`"
                  + location
                  + "` ("
                  + rows.schema().toDDL()
                  + ") USING DELTA TBLPROPERTIES "
                  + "('delta.enableChangeDataFeed' = 'true')");
    }
    rows.write().format("delta").mode("append").save(location);
    runtime.catalog().register(id);
    return runtime.catalog().currentVersion(id);
  }

  Dataset<Row> read(String table) {
    return runtime.catalog().read(TableId.parse(table));
  }
}
