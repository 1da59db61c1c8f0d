package lakehouse.common.ops;

import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import lakehouse.common.catalog.TableId;

/**
 * What a job did, filled in by the job as it runs and recorded in the run history ({@link
 * RunHistory}) when it ends (also when it fails). Counts add up, so a job that writes several
 * tables can report each.
 */
public final class RunStats {
  private final String runId;
  private String target;
  private LocalDate runDate;
  private long rowsRead;
  private long rowsWritten;
  private long rowsQuarantined;
  private long rowsRejected;
  private final Map<String, Long> versionsRead = new LinkedHashMap<>();
  private final Map<String, Long> versionsWritten = new LinkedHashMap<>();
  private final Set<String> pathsRead = new LinkedHashSet<>();
  private final Map<String, Long> pathsWritten = new LinkedHashMap<>();
  private final Map<String, Map<String, String>> details = new LinkedHashMap<>();
  private final List<String> warnings = new java.util.ArrayList<>();

  /** The stats of work that is not recorded as a run of its own (a layer called directly). */
  public RunStats() {
    this(null);
  }

  /** The stats of the run {@code runId} (see {@link JobRun}). */
  public RunStats(String runId) {
    this.runId = runId;
  }

  /** The id of the run these stats are recorded under, or null when they are not recorded. */
  public String runId() {
    return runId;
  }

  /** The table, source or feature set the job works on. */
  public RunStats target(String value) {
    target = value;
    return this;
  }

  /**
   * Adds a target: a run over several (every source of {@code run bronze --all-sources}, say) lists
   * them comma-separated, once each.
   */
  public RunStats addTarget(String value) {
    if (target == null || target.isBlank()) {
      target = value;
    } else if (!List.of(target.split(",")).contains(value)) {
      target = target + "," + value;
    }
    return this;
  }

  public RunStats runDate(LocalDate value) {
    runDate = value;
    return this;
  }

  public RunStats addRowsRead(long rows) {
    rowsRead += rows;
    return this;
  }

  public RunStats addRowsWritten(long rows) {
    rowsWritten += rows;
    return this;
  }

  public RunStats addRowsQuarantined(long rows) {
    rowsQuarantined += rows;
    return this;
  }

  public RunStats addRowsRejected(long rows) {
    rowsRejected += rows;
    return this;
  }

  public RunStats versionRead(TableId table, long version) {
    versionsRead.put(table.toString(), version);
    return this;
  }

  public RunStats versionWritten(TableId table, long version) {
    versionsWritten.put(table.toString(), version);
    return this;
  }

  /**
   * A location read that is not a lake table, e.g. a landing folder {@code <landing>/<source>}: the
   * lineage events name it as an input dataset.
   */
  public RunStats pathRead(String location) {
    pathsRead.add(location);
    return this;
  }

  /**
   * A Delta table written by path rather than as a lake table (a training set written to a folder):
   * the lineage events name it as an output dataset in its file system's namespace, and {@code
   * _ops.runs} lists it with the tables written.
   */
  public RunStats pathWritten(String location, long version) {
    pathsWritten.put(location, version);
    return this;
  }

  /**
   * The layer's own facts about one target (a source's files found, a feature set's watermark),
   * recorded in the run table's {@code details} column as {@code details[target][key]}. Values are
   * kept as text: lists are joined with commas, null leaves the key out; a later value for the same
   * key replaces the earlier one.
   */
  public RunStats detail(String forTarget, Map<String, ?> facts) {
    Map<String, String> target = details.computeIfAbsent(forTarget, t -> new LinkedHashMap<>());
    facts.forEach(
        (key, value) -> {
          if (value == null) {
            target.remove(key);
          } else {
            target.put(
                key,
                value instanceof java.util.Collection<?> list
                    ? String.join(",", list.stream().map(String::valueOf).toList())
                    : String.valueOf(value));
          }
        });
    return this;
  }

  /**
   * Something the job met and went on with, one line: {@link JobRun} prints it when the job ends
   * ({@code warning: ...}) and the run record keeps it ({@code details[target][warnings]}, several
   * joined by {@code " | "}).
   */
  public RunStats warn(String text) {
    warnings.add(text);
    return detail(target == null ? "" : target, Map.of("warnings", String.join(" | ", warnings)));
  }

  /** The warnings given to {@link #warn}, in order. */
  public List<String> warnings() {
    return List.copyOf(warnings);
  }

  /** Per target, the facts given to {@link #detail}, in the order given. */
  public Map<String, Map<String, String>> details() {
    Map<String, Map<String, String>> copy = new LinkedHashMap<>();
    details.forEach((target, facts) -> copy.put(target, new LinkedHashMap<>(facts)));
    return copy;
  }

  public String target() {
    return target;
  }

  public LocalDate runDate() {
    return runDate;
  }

  public long rowsRead() {
    return rowsRead;
  }

  public long rowsWritten() {
    return rowsWritten;
  }

  public long rowsQuarantined() {
    return rowsQuarantined;
  }

  public long rowsRejected() {
    return rowsRejected;
  }

  public Map<String, Long> versionsRead() {
    return Map.copyOf(versionsRead);
  }

  public Map<String, Long> versionsWritten() {
    return Map.copyOf(versionsWritten);
  }

  public List<String> pathsRead() {
    return List.copyOf(pathsRead);
  }

  /** Locations written by path, with the Delta version written, in the order written. */
  public Map<String, Long> pathsWritten() {
    return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(pathsWritten));
  }
}
