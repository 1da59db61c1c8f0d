package lakehouse.silver;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import lakehouse.common.ops.JobResult;
import lakehouse.silver.quality.CheckOutcome;

/**
 * What one run of one silver table did. Every bronze row read is accounted for exactly once: {@code
 * rowsRead = inserted + updated + duplicatesDiscarded + quarantined}, and {@code
 * duplicatesDiscarded = exactDuplicates + conflictingDuplicates + supersededVersions}. When the
 * quality gate rejected a batch, its counts say what it would have done; nothing of it was written.
 *
 * @param table the silver table's name
 * @param runDate the logical run date
 * @param runId this run's id (also in the metrics and runs tables)
 * @param status {@code published}, {@code no_new_data} or {@code quality_gate_failed}
 * @param rowsRead bronze rows read (rows not processed by an earlier run)
 * @param inserted rows for new business keys
 * @param updated newer versions of existing keys (for SCD2: new history rows of known keys)
 * @param duplicatesDiscarded rows not taken because silver keeps another row of their key (in-batch
 *     duplicates and rows not newer than silver's): exact + conflicting + superseded
 * @param quarantined rows sent to the quarantine table
 * @param versionsClosed SCD2 versions whose {@code valid_to} was set by this run
 * @param batches micro-batches processed (each validated and committed on its own)
 * @param bronzeVersionFrom first bronze version read (null when nothing was read)
 * @param bronzeVersionTo last bronze version read (null when nothing was read)
 * @param silverVersion the silver table's version after the run
 * @param durationMs wall-clock duration
 * @param outcomes every check outcome of every batch
 * @param exactDuplicates discarded copies: the same business key, event time and values as a row
 *     kept (in the batch or already in silver)
 * @param conflictingDuplicates discarded rows of the same business key and event time as a row
 *     kept, but other values: the data contradicts itself (a wrong business key looks like this)
 * @param supersededVersions discarded older versions: a newer event time of the key is kept ({@code
 *     history = latest} only)
 * @param conflictingUpdates updates (counted in {@code updated}) that replaced silver's row of the
 *     same key and event time with other values, the later ingestion winning; with {@code
 *     conflictingDuplicates} what the {@code conflicting-duplicates} check counts
 */
public record SilverReport(
    String table,
    LocalDate runDate,
    String runId,
    String status,
    long rowsRead,
    long inserted,
    long updated,
    long duplicatesDiscarded,
    long quarantined,
    long versionsClosed,
    int batches,
    Long bronzeVersionFrom,
    Long bronzeVersionTo,
    Long silverVersion,
    long durationMs,
    List<CheckOutcome> outcomes,
    long exactDuplicates,
    long conflictingDuplicates,
    long supersededVersions,
    long conflictingUpdates)
    implements JobResult {

  public SilverReport {
    outcomes = List.copyOf(outcomes);
  }

  /** The run's facts for the run history (see {@link JobResult#details()}); a returned run's. */
  @Override
  public Map<String, Object> details() {
    return details(null);
  }

  /**
   * The run's facts for the run history ({@code details[table]} of its row in {@code _ops.runs});
   * the row itself has the row counts and the versions read and written.
   *
   * @param error the message of a failed run (its report is recorded, never returned), else null
   */
  Map<String, Object> details(String error) {
    Map<String, Object> details = new java.util.LinkedHashMap<>();
    details.put("status", status);
    details.put("inserted", inserted);
    details.put("updated", updated);
    details.put("quarantined", quarantined);
    details.put("duplicates_discarded", duplicatesDiscarded);
    details.put("exact_duplicates", exactDuplicates);
    details.put("conflicting_duplicates", conflictingDuplicates);
    details.put("superseded_versions", supersededVersions);
    details.put("conflicting_updates", conflictingUpdates);
    details.put("versions_closed", versionsClosed);
    details.put("batches", batches);
    details.put("bronze_version_from", bronzeVersionFrom);
    details.put("bronze_version_to", bronzeVersionTo);
    details.put("silver_version", silverVersion);
    details.put("message", error);
    return details;
  }

  /** Whether every bronze row read is accounted for. */
  public boolean reconciles() {
    return rowsRead == inserted + updated + duplicatesDiscarded + quarantined
        && duplicatesDiscarded == exactDuplicates + conflictingDuplicates + supersededVersions;
  }

  /** Failed warn-severity checks. */
  public List<CheckOutcome> warnings() {
    return outcomes.stream().filter(CheckOutcome::warns).toList();
  }

  /** The lines printed after a run. */
  @Override
  public List<String> lines() {
    List<String> lines = new ArrayList<>();
    lines.add(
        "silver."
            + table
            + " run "
            + runDate
            + ": "
            + status
            + "; read "
            + rowsRead
            + " = inserted "
            + inserted
            + " + updated "
            + updated
            + " + duplicates discarded "
            + duplicatesDiscarded
            + " (exact "
            + exactDuplicates
            + ", conflicting "
            + conflictingDuplicates
            + ", superseded "
            + supersededVersions
            + ") + quarantined "
            + quarantined
            + (reconciles() ? "" : " (DOES NOT RECONCILE)")
            + (conflictingUpdates > 0
                ? "; "
                    + conflictingUpdates
                    + " of the updates replaced a row"
                    + " of the same key and event time with other values"
                : "")
            + (versionsClosed > 0 ? "; versions closed " + versionsClosed : "")
            + "; bronze versions "
            + (bronzeVersionFrom == null ? "-" : bronzeVersionFrom + ".." + bronzeVersionTo)
            + "; silver version "
            + (silverVersion == null ? "-" : silverVersion)
            + "; "
            + durationMs
            + " ms");
    for (CheckOutcome o : outcomes) {
      lines.add("  " + (o.warns() ? "WARN " : o.blocks() ? "ERROR " : "") + o.describe());
    }
    return lines;
  }
}
