package lakehouse.report;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the numeric bounds out of a check's recorded requirement, for the reference lines of its
 * trend chart: {@code >= 0.95}, {@code < 10}, {@code == 0}, {@code in [1, 100]} (with {@code -inf}
 * or {@code inf} for an open side). Requirements that are not numeric (a timestamp, a list of
 * values) give no line; the requirement is printed next to the chart either way.
 */
public final class Thresholds {
  private static final String NUMBER = "([-+]?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][-+]?\\d+)?)";
  private static final Pattern COMPARISON =
      Pattern.compile("^\\s*(>=|<=|==|=|>|<)\\s*" + NUMBER + "\\s*$");
  private static final Pattern RANGE =
      Pattern.compile(
          "^\\s*in\\s*[\\[(]\\s*(-inf|"
              + NUMBER
              + ")\\s*,\\s*(\\+?inf|"
              + NUMBER
              + ")\\s*[\\])]\\s*$");

  private Thresholds() {}

  public static List<LineChart.Reference> parse(String requirement) {
    List<LineChart.Reference> lines = new ArrayList<>();
    if (requirement == null) {
      return lines;
    }
    Matcher comparison = COMPARISON.matcher(requirement);
    if (comparison.matches()) {
      lines.add(
          new LineChart.Reference(requirement.trim(), Double.parseDouble(comparison.group(2))));
      return lines;
    }
    Matcher range = RANGE.matcher(requirement);
    if (range.matches()) {
      if (range.group(2) != null) {
        lines.add(
            new LineChart.Reference("min " + range.group(2), Double.parseDouble(range.group(2))));
      }
      if (range.group(4) != null) {
        lines.add(
            new LineChart.Reference("max " + range.group(4), Double.parseDouble(range.group(4))));
      }
    }
    return lines;
  }
}
