package lakehouse.common.catalog;

import io.delta.tables.DeltaTable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;
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
 * Resolves logical table names to locations under the lake root and registers them in Spark's
 * catalog from the lake's layout: {@code <lakeRoot>/<layer>/<name>} holds the Delta table {@code
 * layer.name}. Because the layout is the source of truth, every process (a CLI call, a job under
 * Airflow, a notebook) sees the same tables without a shared metastore process; with {@code
 * catalog.type = hive} the same registrations go to the configured metastore. Registration is on
 * demand: jobs read and write by location and register the tables they create, {@code sql}
 * registers the tables its statement names ({@link #registerReferenced}), and {@link #registerAll}
 * is for explicit use.
 */
public final class LakeCatalog {
  /**
   * The table property naming the columns that identify a row (comma-separated). The layers set it
   * when they create a table; {@code diff} pairs rows by it.
   */
  public static final String KEY_PROPERTY = "lakehouse.key";

  private static final String WAREHOUSE = "_warehouse";
  private static final String SESSION_CATALOG = "spark_catalog";
  private static final Consumer<String> STDERR =
      warning -> {
        System.err.println(warning);
        System.err.flush();
      };

  /** A Delta commit ({@code 00000000000000000000.json}) or checkpoint file name. */
  private static final Pattern COMMIT_FILE =
      Pattern.compile("\\d{20}\\.(json|checkpoint(\\..+)?\\.parquet)");

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
      throw LakehouseException.usage(
          "unknown table '"
              + id
              + "' (no Delta table at "
              + location(id)
              + "); known tables: "
              + (known.isEmpty() ? "none" : String.join(", ", known)));
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

  /**
   * The rows of the table's latest version, from its Delta log ({@link LogRowCounts}: no Spark job,
   * no data file read); counted by a Spark job only when the log cannot tell (a file written
   * without statistics).
   */
  public long rows(TableId id) {
    TableVersions versions = TableVersions.of(spark, this, id);
    Long fromLog =
        LogRowCounts.rows(versions, spark.sparkContext().hadoopConfiguration(), versions.latest())
            .get(versions.latest());
    return fromLog != null ? fromLog : read(id).count();
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
    spark.sql(
        "CREATE DATABASE IF NOT EXISTS `" + id.layer() + "` LOCATION '" + layerLocation + "'");
    String registered = registeredLocation(id);
    if (registered != null) {
      if (qualify(registered).equals(qualify(location(id)))) {
        return;
      }
      spark.sql("DROP TABLE " + id.sql()); // external table: the files stay
    }
    spark.sql(
        "CREATE TABLE IF NOT EXISTS " + id.sql() + " USING DELTA LOCATION '" + location(id) + "'");
  }

  /**
   * Registers every table found under the lake root: for explicit use (a notebook's {@code
   * refresh()}, {@code SHOW DATABASES}), since runtimes register nothing when they start. A table
   * folder whose {@code _delta_log} holds no commit (a first write that failed) is no table: it is
   * skipped with one line on stderr, and the next run of its job recovers or removes it.
   */
  public List<TableId> registerAll() {
    return registerAll(STDERR);
  }

  /** {@link #registerAll()}, handing each warning (one line) to {@code warnings}. */
  public List<TableId> registerAll(Consumer<String> warnings) {
    List<TableId> tables = discover(warnings);
    tables.forEach(this::register);
    return tables;
  }

  /**
   * Registers exactly the lake tables a SQL statement names, so that it runs without touching the
   * rest of the lake: every {@code layer.name} it reads or writes (in joins, subqueries, CTE
   * bodies, {@code VERSION AS OF} / {@code TIMESTAMP AS OF}, DML and DDL targets, {@code DESCRIBE
   * HISTORY}) that is a Delta table of the lake. {@code SHOW TABLES IN layer} (or any statement
   * about a layer) registers the layer's tables; {@code SHOW DATABASES} every table. Other names
   * (CTE aliases, views, tables that do not exist) and statements that do not parse are left to
   * Spark, which resolves or reports them as usual.
   *
   * @return the tables registered
   */
  public List<TableId> registerReferenced(String statement) {
    StatementNames names = StatementNames.of(spark, statement);
    if (names.namespaces().contains(List.of())) {
      return registerAll();
    }
    Set<TableId> tables = new LinkedHashSet<>();
    List<String> layers =
        names.namespaces().stream()
            .map(LakeCatalog::unqualified)
            .filter(parts -> parts.size() == 1)
            .map(parts -> parts.get(0))
            .toList();
    if (!layers.isEmpty()) {
      discover(STDERR).stream().filter(id -> layers.contains(id.layer())).forEach(tables::add);
    }
    for (List<String> name : names.tables()) {
      List<String> parts = unqualified(name);
      if (parts.size() == 2 && isName(parts.get(0)) && isName(parts.get(1))) {
        TableId id = TableId.of(parts.get(0), parts.get(1));
        if (!tables.contains(id) && exists(id)) {
          tables.add(id);
        }
      }
    }
    tables.forEach(this::register);
    return List.copyOf(tables);
  }

  /** A name without the session catalog's prefix ({@code spark_catalog.silver.orders}). */
  private static List<String> unqualified(List<String> name) {
    return !name.isEmpty() && name.get(0).equals(SESSION_CATALOG)
        ? name.subList(1, name.size())
        : name;
  }

  /** The warning for a table folder without a commit. */
  public static String uncommittedWarning(TableId id, String location) {
    return "warning: skipped "
        + id
        + ": "
        + location
        + " holds no Delta commit (a first write"
        + " that failed); the next run of its job recovers or removes it";
  }

  /** Every Delta table in the lake's layout (with at least one commit), sorted by name. */
  public List<TableId> discover() {
    return scan(true);
  }

  /**
   * {@link #discover()}, handing {@code warnings} one line for each table folder without a commit
   * ({@link #uncommittedWarning}), which is left out.
   */
  public List<TableId> discover(Consumer<String> warnings) {
    for (TableId id : uncommitted()) {
      warnings.accept(uncommittedWarning(id, location(id)));
    }
    return discover();
  }

  /**
   * Table folders with a {@code _delta_log} that holds no commit: what a failed first write can
   * leave. They are not tables; {@link #discover()} leaves them out.
   */
  public List<TableId> uncommitted() {
    return scan(false);
  }

  /**
   * Removes the table's folder if it holds no Delta commit (a first write that failed and left a
   * {@code _delta_log} without a commit, or data files without a log); a table with a commit is
   * never touched.
   *
   * @return whether a folder was removed
   */
  public boolean removeUncommitted(TableId id) {
    try {
      Path table = new Path(location(id));
      FileSystem fs = table.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (!fs.exists(table) || hasCommit(fs, table)) {
        return false;
      }
      return fs.delete(table, true);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot remove the uncommitted table folder " + location(id), e);
    }
  }

  /** Whether a table folder's {@code _delta_log} holds a commit (or a checkpoint). */
  private static boolean hasCommit(FileSystem fs, Path table) throws IOException {
    Path log = new Path(table, "_delta_log");
    if (!fs.exists(log)) {
      return false;
    }
    for (FileStatus file : fs.listStatus(log)) {
      if (file.isFile() && COMMIT_FILE.matcher(file.getPath().getName()).matches()) {
        return true;
      }
    }
    return false;
  }

  private List<TableId> scan(boolean committed) {
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
          if (table.isDirectory()
              && isName(tableName)
              && fs.exists(new Path(table.getPath(), "_delta_log"))
              && hasCommit(fs, table.getPath()) == committed) {
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
          .makeQualified(path)
          .toString();
    } catch (IOException e) {
      return location;
    }
  }

  private static boolean isName(String part) {
    return part.matches("[a-z_][a-z0-9_]*");
  }
}
