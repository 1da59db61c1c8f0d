package lakehouse.sample;

import static lakehouse.sample.FaultKind.EXACT_DUPLICATES;
import static lakehouse.sample.FaultKind.LATE_RECORDS;
import static lakehouse.sample.FaultKind.MALFORMED_LINES;
import static lakehouse.sample.FaultKind.NULL_REQUIRED;
import static lakehouse.sample.FaultKind.OUT_OF_RANGE;
import static lakehouse.sample.FaultKind.PROFILE_UPDATES;
import static lakehouse.sample.FaultKind.RESENT_UPDATES;

import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The four landing sources of the sample e-commerce domain, with their file format, their columns
 * (in file order) and the fault kinds planted in them.
 *
 * <p>Files land at {@code <landingRoot>/<source>/<yyyy-MM-dd>/<source>-<yyyy-MM-dd>-<part>.<ext>}
 * where {@code <part>} is a three-digit number starting at {@code 001}.
 */
public enum SampleSource {
  /** Customer profiles: CSV with a header line. */
  CUSTOMERS(
      "customers",
      "csv",
      List.of("customer_id", "name", "email", "country", "segment", "signup_ts", "updated_at"),
      EnumSet.of(MALFORMED_LINES, PROFILE_UPDATES)),
  /**
   * Orders: JSON lines; from the schema-drift date on, each record also carries {@code
   * coupon_code}.
   */
  ORDERS(
      "orders",
      "json",
      List.of(
          "order_id",
          "customer_id",
          "amount",
          "currency",
          "status",
          "category",
          "order_ts",
          "updated_at"),
      EnumSet.of(
          EXACT_DUPLICATES,
          RESENT_UPDATES,
          LATE_RECORDS,
          MALFORMED_LINES,
          NULL_REQUIRED,
          OUT_OF_RANGE)),
  /** Click-stream events: JSON lines. */
  EVENTS(
      "events",
      "json",
      List.of("event_id", "customer_id", "event_type", "event_ts", "page", "session_id"),
      EnumSet.of(EXACT_DUPLICATES, LATE_RECORDS, MALFORMED_LINES, NULL_REQUIRED, OUT_OF_RANGE)),
  /** Churn labels, the spine of training sets: CSV with a header line. */
  LABELS(
      "labels", "csv", List.of("customer_id", "label_ts", "churned"), EnumSet.of(MALFORMED_LINES));

  private final String sourceName;
  private final String format;
  private final List<String> columns;
  private final Set<FaultKind> faultKinds;

  SampleSource(String sourceName, String format, List<String> columns, Set<FaultKind> faultKinds) {
    this.sourceName = sourceName;
    this.format = format;
    this.columns = columns;
    this.faultKinds = Collections.unmodifiableSet(faultKinds);
  }

  /** The folder and file-name prefix, also the source's name in the manifest. */
  public String sourceName() {
    return sourceName;
  }

  /** {@code csv} or {@code json} (JSON lines); also the file extension. */
  public String format() {
    return format;
  }

  /** Whether every file starts with a header line naming {@link #columns()}. */
  public boolean hasHeader() {
    return format.equals("csv");
  }

  /**
   * The columns every record carries, in file order (schema drift may add more, see the manifest).
   */
  public List<String> columns() {
    return columns;
  }

  /** The fault kinds counted for this source, in declaration order. */
  public Set<FaultKind> faultKinds() {
    return faultKinds;
  }

  /**
   * @throws IllegalArgumentException if no source has that name
   */
  public static SampleSource fromName(String name) {
    for (SampleSource source : values()) {
      if (source.sourceName.equals(name)) {
        return source;
      }
    }
    throw new IllegalArgumentException(
        "Unknown sample source '"
            + name
            + "'; known: "
            + Arrays.stream(values()).map(SampleSource::sourceName).toList());
  }
}
