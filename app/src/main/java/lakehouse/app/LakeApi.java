package lakehouse.app;

import static org.apache.spark.sql.functions.col;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import java.io.FileNotFoundException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import lakehouse.common.ExitCode;
import lakehouse.common.LakehouseException;
import lakehouse.common.LakehouseRuntime;
import lakehouse.common.catalog.LakeCatalog;
import lakehouse.common.catalog.TableId;
import lakehouse.common.catalog.TableVersions;
import lakehouse.common.ops.JobRun;
import lakehouse.common.ops.RunHistory;
import lakehouse.common.settings.ConfigLoader;
import lakehouse.common.settings.LakehouseSettings;
import lakehouse.common.spark.SparkSessions;
import lakehouse.gold.GoldSettings;
import lakehouse.gold.registry.FeatureRegistry;
import lakehouse.timetravel.TableDiff;
import lakehouse.training.BuildOptions;
import lakehouse.training.ManifestFiles;
import lakehouse.training.TrainingErrors;
import lakehouse.training.TrainingSetBuilder;
import lakehouse.training.TrainingSetCommand;
import lakehouse.training.TrainingSetManifest;
import lakehouse.training.TrainingSetManifests;
import lakehouse.training.TrainingSpec;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The lake opened by a program instead of a command: the Java side of the Python package ({@code
 * python/}, {@code lakehouse.open_lake}), which calls it through py4j the way delta-spark wraps
 * {@code DeltaTable}. It works on the caller's Spark session and never stops it, answers with
 * Datasets and JSON text (a manifest as {@code training-set show --format json} prints it), and
 * fails with the CLI's {@link LakehouseException}s: the Python side maps any failure to its
 * exception with {@code Cli.exitCode} and {@code Cli.message}, the CLI's one mapping. Training-set
 * builds and rebuilds are job runs exactly like the CLI's (run history, lineage events).
 */
public final class LakeApi {
  /** The run history's job names: the CLI's, so {@code runs --table NAME} lists both kinds. */
  static final String BUILD_JOB = "lakehouse training-set build";

  static final String REBUILD_JOB = "lakehouse training-set rebuild";
  private static final String DELTA_EXTENSION = "io.delta.sql.DeltaSparkSessionExtension";
  private static final String DELTA_CATALOG = "org.apache.spark.sql.delta.catalog.DeltaCatalog";
  private static final String TABLE_DEFAULTS = "spark.databricks.delta.properties.defaults.";
  private static final StructType TABLES =
      new StructType()
          .add("name", DataTypes.StringType)
          .add("layer", DataTypes.StringType)
          .add("location", DataTypes.StringType)
          .add("version", DataTypes.LongType);

  private final LakehouseRuntime runtime;
  private final StringWriter warnings = new StringWriter();

  private LakeApi(LakehouseRuntime runtime) {
    this.runtime = runtime;
  }

  /**
   * Loads and checks the settings as every command does (exit 2 on any problem).
   *
   * @param confDir the configuration directory, or null for {@code $LAKEHOUSE_CONF_DIR}, else
   *     {@code ./conf}
   * @param env the environment overlay, or null for {@code $LAKEHOUSE_ENV}, else {@code local}
   * @param overrides {@code KEY=VALUE} settings, as {@code --conf} takes them
   */
  public static LakehouseSettings settings(String confDir, String env, List<String> overrides) {
    Path dir = confDir != null ? Path.of(confDir) : ConfigLoader.defaultConfDir();
    return LakehouseSettings.load(
        dir,
        env != null ? env : ConfigLoader.defaultEnv(),
        overrides == null ? List.of() : overrides);
  }

  /**
   * The Spark configuration a new session for these settings gets ({@code spark.master}, the
   * settings' defaults and what every session must have): what a caller that starts Spark itself
   * (pyspark) passes to its session builder.
   */
  public static Map<String, String> sessionConf(
      String confDir, String env, List<String> overrides) {
    LakehouseSettings settings = settings(confDir, env, overrides);
    Map<String, String> conf = new LinkedHashMap<>();
    conf.put("spark.master", settings.spark().master());
    conf.putAll(SparkSessions.defaults(settings));
    conf.putAll(SparkSessions.required());
    return conf;
  }

