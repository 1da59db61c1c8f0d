package lakehouse.training;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import io.delta.tables.DeltaTable;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import lakehouse.common.LakehouseException;
import lakehouse.common.LakehouseRuntime;
import lakehouse.common.catalog.TableId;
import lakehouse.common.ops.RunStats;
import lakehouse.common.ops.StepLog;
import lakehouse.common.ops.TrainingSetGate;
import lakehouse.common.settings.LakePaths;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.storage.StorageLevel;

/**
 * Builds point-in-time training sets: validates the spec and pins versions ({@link
 * TrainingPlanner}), reads the inputs, runs {@link PointInTimeJoin}, writes the rows to a Delta
 * table or path and appends the manifest to {@link TrainingSetManifests#TABLE}. What a build read
 * and wrote (spine and feature tables at their pinned versions; the output and the manifest table
 * at the versions written) goes into {@link LakehouseRuntime#stats()} for the job runner's {@code
 * _ops.runs} row and lineage events. The public Java API behind {@code training-set build} and
 * {@code rebuild}.
 */
public final class TrainingSetBuilder {
  /** Setting: hot-key time bucket width ({@code 0} for one bucket per key). */
  public static final String BUCKET_SETTING = "lakehouse.training.hot-key-bucket";

  /** Setting: keys with at least this many rows are hot ({@code 0}: every key is bucketed). */
  public static final String HOT_ROWS_SETTING = "lakehouse.training.hot-key-rows";

  /** Setting: where rebuilds write when no output is given. */
  public static final String REBUILD_ROOT_SETTING = "lakehouse.training.rebuild-root";

  private static final DateTimeFormatter ID_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private TrainingSetBuilder() {}

  /** Checks the spec against the lake and pins versions without reading any data. */
  public static TrainingPlan plan(
      LakehouseRuntime runtime, TrainingSpec spec, BuildOptions options) {
    return new TrainingPlanner(runtime).plan(spec, options);
  }

  /**
   * What to build.
   *
   * @param spec the spec
   * @param options the build options ({@link BuildOptions#defaults()}, or {@code training-set
   *     build}'s flags)
   * @param spine spine rows the caller gives in place of the spec's spine (see {@link #run}), or
   *     null for the spec's own spine
   * @param spineTable where given spine rows are persisted; null for {@link #defaultSpineTable}
   */
  public record Request(
      TrainingSpec spec, BuildOptions options, Dataset<Row> spine, TableId spineTable) {
    /** A build of the spec's own spine. */
    public Request(TrainingSpec spec, BuildOptions options) {
      this(spec, options, null, null);
    }
  }

  /**
   * Builds, writes and records a training set; returns its manifest, whose {@link
   * TrainingSetManifest#details()} are also in the run record.
   *
   * <p>With spine rows given ({@link Request#spine()}: any Dataset, e.g. a DataFrame from Python,
   * the way Feast takes an entity DataFrame) the build keeps them reproducible: the spec's spine
   * gives the keys, event time and label (its table or path, if any, is replaced); the spec is
   * checked against the rows' schema first (exit 2 before anything is written); then the rows are
   * written as a new version of {@link Request#spineTable()} (a Delta table of the lake,
   * overwritten by each build, commit metadata {@code spine of training set <id>}), and the build
   * reads the spine from that table at that version, exactly like a table spine. The manifest's
   * spec and {@code spine_source}/{@code spine_version} name it, so {@link #rebuild} works from the
   * manifest alone and the vacuum guard keeps the version readable. An existing spine table is
   * overwritten only if it was written as a spine (else exit 2).
   */
  public static TrainingSetManifest run(LakehouseRuntime runtime, Request request) {
    return request.spine() == null
        ? build(runtime, request.spec(), request.options(), (String) null)
        : build(runtime, request.spec(), request.options(), request.spine(), request.spineTable());
  }

  /** The table a given spine of training set {@code name} is persisted to by default. */
  public static TableId defaultSpineTable(String name) {
    return TableId.of("gold", "_spine_" + name);
  }

