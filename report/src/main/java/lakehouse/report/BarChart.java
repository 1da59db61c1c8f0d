package lakehouse.report;

import java.util.List;

/**
 * An inline SVG bar chart of counts per category (the lag distribution of a training set). Each bar
 * carries {@code data-label}/{@code data-value}, a {@code <title>} tooltip and its value printed
 * above it; a bar may be flagged (drawn in the warning colour).
 */
public final class BarChart {
  /** One bar. */
  public record Bar(String label, long value, boolean flagged) {}

  private static final int HEIGHT = 230;
  private static final int LEFT = 16;
  private static final int TOP = 22;
  private static final int BOTTOM = 48;
  private static final int SLOT = 82;

  private final String id;
  private final String title;
  private final List<Bar> bars;

  public BarChart(String id, String title, List<Bar> bars) {
    this.id = id;
    this.title = title;
    this.bars = List.copyOf(bars);
  }

  public String render() {
    int width = LEFT * 2 + SLOT * Math.max(1, bars.size());
    long max = Math.max(1, bars.stream().mapToLong(Bar::value).max().orElse(1));
    double plotHeight = HEIGHT - TOP - BOTTOM;
    StringBuilder svg = new StringBuilder();
    svg.append("<svg class=\"chart bar-chart\" id=\"")
        .append(Html.esc(id))
        .append("\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ")
        .append(width)
        .append(' ')
        .append(HEIGHT)
        .append("\" width=\"")
        .append(width)
        .append("\" height=\"")
        .append(HEIGHT)
        .append("\" role=\"img\" aria-label=\"")
        .append(Html.esc(title))
        .append("\"><title>")
        .append(Html.esc(title))
        .append("</title>");
    svg.append("<line class=\"axis\" x1=\"")
        .append(LEFT)
        .append("\" x2=\"")
        .append(width - LEFT)
        .append("\" y1=\"")
        .append(HEIGHT - BOTTOM)
        .append("\" y2=\"")
        .append(HEIGHT - BOTTOM)
        .append("\"/>");
    for (int i = 0; i < bars.size(); i++) {
      Bar bar = bars.get(i);
      double h = plotHeight * bar.value() / max;
      double x = LEFT + SLOT * i + 10;
      double y = HEIGHT - BOTTOM - h;
      svg.append("<rect class=\"bar")
          .append(bar.flagged() ? " flagged" : "")
          .append("\" data-label=\"")
          .append(Html.esc(bar.label()))
          .append("\" data-value=\"")
          .append(bar.value())
          .append("\" x=\"")
          .append(LineChart.fmt(x))
          .append("\" y=\"")
          .append(LineChart.fmt(y))
          .append("\" width=\"")
          .append(SLOT - 20)
          .append("\" height=\"")
          .append(LineChart.fmt(h))
          .append("\"><title>")
          .append(Html.esc(bar.label() + ": " + Html.count(bar.value())))
          .append("</title></rect>");
      double center = x + (SLOT - 20) / 2.0;
      svg.append("<text class=\"value\" x=\"")
          .append(LineChart.fmt(center))
          .append("\" y=\"")
          .append(LineChart.fmt(y - 5))
          .append("\" text-anchor=\"middle\">")
          .append(Html.esc(Html.count(bar.value())))
          .append("</text>");
      svg.append("<text class=\"tick\" x=\"")
          .append(LineChart.fmt(center))
          .append("\" y=\"")
          .append(HEIGHT - BOTTOM + 16)
          .append("\" text-anchor=\"middle\">")
          .append(Html.esc(bar.label()))
          .append("</text>");
    }
    svg.append("</svg>");
    return svg.toString();
  }
}
