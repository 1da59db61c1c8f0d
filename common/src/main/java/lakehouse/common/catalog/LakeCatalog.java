package lakehouse.common.catalog;

import io.delta.tables.DeltaTable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import lakehouse.common.LakehouseException;
import lakehouse.common.settings.LakePaths;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.TableIdentifier;
import org.apache.spark.sql.catalyst.catalog.CatalogTable;
import scala.Option;

/**
 * Resolves logical table names to locations under the lake root and keeps Spark's catalog in step
 * with the lake's layout: {@code <lakeRoot>/<layer>/<name>} holds the Delta table {@code
 * layer.name}. Because the layout is the source of truth, every process (a CLI call, a job under
 * Airflow, a notebook) sees the same tables without a shared metastore process; with
 * {@code catalog.type = hive} the same registrations go to the configured metastore.
 */
public final class LakeCatalog {
  /**
   * The table property naming the columns that identify a row (comma-separated). The layers set
   * it when they create a table; {@code diff} pairs rows by it.
   */
  public static final String KEY_PROPERTY = "lakehouse.key";
  private static final String WAREHOUSE = "_warehouse";
  private final SparkSession spark;
  private final String lakeRoot;

  public LakeCatalog(SparkSession spark, String lakeRoot) {
    this.spark = spark;
    this.lakeRoot = lakeRoot;
  }

  /** The {@code TBLPROPERTIES} entry declaring a table's key, for a {@code CREATE TABLE}. */
  public static String keyProperty(List<String> columns) {
    return "'" + KEY_PROPERTY + "' = '" + String.join(",", columns) + "'";
  }

  public String lakeRoot() {
    return lakeRoot;
  }

  /** Where the table's files live. */
  public String location(TableId id) {
    return LakePaths.join(lakeRoot, id.layer(), id.name());
  }

  /** Whether a Delta table exists at the table's location. */
  public boolean exists(TableId id) {
    return DeltaTable.isDeltaTable(spark, location(id));
  }

  /** Parses a name and insists that the table exists, naming the known tables otherwise. */
  public TableId require(String logicalName) {
    TableId id = TableId.parse(logicalName);
    if (!exists(id)) {
      List<String> known = discover().stream().map(TableId::toString).toList();
      throw LakehouseException.usage("unknown table '" + id + "' (no Delta table at "
          + location(id) + "); known tables: " + (known.isEmpty() ? "none" : String.join(", ", known)));
    }
    return id;
  }

  /** The table as Spark reads it now. */
  public Dataset<Row> read(TableId id) {
    return spark.read().format("delta").load(location(id));
  }

  /** The table as it was at a Delta version. */
  public Dataset<Row> readVersion(TableId id, long version) {
    return spark.read().format("delta").option("versionAsOf", version).load(location(id));
  }

  /** The latest committed version of an existing table. */
  public long currentVersion(TableId id) {
    return DeltaTable.forPath(spark, location(id)).history(1).first().getAs("version");
  }

  /**
   * Registers the table (and its layer's database) in Spark's catalog so that plain SQL such as
   * {@code SELECT * FROM silver.orders VERSION AS OF 3} works. Idempotent; a registration that
   * points elsewhere (another lake root in the same session) is replaced.
   */
  public void register(TableId id) {
    String layerLocation = LakePaths.join(lakeRoot, id.layer());
    spark.sql("CREATE DATABASE IF NOT EXISTS `" + id.layer() + "` LOCATION '"
        + layerLocation + "'");
    String registered = registeredLocation(id);
    if (registered != null) {
      if (qualify(registered).equals(qualify(location(id)))) {
        return;
      }
      spark.sql("DROP TABLE " + id.sql()); // external table: the files stay
    }
    spark.sql("CREATE TABLE IF NOT EXISTS " + id.sql() + " USING DELTA LOCATION '"
        + location(id) + "'");
  }

  /** Registers every table found under the lake root. */
  public List<TableId> registerAll() {
    List<TableId> tables = discover();
    tables.forEach(this::register);
    return tables;
  }

  /** Every Delta table in the lake's layout, sorted by name. */
  public List<TableId> discover() {
    List<TableId> tables = new ArrayList<>();
    try {
      Path root = new Path(lakeRoot);
      FileSystem fs = root.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (!fs.exists(root)) {
        return tables;
      }
      for (FileStatus layer : fs.listStatus(root)) {
        String layerName = layer.getPath().getName();
        if (!layer.isDirectory() || layerName.equals(WAREHOUSE) || !isName(layerName)) {
          continue;
        }
        for (FileStatus table : fs.listStatus(layer.getPath())) {
          String tableName = table.getPath().getName();
          if (table.isDirectory() && isName(tableName)
              && fs.exists(new Path(table.getPath(), "_delta_log"))) {
            tables.add(TableId.of(layerName, tableName));
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the lake at " + lakeRoot, e);
    }
    tables.sort(Comparator.comparing(TableId::toString));
    return tables;
  }

  private String registeredLocation(TableId id) {
    var sessionCatalog = spark.sessionState().catalog();
    TableIdentifier identifier = new TableIdentifier(id.name(), Option.apply(id.layer()));
    if (!sessionCatalog.tableExists(identifier)) {
      return null;
    }
    try {
      CatalogTable existing = sessionCatalog.getTableMetadata(identifier);
      return existing.location().toString();
    } catch (Exception e) { // NoSuchTable/NoSuchDatabase: dropped meanwhile
      return null;
    }
  }

  private String qualify(String location) {
    try {
      Path path = new Path(location);
      return path.getFileSystem(spark.sparkContext().hadoopConfiguration())
          .makeQualified(path).toString();
    } catch (IOException e) {
      return location;
    }
  }

  private static boolean isName(String part) {
    return part.matches("[a-z_][a-z0-9_]*");
  }
}