  /** A build over spine rows the caller gives (see {@link #run}). */
  private static TrainingSetManifest build(
      LakehouseRuntime runtime,
      TrainingSpec spec,
      BuildOptions options,
      Dataset<Row> spine,
      TableId spineTable) {
    java.util.Objects.requireNonNull(spine, "spine");
    TableId table = spineTable != null ? spineTable : defaultSpineTable(spec.name());
    Instant started = startTime();
    String id = newId(spec.name(), started);
    RunStats run = runtime.stats().target(spec.name());
    TrainingSpec given = spec.withSpine(spec.spine().given());
    TrainingPlan checked = new TrainingPlanner(runtime).plan(given, options, spine.schema());
    boolean isInput = checked.features().stream().anyMatch(f -> f.table().equals(table));
    if (isInput || table.equals(checked.outputTable())) {
      throw TrainingErrors.spineTableIsInput(table.toString());
    }
    String location = runtime.catalog().location(table);
    if (runtime.catalog().exists(table) && !lastCommitIsSpine(runtime, location)) {
      throw TrainingErrors.spineTableNotASpine(table.toString());
    }
    runtime.describe("training-set build " + spec.name() + " (spine)", id);
    long version = persistSpine(runtime, spine, table, location, id);
    run.versionWritten(table, version);
    // The rest reads the persisted version, never the given rows again: a DataFrame that is
    // not deterministic (a sample, a source that moves) gives the rows the manifest names.
    TrainingPlan plan =
        new TrainingPlan(
            given.withSpine(given.spine().atTable(table, version)),
            checked.mode(),
            checked.asOf(),
            checked.servingDelay(),
            version,
            runtime.catalog().readVersion(table, version).schema(),
            checked.features(),
            checked.outputTable(),
            checked.outputLocation());
    return execute(runtime, id, started, plan, options, null);
  }

  private static boolean lastCommitIsSpine(LakehouseRuntime runtime, String location) {
    Row last =
        DeltaTable.forPath(runtime.spark(), location).history(1).select("userMetadata").first();
    return !last.isNullAt(0) && last.getString(0).startsWith(TrainingErrors.SPINE_COMMIT);
  }

  /** Writes the given spine rows as a new version of the table; returns that version. */
  private static long persistSpine(
      LakehouseRuntime runtime, Dataset<Row> spine, TableId table, String location, String id) {
    String metadata = TrainingErrors.SPINE_COMMIT + id;
    try {
      spine
          .write()
          .format("delta")
          .mode(SaveMode.Overwrite)
          .option("overwriteSchema", "true")
          .option("userMetadata", metadata)
          .save(location);
    } catch (Exception e) { // AnalysisException is checked, yet thrown undeclared
      if (e instanceof org.apache.spark.sql.AnalysisException) {
        String message = e.getMessage() == null ? e.toString() : e.getMessage();
        throw TrainingErrors.spineNotPersisted(table.toString(), message.split("\n", 2)[0]);
      }
      throw e;
    }
    runtime.catalog().register(table);
    // The version this build wrote, found by its own commit metadata (not "the latest").
    return DeltaTable.forPath(runtime.spark(), location)
        .history(20)
        .where(col("userMetadata").equalTo(metadata))
        .select("version")
        .first()
        .getLong(0);
  }

  private static Instant startTime() {
    // Microseconds: what the manifest table's timestamp column keeps.
    return Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
  }

  private static String newId(String name, Instant started) {
    return name
        + "-"
        + ID_TIME.format(started)
        + "-"
        + UUID.randomUUID().toString().substring(0, 6);
  }

  /**
   * @param expectedHash a rebuild's original hash: on a difference nothing is recorded and a data
   *     error (exit 4) says so
   */
  private static TrainingSetManifest build(
      LakehouseRuntime runtime, TrainingSpec spec, BuildOptions options, String expectedHash) {
    Instant started = startTime();
    String id = newId(spec.name(), started);
    runtime.stats().target(spec.name());
    TrainingPlan plan = plan(runtime, spec, options);
    return execute(runtime, id, started, plan, options, expectedHash);
  }

  /** Reads, joins, writes, hashes and records a validated plan. */
  private static TrainingSetManifest execute(
      LakehouseRuntime runtime,
      String id,
      Instant started,
      TrainingPlan plan,
      BuildOptions options,
      String expectedHash) {
    try (StepLog steps = StepLog.start("training-set " + plan.spec().name())) {
      return execute(runtime, id, started, plan, options, expectedHash, steps);
    }
  }

