package lakehouse.timetravel;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import lakehouse.common.catalog.LakeCatalog;
import lakehouse.common.catalog.TableId;
import lakehouse.common.catalog.TableVersions;
import lakehouse.training.TrainingSetManifests.Pin;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/**
 * Decides how long a VACUUM must keep removed files so that every table version a recorded training
 * set reads stays readable, and checks the decision against Delta's own dry run.
 *
 * <p>VACUUM takes a retention, not a version: it deletes files that the current version no longer
 * uses once they were removed longer ago than the retention (and untracked files older than it). A
 * pinned version {@code v} needs the files it had that later commits removed; those were removed
 * after {@code v} was committed, so a retention of at least {@code now - commitTime(v)} keeps them,
 * plus a margin for files that long jobs wrote before their commit. That holds only while the log
 * still tracks those removals, which it does for the table's {@code
 * delta.deletedFileRetentionDuration}; so the guard also raises that property, and it verifies
 * every plan with a dry run: if the files a pinned version needs (its snapshot minus the current
 * one) would be deleted, the vacuum is refused.
 *
 * <p>Only training sets built within the reproducibility window are protected; older ones may lose
 * their versions. A known-at build reads the change feed from version 0, so it pins the whole
 * history up to its version.
 */
public final class RetentionGuard {
  /** Delta's defaults when a table does not set the property. */
  static final Duration DELTA_DEFAULT_LOG_RETENTION = Duration.ofDays(30);

  static final Duration DELTA_DEFAULT_FILE_RETENTION = Duration.ofDays(7);
  static final String FILE_RETENTION = "delta.deletedFileRetentionDuration";
  static final String LOG_RETENTION = "delta.logRetentionDuration";

  /**
   * What vacuum will do to one table.
   *
   * @param retention the retention VACUUM runs with
   * @param reason why that retention: requested, the window, or the training sets it protects
   * @param required the shortest retention that keeps the pinned versions, null without pins
   * @param properties retention properties to set (only those that change)
   * @param protectedSets training sets whose versions of this table the plan keeps
   * @param blocks why the plan is refused, empty when it may run
   * @param losses training sets that lose versions under {@code --force}
   * @param lost pins whose version the log no longer has (already lost; not blocking)
   * @param deletable files the dry run would delete
   */
  public record Plan(
      TableId table,
      long version,
      Duration retention,
      String reason,
      Duration required,
      Map<String, String> properties,
      List<String> protectedSets,
      List<String> blocks,
      List<String> losses,
      List<String> lost,
      List<String> deletable) {}

  private final SparkSession spark;
  private final LakeCatalog catalog;
  private final MaintenanceSettings settings;
  private final DeltaMaintenance delta;

  public RetentionGuard(
      SparkSession spark,
      LakeCatalog catalog,
      MaintenanceSettings settings,
      DeltaMaintenance delta) {
    this.spark = spark;
    this.catalog = catalog;
    this.settings = settings;
    this.delta = delta;
  }

  /** The pins of training sets built within the window, per table they read. */
  public Map<TableId, List<Pin>> pinsInWindow(List<Pin> pins, Instant now) {
    Instant oldest = now.minus(settings.reproducibilityWindow());
    Map<TableId, List<Pin>> result = new LinkedHashMap<>();
    for (Pin pin : pins) {
      TableId table = asTable(pin.table());
      if (table != null && !pin.builtAt().toInstant().isBefore(oldest)) {
        result.computeIfAbsent(table, t -> new ArrayList<>()).add(pin);
      }
    }
    return result;
  }

