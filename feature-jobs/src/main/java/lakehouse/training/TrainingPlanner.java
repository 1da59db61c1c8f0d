package lakehouse.training;

import io.delta.tables.DeltaTable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import lakehouse.common.LakehouseException;
import lakehouse.common.LakehouseRuntime;
import lakehouse.common.catalog.LakeCatalog;
import lakehouse.common.catalog.TableId;
import lakehouse.common.catalog.TableVersions;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Checks a spec against the lake and pins every input's version: unknown tables and columns, output
 * name clashes, key type mismatches, bad pins. All problems are reported together as one usage
 * error (exit 2), before any data is read — only the tables' logs are consulted.
 */
final class TrainingPlanner {
  private final SparkSession spark;
  private final LakeCatalog catalog;
  private final List<String> problems = new ArrayList<>();

  TrainingPlanner(LakehouseRuntime runtime) {
    this.spark = runtime.spark();
    this.catalog = runtime.catalog();
  }

  TrainingPlan plan(TrainingSpec spec, BuildOptions options) {
    return plan(spec, options, null);
  }

  /**
   * @param givenSchema the columns of the spine rows the caller gives (a DataFrame), for a spec
   *     whose spine {@link TrainingSpec.Spine#isGiven() is given}; null otherwise
   */
  TrainingPlan plan(TrainingSpec spec, BuildOptions options, StructType givenSchema) {
    if (spec.spine().isGiven() != (givenSchema != null)) {
      throw new IllegalArgumentException("a given spine needs its schema, and only it");
    }
    KnowledgeMode mode = mode(spec, options);
    Duration delay = options.servingDelay() != null ? options.servingDelay() : spec.servingDelay();
    if (options.servingDelay() != null
        && options.knownAt() == null
        && mode != KnowledgeMode.KNOWN_AT) {
      problems.add(TrainingErrors.servingDelayNeedsKnownAt().getMessage());
    }
    Set<TableId> inputs = new HashSet<>();
    spec.features().forEach(f -> inputs.add(f.table()));
    if (spec.spine().isTable()) {
      inputs.add(spec.spine().table());
    }
    List<TableId> queryTables =
        spec.spine().isQuery()
            ? SpineQuery.tables(spark, catalog, spec.spine().query())
            : List.of();
    inputs.addAll(queryTables);
    options.versions().keySet().stream()
        .filter(t -> !inputs.contains(t))
        .forEach(t -> problems.add(TrainingErrors.versionPinNotRead(t.toString())));

    Long spineVersion = null;
    StructType spineSchema = null;
    if (spec.spine().isTable()) {
      TableId table = spec.spine().table();
      Long pinned =
          options.versions().containsKey(table)
              ? options.versions().get(table)
              : spec.spine().version();
      spineVersion = pin(table, pinned, options);
      if (spineVersion != null) {
        spineSchema = catalog.readVersion(table, spineVersion).schema();
      }
    } else if (spec.spine().isQuery()) {
      spec.spine().versions().keySet().stream()
          .filter(t -> !queryTables.contains(t))
          .forEach(t -> problems.add(TrainingErrors.spineVersionNotRead(t.toString())));
      Map<TableId, Long> pinned = new LinkedHashMap<>();
      for (TableId table : queryTables) {
        Long version =
            pin(
                table,
                options.versions().containsKey(table)
                    ? options.versions().get(table)
                    : spec.spine().versions().get(table),
                options);
        if (version != null) {
          pinned.put(table, version);
        }
      }
      spec = spec.withSpine(spec.spine().withVersions(pinned));
      if (pinned.size() == queryTables.size()) {
        spineSchema = SpineQuery.run(spark, catalog, spec.spine().query(), pinned).schema();
      }
    } else if (givenSchema != null) {
      spineSchema = givenSchema;
    } else {
      spineSchema = TrainingInputs.readSpineFile(spark, spec.spine()).schema();
    }
    if (spineSchema != null) {
      checkSpine(spec.spine(), spec.features(), spineSchema);
    }

    List<TrainingPlan.Feature> features = new ArrayList<>();
    Map<String, String> origins = new LinkedHashMap<>();
    if (spineSchema != null) {
      for (String column : spineSchema.fieldNames()) {
        origins.put(column, "the spine (" + spec.spine().source() + ")");
      }
    }
    for (TrainingSpec.FeatureRef ref : spec.features()) {
      Long version = pin(ref.table(), options.versions().get(ref.table()), options);
      if (version == null) {
        continue;
      }
      StructType schema = catalog.readVersion(ref.table(), version).schema();
      TrainingPlan.Feature feature = resolve(ref, version, schema, spec.spine(), spineSchema);
      for (int i = 0; i < feature.outputs().size(); i++) {
        String output = feature.outputs().get(i);
        String origin = ref.table() + "." + feature.columns().get(i);
        String earlier = origins.putIfAbsent(output, origin);
        if (earlier != null) {
          problems.add(TrainingErrors.nameClash(output, earlier, origin));
        }
      }
      if (mode == KnowledgeMode.KNOWN_AT && !changeFeedEnabled(ref.table())) {
        problems.add(TrainingErrors.noChangeFeed(ref.table().toString()));
      }
      features.add(feature);
    }

    String output = options.output() != null ? options.output() : spec.output();
    TableId outputTable = null;
    String outputLocation = output;
    if (output.matches("[a-z_][a-z0-9_]*\\.[a-z_][a-z0-9_]*")) {
      outputTable = TableId.parse(output);
      outputLocation = catalog.location(outputTable);
      if (inputs.contains(outputTable)) {
        problems.add(TrainingErrors.outputIsInput(output));
      }
    }
    if (!problems.isEmpty()) {
      throw LakehouseException.usage(String.join("\n", problems));
    }
    String asOf = options.recordedAsOf() != null ? options.recordedAsOf() : asOfText(options);
    return new TrainingPlan(
        spec,
        mode,
        asOf,
        mode == KnowledgeMode.KNOWN_AT ? delay : null,
        spineVersion,
        spineSchema,
        List.copyOf(features),
        outputTable,
        outputLocation);
  }

