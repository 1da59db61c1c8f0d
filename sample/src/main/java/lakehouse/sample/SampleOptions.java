package lakehouse.sample;

import java.time.LocalDate;
import lakehouse.common.LakehouseException;

/**
 * What to generate: {@code days} landing days starting at {@code startDate}, a customer base that
 * starts with {@code customers} profiles and grows by about 2% of that number a day, and the seed
 * that makes every byte of the output reproducible; optionally a planted {@link SampleShift} (null:
 * none).
 *
 * @throws LakehouseException (usage) if an option is out of range
 */
public record SampleOptions(
    LocalDate startDate, int days, int customers, long seed, SampleShift shift) {
  /** Ten years of days; enough for any sample and a guard against a mistyped number. */
  public static final int MAX_DAYS = 3660;

  public static final int MAX_CUSTOMERS = 10_000_000;

  public SampleOptions {
    if (startDate == null) {
      throw LakehouseException.usage("Sample start date is missing.");
    }
    if (days < 1 || days > MAX_DAYS) {
      throw LakehouseException.usage(
          "Sample days must be between 1 and " + MAX_DAYS + ", got " + days + ".");
    }
    if (customers < 1 || customers > MAX_CUSTOMERS) {
      throw LakehouseException.usage(
          "Sample customers must be between 1 and " + MAX_CUSTOMERS + ", got " + customers + ".");
    }
    // Timestamps are rendered with four-digit years, and sign-ups reach two years back.
    if (startDate.getYear() < 1902 || startDate.plusDays(days).getYear() > 9999) {
      throw LakehouseException.usage(
          "Sample start date must lie between 1902-01-01 and the year 9999, got "
              + startDate
              + ".");
    }
  }

  /** Options without a shift. */
  public SampleOptions(LocalDate startDate, int days, int customers, long seed) {
    this(startDate, days, customers, seed, null);
  }

  /** The same options with a planted shift. */
  public SampleOptions withShift(SampleShift shift) {
    return new SampleOptions(startDate, days, customers, seed, shift);
  }

  /** Seven days from 2026-01-01, 500 customers, seed 42. */
  public static SampleOptions defaults() {
    return new SampleOptions(LocalDate.of(2026, 1, 1), 7, 500, 42L);
  }

  /** The landing date of day {@code dayIndex} (0-based). */
  public LocalDate landingDate(int dayIndex) {
    return startDate.plusDays(dayIndex);
  }

  /** The last landing date generated. */
  public LocalDate endDate() {
    return startDate.plusDays(days - 1L);
  }
}
