package lakehouse.report;

import java.util.List;
import java.util.Locale;

/**
 * An inline SVG strip of one square per check result, oldest first, coloured by status (passed,
 * failed, warned, skipped); each square's tooltip names the batch and the value.
 */
public final class StatusStrip {
  /** One result. */
  public record Mark(String status, String tooltip) {}

  private static final int SIZE = 12;
  private static final int GAP = 3;

  private StatusStrip() {}

  public static String render(String id, List<Mark> marks) {
    int width = Math.max(1, marks.size()) * (SIZE + GAP);
    StringBuilder svg = new StringBuilder();
    svg.append("<svg class=\"status-strip\" id=\"")
        .append(Html.esc(id))
        .append("\" xmlns=\"http://www.w3.org/2000/svg\" width=\"")
        .append(width)
        .append("\" height=\"")
        .append(SIZE)
        .append("\" viewBox=\"0 0 ")
        .append(width)
        .append(' ')
        .append(SIZE)
        .append("\">");
    for (int i = 0; i < marks.size(); i++) {
      Mark mark = marks.get(i);
      String status =
          mark.status() == null
              ? "unknown"
              : mark.status().toLowerCase(Locale.ROOT).replaceAll("[^a-z]", "");
      svg.append("<rect class=\"mark ")
          .append(Html.esc(status))
          .append("\" data-status=\"")
          .append(Html.esc(status))
          .append("\" x=\"")
          .append(i * (SIZE + GAP))
          .append("\" y=\"0\" width=\"")
          .append(SIZE)
          .append("\" height=\"")
          .append(SIZE)
          .append("\" rx=\"2\"><title>")
          .append(Html.esc(mark.tooltip()))
          .append("</title></rect>");
    }
    svg.append("</svg>");
    return svg.toString();
  }
}
