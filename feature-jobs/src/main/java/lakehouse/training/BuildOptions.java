package lakehouse.training;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import lakehouse.common.catalog.TableId;

/**
 * How one build reads its inputs, over the spec's defaults.
 *
 * @param asOf read every input at its version committed at or before this instant, or null
 * @param versions explicit versions per table (they win over {@code asOf})
 * @param knownAt true or false to override the spec's knowledge mode, null to keep it
 * @param servingDelay the known-at serving delay, or null for the spec's
 * @param output a table name or path, or null for the spec's
 * @param rebuiltFrom the manifest id a rebuild reproduces, else null
 * @param recordedMode a rebuild keeps the original's knowledge mode; null otherwise
 * @param recordedAsOf a rebuild keeps the original's {@code as_of} text; null otherwise
 * @param recordedRules the rules a rebuilt build followed (null: before they were recorded)
 */
public record BuildOptions(
    Instant asOf,
    Map<TableId, Long> versions,
    Boolean knownAt,
    Duration servingDelay,
    String output,
    String rebuiltFrom,
    KnowledgeMode recordedMode,
    String recordedAsOf,
    Integer recordedRules) {

  public BuildOptions {
    versions = Map.copyOf(versions == null ? Map.of() : versions);
  }

  /** The spec's defaults: latest versions, the spec's knowledge mode and output. */
  public static BuildOptions defaults() {
    return new BuildOptions(null, Map.of(), null, null, null, null, null, null, null);
  }

  public BuildOptions withAsOf(Instant instant) {
    return new BuildOptions(
        instant,
        versions,
        knownAt,
        servingDelay,
        output,
        rebuiltFrom,
        recordedMode,
        recordedAsOf,
        recordedRules);
  }

  public BuildOptions withVersion(TableId table, long version) {
    Map<TableId, Long> more = new LinkedHashMap<>(versions);
    more.put(table, version);
    return new BuildOptions(
        asOf,
        more,
        knownAt,
        servingDelay,
        output,
        rebuiltFrom,
        recordedMode,
        recordedAsOf,
        recordedRules);
  }

  public BuildOptions withKnownAt(boolean on, Duration delay) {
    return new BuildOptions(
        asOf, versions, on, delay, output, rebuiltFrom, recordedMode, recordedAsOf, recordedRules);
  }

  public BuildOptions withOutput(String newOutput) {
    return new BuildOptions(
        asOf,
        versions,
        knownAt,
        servingDelay,
        newOutput,
        rebuiltFrom,
        recordedMode,
        recordedAsOf,
        recordedRules);
  }
}
