package lakehouse.sample;

import java.time.LocalDate;
import java.util.Random;

/**
 * Renders instants as ISO-8601 strings with one of a few fixed UTC offsets. Hand-written because
 * {@code DateTimeFormatter} dominates the generator's run time at millions of records.
 */
final class Timestamps {
  static final int SECONDS_PER_DAY = 86_400;
  static final int UTC = 0;

  private static final String[] OFFSET_SUFFIXES = {"Z", "+02:00", "-05:00", "+05:30"};
  private static final int[] OFFSET_SECONDS = {0, 2 * 3600, -5 * 3600, 5 * 3600 + 30 * 60};

  private Timestamps() {}

  /** An offset index for {@link #append}, uniformly among all offsets. */
  static int randomOffset(Random rng) {
    return rng.nextInt(OFFSET_SUFFIXES.length);
  }

  static long startOfDay(LocalDate date) {
    return date.toEpochDay() * SECONDS_PER_DAY;
  }

  /** A whole second uniformly within the UTC day that starts at {@code dayStart}. */
  static long randomSecondOfDay(Random rng, long dayStart) {
    return dayStart + rng.nextInt(SECONDS_PER_DAY);
  }

  /** Appends {@code yyyy-MM-ddTHH:mm:ss} in local time of the offset, followed by the offset. */
  static void append(StringBuilder out, long epochSecond, int offsetIndex) {
    long local = epochSecond + OFFSET_SECONDS[offsetIndex];
    LocalDate date = LocalDate.ofEpochDay(Math.floorDiv(local, SECONDS_PER_DAY));
    int secondOfDay = Math.floorMod(local, SECONDS_PER_DAY);
    appendPadded(out, date.getYear(), 4);
    out.append('-');
    appendPadded(out, date.getMonthValue(), 2);
    out.append('-');
    appendPadded(out, date.getDayOfMonth(), 2);
    out.append('T');
    appendPadded(out, secondOfDay / 3600, 2);
    out.append(':');
    appendPadded(out, secondOfDay / 60 % 60, 2);
    out.append(':');
    appendPadded(out, secondOfDay % 60, 2);
    out.append(OFFSET_SUFFIXES[offsetIndex]);
  }

  static void appendPadded(StringBuilder out, long value, int width) {
    String digits = Long.toString(value);
    for (int i = digits.length(); i < width; i++) {
      out.append('0');
    }
    out.append(digits);
  }
}
