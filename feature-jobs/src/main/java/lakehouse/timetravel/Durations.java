package lakehouse.timetravel;

import java.time.Duration;
import java.util.Locale;
import org.apache.spark.sql.catalyst.util.IntervalUtils;
import org.apache.spark.unsafe.types.CalendarInterval;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * Durations as users write them (HOCON: {@code 7 days}, {@code 168h}) and as Delta stores them in
 * table properties ({@code interval 7 days}). VACUUM counts its retention in whole hours.
 */
public final class Durations {
  private Durations() {}

  /**
   * Parses a Delta interval property such as {@code interval 30 days} (a month counts 30 days, as
   * Delta counts it); null when absent or unreadable.
   */
  public static Duration fromDeltaInterval(String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    String text = value.trim().toLowerCase(Locale.ROOT);
    try {
      CalendarInterval interval =
          IntervalUtils.stringToInterval(
              UTF8String.fromString(text.startsWith("interval") ? text : "interval " + text));
      return Duration.ofDays(30L * interval.months + interval.days)
          .plus(Duration.ofNanos(interval.microseconds * 1000));
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** The form Delta's retention properties take. */
  public static String toDeltaInterval(Duration duration) {
    long hours = ceilHours(duration);
    return hours % 24 == 0 ? "interval " + hours / 24 + " days" : "interval " + hours + " hours";
  }

  /** Whole hours, rounded up: VACUUM rounds its retention to whole hours. */
  public static long ceilHours(Duration duration) {
    long hours = duration.toHours();
    return duration.equals(Duration.ofHours(hours)) ? hours : hours + 1;
  }

  /** Rounds up to whole hours. */
  public static Duration roundUpToHours(Duration duration) {
    return Duration.ofHours(ceilHours(duration));
  }

  /** Human form: {@code 30 days}, {@code 36 hours}, {@code 0 hours}. */
  public static String text(Duration duration) {
    long hours = ceilHours(duration);
    if (hours != 0 && hours % 24 == 0) {
      return hours / 24 == 1 ? "1 day" : hours / 24 + " days";
    }
    return hours == 1 ? "1 hour" : hours + " hours";
  }
}