  private static TrainingSetManifest execute(
      LakehouseRuntime runtime,
      String id,
      Instant started,
      TrainingPlan plan,
      BuildOptions options,
      String expectedHash,
      StepLog steps) {
    TrainingSpec spec = plan.spec();
    RunStats run = runtime.stats();
    reportInputs(run, plan);
    runtime.describe("training-set build " + spec.name(), id);
    TrainingInputs inputs = new TrainingInputs(runtime.spark(), runtime.catalog());
    inputs.requireReadable(plan, options.rebuiltFrom() != null ? options.rebuiltFrom() : id);
    steps.step(
        "inputs pinned and readable: spine "
            + spec.spine().source()
            + (plan.spineVersion() == null ? "" : " version " + plan.spineVersion())
            + ", "
            + plan.featureVersions().entrySet().stream()
                .map(e -> e.getKey() + " version " + e.getValue())
                .collect(java.util.stream.Collectors.joining(", ")));
    steps.working(
        "reading and joining (" + plan.mode().word() + "), writing " + plan.outputLocation());
    Dataset<Row> rows = join(runtime, plan, inputs);
    inputs.warnings().forEach(run::warn);
    // A rebuild reproduces a published build: its gate ran when it was built.
    List<TrainingSetGate> gates =
        spec.driftGate() && options.rebuiltFrom() == null ? gates(spec) : List.of();
    if (!gates.isEmpty()) {
      rows = rows.persist(StorageLevel.MEMORY_AND_DISK());
    }
    try {
      for (TrainingSetGate gate : gates) {
        gate.check(runtime, spec.name(), id, spec.render(), rows, steps);
      }
      rows.write()
          .format("delta")
          .mode(SaveMode.Overwrite)
          .option("overwriteSchema", "true")
          .option("userMetadata", "training set " + id)
          .save(plan.outputLocation());
    } catch (Exception e) { // Spark's SparkException is checked, yet thrown undeclared
      RuntimeException known =
          readFailure(e, plan, options.rebuiltFrom() != null ? options.rebuiltFrom() : id);
      if (known != null) {
        throw known;
      }
      throw e;
    } finally {
      rows.unpersist();
    }
    if (plan.outputTable() != null) {
      runtime.catalog().register(plan.outputTable());
    }
    long outputVersion =
        DeltaTable.forPath(runtime.spark(), plan.outputLocation()).history(1).first().getLong(0);
    steps.step(
        "joined and written to "
            + (plan.outputTable() != null ? plan.outputTable() : plan.outputLocation())
            + " (version "
            + outputVersion
            + ")");
    steps.working("hashing and counting the rows written");
    Dataset<Row> written =
        runtime
            .spark()
            .read()
            .format("delta")
            .option("versionAsOf", outputVersion)
            .load(plan.outputLocation());
    String hash = ContentHash.of(written);
    if (expectedHash != null && !expectedHash.equals(hash)) {
      throw options.recordedRules() == null || options.recordedRules() < TrainingSetManifest.RULES
          ? TrainingErrors.rulesChanged(options.rebuiltFrom(), expectedHash, hash)
          : TrainingErrors.hashMismatch(options.rebuiltFrom(), expectedHash, hash);
    }
    Stats stats = stats(written, plan);
    steps.step("content hash and null rates taken (" + stats.rows() + " rows)");
    run.addRowsWritten(stats.rows());
    if (plan.outputTable() != null) {
      run.versionWritten(plan.outputTable(), outputVersion);
    } else {
      run.pathWritten(qualified(plan.outputLocation()), outputVersion);
    }

    TrainingSetManifest manifest =
        new TrainingSetManifest(
            id,
            spec.name(),
            Timestamp.from(started),
            plan.spec().render(),
            plan.mode().word(),
            plan.asOf(),
            plan.servingDelay() == null ? null : plan.servingDelay().toString(),
            spec.spine().source(),
            plan.spineVersion(),
            plan.featureVersions(),
            plan.outputLocation(),
            stats.rows(),
            hash,
            plan.outputTable() == null ? null : plan.outputTable().toString(),
            outputVersion,
            options.rebuiltFrom(),
            stats.nullRates(),
            stats.labels(),
            TrainingSetManifest.RULES);
    new TrainingSetManifests(runtime.spark(), runtime.catalog()).append(manifest);
    run.versionWritten(
        TrainingSetManifests.TABLE, runtime.catalog().currentVersion(TrainingSetManifests.TABLE));
    steps.step("manifest recorded in " + TrainingSetManifests.TABLE);
    run.detail(spec.name(), manifest.details());
    return manifest;
  }

