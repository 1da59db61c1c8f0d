package lakehouse.bronze;

import java.util.List;

/**
 * The reasons bronze gives a rejected line in its rejects table ({@code _reason}), in one place so
 * that tests and readers of the rejects can rely on them. A reason is data, not an error: the run
 * goes on. The layer's errors are in {@link BronzeErrors}.
 */
public final class RejectReasons {
  private RejectReasons() {}

  /** Reject reason: the line's bytes are not valid UTF-8. */
  public static final String BAD_ENCODING = "bad encoding: the line is not valid UTF-8";

  /** Reject reason: a JSON lines record that does not parse as a JSON object. */
  public static final String MALFORMED_JSON = "malformed JSON: the line is not a JSON object";

  /** Reject reason prefix: a CSV line whose quoting is broken. */
  public static final String MALFORMED_CSV = "malformed CSV: ";

  /**
   * Reject reason: a line longer than {@code lakehouse.bronze.max-line-bytes}; only its first bytes
   * are kept in {@code _raw}.
   */
  public static String lineTooLong(int maxBytes) {
    return "line longer than "
        + maxBytes
        + " bytes (lakehouse.bronze.max-line-bytes); _raw holds"
        + " its first "
        + Math.min(maxBytes, LineReader.LONG_LINE_PREFIX)
        + " bytes";
  }

  /**
   * Reject reason, one for the whole file: gzip bytes in a file whose name has no codec extension,
   * so it was not decompressed.
   */
  public static String gzipWithoutExtension() {
    return "gzip-compressed file without a .gz extension: not read (one reject for the whole"
        + " file); land it again named *.gz to have it decompressed";
  }

  /** Reject reason of a CSV file's first line that is not the declared header. */
  public static String badHeader(String problem, List<String> declared) {
    return "CSV header does not match the declared columns: the first line "
        + problem
        + " (declared: "
        + String.join(", ", declared)
        + "); every line of the file is rejected";
  }

  /** Reject reason of the other lines of a CSV file whose first line is not the header. */
  public static String fileOfBadHeader() {
    return "CSV file without the declared header: its first line (line 1) does not match the"
        + " declared columns";
  }

  /** Reject reason: a CSV line (no header) with fewer or more fields than declared columns. */
  public static String wrongColumnCountDeclared(int expected, int actual) {
    return "wrong column count: " + expected + " columns are declared, the line has " + actual;
  }

  /**
   * Reject reason: a value its column's fixed type (schema hint or bronze table) cannot hold; the
   * whole line is kept in {@code _raw}.
   */
  public static String typeMismatch(String column, String type, String value) {
    return typeMismatchPrefix(column, type) + value + "'";
  }

  /** {@link #typeMismatch} up to the value, which Spark fills in row by row. */
  static String typeMismatchPrefix(String column, String type) {
    return "type mismatch: column '" + column + "' is " + type + ", the value is '";
  }

  /** Reject reason prefix when the column could not be named (a nested value did not fit). */
  public static final String TYPE_MISMATCH_NESTED =
      "type mismatch: a value does not fit its column's type";

  /** Reject reason: a CSV line with fewer or more fields than the file's header. */
  public static String wrongColumnCount(int expected, int actual) {
    return "wrong column count: the header has " + expected + " fields, the line has " + actual;
  }

  /**
   * Reject reason of every row of a parquet file with a column whose type cannot be carried
   * (parquet has no lines: the file is set aside row by row, each row as JSON in {@code _raw}).
   *
   * @param pinnedBy what fixed the type: {@code bronze.<source> has}, {@code the schema hint pins}
   *     (the table does not exist yet or lacks the column), or {@code an earlier file of the batch
   *     has}
   */
  public static String parquetTypeMismatch(
      String column, String found, String pinnedBy, String expected) {
    return "type mismatch: parquet column '"
        + column
        + "' is "
        + found
        + " in this file, but "
        + pinnedBy
        + " "
        + expected
        + "; every row of the file is rejected, as JSON in _raw";
  }
}
