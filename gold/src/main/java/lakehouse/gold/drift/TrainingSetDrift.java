package lakehouse.gold.drift;

import static org.apache.spark.sql.functions.col;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import lakehouse.common.CommonErrors;
import lakehouse.common.LakehouseRuntime;
import lakehouse.common.catalog.TableId;
import lakehouse.common.settings.LakehouseSettings;
import lakehouse.gold.GoldSettings;
import lakehouse.gold.compute.FeatureColumns;
import lakehouse.gold.declarations.FeatureSet;
import lakehouse.gold.declarations.FeatureSetLoader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Training/serving skew: the features of a recorded training-set build (its output at the version
 * the build wrote, read through {@code gold._training_sets}) against a snapshot day of the gold
 * feature tables they came from — the latest by default. The build is the reference (what a model
 * learned from), the snapshot the current side (what it is served). Each output column is traced to
 * its feature table and feature by the spec's {@code rename} or the default name {@code
 * <table>__<feature>}; thresholds are those of the feature's set.
 */
public final class TrainingSetDrift {
  /** The manifest table the training-set builder writes. */
  public static final TableId MANIFESTS = TableId.of("gold", "_training_sets");

  private TrainingSetDrift() {}

  /** A training set's output column traced to a gold feature. */
  record Traced(String column, TableId table, String feature) {}

  /**
   * Compares build {@code idOrPrefix} with the snapshot {@code against} ({@code latest} or a day).
   */
  public static DriftComparison compare(
      LakehouseRuntime runtime, String idOrPrefix, String against) {
    LocalDate day = null;
    if (against != null && !"latest".equalsIgnoreCase(against)) {
      try {
        day = LocalDate.parse(against);
      } catch (DateTimeParseException e) {
        throw DriftErrors.badAgainst(against);
      }
    }
    Row manifest = manifest(runtime, idOrPrefix);
    String id = manifest.getAs("training_set_id");
    String name = manifest.getAs("name");
    DriftSpec defaults = DriftSpec.defaults(runtime.settings());
    Long version =
        manifest.isNullAt(manifest.fieldIndex("output_version"))
            ? null
            : manifest.getAs("output_version");
    ProfileStore buildStore =
        new ProfileStore(runtime.spark(), runtime.catalog(), defaults.trainingProfileTable(name));
    return compare(
        runtime,
        name,
        id,
        manifest.getAs("spec"),
        output(runtime, manifest),
        day,
        (output, columns) -> {
          List<FeatureProfile> stored = buildStore.readBuild(id);
          if (!stored.isEmpty()) {
            return stored;
          }
          List<FeatureProfile> profiles = profile(defaults, output, columns, name, id, version);
          buildStore.writeBuild(id, profiles, Instant.now());
          return profiles;
        });
  }

  /**
   * Compares the rows of build {@code id} (not written yet: the drift gate of a build) with the
   * latest snapshot of each feature table they came from.
   */
  public static DriftComparison compareRows(
      LakehouseRuntime runtime, String name, String id, String specJson, Dataset<Row> rows) {
    DriftSpec defaults = DriftSpec.defaults(runtime.settings());
    return compare(
        runtime,
        name,
        id,
        specJson,
        rows,
        null,
        (output, columns) -> profile(defaults, output, columns, name, id, null));
  }

  private static List<FeatureProfile> profile(
      DriftSpec defaults,
      Dataset<Row> output,
      List<String> columns,
      String name,
      String id,
      Long version) {
    return new FeatureProfiler(defaults.sketchSize(), defaults.topValues())
        .profile(output, columns, FeatureProfile.TRAINING_SET, name, id, null, version);
  }

