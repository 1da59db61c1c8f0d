package lakehouse.gold;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import lakehouse.common.ops.JobResult;
import lakehouse.gold.ops.GoldWatermark;

/**
 * What a gold run did.
 *
 * @param runId the run's id in the run history ({@code _ops.runs})
 * @param featureSet the feature set
 * @param table the feature table written
 * @param days every snapshot day written, sorted
 * @param lateDays the days among them recomputed because their sources changed
 * @param rowsWritten rows written in the run's commit
 * @param goldVersion the feature table's version after the run (null when nothing was written)
 * @param sourceVersions the version of each source table read
 * @param features the number of features in the set
 * @param durationMs wall time
 * @param recorded the run's facts as the run history keeps them ({@link #details()})
 */
public record GoldReport(
    String runId,
    String featureSet,
    String table,
    List<LocalDate> days,
    List<LocalDate> lateDays,
    long rowsWritten,
    Long goldVersion,
    Map<String, Long> sourceVersions,
    int features,
    long durationMs,
    GoldWatermark.Run recorded)
    implements JobResult {

  /** A few lines for people. */
  @Override
  public List<String> lines() {
    List<String> lines = new ArrayList<>();
    if (days.isEmpty()) {
      lines.add("gold " + featureSet + ": nothing to compute (no changed days)");
    } else {
      lines.add(
          "gold "
              + featureSet
              + ": "
              + days.size()
              + (days.size() == 1 ? " day (" : " days (")
              + days.get(0)
              + (days.size() > 1 ? " .. " + days.get(days.size() - 1) : "")
              + "), "
              + rowsWritten
              + " rows, "
              + features
              + " features -> "
              + table
              + " version "
              + goldVersion);
    }
    if (!lateDays.isEmpty()) {
      lines.add("recomputed for late or changed source data: " + lateDays);
    }
    lines.add("sources read: " + sourceVersions);
    lines.add("run " + runId + " took " + durationMs + " ms");
    return lines;
  }

  /**
   * The facts of {@code details[<feature table>]} in the run history, from which the next {@code
   * --changed} run finds its watermark.
   */
  @Override
  public Map<String, Object> details() {
    return recorded.details();
  }
}
