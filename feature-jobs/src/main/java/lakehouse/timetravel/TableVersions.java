package lakehouse.timetravel;

import io.delta.tables.DeltaTable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import lakehouse.common.LakehouseException;
import lakehouse.common.catalog.LakeCatalog;
import lakehouse.common.catalog.TableId;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.delta.VersionNotFoundException;
import org.apache.spark.sql.types.StructType;
import scala.collection.JavaConverters;

/**
 * Questions about a table's Delta versions that the time-travel tools (and training-set rebuilds)
 * ask before reading one: does it exist, is it still in the log, are its files still there, and
 * when was it committed. Each failure is a {@link LakehouseException} naming the table and
 * version, never Spark's stack trace.
 */
public final class TableVersions {
  private final SparkSession spark;
  private final LakeCatalog catalog;

  public TableVersions(SparkSession spark, LakeCatalog catalog) {
    this.spark = spark;
    this.catalog = catalog;
  }

  /** The latest committed version. */
  public long latest(TableId table) {
    return catalog.currentVersion(table);
  }

  /**
   * Insists that {@code version} is a version of the table that the log can still reconstruct
   * (usage error, exit 2, otherwise) and returns its schema.
   */
  public StructType requireVersion(TableId table, long version, String option) {
    if (version < 0) {
      throw LakehouseException.usage(TimeTravelMessages.negativeVersion(option, version));
    }
    long latest = latest(table);
    if (version > latest) {
      throw LakehouseException.usage(TimeTravelMessages.unknownVersion(table, version, latest));
    }
    try {
      return catalog.readVersion(table, version).schema();
    } catch (Exception e) { // Scala throws the checked AnalysisException undeclared
      if (e instanceof VersionNotFoundException notFound) {
        throw LakehouseException.usage(
            TimeTravelMessages.versionNotInLog(table, version, notFound.getMessage()));
      }
      throw SparkErrors.unchecked(e);
    }
  }

  /** The data files the version reads, as fully qualified paths. */
  public List<String> files(TableId table, long version) {
    return Arrays.asList(catalog.readVersion(table, version).inputFiles());
  }

  /** The files of the version that are gone from storage (VACUUM removed them). */
  public List<String> missingFiles(TableId table, long version) {
    Configuration hadoop = spark.sessionState().newHadoopConf();
    List<String> missing = new ArrayList<>();
    try {
      for (String file : files(table, version)) {
        Path path = new Path(URI.create(file));
        FileSystem fs = path.getFileSystem(hadoop);
        if (!fs.exists(path)) {
          missing.add(file);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot check the files of " + table + " version " + version,
          e);
    }
    return missing;
  }

  /**
   * Insists that the version can be read in full: it is in the log and none of its data files
   * were vacuumed (data error, exit 4, naming the table, the version and a missing file).
   */
  public void requireReadable(TableId table, long version) {
    requireVersion(table, version, "version");
    List<String> missing = missingFiles(table, version);
    if (!missing.isEmpty()) {
      int total = files(table, version).size();
      throw LakehouseException.data(TimeTravelMessages.versionFilesRemoved(table, version,
          missing.size(), total, new Path(URI.create(missing.get(0))).getName()));
    }
  }

  /**
   * When the version was committed (the in-commit timestamp where the table records them, else
   * the commit file's time), or null when the log no longer has it.
   */
  public Timestamp commitTimestamp(TableId table, long version) {
    return commitTimestamps(table).get(version);
  }

  /** Every version the log still has, with its commit time (one read of the history). */
  public Map<Long, Timestamp> commitTimestamps(TableId table) {
    Map<Long, Timestamp> result = new HashMap<>();
    for (Row row : DeltaTable.forPath(spark, catalog.location(table)).history()
        .select("version", "timestamp").collectAsList()) {
      result.put(row.getLong(0), row.getTimestamp(1));
    }
    return result;
  }

  /** The table's current properties. */
  public Map<String, String> properties(TableId table) {
    Row detail = DeltaTable.forPath(spark, catalog.location(table)).detail().first();
    scala.collection.Map<String, String> properties = detail.getMap(detail.fieldIndex("properties"));
    return JavaConverters.mapAsJavaMap(properties);
  }
}
