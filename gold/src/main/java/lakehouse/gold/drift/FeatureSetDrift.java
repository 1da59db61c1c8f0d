package lakehouse.gold.drift;

import static org.apache.spark.sql.functions.col;

import java.sql.Date;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import lakehouse.common.LakehouseRuntime;
import lakehouse.common.catalog.TableId;
import lakehouse.common.ops.StepLog;
import lakehouse.gold.compute.FeatureColumns;
import lakehouse.gold.declarations.FeatureSet;
import lakehouse.gold.declarations.FeatureSpec;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Profiles and drift of a feature set's daily snapshots: profiles each day with {@link
 * FeatureProfiler} into the {@link ProfileStore}, and compares a day with a reference window of
 * days (their profiles merged).
 */
public final class FeatureSetDrift {
  private FeatureSetDrift() {}

  /**
   * A reference window of days, inclusive.
   *
   * @param from first day
   * @param to last day
   */
  public record Window(LocalDate from, LocalDate to) {
    @Override
    public String toString() {
      return from.equals(to) ? from.toString() : from + ".." + to;
    }

    /** {@code D} or {@code D1..D2}; null or blank: the {@code days} days before {@code day}. */
    public static Window parse(String text, LocalDate day, int days) {
      if (text == null || text.isBlank()) {
        return new Window(day.minusDays(days), day.minusDays(1));
      }
      try {
        String[] parts = text.trim().split("\\.\\.", -1);
        if (parts.length == 1) {
          LocalDate d = LocalDate.parse(parts[0].trim());
          return new Window(d, d);
        }
        if (parts.length == 2) {
          Window w = new Window(LocalDate.parse(parts[0].trim()), LocalDate.parse(parts[1].trim()));
          if (w.from.isAfter(w.to)) {
            throw DriftErrors.badReference(text);
          }
          return w;
        }
      } catch (DateTimeParseException e) {
        // falls through to the message below
      }
      throw DriftErrors.badReference(text);
    }
  }

  /** The profilable feature columns of a set: its declared features present in the rows. */
  public static List<String> features(FeatureSet set, Dataset<Row> rows) {
    List<String> names = new ArrayList<>();
    for (FeatureSpec f : set.features()) {
      names.add(f.name());
    }
    return FeatureProfiler.profilable(rows, names);
  }

  /**
   * Profiles each day of {@code rows} (snapshot rows with {@code feature_date}): all the days in
   * one grouped aggregation (and one grouped count for the categorical features), see {@link
   * FeatureProfiler#profileDays}.
   */
  public static List<FeatureProfile> profileDays(
      DriftSpec spec,
      String set,
      Dataset<Row> rows,
      List<String> features,
      Collection<LocalDate> days,
      Long sourceVersion) {
    return profileDays(spec, set, rows, features, days, sourceVersion, null);
  }

  /** As above, with a progress line in {@code steps} (when not null). */
  public static List<FeatureProfile> profileDays(
      DriftSpec spec,
      String set,
      Dataset<Row> rows,
      List<String> features,
      Collection<LocalDate> days,
      Long sourceVersion,
      StepLog steps) {
    List<LocalDate> sorted = new ArrayList<>(new TreeSet<>(days));
    if (sorted.isEmpty()) {
      return List.of();
    }
    String which =
        sorted.size() == 1
            ? "day " + sorted.get(0)
            : "days " + sorted.get(0) + ".." + sorted.get(sorted.size() - 1);
    if (steps != null) {
      steps.working("profiling " + which);
    }
    List<FeatureProfile> profiles =
        new FeatureProfiler(spec.sketchSize(), spec.topValues())
            .profileDays(rows, FeatureColumns.FEATURE_DATE, sorted, features, set, sourceVersion);
    if (steps != null) {
      steps.step(which + " profiled" + (sorted.size() == 1 ? "" : " (" + sorted.size() + " days)"));
    }
    return profiles;
  }

