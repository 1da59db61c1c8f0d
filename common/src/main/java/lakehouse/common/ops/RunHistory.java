package lakehouse.common.ops;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import lakehouse.common.ExitCode;
import lakehouse.common.LakehouseException;
import lakehouse.common.LakehouseRuntime;
import lakehouse.common.catalog.LakeCatalog;
import lakehouse.common.catalog.TableId;
import lakehouse.common.settings.ConfigReader;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The lake's run history, {@code _ops.runs}: one row per job run of every layer, failed and
 * unfinished runs included, with the layer's own facts per target in {@code details}.
 *
 * <p>Jobs never write the table, so it is no shared write target: a run writes one object of its
 * own, {@code <lake-root>/_ops/_pending_runs/<run id>.json}, when it starts (status {@code
 * running}) and replaces it when it ends ({@code succeeded} or {@code failed}). On S3 each is a
 * single PUT to a key no other job writes. {@link #fold()} moves finished records into the table
 * and is its one writer ({@code lakehouse runs --fold}, the DAGs' last task); it appends only run
 * ids the table does not hold yet and deletes a record after the append, so a fold interrupted at
 * any point loses no run and records none twice. Readers ({@link #read()}) see the table and the
 * records not folded yet, so a run is visible from the moment it starts. A run whose driver died
 * stays {@code running}, and once it has run longer than {@code lakehouse.runs.abandoned-after} it
 * reads as {@code abandoned} and is folded so: visible, never mistaken for a success. Should such a
 * run still end, its final record replaces the abandoned row at the next fold.
 */
public final class RunHistory {
  public static final TableId TABLE = TableId.of("_ops", "runs");

  /** Run ids are file names of their records: letters, digits, {@code . _ -}. */
  public static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,199}");

  public static final String RUNNING = "running";
  public static final String SUCCEEDED = "succeeded";
  public static final String FAILED = "failed";
  public static final String ABANDONED = "abandoned";

  /** How long a run may be running before it reads as abandoned, unless configured. */
  public static final Duration DEFAULT_ABANDONED_AFTER = Duration.ofHours(24);

  public static final StructType SCHEMA =
      new StructType()
          .add("run_id", DataTypes.StringType, false)
          .add("job", DataTypes.StringType, false)
          .add("target", DataTypes.StringType)
          .add("run_date", DataTypes.DateType)
          .add("env", DataTypes.StringType)
          .add("started_at", DataTypes.TimestampType, false)
          .add("finished_at", DataTypes.TimestampType)
          .add("duration_ms", DataTypes.LongType)
          .add("status", DataTypes.StringType, false)
          .add("exit_code", DataTypes.IntegerType)
          .add("rows_read", DataTypes.LongType, false)
          .add("rows_written", DataTypes.LongType, false)
          .add("rows_quarantined", DataTypes.LongType, false)
          .add("rows_rejected", DataTypes.LongType, false)
          .add("spark_app_id", DataTypes.StringType)
          .add("versions_read", DataTypes.createMapType(DataTypes.StringType, DataTypes.LongType))
          .add(
              "versions_written", DataTypes.createMapType(DataTypes.StringType, DataTypes.LongType))
          .add("error", DataTypes.StringType)
          // Added with the pending records: last, so an older table gains it by schema merge.
          .add(
              "details",
              DataTypes.createMapType(
                  DataTypes.StringType,
                  DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType)));

  /** What one {@link #fold()} did. */
  public record Fold(long folded, long alreadyInTable, long stillRunning) {}

  private final SparkSession spark;
  private final LakeCatalog catalog;
  private final Duration abandonedAfter;

  public RunHistory(SparkSession spark, LakeCatalog catalog) {
    this(spark, catalog, DEFAULT_ABANDONED_AFTER);
  }

  public RunHistory(SparkSession spark, LakeCatalog catalog, Duration abandonedAfter) {
    this.spark = spark;
    this.catalog = catalog;
    this.abandonedAfter = abandonedAfter;
  }

  /** The lake's run history with the runtime's {@code lakehouse.runs} settings (exit 2 if bad). */
  public static RunHistory of(LakehouseRuntime runtime) {
    ConfigReader reader =
        new ConfigReader(
            runtime.settings().config(), "configuration (env " + runtime.settings().env() + ")");
    Duration after = reader.duration("lakehouse.runs.abandoned-after");
    if (after != null && (after.isNegative() || after.isZero())) {
      reader.problem("lakehouse.runs.abandoned-after", "must be positive, got " + after);
    }
    reader.throwIfProblems();
    return new RunHistory(
        runtime.spark(), runtime.catalog(), after == null ? DEFAULT_ABANDONED_AFTER : after);
  }

  /** Where the records of runs not folded yet are. */
  public String pendingLocation() {
    return catalog.lakeRoot() + "/" + TABLE.layer() + "/_pending_" + TABLE.name();
  }

  /** A run id the caller chose, checked: usable as a file name and not in the history yet. */
  public String checkNewRunId(String runId) {
    if (!RUN_ID.matcher(runId).matches()) {
      throw new LakehouseException(
          ExitCode.USAGE,
          "--run-id '"
              + runId
              + "' is not a run id: "
              + "use 1 to 200 letters, digits, '.', '_' or '-', starting with a letter or digit");
    }
    boolean known;
    try {
      Path record = recordPath(runId);
      known = fs(record).exists(record);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + pendingLocation(), e);
    }
    if (known
        || (catalog.exists(TABLE)
            && !catalog.read(TABLE).where(functions.col("run_id").equalTo(runId)).isEmpty())) {
      throw new LakehouseException(
          ExitCode.USAGE,
          "--run-id "
              + runId
              + " is already in the run "
              + "history ("
              + TABLE
              + "); every run needs a new one");
    }
    return runId;
  }

  /**
   * Writes the run's record: at its start ({@code finished} and {@code outcome} null, status
   * running), then again at its end. The write replaces the object whole.
   */
  public void write(
      String runId,
      String job,
      String env,
      Instant started,
      Instant finished,
      ExitCode outcome,
      RunStats stats,
      String error) {
    Row row =
        RowFactory.create(
            runId,
            job,
            stats.target(),
            stats.runDate() == null ? null : Date.valueOf(stats.runDate()),
            env,
            Timestamp.from(started),
            finished == null ? null : Timestamp.from(finished),
            finished == null ? null : finished.toEpochMilli() - started.toEpochMilli(),
            outcome == null ? RUNNING : outcome == ExitCode.OK ? SUCCEEDED : FAILED,
            outcome == null ? null : outcome.code(),
            stats.rowsRead(),
            stats.rowsWritten(),
            stats.rowsQuarantined(),
            stats.rowsRejected(),
            spark.sparkContext().applicationId(),
            stats.versionsRead(),
            written(stats),
            error,
            stats.details());
    String json = spark.createDataFrame(List.of(row), SCHEMA).toJSON().first();
    Path target = recordPath(runId);
    Path temporary = new Path(target.getParent(), "." + target.getName() + ".tmp");
    try {
      FileSystem fs = fs(target);
      try (OutputStream out = fs.create(temporary, true)) {
        out.write(json.getBytes(StandardCharsets.UTF_8));
      }
      fs.delete(target, false);
      if (!fs.rename(temporary, target)) {
        throw new IOException("cannot rename " + temporary + " to " + target);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the run record " + target, e);
    }
  }

  /**
   * Every run: the table's rows and the records not folded into it yet, a record running for longer
   * than {@code abandoned-after} as {@code abandoned}.
   */
  public Dataset<Row> read() {
    Dataset<Row> pending = abandonedAsSuch(pending());
    if (!catalog.exists(TABLE)) {
      return pending;
    }
    Dataset<Row> table = catalog.read(TABLE);
    for (var field : SCHEMA.fields()) {
      if (!List.of(table.columns()).contains(field.name())) {
        table = table.withColumn(field.name(), functions.lit(null).cast(field.dataType()));
      }
    }
    table = table.select(columns());
    return table.unionByName(
        pending.join(table.select("run_id"), "run_id", "left_anti").select(columns()));
  }

  /** The runs, newest first, optionally of one target only (a run over several names each). */
  public Dataset<Row> runs(String target) {
    Dataset<Row> runs = read();
    if (target != null) {
      runs =
          runs.where(
              functions.array_contains(functions.split(functions.col("target"), ","), target));
    }
    return runs.orderBy(functions.col("started_at").desc());
  }

  /**
   * Moves the finished records, and those of abandoned runs, into {@code _ops.runs}: the table's
   * one writer. Run ids already in the table (a fold interrupted after its commit) are not added
   * again; records are deleted only after the commit. Records of running runs stay.
   */
  public Fold fold() {
    List<Path> records = recordFiles();
    if (records.isEmpty()) {
      return new Fold(0, 0, 0);
    }
    Dataset<Row> all = abandonedAsSuch(readRecords(records)).cache();
    List<String> finished =
        all.where(functions.col("status").notEqual(RUNNING))
            .select("run_id")
            .as(org.apache.spark.sql.Encoders.STRING())
            .collectAsList();
    long running = records.size() - finished.size();
    if (finished.isEmpty()) {
      all.unpersist();
      return new Fold(0, 0, running);
    }
    Dataset<Row> done =
        all.where(functions.col("run_id").isin(finished.toArray())).select(columns());
    long appended;
    if (!catalog.exists(TABLE)) {
      appended = done.count();
      done.coalesce(1).write().format("delta").save(catalog.location(TABLE));
      catalog.register(TABLE);
    } else {
      appended = done.join(catalog.read(TABLE).select("run_id"), "run_id", "left_anti").count();
      evolveSchema();
      // Inserts what the table lacks; a run folded as abandoned that ended after all takes its
      // final record. Anything else already there (a fold that stopped before its deletes) stays.
      io.delta.tables.DeltaTable.forPath(spark, catalog.location(TABLE))
          .as("t")
          .merge(done.coalesce(1).as("s"), "t.run_id = s.run_id")
          .whenMatched("t.status = '" + ABANDONED + "' AND s.status <> '" + ABANDONED + "'")
          .updateAll()
          .whenNotMatched()
          .insertAll()
          .execute();
    }
    all.unpersist();
    try {
      for (String runId : finished) {
        Path record = recordPath(runId);
        fs(record).delete(record, false);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "folded, but cannot delete the records in "
              + pendingLocation()
              + " (the next fold deletes them)",
          e);
    }
    return new Fold(appended, finished.size() - appended, running);
  }

  /** A running record older than {@code abandoned-after}, as {@code abandoned}. */
  private Dataset<Row> abandonedAsSuch(Dataset<Row> runs) {
    Timestamp cutoff = Timestamp.from(Instant.now().minus(abandonedAfter));
    return runs.withColumn(
        "status",
        functions
            .when(
                functions
                    .col("status")
                    .equalTo(RUNNING)
                    .and(functions.col("started_at").lt(functions.lit(cutoff))),
                ABANDONED)
            .otherwise(functions.col("status")));
  }

  /** Gives a table written by an older version the columns {@link #SCHEMA} added since. */
  private void evolveSchema() {
    List<String> present = List.of(catalog.read(TABLE).columns());
    if (!present.containsAll(List.of(SCHEMA.fieldNames()))) {
      spark
          .createDataFrame(List.of(), SCHEMA)
          .write()
          .format("delta")
          .mode("append")
          .option("mergeSchema", "true")
          .save(catalog.location(TABLE));
    }
  }

  private Dataset<Row> pending() {
    List<Path> records = recordFiles();
    if (records.isEmpty()) {
      return spark.createDataFrame(List.of(), SCHEMA);
    }
    return readRecords(records).select(columns());
  }

  /**
   * The records' rows. A record replaced since the listing is skipped (the job deletes it just
   * before renaming its new version into place); it is read whole or not at all.
   */
  private Dataset<Row> readRecords(List<Path> records) {
    return spark
        .read()
        .schema(SCHEMA)
        .option("ignoreMissingFiles", "true")
        .json(records.stream().map(Path::toString).toArray(String[]::new));
  }

  private List<Path> recordFiles() {
    List<Path> files = new ArrayList<>();
    try {
      Path dir = new Path(pendingLocation());
      FileSystem fs = fs(dir);
      if (!fs.exists(dir)) {
        return files;
      }
      for (FileStatus file : fs.listStatus(dir)) {
        String name = file.getPath().getName();
        if (file.isFile() && name.endsWith(".json") && !name.startsWith(".")) {
          files.add(file.getPath());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + pendingLocation(), e);
    }
    return files;
  }

  private Path recordPath(String runId) {
    return new Path(pendingLocation(), runId + ".json");
  }

  private FileSystem fs(Path path) throws IOException {
    return path.getFileSystem(spark.sparkContext().hadoopConfiguration());
  }

  private static org.apache.spark.sql.Column[] columns() {
    return java.util.Arrays.stream(SCHEMA.fieldNames())
        .map(functions::col)
        .toArray(org.apache.spark.sql.Column[]::new);
  }

  /** Tables written by name, then Delta tables written by path (keyed by their location). */
  private static Map<String, Long> written(RunStats stats) {
    Map<String, Long> written = new LinkedHashMap<>(stats.versionsWritten());
    written.putAll(stats.pathsWritten());
    return written;
  }
}