  /**
   * Plans the vacuum of one table.
   *
   * @param pins the table's pins within the window
   * @param requested {@code --retain}, or null for the guarded default
   * @param force remove what the pins need rather than refuse
   */
  public Plan plan(TableId table, List<Pin> pins, Duration requested, boolean force, Instant now) {
    TableVersions versions = TableVersions.of(spark, catalog, table);
    long current = versions.latest();
    List<Pin> needing = new ArrayList<>();
    List<String> lost = new ArrayList<>();
    Instant oldestCommit = null;
    Map<Long, Instant> commits = new HashMap<>(); // pinned version -> commit time
    for (Pin pin : pins) {
      if (pin.fromVersion() >= current && pin.toVersion() <= current) {
        continue; // it reads the current snapshot, which VACUUM never touches
      }
      Instant committed =
          pin.toVersion() > current || !versions.hasCommit(pin.fromVersion())
              ? null
              : commits.computeIfAbsent(pin.fromVersion(), versions::timestamp);
      if (committed == null) {
        lost.add(TimeTravelErrors.pinAlreadyLost(describe(pin), table, pin.fromVersion()));
        continue;
      }
      needing.add(pin);
      if (oldestCommit == null || committed.isBefore(oldestCommit)) {
        oldestCommit = committed;
      }
    }
    Duration required =
        oldestCommit == null
            ? null
            : Durations.roundUpToHours(
                positive(Duration.between(oldestCommit, now)).plus(settings.guardMargin()));

    Duration fileRetention = max(settings.reproducibilityWindow(), required);
    Map<String, String> currentProperties = versions.properties();
    Duration logRetention =
        max(
            max(fileRetention, Durations.fromDeltaInterval(currentProperties.get(LOG_RETENTION))),
            DELTA_DEFAULT_LOG_RETENTION);
    Map<String, String> properties = new LinkedHashMap<>();
    propertyChange(properties, currentProperties, FILE_RETENTION, fileRetention);
    propertyChange(properties, currentProperties, LOG_RETENTION, logRetention);

    Duration retention;
    String reason;
    if (requested != null) {
      retention = requested;
      reason = "--retain";
    } else {
      retention = Durations.roundUpToHours(fileRetention);
      reason =
          required != null && required.compareTo(settings.reproducibilityWindow()) > 0
              ? "oldest pinned version"
              : "reproducibility window";
    }

    List<String> blocks = new ArrayList<>();
    List<String> losses = new ArrayList<>();
    Set<String> endangered = new LinkedHashSet<>();
    for (Pin pin : needing) {
      Instant committed = commits.get(pin.fromVersion());
      Duration needed = Duration.between(committed, now).plus(settings.guardMargin());
      if (retention.compareTo(needed) < 0) {
        endangered.add(describe(pin));
      }
    }
    if (!endangered.isEmpty() && !force) {
      blocks.add(
          TimeTravelErrors.blockedByRetention(table, retention, required, List.copyOf(endangered)));
    }
    List<String> deletable = blocks.isEmpty() ? delta.dryRun(table, retention) : List.of();
    if (blocks.isEmpty() && !needing.isEmpty()) {
      Set<String> deleted = normalised(deletable);
      Set<String> currentFiles = normalised(versions.files(current));
      Map<Long, Set<String>> filesOf = new HashMap<>();
      Set<String> hit = new LinkedHashSet<>();
      Set<String> hitFiles = new HashSet<>();
      for (Pin pin : needing) {
        // The snapshots at both ends of the pin; a known-at pin's inner versions are covered by
        // the time rule above (their removals are younger than its first version's commit).
        for (long v : new TreeSet<>(List.of(pin.fromVersion(), pin.toVersion()))) {
          for (String file :
              filesOf.computeIfAbsent(v, version -> normalised(versions.files(version)))) {
            if (!currentFiles.contains(file) && deleted.contains(file)) {
              hit.add(describe(pin));
              hitFiles.add(file);
            }
          }
        }
      }
      endangered.addAll(hit);
      if (!hit.isEmpty() && !force) {
        blocks.add(
            TimeTravelErrors.blockedByFiles(table, retention, hitFiles.size(), List.copyOf(hit)));
      }
    }
    if (force && !endangered.isEmpty()) {
      losses.add(TimeTravelErrors.forcedLoss(table, List.copyOf(endangered)));
    }
    List<String> protectedSets =
        needing.stream()
            .map(RetentionGuard::describe)
            .filter(d -> !endangered.contains(d))
            .distinct()
            .toList();
    return new Plan(
        table,
        current,
        retention,
        reason,
        required,
        properties,
        protectedSets,
        blocks,
        losses,
        lost,
        deletable);
  }

  /** How a training set is named in messages: {@code name (id)}. */
  static String describe(Pin pin) {
    return pin.name() + " (" + pin.trainingSetId() + ")";
  }

  private static TableId asTable(String name) {
    try {
      return TableId.parse(name);
    } catch (RuntimeException e) {
      return null; // a spine read from a file, not a table
    }
  }

  private void propertyChange(
      Map<String, String> changes, Map<String, String> current, String property, Duration wanted) {
    Duration now = Durations.fromDeltaInterval(current.get(property));
    String value = Durations.toDeltaInterval(wanted);
    if (now == null || !Durations.roundUpToHours(now).equals(Durations.roundUpToHours(wanted))) {
      changes.put(property, value);
    }
  }

  private static Duration max(Duration a, Duration b) {
    if (a == null) {
      return b;
    }
    return b == null || a.compareTo(b) >= 0 ? a : b;
  }

  private static Duration positive(Duration d) {
    return d.isNegative() ? Duration.ZERO : d;
  }

  /** Paths as VACUUM and inputFiles print them differ in escaping; compare decoded paths. */
  static Set<String> normalised(List<String> files) {
    Set<String> result = new HashSet<>();
    for (String file : files) {
      Path path;
      try {
        path = new Path(new URI(file));
      } catch (URISyntaxException e) {
        path = new Path(file);
      }
      result.add(path.toUri().getPath());
    }
    return result;
  }
}
