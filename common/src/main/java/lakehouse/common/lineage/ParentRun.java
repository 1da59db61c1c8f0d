package lakehouse.common.lineage;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The run that started this one, for the OpenLineage {@code parent} run facet: the job (namespace
 * and name) and run id of the scheduler's task, and optionally the root of the chain (the DAG run).
 * A scheduler passes it as Spark properties, the names Airflow's Spark provider injects ({@code
 * openlineage_inject_parent_job_info}) and the {@code openlineage-spark} listener reads:
 *
 * <ul>
 *   <li>{@code spark.openlineage.parentJobNamespace}, {@code spark.openlineage.parentJobName},
 *       {@code spark.openlineage.parentRunId};
 *   <li>{@code spark.openlineage.rootParentJobNamespace}, {@code
 *       spark.openlineage.rootParentJobName}, {@code spark.openlineage.rootParentRunId} (the
 *       Airflow OpenLineage provider 2.x adds them; older ones pass the parent only).
 * </ul>
 *
 * @param root the root run, or null when none was passed
 */
public record ParentRun(String namespace, String name, UUID runId, ParentRun root) {
  public static final String PREFIX = "spark.openlineage.";
  private static final Pattern UUID_TEXT =
      Pattern.compile(
          "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  /**
   * Reads the parent from Spark properties. No parent property at all means no parent. A parent
   * with a property missing or a run id that is not a UUID is left out with a warning (and so is
   * such a root, the parent kept): a wrong parent must never fail the job it describes.
   *
   * @param property a property's value, null when unset (a blank value counts as unset)
   * @param warnings where the reasons for leaving a parent or root out are added
   */
  public static Optional<ParentRun> read(Function<String, String> property, List<String> warnings) {
    Optional<ParentRun> root = read(property, "rootParent", null, warnings);
    Optional<ParentRun> parent = read(property, "parent", root.orElse(null), warnings);
    if (parent.isEmpty() && root.isPresent()) {
      warnings.add(
          "OpenLineage root run "
              + root.get()
              + " passed without a parent run ("
              + PREFIX
              + "parentJobNamespace, parentJobName, parentRunId): no parent facet");
    }
    return parent;
  }

  private static Optional<ParentRun> read(
      Function<String, String> property, String prefix, ParentRun root, List<String> warnings) {
    String namespace = value(property, prefix + "JobNamespace");
    String name = value(property, prefix + "JobName");
    String runId = value(property, prefix + "RunId");
    if (namespace == null && name == null && runId == null) {
      return Optional.empty();
    }
    String what = prefix.equals("parent") ? "parent run" : "root run";
    List<String> missing = new ArrayList<>();
    if (namespace == null) {
      missing.add(PREFIX + prefix + "JobNamespace");
    }
    if (name == null) {
      missing.add(PREFIX + prefix + "JobName");
    }
    if (runId == null) {
      missing.add(PREFIX + prefix + "RunId");
    }
    if (!missing.isEmpty()) {
      warnings.add("OpenLineage " + what + " left out: " + String.join(", ", missing) + " not set");
      return Optional.empty();
    }
    if (!isUuid(runId)) {
      warnings.add(
          "OpenLineage "
              + what
              + " left out: "
              + PREFIX
              + prefix
              + "RunId '"
              + runId
              + "' is not a UUID");
      return Optional.empty();
    }
    return Optional.of(new ParentRun(namespace, name, UUID.fromString(runId), root));
  }

  /** Whether the text is a UUID in its canonical 8-4-4-4-12 hex form. */
  static boolean isUuid(String text) {
    return UUID_TEXT.matcher(text).matches();
  }

  private static String value(Function<String, String> property, String key) {
    String value = property.apply(PREFIX + key);
    return value == null || value.isBlank() ? null : value.strip();
  }

  @Override
  public String toString() {
    return namespace + "/" + name + "/" + runId;
  }
}
