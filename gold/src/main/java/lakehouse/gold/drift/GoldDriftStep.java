package lakehouse.gold.drift;

import java.io.PrintStream;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.UUID;
import lakehouse.common.LakehouseRuntime;
import lakehouse.common.ops.StepLog;
import lakehouse.gold.declarations.FeatureSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

/**
 * What {@code run gold} does about profiles and drift, around its write:
 *
 * <ul>
 *   <li>with the gate off and {@code profile = true}: after the commit, each computed day of {@code
 *       gold.<set>} at the version written is profiled (all the run's days in one grouped
 *       aggregation over their partitions) into the profiles table;
 *   <li>with {@code gate = true}: the computed rows are cached, each day profiled from the cache
 *       before anything is written, and the newest day compared with its reference window (the
 *       {@code reference-days} days before it, this run's profiles included). An error-severity
 *       breach records the comparison in the drift table and stops the run with exit 3: nothing is
 *       written to {@code gold.<set>} or the registry. Without a reference profile yet (the first
 *       days) the gate says so on stderr and lets the run publish.
 * </ul>
 */
public final class GoldDriftStep {
  private final LakehouseRuntime runtime;
  private final FeatureSet set;
  private final DriftSpec spec;
  private final ProfileStore store;
  private Dataset<Row> cached;
  private List<FeatureProfile> profiles;
  private StepLog steps;

  public GoldDriftStep(LakehouseRuntime runtime, FeatureSet set, DriftSpec spec) {
    this.runtime = runtime;
    this.set = set;
    this.spec = spec;
    this.store =
        new ProfileStore(runtime.spark(), runtime.catalog(), spec.profileTable(set.name()));
  }

  /** Reads and validates the set's drift settings (exit 2 on a bad key), before any data. */
  public static GoldDriftStep of(
      LakehouseRuntime runtime, FeatureSet set, java.nio.file.Path featuresDir) {
    return new GoldDriftStep(
        runtime, set, DriftSpec.forFeatureSet(runtime.settings(), featuresDir, set.name()));
  }

  public DriftSpec spec() {
    return spec;
  }

  /** Says each day profiled in {@code steps} (the gold run's progress lines). */
  public GoldDriftStep steps(StepLog steps) {
    this.steps = steps;
    return this;
  }

  /**
   * Before the write: with the gate on, caches and profiles the rows and checks the newest day.
   * Returns the rows to write (the cached ones when cached).
   */
  public Dataset<Row> beforeWrite(Dataset<Row> rows, TreeSet<LocalDate> days, PrintStream err) {
    if (!spec.gate()) {
      return rows;
    }
    cached = rows.persist(StorageLevel.MEMORY_AND_DISK());
    profiles =
        FeatureSetDrift.profileDays(
            spec, set.name(), cached, FeatureSetDrift.features(set, cached), days, null, steps);
    LocalDate day = days.last();
    FeatureSetDrift.Window window = FeatureSetDrift.Window.parse(null, day, spec.referenceDays());
    List<FeatureProfile> reference = new ArrayList<>();
    for (FeatureProfile p : store.readDays(set.name(), window.from(), window.to())) {
      if (!days.contains(p.day())) {
        reference.add(p);
      }
    }
    profiles.stream()
        .filter(p -> !p.day().isBefore(window.from()) && !p.day().isAfter(window.to()))
        .forEach(reference::add);
    if (reference.isEmpty()) {
      err.println(
          "warning: drift gate: no profile of "
              + set.name()
              + " for "
              + window
              + " to compare "
              + day
              + " with; publishing without a drift check");
      return cached;
    }
    List<FeatureProfile> current = profiles.stream().filter(p -> p.day().equals(day)).toList();
    java.util.Map<String, FeatureProfile> cur = new java.util.LinkedHashMap<>();
    current.forEach(p -> cur.put(p.feature(), p));
    DriftComparison comparison =
        new DriftComparison(
            FeatureProfile.FEATURE_SET,
            set.name(),
            day.toString(),
            day,
            window.toString(),
            DriftCheck.compare(ProfileStore.mergeByFeature(reference), cur, spec));
    List<DriftResult> errors = comparison.errors();
    if (!errors.isEmpty()) {
      new DriftStore(runtime.spark(), runtime.catalog(), spec.driftTable(set.name()))
          .append(UUID.randomUUID().toString(), Instant.now(), comparison);
      release();
      throw DriftErrors.gateFailed(set.name(), day.toString(), window.toString(), errors, null);
    }
    for (DriftResult r : comparison.flagged()) {
      err.println(
          "WARN drift "
              + set.name()
              + "."
              + r.feature()
              + " "
              + day
              + " against "
              + window
              + ": "
              + r.direction()
              + "; "
              + String.join(", ", r.breaches()));
    }
    return cached;
  }

  /**
   * After the commit: stores the day profiles (computing them from the table when needed). The
   * snapshots are published by then, so a failure here is a warning, not a failed run: {@code
   * features drift} profiles the days that have no profile when it needs them.
   *
   * @return whether profiles were written
   */
  public boolean afterWrite(TreeSet<LocalDate> days, long goldVersion, PrintStream err) {
    try {
      if (profiles == null) {
        if (!spec.profile()) {
          return false;
        }
        Dataset<Row> rows = runtime.catalog().readVersion(set.table(), goldVersion);
        profiles =
            FeatureSetDrift.profileDays(
                spec,
                set.name(),
                rows,
                FeatureSetDrift.features(set, rows),
                days,
                goldVersion,
                steps);
      }
      if (steps != null) {
        steps.working("writing the profiles to " + spec.profileTable(set.name()));
      }
      List<FeatureProfile> versioned =
          profiles.stream().map(p -> p.withSourceVersion(goldVersion)).toList();
      store.writeDays(set.name(), days, versioned, Instant.now());
      return true;
    } catch (RuntimeException e) {
      err.println(
          "warning: profiling "
              + set.name()
              + " "
              + days.first()
              + ".."
              + days.last()
              + " failed (the snapshots are published; features drift profiles them when needed): "
              + e.getMessage());
      return false;
    } finally {
      release();
    }
  }

  /** Drops the cache, if any. */
  public void release() {
    if (cached != null) {
      cached.unpersist();
      cached = null;
    }
  }
}
