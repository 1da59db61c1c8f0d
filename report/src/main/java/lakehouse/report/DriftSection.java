package lakehouse.report;

import java.util.ArrayList;
import java.util.List;
import lakehouse.report.HtmlTable.Cell;
import lakehouse.report.ReportFacts.DriftFacts;
import lakehouse.report.ReportFacts.DriftRow;

/**
 * The drift section: for the newest comparison of each feature set day and training-set build,
 * worst first, each feature's severity, direction, PSI, KS distance and null-rate change, and a
 * small inline SVG of the reference (grey) and current (blue) shares per bin — the bins PSI used:
 * the reference's quantiles for numeric features, the categories for categorical ones.
 */
final class DriftSection {
  static final String NO_DRIFT =
      "no drift comparison yet (features drift, training-set drift "
          + "or the gold drift gate record them).";

  private static final int PLOT_HEIGHT = 46;
  private static final int BAR = 5;

  private DriftSection() {}

  static String render(List<DriftFacts> drift, String note) {
    StringBuilder html = new StringBuilder("<section id=\"drift\"><h2>Feature drift</h2>");
    if (drift == null || drift.isEmpty()) {
      html.append("<p class=\"note missing\">")
          .append(Html.esc(note == null ? NO_DRIFT : note))
          .append("</p></section>");
      return html.toString();
    }
    html.append(
        "<p class=\"intro\">Newest comparison of each feature set and training set, "
            + "worst first: PSI on the reference's quantile bins (categories for categorical "
            + "features), Kolmogorov–Smirnov distance, change in null rate. The plot shows the "
            + "reference (grey) and current (blue) share of each bin.</p>");
    for (DriftFacts facts : drift) {
      String id = Html.anchor("drift", facts.scope() + "-" + facts.subject());
      html.append("<h3 id=\"")
          .append(Html.esc(id))
          .append("\">")
          .append(Html.esc(facts.subject()))
          .append(" ")
          .append(Html.esc(facts.current()))
          .append(" against ")
          .append(Html.esc(facts.reference()))
          .append("</h3>");
      html.append("<p class=\"intro\">")
          .append(Html.esc(facts.scope().replace('_', ' ')))
          .append(" · checked ")
          .append(Html.esc(Html.time(facts.checkedAt())));
      if (facts.featureCount() > facts.features().size()) {
        html.append(" · the ")
            .append(facts.features().size())
            .append(" worst of ")
            .append(facts.featureCount())
            .append(" features");
      }
      html.append("</p>");
      HtmlTable table =
          new HtmlTable(
              id + "-table",
              List.of(
                  "feature",
                  "severity",
                  "direction",
                  "psi",
                  "ks",
                  "null rate change",
                  "reference mean",
                  "current mean",
                  "breaches",
                  "reference / current"));
      for (DriftRow row : facts.features()) {
        List<Cell> cells = new ArrayList<>();
        cells.add(Cell.of(row.feature()));
        cells.add(Cell.styled(row.severity(), "status drift-" + row.severity()));
        cells.add(Cell.of(row.direction()));
        cells.add(Cell.num(Html.number(row.psi())));
        cells.add(Cell.num(Html.number(row.ks())));
        cells.add(Cell.num(Html.number(row.nullRateChange())));
        cells.add(Cell.num(Html.number(row.referenceMean())));
        cells.add(Cell.num(Html.number(row.currentMean())));
        cells.add(Cell.of(String.join("; ", row.breaches())));
        cells.add(Cell.markup(plot(id + "-" + row.feature(), row), "plot"));
        table.row(cells);
      }
      html.append(table.render());
    }
    return html.append("</section>").toString();
  }

  /** Paired bars per bin, reference then current, scaled to the largest share. */
  static String plot(String id, DriftRow row) {
    int bins = row.bins().size();
    int width = Math.max(1, bins) * (2 * BAR + 4) + 4;
    double max = 0.0;
    for (int i = 0; i < bins; i++) {
      max = Math.max(max, Math.max(row.referenceShares().get(i), row.currentShares().get(i)));
    }
    StringBuilder svg = new StringBuilder();
    svg.append("<svg class=\"chart drift-plot\" id=\"")
        .append(Html.esc(Html.anchor("plot", id)))
        .append("\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ")
        .append(width)
        .append(' ')
        .append(PLOT_HEIGHT)
        .append("\" width=\"")
        .append(width)
        .append("\" height=\"")
        .append(PLOT_HEIGHT)
        .append("\" role=\"img\" aria-label=\"")
        .append(Html.esc(row.feature() + ": reference and current share per bin"))
        .append("\">");
    for (int i = 0; i < bins; i++) {
      double x = 2 + i * (2 * BAR + 4);
      bar(svg, "ref", x, row.referenceShares().get(i), max, row.bins().get(i), "reference");
      bar(svg, "cur", x + BAR, row.currentShares().get(i), max, row.bins().get(i), "current");
    }
    return svg.append("</svg>").toString();
  }

  private static void bar(
      StringBuilder svg,
      String cssClass,
      double x,
      double share,
      double max,
      String bin,
      String side) {
    double h = max <= 0 ? 0 : (PLOT_HEIGHT - 4) * share / max;
    svg.append("<rect class=\"")
        .append(cssClass)
        .append("\" data-bin=\"")
        .append(Html.esc(bin))
        .append("\" data-share=\"")
        .append(String.format(java.util.Locale.ROOT, "%.4f", share))
        .append("\" x=\"")
        .append(LineChart.fmt(x))
        .append("\" y=\"")
        .append(LineChart.fmt(PLOT_HEIGHT - 2 - h))
        .append("\" width=\"")
        .append(BAR)
        .append("\" height=\"")
        .append(LineChart.fmt(h))
        .append("\"><title>")
        .append(Html.esc(side + " " + bin + ": " + Html.percent(share)))
        .append("</title></rect>");
  }
}