  /** The gates a spec asking for the drift gate runs; none on the class path is exit 2. */
  private static List<TrainingSetGate> gates(TrainingSpec spec) {
    List<TrainingSetGate> gates = TrainingSetGate.available();
    if (gates.isEmpty()) {
      throw TrainingErrors.noDriftGate(spec.name());
    }
    return gates;
  }

  /**
   * What the job runner records in {@code _ops.runs} and the lineage events: the spine and the
   * feature tables at their pinned versions (a spine file by its path), known before any data is
   * read, so a failed build names them too.
   */
  private static void reportInputs(RunStats run, TrainingPlan plan) {
    TrainingSpec.Spine spine = plan.spec().spine();
    if (spine.isTable()) {
      run.versionRead(spine.table(), plan.spineVersion());
    } else if (spine.isQuery()) {
      spine.versions().forEach(run::versionRead);
    } else {
      run.pathRead(qualified(spine.path()));
    }
    plan.features().forEach(feature -> run.versionRead(feature.table(), feature.version()));
  }

  /** A location as a URI: a bare local path becomes {@code file:///...}. */
  private static String qualified(String location) {
    return location.contains(":") ? location : LakePaths.toFileUri(location);
  }

  /**
   * Rebuilds a recorded training set from its manifest: the stored spec, the same versions and
   * knowledge mode. Fails (exit 4) when a pinned version is gone or the rows differ.
   *
   * @param output where to write, or null for {@code <rebuild-root>/<name>/<original id>}
   */
  public static TrainingSetManifest rebuild(
      LakehouseRuntime runtime, TrainingSetManifest original, String output) {
    TrainingSpec spec =
        TrainingSpec.parseRendered(
            original.spec(), "training set " + original.trainingSetId() + " spec");
    BuildOptions options =
        new BuildOptions(
            null,
            pins(original),
            null,
            original.servingDelay() == null ? null : Duration.parse(original.servingDelay()),
            output != null
                ? output
                : LakePaths.join(rebuildRoot(runtime), spec.name(), original.trainingSetId()),
            original.trainingSetId(),
            KnowledgeMode.parse(original.knowledgeMode()),
            original.asOf(),
            original.rules());
    return build(runtime, spec, options, original.contentHash());
  }

  /**
   * The joined rows of a plan, without writing them (what {@code build} writes). Feature tables
   * joined on the same spine columns are swept together; each further key set is one more sweep
   * over the rows so far (one row per spine row, so every rule holds per sweep). The output is the
   * spine's columns, then each table's features in declared order.
   */
  public static Dataset<Row> join(
      LakehouseRuntime runtime, TrainingPlan plan, TrainingInputs inputs) {
    TrainingSpec.Spine spine = plan.spec().spine();
    Dataset<Row> spineRows = inputs.spine(plan);
    List<FeatureInput> all =
        plan.mode() == KnowledgeMode.KNOWN_AT
            ? inputs.histories(plan, spineRows)
            : inputs.snapshots(plan);
    Map<List<String>, List<FeatureInput>> byKeys = new LinkedHashMap<>();
    for (int i = 0; i < all.size(); i++) {
      byKeys
          .computeIfAbsent(plan.features().get(i).spineKeys(), k -> new ArrayList<>())
          .add(all.get(i));
    }
    Dataset<Row> rows = spineRows;
    for (Map.Entry<List<String>, List<FeatureInput>> group : byKeys.entrySet()) {
      rows =
          plan.mode() == KnowledgeMode.KNOWN_AT
              ? PointInTimeJoin.knownAt(
                  rows, group.getKey(), spine.eventTime(), plan.servingDelay(), group.getValue())
              : PointInTimeJoin.latest(
                  rows,
                  group.getKey(),
                  spine.eventTime(),
                  group.getValue(),
                  bucket(runtime),
                  hotKeyRows(runtime));
    }
    if (byKeys.size() == 1) {
      return rows;
    }
    List<Column> ordered = new ArrayList<>();
    for (String column : spineRows.columns()) {
      ordered.add(col(column));
    }
    plan.featureOutputs().forEach(output -> ordered.add(col(output)));
    return rows.select(ordered.toArray(Column[]::new));
  }

