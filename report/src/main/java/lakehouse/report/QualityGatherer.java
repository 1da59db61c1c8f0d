package lakehouse.report;

import static org.apache.spark.sql.functions.col;

import java.sql.Date;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import lakehouse.common.catalog.LakeCatalog;
import lakehouse.common.catalog.TableId;
import lakehouse.report.ReportFacts.CheckHistory;
import lakehouse.report.ReportFacts.CheckPoint;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Every quality check's history from the silver metrics tables ({@code
 * silver.<table>_quality_metrics}, each one row per check per batch), grouped by (table, check,
 * metric), oldest result first. The {@code _volume} pseudo-check (row counts per batch) is left
 * out: the tables section shows volumes.
 */
final class QualityGatherer {
  static final String VOLUME = "_volume";

  private final LakeCatalog catalog;
  private final ReportSettings settings;

  QualityGatherer(LakeCatalog catalog, ReportSettings settings) {
    this.catalog = catalog;
    this.settings = settings;
  }

  /** The metrics tables among the lake's tables. */
  static List<TableId> metricsTables(Collection<TableId> tables) {
    return tables.stream()
        .filter(t -> t.layer().equals("silver") && t.name().endsWith(ReportSettings.METRICS_SUFFIX))
        .sorted(Comparator.comparing(TableId::toString))
        .toList();
  }

  List<CheckHistory> gather(List<TableId> metricsTables) {
    Dataset<Row> all = null;
    for (TableId table : metricsTables) {
      Dataset<Row> one = catalog.read(table);
      all = all == null ? one : all.unionByName(one, true);
    }
    List<Row> rows =
        all.where(col("check").notEqual(VOLUME))
            .select(
                "table",
                "check",
                "check_type",
                "severity",
                "metric",
                "threshold",
                "run_date",
                "batch_id",
                "recorded_at",
                "value",
                "status",
                "batch_status",
                "detail")
            .collectAsList();
    Map<List<String>, List<Row>> grouped = new LinkedHashMap<>();
    for (Row row : rows) {
      grouped
          .computeIfAbsent(
              List.of(row.getString(0), row.getString(1), row.getString(4)), k -> new ArrayList<>())
          .add(row);
    }
    List<CheckHistory> checks = new ArrayList<>();
    for (List<Row> group : grouped.values()) {
      group.sort(
          Comparator.<Row, Timestamp>comparing(r -> (Timestamp) r.get(8))
              .thenComparing(r -> (Date) r.get(6))
              .thenComparingLong(r -> r.getLong(7)));
      List<Row> newest =
          group.subList(Math.max(0, group.size() - settings.maxCheckPoints()), group.size());
      List<CheckPoint> points = new ArrayList<>();
      for (Row r : newest) {
        points.add(
            new CheckPoint(
                ((Date) r.get(6)).toLocalDate(),
                r.getLong(7),
                ((Timestamp) r.get(8)).toInstant(),
                r.isNullAt(9) ? null : r.getDouble(9),
                r.getString(10),
                r.getString(11),
                r.isNullAt(12) ? null : r.getString(12)));
      }
      Row last = newest.get(newest.size() - 1);
      checks.add(
          new CheckHistory(
              last.getString(0),
              last.getString(1),
              last.getString(2),
              last.getString(3),
              last.getString(4),
              last.isNullAt(5) ? null : last.getString(5),
              List.copyOf(points)));
    }
    checks.sort(
        Comparator.comparing(CheckHistory::table)
            .thenComparing(CheckHistory::check)
            .thenComparing(CheckHistory::metric));
    return checks;
  }
}
