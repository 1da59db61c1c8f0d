package lakehouse.gold;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

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
    long durationMs) {

  /** A few lines for people. */
  public String summary() {
    StringBuilder text = new StringBuilder();
    if (days.isEmpty()) {
      text.append("gold ").append(featureSet).append(": nothing to compute (no changed days)");
    } else {
      text.append("gold ")
          .append(featureSet)
          .append(": ")
          .append(days.size())
          .append(days.size() == 1 ? " day (" : " days (")
          .append(days.get(0));
      if (days.size() > 1) {
        text.append(" .. ").append(days.get(days.size() - 1));
      }
      text.append("), ")
          .append(rowsWritten)
          .append(" rows, ")
          .append(features)
          .append(" features -> ")
          .append(table)
          .append(" version ")
          .append(goldVersion);
    }
    if (!lateDays.isEmpty()) {
      text.append("\nrecomputed for late or changed source data: ").append(lateDays);
    }
    text.append("\nsources read: ")
        .append(sourceVersions)
        .append("\nrun ")
        .append(runId)
        .append(" took ")
        .append(durationMs)
        .append(" ms");
    return text.toString();
  }
}
