package lakehouse.training;

import java.sql.Timestamp;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import lakehouse.common.ops.JobResult;

/**
 * One row of {@code gold._training_sets}: everything needed to list, explain and rebuild one
 * training-set build.
 *
 * @param trainingSetId unique id of the build
 * @param name the spec's name
 * @param builtAt when the build started (UTC)
 * @param spec the resolved spec as JSON (HOCON-compatible); rebuilds read it, not the spec file
 * @param knowledgeMode {@code latest}, {@code as_of} or {@code known_at}
 * @param asOf the {@code --as-of} timestamp or {@code --version} pins as given, else null
 * @param servingDelay the known-at serving delay (ISO-8601 duration), else null
 * @param spineSource the spine table's logical name or the spine file's location
 * @param spineVersion the Delta version of the spine table read, null for a file spine
 * @param featureVersions logical feature table name → Delta version read
 * @param outputLocation where the rows were written (a table's location or a path)
 * @param rowCount number of rows written (always the spine's row count)
 * @param contentHash order-independent hash of the rows and schema written
 * @param outputTable the output table's logical name, null for a path
 * @param outputVersion the Delta version of the output written by this build
 * @param rebuiltFrom the id this build rebuilt, else null
 * @param featureNullRates output feature column → share of rows without a value
 * @param labelCounts label value (as text) → rows, empty without a label column
 * @param rules the point-in-time rules the build followed ({@link #RULES} since the serving delay
 *     is subtracted and ties follow row commits; null for builds made before)
 */
public record TrainingSetManifest(
    String trainingSetId,
    String name,
    Timestamp builtAt,
    String spec,
    String knowledgeMode,
    String asOf,
    String servingDelay,
    String spineSource,
    Long spineVersion,
    Map<String, Long> featureVersions,
    String outputLocation,
    long rowCount,
    String contentHash,
    String outputTable,
    Long outputVersion,
    String rebuiltFrom,
    Map<String, Double> featureNullRates,
    Map<String, Long> labelCounts,
    Integer rules)
    implements JobResult {
  /** The rules builds follow now. */
  public static final int RULES = 2;

  /** What {@code training-set build} prints. */
  @Override
  public List<String> lines() {
    return List.of(
        "built training set " + trainingSetId + ": " + rowCount + " rows -> " + outputLocation,
        "versions read: " + TrainingSetCommand.versions(this),
        "content hash: " + contentHash);
  }

  /**
   * The build's facts in its run record ({@code details[<name>]}): its id, knowledge mode, content
   * hash and the id it rebuilt; the row has the rows and versions written.
   */
  @Override
  public Map<String, Object> details() {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("training_set_id", trainingSetId);
    details.put("knowledge_mode", knowledgeMode);
    details.put("content_hash", contentHash);
    details.put("rebuilt_from", rebuiltFrom);
    return details;
  }
}