  /**
   * Opens the lake on a running session. It registers no table: {@link #sql} and {@link #table}
   * register the tables they name, {@link #refresh} every table (for {@code spark.sql} on the
   * session itself). The session must have Delta Lake's extension and catalog (exit 2 otherwise);
   * its time zone is set to UTC and the lake's table defaults (in-commit timestamps, row tracking,
   * retention) are set for the tables this API creates, as the lake's own sessions have them; the
   * session gets the lake's code-generation limit ({@link SparkSessions#HUGE_METHOD_LIMIT}) unless
   * it has one, and a local session gets what the lake's own local sessions get ({@link
   * SparkSessions#fitLocal}).
   */
  public static LakeApi open(
      SparkSession spark, String confDir, String env, List<String> overrides) {
    LakehouseSettings settings = settings(confDir, env, overrides);
    String extensions = spark.conf().get("spark.sql.extensions", "");
    String catalog = spark.conf().get("spark.sql.catalog.spark_catalog", "");
    if (!extensions.contains(DELTA_EXTENSION) || !catalog.equals(DELTA_CATALOG)) {
      throw LakehouseException.usage(
          "the Spark session is not set up for Delta Lake: start it "
              + "with spark.sql.extensions="
              + DELTA_EXTENSION
              + " and spark.sql.catalog.spark_catalog="
              + DELTA_CATALOG
              + " (open_lake() without a session starts one that has them)");
    }
    SparkSessions.required()
        .forEach(
            (key, value) -> {
              if (!key.equals("spark.sql.extensions") && !key.startsWith("spark.sql.catalog.")) {
                spark.conf().set(key, value);
              }
            });
    SparkSessions.defaults(settings)
        .forEach(
            (key, value) -> {
              if (key.startsWith(TABLE_DEFAULTS)
                  || (key.equals(SparkSessions.HUGE_METHOD_LIMIT) && !spark.conf().contains(key))) {
                spark.conf().set(key, value);
              }
            });
    SparkSessions.fitLocal(spark);
    return new LakeApi(LakehouseRuntime.attach(settings, spark));
  }

  public SparkSession spark() {
    return runtime.spark();
  }

  public String lakeRoot() {
    return runtime.settings().lakeRoot();
  }

  public String env() {
    return runtime.settings().env();
  }

  public String confDir() {
    return runtime.settings().confDir().toString();
  }

  /**
   * Registers every table of the lake in the session's catalog, so that {@code spark.sql} on the
   * session itself sees them all (tables other processes created since included); returns every
   * table's name.
   */
  public List<String> refresh() {
    return names(runtime.catalog().registerAll(this::warn));
  }

  /**
   * Runs a Spark SQL statement as the {@code sql} command does: the lake tables it names are
   * registered first (only those), and Spark's analysis errors are exit 2.
   */
  public Dataset<Row> sql(String statement) {
    return SqlCommand.sql(runtime, statement);
  }

  /** The table as Spark's catalog reads it, registering it first (exit 2 if it is no table). */
  public Dataset<Row> table(String name) {
    TableId id = runtime.catalog().require(name);
    runtime.catalog().register(id);
    return runtime.spark().table(id.sql());
  }

  /** Every table's logical name, sorted. */
  public List<String> tableNames() {
    return names(runtime.catalog().discover());
  }

  /**
   * One row per table: name, layer, location, current version, and with {@code withRows} the row
   * count (a Spark job per table, as the {@code tables} command does).
   */
  public Dataset<Row> tables(boolean withRows) {
    if (withRows) {
      return TablesCommand.describe(runtime, new PrintWriter(warnings, true));
    }
    LakeCatalog catalog = runtime.catalog();
    List<Row> rows = new ArrayList<>();
    for (TableId id : catalog.discover(this::warn)) {
      rows.add(
          RowFactory.create(
              id.toString(), id.layer(), catalog.location(id), catalog.currentVersion(id)));
    }
    return runtime.spark().createDataFrame(rows, TABLES);
  }

  /**
   * The feature registry as the {@code features} command lists it: current definitions, or with
   * {@code allVersions} superseded and retired ones too; one feature set or all (null).
   */
  public Dataset<Row> features(String featureSet, boolean allVersions) {
    FeatureRegistry registry =
        new FeatureRegistry(
            runtime.spark(),
            runtime.catalog(),
            GoldSettings.from(runtime.settings()).registryPrefix());
    if (!registry.exists()) {
      throw LakehouseException.usage(
          "the feature registry "
              + registry.describe()
              + " does not exist yet: run gold first (run gold --feature-set NAME --date D)");
    }
    Dataset<Row> rows = registry.read();
    if (featureSet != null) {
      rows = rows.filter(col("feature_set").equalTo(featureSet));
    }
    if (!allVersions) {
      rows = rows.filter(col("is_current"));
    }
    return rows.orderBy("feature_set", "feature", "version");
  }