  private static KnowledgeMode mode(TrainingSpec spec, BuildOptions options) {
    if (options.recordedMode() != null) {
      return options.recordedMode();
    }
    boolean knownAt =
        options.knownAt() != null ? options.knownAt() : spec.mode() == KnowledgeMode.KNOWN_AT;
    if (knownAt) {
      return KnowledgeMode.KNOWN_AT;
    }
    return options.asOf() != null || !options.versions().isEmpty()
        ? KnowledgeMode.AS_OF
        : KnowledgeMode.LATEST;
  }

  private static String asOfText(BuildOptions options) {
    List<String> parts = new ArrayList<>();
    if (options.asOf() != null) {
      parts.add(options.asOf().toString());
    }
    new TreeMap<>(
            options.versions().entrySet().stream()
                .collect(
                    java.util.stream.Collectors.toMap(
                        e -> e.getKey().toString(), Map.Entry::getValue)))
        .forEach((table, version) -> parts.add(table + "=" + version));
    return parts.isEmpty() ? null : String.join(" ", parts);
  }

  /** The version to read: explicit, else as of the timestamp, else latest; null on a problem. */
  private Long pin(TableId table, Long explicit, BuildOptions options) {
    if (!catalog.exists(table)) {
      try {
        catalog.require(table.toString());
      } catch (LakehouseException e) {
        problems.add(e.getMessage());
      }
      return null;
    }
    try {
      TableVersions versions = TableVersions.of(spark, catalog, table);
      if (explicit != null) {
        if (explicit < 0 || explicit > versions.latest()) {
          problems.add(TableVersions.unknownVersion(table, explicit, versions.latest()));
          return null;
        }
        return explicit;
      }
      return options.asOf() != null ? versions.atOrBefore(options.asOf()) : versions.latest();
    } catch (LakehouseException e) {
      problems.add(e.getMessage());
      return null;
    }
  }

