package lakehouse.report;

import java.util.ArrayList;
import java.util.List;

/**
 * A plain HTML table: a header row and body rows of cells. Cell text is escaped; a cell may carry a
 * CSS class (e.g. {@code num} for right-aligned figures, {@code status-failed}).
 */
public final class HtmlTable {
  /** One cell: text (escaped when rendered), an optional class, or raw markup built here. */
  public record Cell(String text, String cssClass, boolean raw) {
    public static Cell of(Object text) {
      return new Cell(text == null ? "" : text.toString(), null, false);
    }

    public static Cell num(String text) {
      return new Cell(text, "num", false);
    }

    public static Cell styled(Object text, String cssClass) {
      return new Cell(text == null ? "" : text.toString(), cssClass, false);
    }

    /** Markup produced by the report's own renderers (already escaped). */
    public static Cell markup(String html, String cssClass) {
      return new Cell(html, cssClass, true);
    }
  }

  private final String cssClass;
  private final List<String> headers;
  private final List<List<Cell>> rows = new ArrayList<>();

  public HtmlTable(String cssClass, List<String> headers) {
    this.cssClass = cssClass;
    this.headers = List.copyOf(headers);
  }

  public HtmlTable row(List<Cell> cells) {
    rows.add(List.copyOf(cells));
    return this;
  }

  public int size() {
    return rows.size();
  }

  public String render() {
    StringBuilder html = new StringBuilder();
    html.append("<table class=\"").append(Html.esc(cssClass)).append("\"><thead><tr>");
    for (String header : headers) {
      html.append("<th>").append(Html.esc(header)).append("</th>");
    }
    html.append("</tr></thead><tbody>");
    for (List<Cell> row : rows) {
      html.append("<tr>");
      for (Cell cell : row) {
        html.append(
            cell.cssClass() == null ? "<td>" : "<td class=\"" + Html.esc(cell.cssClass()) + "\">");
        html.append(cell.raw() ? cell.text() : Html.esc(cell.text()));
        html.append("</td>");
      }
      html.append("</tr>");
    }
    html.append("</tbody></table>");
    return html.toString();
  }
}
