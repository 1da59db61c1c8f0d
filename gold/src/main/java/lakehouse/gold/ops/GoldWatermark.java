package lakehouse.gold.ops;

import static org.apache.spark.sql.functions.col;

import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import lakehouse.common.catalog.TableId;
import lakehouse.common.ops.RunHistory;
import org.apache.spark.sql.Row;

/**
 * A gold run's facts in the run history ({@code details[<feature table>]} of its row in {@code
 * _ops.runs}), and the watermark read back from them. A run that has taken every source change up
 * to its versions into account (a {@code --changed} run, or the first run of a set) marks itself as
 * the new watermark, from which the next {@code --changed} run looks for changes. Only a run whose
 * record says it finished the set ({@code status ok}) counts: a run whose driver died is never a
 * watermark, so the next {@code --changed} run looks again from the one before.
 */
public final class GoldWatermark {
  private GoldWatermark() {}

  /** What one run of one feature set did. */
  public record Run(
      String mode,
      String status,
      LocalDate requestedFrom,
      LocalDate requestedTo,
      List<LocalDate> days,
      List<LocalDate> lateDays,
      Long goldVersion,
      Map<String, Long> sourceVersions,
      boolean advancesWatermark) {

    /** The run's facts as the run history keeps them. */
    public Map<String, Object> details() {
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("status", status);
      details.put("mode", mode);
      details.put("requested_from", requestedFrom);
      details.put("requested_to", requestedTo);
      details.put("days", days.isEmpty() ? null : days);
      details.put("late_days", lateDays.isEmpty() ? null : lateDays);
      details.put("gold_version", goldVersion);
      details.put(
          "source_versions",
          sourceVersions.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
      details.put("advances_watermark", advancesWatermark);
      return details;
    }
  }

  /**
   * The source versions every computed snapshot of the feature table already reflects, or null when
   * no finished run has set a watermark.
   */
  public static Map<String, Long> find(RunHistory history, TableId featureTable) {
    var facts = col("details").getItem(featureTable.toString());
    List<Row> rows =
        history
            .read()
            .where(
                facts
                    .getItem("status")
                    .equalTo("ok")
                    .and(facts.getItem("advances_watermark").equalTo("true")))
            .orderBy(col("finished_at").desc(), col("run_id").desc())
            .limit(1)
            .select(facts.getItem("source_versions"))
            .collectAsList();
    if (rows.isEmpty()) {
      return null;
    }
    Map<String, Long> versions = new LinkedHashMap<>();
    String listed = rows.get(0).getString(0);
    if (listed != null && !listed.isEmpty()) {
      for (String entry : listed.split(",")) {
        int at = entry.lastIndexOf('=');
        versions.put(entry.substring(0, at), Long.parseLong(entry.substring(at + 1)));
      }
    }
    return versions;
  }
}