  /**
   * The build's output columns traced to their gold features, the build profiled ({@code
   * buildProfiles} of the output and the traced columns), each traced table's snapshot of {@code
   * day} (null: its latest) profiled, and each feature compared with its set's thresholds, worst
   * first.
   */
  private static DriftComparison compare(
      LakehouseRuntime runtime,
      String name,
      String id,
      String specJson,
      Dataset<Row> output,
      LocalDate day,
      BiFunction<Dataset<Row>, List<String>, List<FeatureProfile>> buildProfiles) {
    LakehouseSettings settings = runtime.settings();
    GoldSettings gold = GoldSettings.from(settings);
    List<Traced> traced = trace(specJson, output.columns());
    FeatureSetLoader loader = new FeatureSetLoader(gold.featuresDir(), gold);
    List<String> declared = loader.names();
    traced.removeIf(
        t ->
            !t.table().layer().equals("gold")
                || !declared.contains(t.table().name())
                || !runtime.catalog().exists(t.table()));
    List<String> columns =
        FeatureProfiler.profilable(output, traced.stream().map(Traced::column).toList());
    traced.removeIf(t -> !columns.contains(t.column()));
    if (traced.isEmpty()) {
      throw DriftErrors.noFeatureColumns(id);
    }
    Map<String, FeatureProfile> byColumn = new LinkedHashMap<>();
    buildProfiles.apply(output, columns).forEach(p -> byColumn.put(p.feature(), p));

    List<DriftResult> results = new ArrayList<>();
    List<String> days = new ArrayList<>();
    Map<TableId, List<Traced>> byTable = new LinkedHashMap<>();
    traced.forEach(t -> byTable.computeIfAbsent(t.table(), k -> new ArrayList<>()).add(t));
    for (Map.Entry<TableId, List<Traced>> e : byTable.entrySet()) {
      FeatureSet set = loader.load(e.getKey().name());
      DriftSpec spec = DriftSpec.forFeatureSet(settings, gold.featuresDir(), set.name());
      LocalDate snapshot = day != null ? day : latestDay(runtime, e.getKey());
      if (snapshot == null) {
        continue;
      }
      days.add(set.name() + "@" + snapshot);
      Map<String, FeatureProfile> serving = new LinkedHashMap<>();
      ProfileStore store =
          new ProfileStore(runtime.spark(), runtime.catalog(), spec.profileTable(set.name()));
      FeatureSetDrift.ensureProfiles(runtime, spec, set, store, List.of(snapshot))
          .forEach(p -> serving.put(p.feature(), p));
      if (serving.isEmpty()) {
        throw DriftErrors.noProfile(set.name(), snapshot.toString(), set.table().toString());
      }
      for (Traced t : e.getValue()) {
        FeatureProfile ref = byColumn.get(t.column());
        FeatureProfile cur = serving.get(t.feature());
        if (ref == null || cur == null || !ref.kind().equals(cur.kind())) {
          continue;
        }
        DriftResult r = DriftCheck.compare(ref, cur, spec, t.feature());
        results.add(
            new DriftResult(
                t.column(),
                r.kind(),
                r.psi(),
                r.ks(),
                r.nullRateChange(),
                r.referenceMean(),
                r.currentMean(),
                r.direction(),
                r.severity(),
                r.breaches(),
                r.bins(),
                r.referenceShares(),
                r.currentShares(),
                r.referenceRows(),
                r.currentRows()));
      }
    }
    results.sort(
        Comparator.comparingInt(DriftResult::rank)
            .reversed()
            .thenComparing(Comparator.comparingDouble(DriftResult::score).reversed())
            .thenComparing(DriftResult::feature));
    return new DriftComparison(
        FeatureProfile.TRAINING_SET,
        name,
        String.join(", ", days),
        null,
        "training set " + id,
        results);
  }

  /** The manifest row of a build id or unique prefix (at least six characters). */
  static Row manifest(LakehouseRuntime runtime, String idOrPrefix) {
    if (!runtime.catalog().exists(MANIFESTS)) {
      throw DriftErrors.noTrainingSets(MANIFESTS.toString());
    }
    Dataset<Row> all = runtime.catalog().read(MANIFESTS);
    List<Row> exact = all.filter(col("training_set_id").equalTo(idOrPrefix)).collectAsList();
    if (exact.size() == 1) {
      return exact.get(0);
    }
    List<Row> matches =
        idOrPrefix.length() < 6
            ? List.of()
            : all.filter(col("training_set_id").startsWith(idOrPrefix)).collectAsList();
    if (matches.isEmpty()) {
      throw CommonErrors.unknownTrainingSet(idOrPrefix);
    }
    if (matches.size() > 1) {
      throw CommonErrors.ambiguousTrainingSet(
          idOrPrefix,
          matches.stream().map(r -> r.<String>getAs("training_set_id")).sorted().toList());
    }
    return matches.get(0);
  }

  private static Dataset<Row> output(LakehouseRuntime runtime, Row manifest) {
    String location = manifest.getAs("output_location");
    var reader = runtime.spark().read().format("delta");
    if (!manifest.isNullAt(manifest.fieldIndex("output_version"))) {
      reader = reader.option("versionAsOf", manifest.<Long>getAs("output_version"));
    }
    return reader.load(location);
  }

  /** Output columns traced to (feature table, feature) through the spec's features[]. */
  static List<Traced> trace(String specJson, String[] columns) {
    Config spec = ConfigFactory.parseString(specJson);
    List<Traced> out = new ArrayList<>();
    List<? extends Config> features =
        spec.hasPath("features") ? spec.getConfigList("features") : List.of();
    for (String column : columns) {
      for (Config f : features) {
        TableId table = TableId.parse(f.getString("table"));
        String feature = null;
        if (f.hasPath("rename")) {
          for (Map.Entry<String, Object> r : f.getConfig("rename").root().unwrapped().entrySet()) {
            if (column.equals(String.valueOf(r.getValue()))) {
              feature = r.getKey();
            }
          }
        }
        String prefix = table.name() + "__";
        if (feature == null && column.startsWith(prefix)) {
          feature = column.substring(prefix.length());
        }
        if (feature != null
            && !feature.equals(FeatureColumns.FEATURE_TIME)
            && !feature.equals(FeatureColumns.FEATURE_DATE)) {
          out.add(new Traced(column, table, feature));
          break;
        }
      }
    }
    return out;
  }

  private static LocalDate latestDay(LakehouseRuntime runtime, TableId table) {
    Row row =
        runtime
            .catalog()
            .read(table)
            .agg(org.apache.spark.sql.functions.max(FeatureColumns.FEATURE_DATE))
            .first();
    return row.isNullAt(0) ? null : row.getDate(0).toLocalDate();
  }
}
