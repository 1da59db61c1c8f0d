package lakehouse.report;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import lakehouse.report.HtmlTable.Cell;
import lakehouse.report.ReportFacts.Aside;
import lakehouse.report.ReportFacts.ReasonCount;
import lakehouse.report.ReportFacts.TableFacts;
import lakehouse.report.ReportFacts.VersionCount;

/**
 * The tables section: an overview (version, freshness, rows, set-aside rows) and, per table, the
 * row count over its newest versions as a chart and the top reasons rows were set aside.
 */
final class TablesSection {
  private TablesSection() {}

  static String render(List<TableFacts> tables, List<String> notes, String lakeRoot, Instant now) {
    StringBuilder html = new StringBuilder();
    html.append("<section id=\"tables\"><h2>Tables</h2>");
    for (String note : notes) {
      html.append("<p class=\"note missing\">").append(Html.esc(note)).append("</p>");
    }
    if (tables.isEmpty()) {
      html.append("<p class=\"note\">")
          .append(Html.esc(ReportMessages.noTables(lakeRoot)))
          .append("</p></section>");
      return html.toString();
    }
    html.append(overview("tables-overview", tables, now, true));
    html.append("<div class=\"grid\">");
    for (TableFacts table : tables) {
      html.append(detail(table));
    }
    html.append("</div></section>");
    return html.toString();
  }

  /** The one-row-per-table overview (also used for the operational tables). */
  static String overview(String cssClass, List<TableFacts> tables, Instant now, boolean linked) {
    HtmlTable overview =
        new HtmlTable(
            cssClass,
            List.of(
                "table",
                "version",
                "last commit",
                "age",
                "last operation",
                "rows",
                "set aside",
                "set-aside table"));
    for (TableFacts t : tables) {
      Aside aside = t.aside();
      overview.row(
          List.of(
              linked
                  ? Cell.markup(
                      "<a href=\"#"
                          + Html.esc(Html.anchor("table", t.id().toString()))
                          + "\">"
                          + Html.esc(t.id())
                          + "</a>",
                      "name")
                  : Cell.styled(t.id(), "name"),
              Cell.num(Long.toString(t.version())),
              Cell.of(Html.time(t.lastCommit())),
              Cell.styled(Html.age(t.lastCommit(), now), "age"),
              Cell.of(t.lastOperation()),
              Cell.num(Html.count(t.rows())),
              Cell.styled(
                  aside == null ? "–" : Html.count(aside.rows()),
                  aside != null && aside.rows() > 0 ? "num warn" : "num"),
              Cell.of(aside == null ? "" : aside.table() + " (" + aside.kind() + ")")));
    }
    return overview.render();
  }

  private static String detail(TableFacts table) {
    String id = Html.anchor("table", table.id().toString());
    StringBuilder html = new StringBuilder();
    html.append("<article class=\"card table-detail\" id=\"")
        .append(Html.esc(id))
        .append("\" data-table=\"")
        .append(Html.esc(table.id()))
        .append("\"><h3>")
        .append(Html.esc(table.id()))
        .append("</h3>");
    html.append("<p class=\"facts\">version <b>")
        .append(table.version())
        .append("</b> · <b>")
        .append(Html.esc(Html.count(table.rows())))
        .append("</b> rows · last commit ")
        .append(Html.esc(Html.time(table.lastCommit())))
        .append("</p>");
    List<LineChart.Point> points = new ArrayList<>();
    List<Long> unknown = new ArrayList<>();
    for (VersionCount v : table.history()) {
      String version =
          "version "
              + v.version()
              + " ("
              + v.operation()
              + ", "
              + Html.time(v.committedAt())
              + "): ";
      if (v.rows() == null) {
        unknown.add(v.version());
        points.add(new LineChart.Point("v" + v.version(), null, version + "rows not in the log"));
      } else {
        points.add(
            new LineChart.Point(
                "v" + v.version(), (double) v.rows(), version + Html.count(v.rows()) + " rows"));
      }
    }
    html.append("<figure>")
        .append(
            new LineChart(
                    Html.anchor("rows", table.id().toString()),
                    "Rows of " + table.id() + " per version",
                    points,
                    List.of(),
                    true)
                .render())
        .append("<figcaption>Rows per version (newest ")
        .append(points.size())
        .append(")</figcaption></figure>");
    if (!unknown.isEmpty()) {
      html.append("<p class=\"note rows-unknown\">")
          .append(Html.esc(ReportMessages.rowsNotInLog(unknown)))
          .append("</p>");
    }
    Aside aside = table.aside();
    if (aside != null) {
      html.append("<div class=\"aside\"><h4>")
          .append(Html.esc(aside.kind()))
          .append(": ")
          .append(Html.esc(aside.table()))
          .append(" — ")
          .append(Html.esc(Html.count(aside.rows())))
          .append(" rows</h4>");
      if (aside.topReasons().isEmpty()) {
        html.append("<p class=\"note\">No rows set aside.</p>");
      } else {
        HtmlTable reasons = new HtmlTable("reasons", List.of("reason", "rows"));
        for (ReasonCount reason : aside.topReasons()) {
          reasons.row(List.of(Cell.of(reason.reason()), Cell.num(Html.count(reason.rows()))));
        }
        html.append(reasons.render());
      }
      html.append("</div>");
    }
    html.append("</article>");
    return html.toString();
  }
}