  /**
   * The latest version of the table committed at or before the timestamp (its in-commit timestamps,
   * as {@code --as-of} resolves them).
   */
  public long versionAt(String table, String timestamp) {
    TableId id = runtime.catalog().require(table);
    return TableVersions.of(runtime.spark(), runtime.catalog(), id)
        .atOrBefore(TrainingSetCommand.parseInstant("timestamp", timestamp));
  }

  /**
   * The table now, at a version, or at the version a timestamp resolves to (not both). A version
   * the table never had is exit 2; one log clean-up removed is exit 4. Whether VACUUM removed a
   * version's data files shows when the rows are read, as with Spark's own time travel.
   */
  public Dataset<Row> read(String table, Long version, String timestamp) {
    TableId id = runtime.catalog().require(table);
    if (version != null && timestamp != null) {
      throw LakehouseException.usage(
          "read " + table + ": give a version or a timestamp, " + "not both");
    }
    if (version == null && timestamp == null) {
      return runtime.catalog().read(id);
    }
    TableVersions versions = TableVersions.of(runtime.spark(), runtime.catalog(), id);
    long resolved =
        version != null
            ? version
            : versions.atOrBefore(TrainingSetCommand.parseInstant("timestamp", timestamp));
    versions.requireVersion(resolved, "version");
    return runtime.catalog().readVersion(id, resolved);
  }

  /** The table's newest {@code limit} versions, newest first, as {@code history} shows them. */
  public Dataset<Row> history(String table, int limit) {
    return HistoryCommand.history(runtime, table, limit);
  }

  /**
   * The rows added, removed and changed between two versions, as {@code diff} finds them.
   *
   * @param key comma-separated key columns, {@code ""} for whole rows, null for the table's
   *     declared key
   * @param snapshots compare the snapshots even where the change data feed covers the range
   */
  public TableDiff.Result diff(String table, long from, long to, String key, boolean snapshots) {
    TableId id = runtime.catalog().require(table);
    return new TableDiff(runtime.spark(), runtime.catalog())
        .diff(id, from, to, key == null ? null : TableDiff.parseKey(key), !snapshots);
  }

  /** How many rows a diff added, removed and changed; a vacuumed version is exit 4. */
  public Map<String, Long> diffSummary(TableDiff.Result result) {
    try {
      return TableDiff.summary(result.rows());
    } catch (RuntimeException e) {
      if (causedByMissingFile(e)) {
        TableVersions versions =
            TableVersions.of(runtime.spark(), runtime.catalog(), result.table());
        versions.requireReadable(result.from(), null);
        versions.requireReadable(result.to(), null);
      }
      throw e;
    }
  }

  /**
   * Builds a training set and records it (a job run in the run history, like {@code training-set
   * build}); returns its manifest as JSON.
   *
   * @param spec a spec name in {@code <conf-dir>/training/} or a file, when {@code specJson} is
   *     null
   * @param specJson the spec as JSON text (HOCON keys), or null; it must have a {@code name}
   * @param spineJson keys of the spec's {@code spine} block to override (JSON), or null
   * @param spine the spine rows (any Dataset), or null for the spec's spine table or file; given
   *     rows are persisted to {@code spineTable} (null: {@code gold._spine_<name>}) so that the
   *     build can be rebuilt from its manifest
   * @param versions {@code TABLE=V} pins, as {@code --version} takes them
   * @param servingDelay a duration such as {@code 15m}, only with {@code knownAt}
   * @param output a table or path, or null for the spec's
   * @param runId the run's id in the history, or null for a new one
   */
  public String buildTrainingSet(
      String spec,
      String specJson,
      String spineJson,
      Dataset<Row> spine,
      String spineTable,
      String asOf,
      List<String> versions,
      boolean knownAt,
      String servingDelay,
      String output,
      String runId) {
    TrainingSpec parsed = spec(spec, specJson, spineJson, spine != null);
    BuildOptions options =
        TrainingSetCommand.options(asOf, versions, knownAt, servingDelay, output);
    TableId spineId = spineTable == null ? null : TableId.parse(spineTable);
    TrainingSetManifest[] built = new TrainingSetManifest[1];
    job(
        BUILD_JOB,
        runId,
        parsed.name(),
        rt -> {
          built[0] =
              TrainingSetBuilder.run(
                  rt, new TrainingSetBuilder.Request(parsed, options, spine, spineId));
          return ExitCode.OK;
        });
    return ManifestFiles.toJson(built[0]);
  }

