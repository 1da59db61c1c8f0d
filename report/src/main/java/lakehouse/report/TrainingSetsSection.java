package lakehouse.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import lakehouse.report.HtmlTable.Cell;
import lakehouse.report.ReportFacts.Lag;
import lakehouse.report.ReportFacts.LagBucket;
import lakehouse.report.ReportFacts.TrainingSetFacts;

/**
 * The training-sets section: every build in one table, and for the newest builds the versions
 * pinned, label balance, feature null rates and the event-time minus feature-time distribution.
 */
final class TrainingSetsSection {
  private TrainingSetsSection() {}

  static String render(List<TrainingSetFacts> sets, String note) {
    StringBuilder html = new StringBuilder();
    html.append("<section id=\"training-sets\"><h2>Training sets</h2>");
    if (sets == null) {
      html.append("<p class=\"note missing\">").append(Html.esc(note)).append("</p></section>");
      return html.toString();
    }
    HtmlTable builds =
        new HtmlTable(
            "training-sets-overview",
            List.of(
                "training set id",
                "name",
                "built at",
                "knowledge",
                "spine",
                "rows",
                "content hash"));
    for (TrainingSetFacts set : sets) {
      String spine =
          set.spineSource() + (set.spineVersion() == null ? "" : " @ v" + set.spineVersion());
      builds.row(
          List.of(
              set.detailed()
                  ? Cell.markup(
                      "<a href=\"#"
                          + Html.esc(Html.anchor("ts", set.id()))
                          + "\">"
                          + Html.esc(set.id())
                          + "</a>",
                      "name")
                  : Cell.styled(set.id(), "name"),
              Cell.of(set.name()),
              Cell.of(Html.time(set.builtAt())),
              Cell.of(set.knowledgeMode()),
              Cell.of(spine),
              Cell.num(Html.count(set.rowCount())),
              Cell.styled(abbreviate(set.contentHash()), "hash")));
    }
    html.append(builds.render());
    for (TrainingSetFacts set : sets) {
      if (set.detailed()) {
        html.append(detail(set));
      }
    }
    html.append("</section>");
    return html.toString();
  }

  private static String detail(TrainingSetFacts set) {
    StringBuilder html = new StringBuilder();
    html.append("<article class=\"card training-set\" id=\"")
        .append(Html.esc(Html.anchor("ts", set.id())))
        .append("\" data-training-set=\"")
        .append(Html.esc(set.id()))
        .append("\"><h3>")
        .append(Html.esc(set.name()))
        .append(" <small>")
        .append(Html.esc(set.id()))
        .append("</small></h3>");
    html.append("<p class=\"facts\"><b>")
        .append(Html.esc(Html.count(set.rowCount())))
        .append("</b> rows · ")
        .append(Html.esc(set.knowledgeMode()))
        .append(" · built ")
        .append(Html.esc(Html.time(set.builtAt())))
        .append(" · output ")
        .append(Html.esc(set.outputLocation()))
        .append(set.outputVersion() == null ? "" : " @ v" + set.outputVersion())
        .append("</p>");
    if (set.note() != null) {
      html.append("<p class=\"note\">").append(Html.esc(set.note())).append("</p>");
    }
    html.append("<div class=\"columns\">");
    HtmlTable pins = new HtmlTable("pins", List.of("input", "role", "version"));
    pins.row(
        List.of(
            Cell.of(set.spineSource()),
            Cell.of("spine"),
            Cell.num(set.spineVersion() == null ? "file" : Long.toString(set.spineVersion()))));
    for (Map.Entry<String, Long> pin : set.featureVersions().entrySet()) {
      pins.row(
          List.of(
              Cell.of(pin.getKey()), Cell.of("features"), Cell.num(Long.toString(pin.getValue()))));
    }
    html.append("<div><h4>Versions pinned</h4>").append(pins.render()).append("</div>");
    html.append("<div><h4>Label balance")
        .append(set.label() == null ? "" : " (" + Html.esc(set.label()) + ")")
        .append("</h4>");
    if (set.labelCounts().isEmpty()) {
      html.append("<p class=\"note\">")
          .append(set.label() == null ? "No label column." : "Not recorded.")
          .append("</p>");
    } else {
      long total = set.labelCounts().values().stream().mapToLong(Long::longValue).sum();
      HtmlTable labels = new HtmlTable("labels", List.of("label", "rows", "share"));
      for (Map.Entry<String, Long> label : set.labelCounts().entrySet()) {
        double share = total == 0 ? 0 : (double) label.getValue() / total;
        labels.row(
            List.of(
                Cell.of(label.getKey()),
                Cell.num(Html.count(label.getValue())),
                Cell.markup(meter(share), "meter")));
      }
      html.append(labels.render());
    }
    html.append("</div></div>");
    html.append("<h4>Feature null rates</h4>");
    if (set.nullRates().isEmpty()) {
      html.append("<p class=\"note\">No feature columns measured.</p>");
    } else {
      HtmlTable rates = new HtmlTable("null-rates", List.of("feature", "null rate"));
      for (Map.Entry<String, Double> rate : set.nullRates().entrySet()) {
        rates.row(
            List.of(
                Cell.of(rate.getKey()),
                Cell.markup(
                    meter(rate.getValue()), rate.getValue() > 0.5 ? "meter warn" : "meter")));
      }
      html.append(rates.render());
    }
    html.append("<h4>Lag between event time and feature time</h4>");
    if (set.lags().isEmpty()) {
      html.append("<p class=\"note\">Not measured.</p>");
    }
    for (Lag lag : set.lags()) {
      html.append(lag(set, lag));
    }
    html.append("</article>");
    return html.toString();
  }

  private static String lag(TrainingSetFacts set, Lag lag) {
    StringBuilder html = new StringBuilder("<figure class=\"lag\">");
    if (lag.note() != null) {
      html.append("<p class=\"note\">")
          .append(Html.esc(lag.featureTable()))
          .append(": ")
          .append(Html.esc(lag.note()))
          .append("</p></figure>");
      return html.toString();
    }
    List<BarChart.Bar> bars = new ArrayList<>();
    for (LagBucket bucket : lag.buckets()) {
      bars.add(new BarChart.Bar(bucket.label(), bucket.rows(), bucket.flagged()));
    }
    html.append(
        new BarChart(
                Html.anchor("lag", set.id() + "-" + lag.featureTable()),
                "Event time minus feature time, " + lag.featureTable(),
                bars)
            .render());
    html.append("<figcaption>")
        .append(Html.esc(lag.featureTable()))
        .append(" (")
        .append(Html.esc(lag.featureTimeColumn()))
        .append("): rows per lag between the spine's event time and the feature row's time")
        .append("</figcaption></figure>");
    return html.toString();
  }

  /** A share as a bar and a figure. */
  static String meter(double share) {
    double clamped = Math.max(0, Math.min(1, share));
    return "<span class=\"bar-track\"><span class=\"bar-fill\" style=\"width:"
        + LineChart.fmt(clamped * 100)
        + "%\"></span></span> <span class=\"share\">"
        + Html.esc(Html.percent(share))
        + "</span>";
  }

  private static String abbreviate(String hash) {
    return hash == null ? "" : hash.length() > 16 ? hash.substring(0, 16) + "…" : hash;
  }
}