  private void checkSpine(
      TrainingSpec.Spine spine, List<TrainingSpec.FeatureRef> features, StructType schema) {
    String where = spine.isGiven() ? spine.source() : "spine " + spine.source();
    Set<String> required = new java.util.LinkedHashSet<>(spine.keys());
    features.forEach(ref -> required.addAll(ref.joinKeys(spine).keySet()));
    required.add(spine.eventTime());
    if (spine.label() != null) {
      required.add(spine.label());
    }
    for (String column : required) {
      if (column != null && !has(schema, column)) {
        problems.add(
            TrainingErrors.unknownColumn(
                where, column, spine.source(), List.of(schema.fieldNames())));
      }
    }
    if (spine.eventTime() != null && has(schema, spine.eventTime())) {
      DataType type = schema.apply(spine.eventTime()).dataType();
      if (!(type.equals(DataTypes.TimestampType)
          || type.equals(DataTypes.DateType)
          || type.equals(DataTypes.StringType)
          || type.equals(DataTypes.TimestampNTZType))) {
        problems.add(
            where
                + ": event-time column '"
                + spine.eventTime()
                + "' must be a timestamp, got "
                + type.simpleString());
      }
    }
  }

  private TrainingPlan.Feature resolve(
      TrainingSpec.FeatureRef ref,
      long version,
      StructType schema,
      TrainingSpec.Spine spine,
      StructType spineSchema) {
    String table = ref.table().toString();
    String where = "feature table " + table;
    List<String> known = List.of(schema.fieldNames());
    Map<String, String> keys = ref.joinKeys(spine);
    keys.forEach(
        (spineKey, key) -> {
          if (!has(schema, key)) {
            problems.add(TrainingErrors.unknownColumn(where + " (key)", key, table, known));
          } else if (spineSchema != null
              && (spine.isTable() || spine.isGiven())
              && has(spineSchema, spineKey)) {
            DataType spineType = spineSchema.apply(spineKey).dataType();
            DataType featureType = schema.apply(key).dataType();
            if (!spineType.equals(featureType)) {
              problems.add(
                  TrainingErrors.keyTypeMismatch(
                      spineKey,
                      spineType.simpleString(),
                      key.equals(spineKey) ? table : table + " (column " + key + ")",
                      featureType.simpleString()));
            }
          }
        });
    if (!has(schema, ref.featureTime())) {
      problems.add(
          TrainingErrors.unknownColumn(where + " (feature-time)", ref.featureTime(), table, known));
    }
    List<String> columns = new ArrayList<>();
    if (ref.features() == null) {
      for (StructField field : schema.fields()) {
        // The feature time comes along: it shows which row was picked (and its age).
        if (!keys.containsValue(field.name())) {
          columns.add(field.name());
        }
      }
    } else {
      for (String column : ref.features()) {
        if (!has(schema, column)) {
          problems.add(TrainingErrors.unknownColumn(where, column, table, known));
        } else {
          columns.add(column);
        }
      }
    }
    for (String renamed : ref.rename().keySet()) {
      if (!columns.contains(renamed)) {
        problems.add(
            where
                + ": rename names '"
                + renamed
                + "', which is not one of the features taken ("
                + String.join(", ", columns)
                + ")");
      }
    }
    List<String> outputs =
        columns.stream()
            .map(c -> ref.rename().getOrDefault(c, ref.table().name() + "__" + c))
            .toList();
    return new TrainingPlan.Feature(
        ref.table(),
        catalog.location(ref.table()),
        version,
        List.copyOf(columns),
        outputs,
        ref.featureTime(),
        ref.ttl(),
        keys);
  }

  private boolean changeFeedEnabled(TableId table) {
    Map<String, String> properties =
        DeltaTable.forPath(spark, catalog.location(table))
            .detail()
            .select("properties")
            .first()
            .getJavaMap(0);
    return "true".equalsIgnoreCase(properties.get("delta.enableChangeDataFeed"));
  }

  private static boolean has(StructType schema, String column) {
    return List.of(schema.fieldNames()).contains(column);
  }
}
