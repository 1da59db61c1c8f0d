package lakehouse.report;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Escaping and formatting for the report. Every value that goes into the page, text or attribute,
 * HTML or SVG, passes through {@link #esc}: table names, reasons and error messages come from data
 * and may hold anything.
 */
public final class Html {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

  private Html() {}

  /** The text escaped for an HTML/SVG text node or a quoted attribute value. */
  public static String esc(Object value) {
    String text = value == null ? "" : value.toString();
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> {
          // Control characters (a malformed line's bytes) are not allowed in HTML text.
          if (c < 0x20 && c != '\n' && c != '\t' && c != '\r') {
            out.append('\uFFFD');
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.toString();
  }

  /** A count with thousands separators: {@code 12,345}. */
  public static String count(long value) {
    return String.format(Locale.ROOT, "%,d", value);
  }

  /** A share as a percentage with one decimal: {@code 12.5%}. */
  public static String percent(double share) {
    return String.format(Locale.ROOT, "%.1f%%", share * 100);
  }

  /** A measured value: whole numbers without decimals, others with up to four significant. */
  public static String number(Double value) {
    if (value == null || value.isNaN()) {
      return "–";
    }
    if (value == Math.rint(value) && Math.abs(value) < 1e15) {
      return count(value.longValue());
    }
    return String.format(Locale.ROOT, "%.4g", value)
        .replaceFirst("(\\.\\d*?)0+$", "$1")
        .replaceFirst("\\.$", "");
  }

  public static String time(Instant instant) {
    return instant == null ? "–" : TIME.format(instant);
  }

  /** How long ago, readable: {@code 3 d 4 h}, {@code 2 h 5 min}, {@code 40 s}. */
  public static String age(Instant then, Instant now) {
    if (then == null) {
      return "–";
    }
    Duration age = Duration.between(then, now);
    if (age.isNegative()) {
      return "0 s";
    }
    long days = age.toDays();
    long hours = age.toHoursPart();
    long minutes = age.toMinutesPart();
    if (days > 0) {
      return days + " d " + hours + " h";
    }
    if (hours > 0) {
      return hours + " h " + minutes + " min";
    }
    if (minutes > 0) {
      return minutes + " min";
    }
    return age.toSecondsPart() + " s";
  }

  /** An id attribute value derived from a name (letters, digits, dashes). */
  public static String anchor(String prefix, String name) {
    return prefix + "-" + name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
  }
}
