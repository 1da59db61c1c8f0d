package lakehouse.sample;

import java.util.Arrays;

/** How a malformed landing line is broken. */
public enum MalformedKind {
  /** A JSON object cut off before its closing brace. */
  TRUNCATED_JSON("truncated_json"),
  /** A line that is not JSON at all (an HTML error page, a log line). */
  NOT_JSON("not_json"),
  /**
   * A JSON line whose opening brace is replaced by the invalid UTF-8 sequence {@code 0xC3 0x28}.
   */
  BAD_ENCODING("bad_encoding"),
  /** A CSV line with fewer or more fields than the header. */
  WRONG_COLUMN_COUNT("wrong_column_count");

  private final String label;

  MalformedKind(String label) {
    this.label = label;
  }

  /** The snake_case name used in the manifest JSON. */
  public String label() {
    return label;
  }

  /**
   * @throws IllegalArgumentException if no kind carries that label
   */
  public static MalformedKind fromLabel(String label) {
    for (MalformedKind kind : values()) {
      if (kind.label.equals(label)) {
        return kind;
      }
    }
    throw new IllegalArgumentException(
        "Unknown malformed-line kind '"
            + label
            + "'; known: "
            + Arrays.stream(values()).map(MalformedKind::label).toList());
  }
}
