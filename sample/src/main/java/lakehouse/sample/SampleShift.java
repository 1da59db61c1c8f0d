package lakehouse.sample;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import lakehouse.common.LakehouseException;

/**
 * A planted distribution shift, for testing drift detection: from landing day {@code from} on, one
 * quantity of the sample changes while everything else (every random draw, every other record)
 * stays as it would have been.
 *
 * <p>The one kind, {@code sessions=F@DATE}: from DATE on, the events of each visit are spread
 * round-robin over {@code F} sessions instead of one (a session-tracking change), so in the sample
 * feature set exactly {@code customer_features.session_count_7d} moves up (by up to F times, visits
 * having 1 + Poisson(3) events); the events themselves, their types and times are unchanged.
 *
 * @param kind what shifts ({@code sessions})
 * @param factor how much (sessions: a whole number of at least 2)
 * @param from the first landing day shifted
 */
public record SampleShift(String kind, int factor, LocalDate from) {
  public static final String SESSIONS = "sessions";

  public SampleShift {
    if (!SESSIONS.equals(kind)) {
      throw LakehouseException.usage(
          "Sample shift kind must be '" + SESSIONS + "', got '" + kind + "'.");
    }
    if (factor < 2 || factor > 100) {
      throw LakehouseException.usage(
          "Sample shift factor must be between 2 and 100, got " + factor + ".");
    }
    if (from == null) {
      throw LakehouseException.usage("Sample shift needs its first day.");
    }
  }

  /** Parses {@code sessions=3@2026-01-15}. */
  public static SampleShift parse(String text) {
    String usage =
        "--shift must look like sessions=3@2026-01-15 (KIND=FACTOR@FIRST_DAY), got '" + text + "'.";
    if (text == null) {
      throw LakehouseException.usage(usage);
    }
    int eq = text.indexOf('=');
    int at = text.indexOf('@');
    if (eq < 1 || at < eq + 2) {
      throw LakehouseException.usage(usage);
    }
    try {
      return new SampleShift(
          text.substring(0, eq).trim().toLowerCase(Locale.ROOT),
          Integer.parseInt(text.substring(eq + 1, at).trim()),
          LocalDate.parse(text.substring(at + 1).trim()));
    } catch (NumberFormatException | DateTimeParseException e) {
      throw LakehouseException.usage(usage);
    }
  }

  /** Whether the landing date is shifted. */
  public boolean appliesOn(LocalDate landingDate) {
    return !landingDate.isBefore(from);
  }

  @Override
  public String toString() {
    return kind + "=" + factor + "@" + from;
  }
}
