package lakehouse.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * An inline SVG line chart of one series over categories (versions, batches), with optional
 * horizontal reference lines (a check's threshold). Every point carries its label and value in
 * {@code data-x}/{@code data-y} and a {@code <title>} tooltip, so the figures can be read back.
 */
public final class LineChart {
  /** One point: its category label, its value (null: not measured) and a tooltip. */
  public record Point(String label, Double value, String tooltip) {}

  /** A horizontal line at a value, e.g. {@code min 0.95}. */
  public record Reference(String label, double value) {}

  private static final int WIDTH = 640;
  private static final int HEIGHT = 220;
  private static final int LEFT = 64;
  private static final int RIGHT = 16;
  private static final int TOP = 16;
  private static final int BOTTOM = 44;

  private final String id;
  private final String title;
  private final List<Point> points;
  private final List<Reference> references;

  public LineChart(String id, String title, List<Point> points, List<Reference> references) {
    this.id = id;
    this.title = title;
    this.points = List.copyOf(points);
    this.references = List.copyOf(references);
  }

  public String render() {
    List<Double> values = new ArrayList<>();
    points.stream().map(Point::value).filter(v -> v != null && !v.isNaN()).forEach(values::add);
    references.forEach(r -> values.add(r.value()));
    double min = values.stream().mapToDouble(Double::doubleValue).min().orElse(0);
    double max = values.stream().mapToDouble(Double::doubleValue).max().orElse(1);
    if (min >= 0 && min <= max * 0.5) {
      min = 0; // counts and rates read best from zero
    }
    double pad = (max - min) * 0.1;
    if (pad == 0) {
      pad = max == 0 ? 1 : Math.abs(max) * 0.1;
    }
    max += pad;
    if (min != 0) {
      min -= pad;
    }
    double plotWidth = WIDTH - LEFT - RIGHT;
    double plotHeight = HEIGHT - TOP - BOTTOM;
    StringBuilder svg = new StringBuilder();
    svg.append("<svg class=\"chart line-chart\" id=\"").append(Html.esc(id))
        .append("\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ").append(WIDTH)
        .append(' ').append(HEIGHT).append("\" width=\"").append(WIDTH).append("\" height=\"")
        .append(HEIGHT).append("\" role=\"img\" aria-label=\"").append(Html.esc(title))
        .append("\"><title>").append(Html.esc(title)).append("</title>");
    svg.append("<rect class=\"plot\" x=\"").append(LEFT).append("\" y=\"").append(TOP)
        .append("\" width=\"").append((int) plotWidth).append("\" height=\"")
        .append((int) plotHeight).append("\"/>");
    for (int i = 0; i <= 4; i++) {
      double value = min + (max - min) * i / 4;
      double y = y(value, min, max, plotHeight);
      svg.append("<line class=\"grid\" x1=\"").append(LEFT).append("\" x2=\"")
          .append(WIDTH - RIGHT).append("\" y1=\"").append(fmt(y)).append("\" y2=\"")
          .append(fmt(y)).append("\"/>");
      svg.append("<text class=\"tick\" x=\"").append(LEFT - 6).append("\" y=\"")
          .append(fmt(y + 4)).append("\" text-anchor=\"end\">")
          .append(Html.esc(Html.number(value))).append("</text>");
    }
    for (Reference reference : references) {
      double y = y(reference.value(), min, max, plotHeight);
      svg.append("<line class=\"threshold\" data-value=\"").append(reference.value())
          .append("\" x1=\"").append(LEFT).append("\" x2=\"").append(WIDTH - RIGHT)
          .append("\" y1=\"").append(fmt(y)).append("\" y2=\"").append(fmt(y)).append("\"/>");
      svg.append("<text class=\"threshold-label\" x=\"").append(WIDTH - RIGHT - 4)
          .append("\" y=\"").append(fmt(y - 4)).append("\" text-anchor=\"end\">")
          .append(Html.esc(reference.label())).append("</text>");
    }
    int n = points.size();
    StringBuilder path = new StringBuilder();
    StringBuilder dots = new StringBuilder();
    for (int i = 0; i < n; i++) {
      Point point = points.get(i);
      double x = LEFT + (n == 1 ? plotWidth / 2 : plotWidth * i / (n - 1));
      if (point.value() == null || point.value().isNaN()) {
        continue;
      }
      double y = y(point.value(), min, max, plotHeight);
      path.append(path.length() == 0 ? "M" : " L").append(fmt(x)).append(' ').append(fmt(y));
      dots.append("<circle class=\"point\" data-x=\"").append(Html.esc(point.label()))
          .append("\" data-y=\"").append(point.value()).append("\" cx=\"").append(fmt(x))
          .append("\" cy=\"").append(fmt(y)).append("\" r=\"3.5\"><title>")
          .append(Html.esc(point.tooltip())).append("</title></circle>");
    }
    if (path.length() > 0) {
      svg.append("<path class=\"series\" d=\"").append(path).append("\"/>");
    }
    svg.append(dots);
    int every = Math.max(1, (int) Math.ceil(n / 8.0));
    for (int i = 0; i < n; i++) {
      if (i % every != 0 && i != n - 1) {
        continue;
      }
      double x = LEFT + (n == 1 ? plotWidth / 2 : plotWidth * i / (n - 1));
      svg.append("<text class=\"tick\" x=\"").append(fmt(x)).append("\" y=\"")
          .append(HEIGHT - BOTTOM + 16).append("\" text-anchor=\"middle\">")
          .append(Html.esc(points.get(i).label())).append("</text>");
    }
    svg.append("</svg>");
    return svg.toString();
  }

  private static double y(double value, double min, double max, double plotHeight) {
    return TOP + plotHeight - (value - min) / (max - min) * plotHeight;
  }

  static String fmt(double value) {
    return String.format(Locale.ROOT, "%.1f", value);
  }
}
