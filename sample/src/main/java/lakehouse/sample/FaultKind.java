package lakehouse.sample;

import java.util.Arrays;

/**
 * The irregularities the sample generator plants in the landing files on purpose, so that every
 * layer can prove it handles them. Each is counted exactly, per source and landing date, in the
 * {@link SampleManifest}.
 */
public enum FaultKind {
  /** An identical line written a second time; the count is the number of extra copies. */
  EXACT_DUPLICATES("exact_duplicates"),
  /**
   * An order landing again on a later day with the same id, a new status and a later {@code
   * updated_at}.
   */
  RESENT_UPDATES("resent_updates"),
  /**
   * A customer profile landing again with a changed segment and/or country and a later {@code
   * updated_at}.
   */
  PROFILE_UPDATES("profile_updates"),
  /**
   * A record whose event time lies 1 to 5 days before its landing date (never before the start
   * date).
   */
  LATE_RECORDS("late_records"),
  /**
   * A line no reader can parse; each one is listed with its {@link MalformedKind} in the manifest.
   */
  MALFORMED_LINES("malformed_lines"),
  /** A parseable record whose {@code customer_id} (or, for orders, {@code order_id}) is null. */
  NULL_REQUIRED("null_required"),
  /** An order amount below 0 or above 100000, or an event type outside the allowed set. */
  OUT_OF_RANGE("out_of_range");

  private final String label;

  FaultKind(String label) {
    this.label = label;
  }

  /** The snake_case name used in the manifest JSON. */
  public String label() {
    return label;
  }

  /**
   * @throws IllegalArgumentException if no kind carries that label
   */
  public static FaultKind fromLabel(String label) {
    for (FaultKind kind : values()) {
      if (kind.label.equals(label)) {
        return kind;
      }
    }
    throw new IllegalArgumentException(
        "Unknown fault kind '"
            + label
            + "'; known: "
            + Arrays.stream(values()).map(FaultKind::label).toList());
  }
}