  /**
   * Profiles the days of {@code gold.<set>} that have no profile yet (or all of {@code days} when
   * {@code again}), stores them, and returns the profiles of every day asked for.
   */
  public static List<FeatureProfile> ensureProfiles(
      LakehouseRuntime runtime,
      DriftSpec spec,
      FeatureSet set,
      ProfileStore store,
      Collection<LocalDate> days) {
    return ensureProfiles(runtime, spec, set, store, days, null);
  }

  /** As above, saying each day profiled in {@code steps} (when not null). */
  public static List<FeatureProfile> ensureProfiles(
      LakehouseRuntime runtime,
      DriftSpec spec,
      FeatureSet set,
      ProfileStore store,
      Collection<LocalDate> days,
      StepLog steps) {
    TreeSet<LocalDate> wanted = new TreeSet<>(days);
    List<FeatureProfile> have =
        new ArrayList<>(store.readDays(set.name(), wanted.first(), wanted.last()));
    have.removeIf(p -> !wanted.contains(p.day()));
    TreeSet<LocalDate> missing = new TreeSet<>(wanted);
    have.forEach(p -> missing.remove(p.day()));
    TableId table = set.table();
    if (!missing.isEmpty() && runtime.catalog().exists(table)) {
      long version = runtime.catalog().currentVersion(table);
      Dataset<Row> rows = runtime.catalog().readVersion(table, version);
      List<LocalDate> present =
          rows
              .filter(
                  col(FeatureColumns.FEATURE_DATE)
                      .isin(missing.stream().map(Date::valueOf).toArray()))
              .select(FeatureColumns.FEATURE_DATE)
              .distinct()
              .collectAsList()
              .stream()
              .map(r -> r.getDate(0).toLocalDate())
              .sorted()
              .toList();
      if (!present.isEmpty()) {
        List<FeatureProfile> made =
            profileDays(spec, set.name(), rows, features(set, rows), present, version, steps);
        store.writeDays(set.name(), present, made, Instant.now());
        have.addAll(made);
      }
    }
    return have;
  }

  /**
   * Compares the profiles of {@code day} with those of the reference window merged. The profiles
   * must exist (or be computable from {@code gold.<set>}); a day or window without any is exit 2.
   */
  public static DriftComparison compare(
      LakehouseRuntime runtime,
      DriftSpec spec,
      FeatureSet set,
      ProfileStore store,
      LocalDate day,
      Window reference,
      List<FeatureProfile> current) {
    return compare(runtime, spec, set, store, day, reference, current, null);
  }

  /** As above, saying each day profiled in {@code steps} (when not null). */
  public static DriftComparison compare(
      LakehouseRuntime runtime,
      DriftSpec spec,
      FeatureSet set,
      ProfileStore store,
      LocalDate day,
      Window reference,
      List<FeatureProfile> current,
      StepLog steps) {
    List<FeatureProfile> cur =
        current != null ? current : ensureProfiles(runtime, spec, set, store, List.of(day), steps);
    if (cur.isEmpty()) {
      throw DriftErrors.noProfile(set.name(), day.toString(), set.table().toString());
    }
    List<LocalDate> refDays = new ArrayList<>();
    for (LocalDate d = reference.from(); !d.isAfter(reference.to()); d = d.plusDays(1)) {
      refDays.add(d);
    }
    List<FeatureProfile> ref = ensureProfiles(runtime, spec, set, store, refDays, steps);
    if (ref.isEmpty()) {
      throw DriftErrors.noProfile(set.name(), reference.toString(), set.table().toString());
    }
    Map<String, FeatureProfile> curByFeature = new LinkedHashMap<>();
    cur.forEach(p -> curByFeature.put(p.feature(), p));
    List<DriftResult> results =
        DriftCheck.compare(ProfileStore.mergeByFeature(ref), curByFeature, spec);
    return new DriftComparison(
        FeatureProfile.FEATURE_SET, set.name(), day.toString(), day, reference.toString(), results);
  }
}