  /**
   * Rebuilds a recorded training set (a job run, like {@code training-set rebuild}): the same rows
   * and hash, or exit 4. Returns the rebuild's manifest as JSON.
   *
   * @param idOrFile a training set id (or unique prefix) or a manifest file, when {@code
   *     manifestJson} is null
   * @param manifestJson a manifest as {@link ManifestFiles#toJson} wrote it, or null
   * @param output where to write, or null for {@code <rebuild-root>/<name>/<id>}
   */
  public String rebuildTrainingSet(
      String idOrFile, String manifestJson, String output, String runId) {
    TrainingSetManifest[] rebuilt = new TrainingSetManifest[1];
    job(
        REBUILD_JOB,
        runId,
        null,
        rt -> {
          TrainingSetManifest original =
              manifestJson != null
                  ? ManifestFiles.parse(manifestJson, "the manifest given")
                  : Files.isRegularFile(Path.of(idOrFile))
                      ? ManifestFiles.read(Path.of(idOrFile))
                      : manifests().find(idOrFile);
          rebuilt[0] = TrainingSetBuilder.rebuild(rt, original, output);
          return ExitCode.OK;
        });
    return ManifestFiles.toJson(rebuilt[0]);
  }

  /** The recorded builds (every column of {@code gold._training_sets}), newest first. */
  public Dataset<Row> trainingSets(String name) {
    Dataset<Row> rows = manifests().table();
    return name == null ? rows : rows.where(col("name").equalTo(name));
  }

  /** One recorded build's manifest as JSON (id or unique prefix of six characters or more). */
  public String manifest(String id) {
    return ManifestFiles.toJson(manifests().find(id));
  }

  /** One recorded build explained, as {@code training-set show ID} prints it. */
  public String describeTrainingSet(String id) {
    return TrainingSetCommand.describe(manifests().find(id));
  }

  /**
   * The rows a build wrote: its output at the version it wrote (later builds overwrite the same
   * table), given its id or its manifest as JSON.
   */
  public Dataset<Row> readTrainingSet(String id, String manifestJson) {
    TrainingSetManifest m =
        manifestJson != null
            ? ManifestFiles.parse(manifestJson, "the manifest given")
            : manifests().find(id);
    var reader = runtime.spark().read().format("delta");
    if (m.outputVersion() != null) {
      reader = reader.option("versionAsOf", m.outputVersion());
    }
    return reader.load(m.outputLocation());
  }

  /**
   * What the last calls warned about (a run record or lineage event that could not be written: the
   * run itself went on; a table folder without a commit, left out), one line each; cleared by the
   * call.
   */
  public String takeWarnings() {
    String text = warnings.toString();
    warnings.getBuffer().setLength(0);
    return text;
  }

  private void warn(String line) {
    warnings.append(line).append(System.lineSeparator());
  }

  private TrainingSetManifests manifests() {
    return new TrainingSetManifests(runtime.spark(), runtime.catalog());
  }

  private void job(
      String job, String runId, String target, Function<LakehouseRuntime, ExitCode> work) {
    String id =
        runId == null
            ? JobRun.newRunId()
            : new RunHistory(runtime.spark(), runtime.catalog()).checkNewRunId(runId);
    JobRun.run(runtime, job, id, target, new PrintWriter(warnings, true), work);
  }

  /** A spec from a name or file, or from JSON text; the spine block's overrides merged in. */
  private TrainingSpec spec(String spec, String specJson, String spineJson, boolean spineGiven) {
    Config config;
    String where;
    String defaultName;
    if (specJson != null) {
      where = "the spec given as a dict";
      config = parse(specJson, where);
      defaultName = null;
    } else {
      if (spec == null) {
        throw LakehouseException.usage("give a spec: a name in conf/training/, a file or a dict");
      }
      Path file = TrainingSetCommand.specFile(runtime.settings(), spec);
      if (!Files.isRegularFile(file)) {
        throw TrainingErrors.specNotFound(file.toString());
      }
      where = file.toString();
      config = ConfigLoader.parse(file);
      defaultName = file.getFileName().toString().replaceFirst("\\.conf$", "");
    }
    if (spineJson != null) {
      config = parse(spineJson, "the spine options").atKey("spine").withFallback(config);
    }
    try {
      config = config.resolve();
    } catch (ConfigException e) {
      throw LakehouseException.usage(where + ": " + e.getMessage());
    }
    return TrainingSpec.from(config, where, defaultName, spineGiven);
  }

  private static Config parse(String json, String where) {
    try {
      return ConfigFactory.parseString(json);
    } catch (ConfigException e) {
      throw LakehouseException.usage(where + ": " + e.getMessage());
    }
  }

  private static List<String> names(List<TableId> ids) {
    return ids.stream().map(TableId::toString).sorted().toList();
  }

  private static boolean causedByMissingFile(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof FileNotFoundException
          || t.getClass().getSimpleName().equals("SparkFileNotFoundException")) {
        return true;
      }
    }
    return false;
  }
}
