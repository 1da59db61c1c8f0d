package lakehouse.report;

import java.util.ArrayList;
import java.util.List;
import lakehouse.report.HtmlTable.Cell;
import lakehouse.report.ReportFacts.Grid;

/** A section that is one plain table: the feature registry, the recent runs. */
final class GridSection {
  private GridSection() {}

  static String render(String id, String title, String intro, Grid grid, String note) {
    StringBuilder html = new StringBuilder();
    html.append("<section id=\"")
        .append(Html.esc(id))
        .append("\"><h2>")
        .append(Html.esc(title))
        .append("</h2>");
    if (grid == null) {
      html.append("<p class=\"note missing\">").append(Html.esc(note)).append("</p></section>");
      return html.toString();
    }
    html.append("<p class=\"intro\">").append(Html.esc(intro)).append("</p>");
    // Column names read as words, so long headers can wrap.
    HtmlTable table =
        new HtmlTable(
            id + "-table", grid.headers().stream().map(h -> h.replace('_', ' ')).toList());
    int status = grid.headers().indexOf("status");
    for (List<String> row : grid.rows()) {
      List<Cell> cells = new ArrayList<>();
      for (int i = 0; i < row.size(); i++) {
        String value = row.get(i);
        if (i == status) {
          cells.add(Cell.styled(value, "status " + value.replaceAll("[^a-z]", "")));
        } else if (value.matches("-?\\d+")) {
          cells.add(Cell.num(value));
        } else {
          cells.add(Cell.of(value));
        }
      }
      table.row(cells);
    }
    html.append(table.render()).append("</section>");
    return html.toString();
  }
}