  /**
   * A build whose join met an ambiguous tie, or whose read failed because data files are gone
   * (VACUUM removed files that a known-at build's change feed or a pinned version needs), becomes a
   * data error naming the table; anything else gives null.
   */
  private static RuntimeException readFailure(Exception e, TrainingPlan plan, String id) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      String tie = TrainingErrors.ambiguousTie(t.getMessage());
      if (tie != null) {
        return LakehouseException.data(tie);
      }
    }
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      String text = t.getClass().getName() + " " + t.getMessage();
      if (!text.contains("FileNotFound") && !text.contains("FILE_NOT_FOUND")) {
        continue;
      }
      for (TrainingPlan.Feature feature : plan.features()) {
        if (text.contains(feature.location().replaceFirst("^file:/+", "/"))) {
          return plan.mode() == KnowledgeMode.KNOWN_AT
              ? TrainingErrors.historyGone(feature.table().toString(), feature.version(), id)
              : TrainingErrors.versionGone(feature.table().toString(), feature.version(), id);
        }
      }
    }
    return null;
  }

  static Duration bucket(LakehouseRuntime runtime) {
    var config = runtime.settings().config();
    return config.hasPath(BUCKET_SETTING) ? config.getDuration(BUCKET_SETTING) : Duration.ZERO;
  }

  static long hotKeyRows(LakehouseRuntime runtime) {
    var config = runtime.settings().config();
    return config.hasPath(HOT_ROWS_SETTING) ? config.getLong(HOT_ROWS_SETTING) : 0L;
  }

  private static String rebuildRoot(LakehouseRuntime runtime) {
    var config = runtime.settings().config();
    return config.hasPath(REBUILD_ROOT_SETTING) && !config.getString(REBUILD_ROOT_SETTING).isBlank()
        ? config.getString(REBUILD_ROOT_SETTING)
        : LakePaths.join(runtime.settings().lakeRoot(), "gold", "_training_rebuilds");
  }

  private static Map<TableId, Long> pins(TrainingSetManifest manifest) {
    Map<TableId, Long> pins = new LinkedHashMap<>();
    manifest.featureVersions().forEach((table, version) -> pins.put(TableId.parse(table), version));
    if (manifest.spineVersion() != null) {
      pins.put(TableId.parse(manifest.spineSource()), manifest.spineVersion());
    }
    return pins;
  }

  private record Stats(long rows, Map<String, Double> nullRates, Map<String, Long> labels) {}

  private static Stats stats(Dataset<Row> written, TrainingPlan plan) {
    List<String> outputs = plan.featureOutputs();
    List<Column> aggregates = new ArrayList<>();
    aggregates.add(org.apache.spark.sql.functions.count(lit(1)));
    for (String output : outputs) {
      aggregates.add(avg(when(col("`" + output + "`").isNull(), 1.0).otherwise(0.0)));
    }
    Row totals =
        written
            .agg(aggregates.get(0), aggregates.subList(1, aggregates.size()).toArray(Column[]::new))
            .first();
    long rows = totals.getLong(0);
    Map<String, Double> nullRates = new LinkedHashMap<>();
    for (int i = 0; i < outputs.size(); i++) {
      nullRates.put(outputs.get(i), totals.isNullAt(i + 1) ? 0.0 : totals.getDouble(i + 1));
    }
    Map<String, Long> labels = new LinkedHashMap<>();
    String label = plan.spec().spine().label();
    if (label != null) {
      for (Row row :
          written
              .groupBy(col("`" + label + "`"))
              .count()
              .orderBy(col("`" + label + "`"))
              .collectAsList()) {
        labels.put(String.valueOf(row.get(0)), row.getLong(1));
      }
    }
    return new Stats(rows, nullRates, labels);
  }
}
