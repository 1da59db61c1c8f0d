package lakehouse.bronze;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import lakehouse.common.ops.JobResult;

/**
 * What one bronze run did, for people (the printed {@link #lines()}) and machines (the source's
 * {@link #details()} in the run history).
 *
 * @param source the source ingested
 * @param runId this run's identifier
 * @param runDate the run's date: {@code upTo} when given, else the UTC date the run started
 * @param upTo the last landing date taken, when the run was limited
 * @param startedAt when the run started
 * @param status what came of it
 * @param filesFound data files in the landing location (up to {@code upTo})
 * @param filesIngested files this run wrote to bronze, including a recovered batch's
 * @param filesSkipped files found that an earlier run had already taken
 * @param unmatchedFiles files in the date folders that the source's file pattern does not take (not
 *     ingested, but counted and named so nothing landed is passed over unseen)
 * @param recordsRead non-blank lines (or parquet rows) read from the ingested files
 * @param rowsWritten rows appended to {@code bronze.<source>}
 * @param rowsRejected rows appended to {@code bronze.<source>_rejects}
 * @param addedColumns columns this run added to the bronze table (schema evolution)
 * @param missingColumns table columns some batch did not carry (written as null)
 * @param batchIds the batches this run wrote, in order
 * @param recoveredBatch a batch an earlier, interrupted run had planned and this run finished
 * @param tableVersion the bronze table's version after the run (null when it does not exist)
 * @param rejectsVersion the rejects table's version after the run (null when it does not exist)
 * @param durationMs wall-clock time of the run
 * @param message the error of a failed run, else null
 */
public record BronzeReport(
    String source,
    String runId,
    LocalDate runDate,
    LocalDate upTo,
    Instant startedAt,
    Status status,
    long filesFound,
    long filesIngested,
    long filesSkipped,
    List<String> unmatchedFiles,
    long recordsRead,
    long rowsWritten,
    long rowsRejected,
    List<String> addedColumns,
    List<String> missingColumns,
    List<Long> batchIds,
    Long recoveredBatch,
    Long tableVersion,
    Long rejectsVersion,
    long durationMs,
    String message)
    implements JobResult {

  /** The outcome of a run. */
  public enum Status {
    /** New files were ingested (or an interrupted batch was finished). */
    INGESTED,
    /** Every file found had been ingested before; nothing was written. */
    NOTHING_NEW,
    /** The run stopped with an error; see the message. */
    FAILED
  }

  /** How many files the source's pattern did not take. */
  public long filesUnmatched() {
    return unmatchedFiles.size();
  }

  /**
   * The run's facts for the run history ({@code details[source]} of its row in {@code _ops.runs});
   * the row itself has the row counts and the versions read and written.
   */
  @Override
  public Map<String, Object> details() {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("status", status.name().toLowerCase(java.util.Locale.ROOT));
    details.put("up_to", upTo);
    details.put("files_found", filesFound);
    details.put("files_ingested", filesIngested);
    details.put("files_skipped", filesSkipped);
    details.put("files_unmatched", filesUnmatched());
    details.put("records_read", recordsRead);
    details.put("added_columns", addedColumns.isEmpty() ? null : addedColumns);
    details.put("missing_columns", missingColumns.isEmpty() ? null : missingColumns);
    details.put("batch_ids", batchIds.isEmpty() ? null : batchIds);
    details.put("recovered_batch", recoveredBatch);
    details.put("table_version", tableVersion);
    details.put("rejects_version", rejectsVersion);
    details.put("message", message);
    return details;
  }

  /** Whether every record read went to exactly one of the two tables. */
  public boolean reconciles() {
    return recordsRead == rowsWritten + rowsRejected;
  }

  /** The readable summary printed after a run: its {@link #lines()}, one text. */
  public String summary() {
    return String.join("\n", lines());
  }

  /** The lines printed after a run. */
  @Override
  public List<String> lines() {
    List<String> lines = new ArrayList<>();
    lines.add(
        "bronze "
            + source
            + ": "
            + switch (status) {
              case INGESTED -> "ingested";
              case NOTHING_NEW -> "nothing new";
              case FAILED -> "FAILED";
            }
            + " (run "
            + runId
            + ", run date "
            + runDate
            + (upTo == null ? "" : ", landing dates up to " + upTo)
            + ")");
    StringBuilder files =
        new StringBuilder("  files:   ")
            .append(filesFound)
            .append(" found, ")
            .append(filesIngested)
            .append(" ingested, ")
            .append(filesSkipped)
            .append(" already ingested");
    if (!unmatchedFiles.isEmpty()) {
      // Named (the first few) so a file landed under a wrong name is found, not passed over.
      files
          .append(", ")
          .append(unmatchedFiles.size())
          .append(" not matching the file pattern (not ingested: ")
          .append(String.join(", ", unmatchedFiles.subList(0, Math.min(3, unmatchedFiles.size()))))
          .append(unmatchedFiles.size() > 3 ? ", ..." : "")
          .append(')');
    }
    lines.add(files.toString());
    if (status != Status.NOTHING_NEW) {
      lines.add(
          "  records: "
              + recordsRead
              + " read = "
              + rowsWritten
              + " written to bronze."
              + source
              + " + "
              + rowsRejected
              + " rejected to bronze."
              + source
              + "_rejects"
              + (reconciles() ? "" : "  (DOES NOT RECONCILE)"));
    }
    if (!addedColumns.isEmpty()) {
      lines.add("  schema:  new columns " + String.join(", ", addedColumns));
    }
    if (!missingColumns.isEmpty()) {
      lines.add(
          "  schema:  columns not in the landed files (null): "
              + String.join(", ", missingColumns));
    }
    if (recoveredBatch != null) {
      lines.add("  recovered: finished batch " + recoveredBatch + " of an interrupted run");
    }
    if (!batchIds.isEmpty()) {
      lines.add(
          "  batches: "
              + batchIds
              + ", bronze."
              + source
              + " version "
              + tableVersion
              + ", rejects version "
              + rejectsVersion);
    }
    if (message != null) {
      lines.add("  error:   " + message);
    }
    lines.add("  took:    " + durationMs + " ms");
    return lines;
  }
}
