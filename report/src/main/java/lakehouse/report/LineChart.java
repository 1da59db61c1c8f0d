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
  private final boolean fromZero;

  /**
   * @param fromZero whether the value axis starts at zero whatever the values (row counts)
   */
  public LineChart(
      String id, String title, List<Point> points, List<Reference> references, boolean fromZero) {
    this.id = id;
    this.title = title;
    this.points = List.copyOf(points);
    this.references = List.copyOf(references);
    this.fromZero = fromZero;
  }

  public String render() {
    List<Double> values = new ArrayList<>();
    points.stream().map(Point::value).filter(v -> v != null && !v.isNaN()).forEach(values::add);
    references.forEach(r -> values.add(r.value()));
    double min = values.stream().mapToDouble(Double::doubleValue).min().orElse(0);
    double max = values.stream().mapToDouble(Double::doubleValue).max().orElse(1);
    if (fromZero || (min >= 0 && min <= max * 0.5)) {
      min = Math.min(0, min); // counts and rates read best from zero
    }
    if (max == min) {
      max = min + (min == 0 ? 1 : Math.abs(min) * 0.1);
      min = min == 0 ? 0 : min - Math.abs(min) * 0.1;
    }
    double step = niceStep((max - min) / 4);
    min = Math.floor(min / step) * step;
    max = Math.ceil(max / step) * step;
    int ticks = (int) Math.round((max - min) / step);
    double plotWidth = WIDTH - LEFT - RIGHT;
    double plotHeight = HEIGHT - TOP - BOTTOM;
    StringBuilder svg = new StringBuilder();
    svg.append("<svg class=\"chart line-chart\" id=\"")
        .append(Html.esc(id))
        .append("\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ")
        .append(WIDTH)
        .append(' ')
        .append(HEIGHT)
        .append("\" width=\"")
        .append(WIDTH)
        .append("\" height=\"")
        .append(HEIGHT)
        .append("\" role=\"img\" aria-label=\"")
        .append(Html.esc(title))
        .append("\"><title>")
        .append(Html.esc(title))
        .append("</title>");
    svg.append("<rect class=\"plot\" x=\"")
        .append(LEFT)
        .append("\" y=\"")
        .append(TOP)
        .append("\" width=\"")
        .append((int) plotWidth)
        .append("\" height=\"")
        .append((int) plotHeight)
        .append("\"/>");
    for (int i = 0; i <= ticks; i++) {
      double value = min + step * i;
      double y = y(value, min, max, plotHeight);
      svg.append("<line class=\"grid\" x1=\"")
          .append(LEFT)
          .append("\" x2=\"")
          .append(WIDTH - RIGHT)
          .append("\" y1=\"")
          .append(fmt(y))
          .append("\" y2=\"")
          .append(fmt(y))
          .append("\"/>");
      svg.append("<text class=\"tick\" x=\"")
          .append(LEFT - 6)
          .append("\" y=\"")
          .append(fmt(y + 4))
          .append("\" text-anchor=\"end\">")
          .append(Html.esc(Html.number(value)))
          .append("</text>");
    }
    for (Reference reference : references) {
      double y = y(reference.value(), min, max, plotHeight);
      svg.append("<line class=\"threshold\" data-value=\"")
          .append(reference.value())
          .append("\" x1=\"")
          .append(LEFT)
          .append("\" x2=\"")
          .append(WIDTH - RIGHT)
          .append("\" y1=\"")
          .append(fmt(y))
          .append("\" y2=\"")
          .append(fmt(y))
          .append("\"/>");
      svg.append("<text class=\"threshold-label\" x=\"")
          .append(WIDTH - RIGHT - 4)
          .append("\" y=\"")
          .append(fmt(y - 4))
          .append("\" text-anchor=\"end\">")
          .append(Html.esc(reference.label()))
          .append("</text>");
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
      dots.append("<circle class=\"point\" data-x=\"")
          .append(Html.esc(point.label()))
          .append("\" data-y=\"")
          .append(point.value())
          .append("\" cx=\"")
          .append(fmt(x))
          .append("\" cy=\"")
          .append(fmt(y))
          .append("\" r=\"3.5\"><title>")
          .append(Html.esc(point.tooltip()))
          .append("</title></circle>");
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
      // The first and last labels hang inwards so they are not cut at the chart's edges.
      String anchor = n == 1 ? "middle" : i == 0 ? "start" : i == n - 1 ? "end" : "middle";
      svg.append("<text class=\"tick\" x=\"")
          .append(fmt(x))
          .append("\" y=\"")
          .append(HEIGHT - BOTTOM + 16)
          .append("\" text-anchor=\"")
          .append(anchor)
          .append("\">")
          .append(Html.esc(points.get(i).label()))
          .append("</text>");
    }
    svg.append("</svg>");
    return svg.toString();
  }

  /** 1, 2 or 5 times a power of ten, at least the raw step. */
  static double niceStep(double raw) {
    double power = Math.pow(10, Math.floor(Math.log10(raw)));
    for (double factor : new double[] {1, 2, 5, 10}) {
      if (factor * power >= raw - 1e-12) {
        return factor * power;
      }
    }
    return 10 * power;
  }

  private static double y(double value, double min, double max, double plotHeight) {
    return TOP + plotHeight - (value - min) / (max - min) * plotHeight;
  }

  static String fmt(double value) {
    return String.format(Locale.ROOT, "%.1f", value);
  }
}
