package lakehouse.report;

import java.util.ArrayList;
import java.util.List;
import lakehouse.report.HtmlTable.Cell;
import lakehouse.report.ReportFacts.CheckHistory;
import lakehouse.report.ReportFacts.CheckPoint;

/**
 * The quality section: one summary row per check (latest value and status, passed/failed counts,
 * the status history as a strip) and, per check, its metric's trend with the threshold.
 */
final class QualitySection {
  private QualitySection() {}

  static String render(List<CheckHistory> checks, String note) {
    StringBuilder html = new StringBuilder();
    html.append("<section id=\"quality\"><h2>Quality checks</h2>");
    if (checks == null) {
      html.append("<p class=\"note missing\">").append(Html.esc(note)).append("</p></section>");
      return html.toString();
    }
    if (checks.isEmpty()) {
      html.append("<p class=\"note\">")
          .append(Html.esc(ReportMessages.NO_CHECKS))
          .append("</p></section>");
      return html.toString();
    }
    HtmlTable summary =
        new HtmlTable(
            "checks-overview",
            List.of(
                "table",
                "check",
                "type",
                "severity",
                "metric",
                "threshold",
                "latest value",
                "latest status",
                "passed",
                "failed",
                "history"));
    for (CheckHistory check : checks) {
      CheckPoint latest = check.latest();
      String id = anchor(check);
      summary.row(
          List.of(
              Cell.of(check.table()),
              Cell.markup(
                  "<a href=\"#" + Html.esc(id) + "\">" + Html.esc(check.check()) + "</a>", "name"),
              Cell.of(check.checkType()),
              Cell.of(check.severity()),
              Cell.of(check.metric()),
              Cell.of(check.threshold() == null ? "" : check.threshold()),
              Cell.num(Html.number(latest.value())),
              Cell.styled(
                  latest.status(), "status " + statusClass(latest.status(), check.severity())),
              Cell.num(Long.toString(check.count("passed"))),
              Cell.num(Long.toString(check.count("failed"))),
              Cell.markup(StatusStrip.render(Html.anchor("strip", id), marks(check)), "strip")));
    }
    html.append(summary.render());
    html.append("<div class=\"grid\">");
    for (CheckHistory check : checks) {
      html.append(detail(check));
    }
    html.append("</div></section>");
    return html.toString();
  }

  static String anchor(CheckHistory check) {
    return Html.anchor("check", check.table() + "-" + check.check() + "-" + check.metric());
  }

  /** The CSS class of a status: a failed warning-level check is a warning, not an error. */
  static String statusClass(String status, String severity) {
    if ("failed".equals(status) && severity != null && severity.startsWith("warn")) {
      return "warned";
    }
    return status == null ? "unknown" : status.replaceAll("[^a-z]", "");
  }

  private static List<StatusStrip.Mark> marks(CheckHistory check) {
    List<StatusStrip.Mark> marks = new ArrayList<>();
    for (CheckPoint p : check.points()) {
      marks.add(
          new StatusStrip.Mark(
              statusClass(p.status(), check.severity()),
              p.runDate()
                  + " batch "
                  + p.batchId()
                  + ": "
                  + p.status()
                  + " ("
                  + Html.number(p.value())
                  + ")"));
    }
    return marks;
  }

  private static String detail(CheckHistory check) {
    String id = anchor(check);
    List<LineChart.Point> points = new ArrayList<>();
    for (CheckPoint p : check.points()) {
      points.add(
          new LineChart.Point(
              p.runDate() + "#" + p.batchId(),
              p.value(),
              p.runDate()
                  + " batch "
                  + p.batchId()
                  + ": "
                  + Html.number(p.value())
                  + " — "
                  + p.status()
                  + (p.detail() == null || p.detail().isEmpty() ? "" : " (" + p.detail() + ")")));
    }
    StringBuilder html = new StringBuilder();
    html.append("<article class=\"card check-detail\" id=\"")
        .append(Html.esc(id))
        .append("\"><h3>")
        .append(Html.esc(check.table()))
        .append(" · ")
        .append(Html.esc(check.check()))
        .append("</h3><p class=\"facts\">")
        .append(Html.esc(check.metric()))
        .append(" · required ")
        .append(Html.esc(check.threshold() == null ? "–" : check.threshold()))
        .append(" · latest <span class=\"status ")
        .append(Html.esc(statusClass(check.latest().status(), check.severity())))
        .append("\">")
        .append(Html.esc(check.latest().status()))
        .append("</span></p>");
    html.append(
        new LineChart(
                Html.anchor("trend", id),
                "Trend of " + check.metric() + " (" + check.table() + " " + check.check() + ")",
                points,
                Thresholds.parse(check.threshold()),
                false)
            .render());
    html.append("</article>");
    return html.toString();
  }
}
