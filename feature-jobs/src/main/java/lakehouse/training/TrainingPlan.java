package lakehouse.training;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import lakehouse.common.catalog.TableId;
import org.apache.spark.sql.types.StructType;

/**
 * A validated build: the spec resolved against the tables at their pinned versions. Everything in
 * it was checked before any data was read.
 *
 * @param spineVersion the spine table's pinned version, null for a file spine
 * @param spineSchema the spine's columns
 * @param asOf what the user pinned ({@code --as-of} and {@code --version}), or null
 * @param outputTable the output table, or null when the output is a path
 * @param outputLocation where the output goes
 */
public record TrainingPlan(
    TrainingSpec spec,
    KnowledgeMode mode,
    String asOf,
    Duration servingDelay,
    Long spineVersion,
    StructType spineSchema,
    List<Feature> features,
    TableId outputTable,
    String outputLocation) {

  /**
   * One feature table at its pinned version.
   *
   * @param columns the feature columns read, in output order
   * @param outputs their output names, same order
   * @param featureTime the feature-time column
   * @param keys spine column → the table's column it joins on, in join order
   */
  public record Feature(
      TableId table,
      String location,
      long version,
      List<String> columns,
      List<String> outputs,
      String featureTime,
      java.time.Duration ttl,
      Map<String, String> keys) {

    /** The spine columns this table joins on. */
    public List<String> spineKeys() {
      return List.copyOf(keys.keySet());
    }
  }

  /** Logical feature table name → version read, as recorded in the manifest. */
  public Map<String, Long> featureVersions() {
    Map<String, Long> versions = new java.util.LinkedHashMap<>();
    features.forEach(f -> versions.put(f.table().toString(), f.version()));
    return versions;
  }

  /** Every output feature column, in order. */
  public List<String> featureOutputs() {
    return features.stream().flatMap(f -> f.outputs().stream()).toList();
  }
}
