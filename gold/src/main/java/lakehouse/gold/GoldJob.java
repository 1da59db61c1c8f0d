package lakehouse.gold;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import lakehouse.common.CommonErrors;
import lakehouse.common.LakehouseRuntime;
import lakehouse.common.catalog.LakeCatalog;
import lakehouse.common.catalog.TableId;
import lakehouse.common.ops.RunHistory;
import lakehouse.common.ops.RunStats;
import lakehouse.common.ops.StepLog;
import lakehouse.gold.compute.FeatureComputer;
import lakehouse.gold.declarations.FeatureSet;
import lakehouse.gold.declarations.FeatureSetLoader;
import lakehouse.gold.declarations.SchemaCheck;
import lakehouse.gold.declarations.SourceSpec;
import lakehouse.gold.drift.GoldDriftStep;
import lakehouse.gold.ops.GoldWatermark;
import lakehouse.gold.registry.FeatureRegistry;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Computes a feature set's daily snapshots into {@code gold.<set>}: validates the declaration
 * against the sources, pins every source at its current Delta version, computes the requested days
 * (and, with {@code changed}, the days whose source data changed since the watermark), replaces
 * those days in one commit and updates the feature registry. It reports the source versions read,
 * the feature table's version written and the run's {@link GoldWatermark} facts in {@link
 * LakehouseRuntime#stats()}, which the job runner ({@code lakehouse.common.ops.JobRun}) records in
 * the run history and the lineage events. Reruns are idempotent: a day's rows are replaced, never
 * duplicated.
 */
public final class GoldJob {
  /**
   * What to compute.
   *
   * @param featureSet the set's name ({@code conf/features/<name>.conf})
   * @param from first day (inclusive), or null with {@code to} null for none
   * @param to last day (inclusive)
   * @param changed also recompute the computed days whose source data changed since the last
   *     watermark (late data)
   */
  public record Request(String featureSet, LocalDate from, LocalDate to, boolean changed) {
    /** The days {@code from .. to} of a feature set. */
    public static Request days(String featureSet, LocalDate from, LocalDate to) {
      return new Request(featureSet, from, to, false);
    }

    /** The days whose source data changed since the last watermark. */
    public static Request changed(String featureSet) {
      return new Request(featureSet, null, null, true);
    }
  }

  private GoldJob() {}

  /**
   * Runs a request; the clock (the system's, UTC) only stamps the run log and registry, never the
   * features.
   */
  public static GoldReport run(LakehouseRuntime runtime, Request request) {
    try (StepLog steps = StepLog.start("gold " + request.featureSet())) {
      return run(runtime, request, Clock.systemUTC(), steps);
    }
  }

  private static GoldReport run(
      LakehouseRuntime runtime, Request request, Clock clock, StepLog steps) {
    Instant started = clock.instant();
    String runId =
        runtime.stats().runId() != null ? runtime.stats().runId() : UUID.randomUUID().toString();
    GoldSettings settings = GoldSettings.from(runtime.settings());
    checkRange(request, settings);
    FeatureSet set =
        new FeatureSetLoader(settings.featuresDir(), settings).load(request.featureSet());
    // Drift settings are validated with the declaration, before any data is read.
    GoldDriftStep drift = GoldDriftStep.of(runtime, set, settings.featuresDir()).steps(steps);
    steps.step(
        "feature set loaded ("
            + count(set.features().size(), "feature")
            + ", "
            + count(set.sources().size(), "source")
            + ")");
    LakeCatalog catalog = runtime.catalog();
    // What the run history and the lineage events show (recorded by the job runner, failures too):
    // the silver tables at their pinned versions in, the feature table's new version out.
    RunStats stats = runtime.stats().addTarget(set.table().toString());

    Map<String, Long> versions = new LinkedHashMap<>();
    Map<String, Dataset<Row>> sources = new LinkedHashMap<>();
    Map<String, StructType> schemas = new LinkedHashMap<>();
    for (SourceSpec source : set.sources().values()) {
      TableId table = source.table();
      if (!catalog.exists(table)) {
        throw GoldErrors.missingSourceTable(set.name(), source.name(), table.toString());
      }
      long version = versions.computeIfAbsent(table.toString(), t -> catalog.currentVersion(table));
      stats.versionRead(table, version);
      Dataset<Row> rows = catalog.readVersion(table, version);
      sources.put(source.name(), rows);
      schemas.put(source.name(), rows.schema());
    }
    steps.step(
        "sources pinned: "
            + String.join(
                ", ",
                versions.entrySet().stream()
                    .map(e -> e.getKey() + " version " + e.getValue())
                    .toList()));
    SchemaCheck.check(runtime.spark(), set, schemas);
    steps.step("declaration checked against the sources");

    Map<String, Long> watermark =
        GoldWatermark.find(new RunHistory(runtime.spark(), catalog), set.table());
    TreeSet<LocalDate> days = new TreeSet<>();
    if (request.from() != null) {
      for (LocalDate d = request.from(); !d.isAfter(request.to()); d = d.plusDays(1)) {
        days.add(d);
      }
    }
    List<LocalDate> late = new ArrayList<>();
    if (request.changed()) {
      if (watermark == null) {
        throw GoldErrors.noWatermark(set.name(), RunHistory.TABLE.toString());
      }
      steps.working("finding the days whose source data changed since the watermark");
      late.addAll(
          ChangedDays.find(
              runtime.spark(),
              catalog,
              set,
              watermark,
              versions,
              GoldTable.computedDays(runtime.spark(), catalog, set.table())));
      late.removeAll(days);
      days.addAll(late);
      steps.step(late.isEmpty() ? "no changed days found" : "changed days found: " + late);
    }
    boolean advancesWatermark = request.changed() || watermark == null;
    String mode =
        request.changed() ? (request.from() == null ? "changed" : "range+changed") : "range";

    if (!days.isEmpty()) {
      stats.runDate(days.last());
    }
    long rowsWritten = 0;
    Long goldVersion = null;
    try {
      if (days.isEmpty()) {
        steps.step("nothing to compute");
      } else {
        String range =
            days.size() == 1 ? days.first().toString() : days.first() + ".." + days.last();
        int windows = windows(days);
        steps.step(
            count(days.size(), "day")
                + " to compute: "
                + (windows == 1 ? range : days + " in " + windows + " runs of consecutive days"));
        runtime.describe("gold " + set.name(), days.first() + ".." + days.last());
        Dataset<Row> computed = compute(set, sources, days);
        if (drift.spec().gate()) {
          steps.working("computing and profiling " + range + " for the drift gate");
        }
        Dataset<Row> rows = drift.beforeWrite(computed, days, System.err);
        if (drift.spec().gate()) {
          steps.step(
              "drift gate passed: "
                  + range
                  + " profiled, "
                  + days.last()
                  + " compared with its reference window");
        }
        steps.working("computing " + range + " and writing it to " + set.table());
        goldVersion =
            GoldTable.replaceDays(runtime.spark(), catalog, set.table(), set.entity(), rows, days);
        rowsWritten = GoldTable.rowsWrittenByLastCommit(runtime.spark(), catalog, set.table());
        steps.step(
            range
                + " computed and written to "
                + set.table()
                + " (version "
                + goldVersion
                + ", "
                + rowsWritten
                + " rows)");
        stats.addRowsWritten(rowsWritten).versionWritten(set.table(), goldVersion);
        FeatureRegistry registry =
            new FeatureRegistry(runtime.spark(), catalog, settings.registryPrefix());
        steps.working("updating " + registry.table(set.name()));
        registry.record(set, types(rows.schema()), days, clock.instant());
        steps.step("feature registry updated (" + registry.table(set.name()) + ")");
        if (drift.spec().gate() || drift.spec().profile()) {
          steps.working("profiling " + range + " into " + drift.spec().profileTable(set.name()));
        }
        if (drift.afterWrite(days, goldVersion, System.err)) {
          steps.step(
              "profiles of " + range + " written to " + drift.spec().profileTable(set.name()));
        }
      }
    } catch (RuntimeException e) {
      drift.release();
      stats.detail(
          set.table().toString(),
          new GoldWatermark.Run(
                  mode,
                  "failed",
                  request.from(),
                  request.to(),
                  List.copyOf(days),
                  late,
                  null,
                  versions,
                  false)
              .details());
      throw e;
    }
    Instant finished = clock.instant();
    GoldWatermark.Run facts =
        new GoldWatermark.Run(
            mode,
            "ok",
            request.from(),
            request.to(),
            List.copyOf(days),
            late,
            goldVersion,
            versions,
            advancesWatermark);
    stats.detail(set.table().toString(), facts.details());
    return new GoldReport(
        runId,
        set.name(),
        set.table().toString(),
        List.copyOf(days),
        List.copyOf(late),
        rowsWritten,
        goldVersion,
        versions,
        set.features().size(),
        finished.toEpochMilli() - started.toEpochMilli(),
        facts);
  }

  private static String count(int n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }

  /** Runs of consecutive days: each is one computation (see {@link #compute}). */
  static int windows(TreeSet<LocalDate> days) {
    int windows = 0;
    LocalDate previous = null;
    for (LocalDate day : days) {
      if (previous == null || !day.equals(previous.plusDays(1))) {
        windows++;
      }
      previous = day;
    }
    return windows;
  }

  /**
   * The snapshots of the days, one computation per run of consecutive days (a late day far from the
   * others does not drag the days between into the work).
   */
  static Dataset<Row> compute(
      FeatureSet set, Map<String, Dataset<Row>> sources, TreeSet<LocalDate> days) {
    Dataset<Row> result = null;
    LocalDate start = null;
    LocalDate previous = null;
    for (LocalDate day : days) {
      if (start != null && !day.equals(previous.plusDays(1))) {
        Dataset<Row> part = FeatureComputer.compute(set, sources, start, previous);
        result = result == null ? part : result.unionByName(part);
        start = null;
      }
      if (start == null) {
        start = day;
      }
      previous = day;
    }
    Dataset<Row> part = FeatureComputer.compute(set, sources, start, previous);
    return result == null ? part : result.unionByName(part);
  }

  private static void checkRange(Request request, GoldSettings settings) {
    if (request.from() == null && request.to() == null) {
      if (!request.changed()) {
        throw GoldErrors.dateOptions();
      }
      return;
    }
    if (request.from() == null || request.to() == null) {
      throw GoldErrors.fromWithoutTo();
    }
    if (request.from().isAfter(request.to())) {
      throw CommonErrors.reversedRange(request.from(), request.to(), "date");
    }
    long days = ChronoUnit.DAYS.between(request.from(), request.to()) + 1;
    if (days > settings.maxDaysPerRun()) {
      throw GoldErrors.rangeTooLong(days, settings.maxDaysPerRun());
    }
  }

  private static Map<String, String> types(StructType schema) {
    Map<String, String> types = new LinkedHashMap<>();
    for (StructField field : schema.fields()) {
      types.put(field.name(), field.dataType().simpleString());
    }
    return types;
  }
}
