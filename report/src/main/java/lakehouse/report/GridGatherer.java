package lakehouse.report;

import static org.apache.spark.sql.functions.col;

import java.util.ArrayList;
import java.util.List;
import lakehouse.common.catalog.LakeCatalog;
import lakehouse.common.catalog.TableId;
import lakehouse.common.ops.RunHistory;
import lakehouse.report.ReportFacts.Grid;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The report's plain tables: the feature registry's current definitions and the newest job runs.
 * Only the columns a table has are shown, so an older or newer layout still renders.
 */
final class GridGatherer {
  static final List<String> REGISTRY_COLUMNS =
      List.of(
          "feature_set",
          "feature",
          "version",
          "kind",
          "type",
          "window",
          "entity",
          "source_tables",
          "owner",
          "first_computed_date",
          "last_computed_date",
          "description");
  static final List<String> RUN_COLUMNS =
      List.of(
          "started_at",
          "job",
          "target",
          "run_date",
          "status",
          "exit_code",
          "rows_read",
          "rows_written",
          "rows_quarantined",
          "rows_rejected",
          "duration_ms",
          "versions_written",
          "error");

  private final LakeCatalog catalog;
  private final RunHistory history;

  GridGatherer(LakeCatalog catalog, RunHistory history) {
    this.catalog = catalog;
    this.history = history;
  }

  /** The feature registry: every set's registry table, the current definitions. */
  Grid registry(List<TableId> tables) {
    Dataset<Row> rows = null;
    for (TableId table : tables) {
      rows = rows == null ? catalog.read(table) : rows.unionByName(catalog.read(table), true);
    }
    if (TableGatherer.has(rows.schema(), "is_current")) {
      rows = rows.where(col("is_current"));
    }
    List<String> columns = present(rows, REGISTRY_COLUMNS);
    rows =
        rows.orderBy(
            present(rows, List.of("feature_set", "feature", "version")).stream()
                .map(c -> col(c))
                .toArray(org.apache.spark.sql.Column[]::new));
    return grid(rows, columns, Integer.MAX_VALUE);
  }

  Grid runs(int last) {
    Dataset<Row> rows = history.runs(null);
    return grid(rows, present(rows, RUN_COLUMNS), last);
  }

  private static Grid grid(Dataset<Row> rows, List<String> columns, int limit) {
    List<List<String>> cells = new ArrayList<>();
    Dataset<Row> selected =
        rows.select(columns.stream().map(c -> col(c)).toArray(org.apache.spark.sql.Column[]::new));
    for (Row row :
        (limit == Integer.MAX_VALUE ? selected : selected.limit(limit)).collectAsList()) {
      cells.add(Cells.row(row, columns));
    }
    return new Grid(columns, cells);
  }

  private static List<String> present(Dataset<Row> rows, List<String> wanted) {
    return wanted.stream().filter(c -> TableGatherer.has(rows.schema(), c)).toList();
  }
}
