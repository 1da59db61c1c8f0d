package lakehouse.silver.quality;

import lakehouse.silver.contract.CheckSpec;

/**
 * The result of one quality check in one run, as printed and stored in the metrics table.
 *
 * @param check the check's name
 * @param type the check type's label
 * @param severity {@code error} or {@code warn}
 * @param metric what was measured (e.g. {@code Completeness}, {@code Size})
 * @param value the measured value; NaN when it could not be measured
 * @param threshold the requirement, readable (e.g. {@code >= 0.95})
 * @param status passed, failed or skipped (nothing to measure, not enough history)
 * @param detail a short explanation for failures and skips; empty otherwise
 */
public record CheckOutcome(
    String check,
    String type,
    String severity,
    String metric,
    double value,
    String threshold,
    Status status,
    String detail) {

  /** How a check ended. */
  public enum Status {
    PASSED,
    FAILED,
    SKIPPED;

    public String label() {
      return name().toLowerCase();
    }
  }

  static CheckOutcome of(
      CheckSpec spec, String metric, double value, String threshold, Status status, String detail) {
    return new CheckOutcome(
        spec.name(),
        spec.type().label(),
        spec.severity().label(),
        metric,
        value,
        threshold,
        status,
        detail == null ? "" : detail);
  }

  /** Whether this outcome stops the publish. */
  public boolean blocks() {
    return status == Status.FAILED && severity.equals(CheckSpec.Severity.ERROR.label());
  }

  /** Whether this outcome is a failed warn-severity check. */
  public boolean warns() {
    return status == Status.FAILED && severity.equals(CheckSpec.Severity.WARN.label());
  }

  /** One line for the console and the gate's error message. */
  public String describe() {
    String measured = Double.isNaN(value) ? "not measured" : metric + " = " + format(value);
    return check
        + " ["
        + type
        + ", "
        + severity
        + "]: "
        + status.label()
        + " ("
        + measured
        + ", required "
        + threshold
        + ")"
        + (detail.isEmpty() ? "" : ": " + detail);
  }

  /** A number as the console shows it: whole numbers without a fraction, else 4 decimals. */
  public static String format(double value) {
    if (value == Math.rint(value) && Math.abs(value) < 1e15) {
      return String.valueOf((long) value);
    }
    return String.format(java.util.Locale.ROOT, "%.4f", value);
  }
}
