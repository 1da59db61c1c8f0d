package lakehouse.bronze;

import java.util.List;

/** Every message text of the bronze layer, in one place so that tests can assert them. */
public final class BronzeMessages {
  /** Reject reason: the line's bytes are not valid UTF-8. */
  public static final String BAD_ENCODING = "bad encoding: the line is not valid UTF-8";

  /** Reject reason: a JSON lines record that does not parse as a JSON object. */
  public static final String MALFORMED_JSON = "malformed JSON: the line is not a JSON object";

  /** Reject reason prefix: a CSV line whose quoting is broken. */
  public static final String MALFORMED_CSV = "malformed CSV: ";

  private BronzeMessages() {}

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
   * One line of the failures {@code --all-sources} lists at its end (multi-line messages joined).
   */
  public static String sourceFailed(String source, int exitCode, String message) {
    return "bronze "
        + source
        + " (exit "
        + exitCode
        + "): "
        + String.join("; ", String.valueOf(message).strip().lines().toList());
  }

  public static String sourceRequired() {
    return "give --source NAME or --all-sources";
  }

  public static String sourceAndAll() {
    return "give either --source NAME or --all-sources, not both";
  }

  public static String landingRootMissing(String landingRoot) {
    return "landing root " + landingRoot + " does not exist";
  }

  public static String locationMissing(String source, String location) {
    return "landing location of source '" + source + "' does not exist: " + location;
  }

  public static String notADateFolder(String source, String folder) {
    return "source '"
        + source
        + "': landing folder "
        + folder
        + " is not a yyyy-MM-dd date folder (rename it, or prefix it with '_' to have it ignored)";
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

  public static String hintDisagrees(String source, String column, String hint, String table) {
    return "source '"
        + source
        + "': schema hint "
        + column
        + " = "
        + hint
        + " disagrees with bronze."
        + source
        + ", which has "
        + table
        + "; nothing was written";
  }

  public static String reservedColumn(String source, String column, String file) {
    return "source '"
        + source
        + "': landed column '"
        + column
        + "' in "
        + file
        + " collides with a bronze audit column; nothing was written";
  }

  public static String plannedFileVanished(String source, long batch, String file) {
    return "source '"
        + source
        + "': file "
        + file
        + " of pending batch "
        + batch
        + " is gone from the landing zone; restore it to finish the batch";
  }

  public static String listedFileVanished(String source, String file) {
    return "source '"
        + source
        + "': file "
        + file
        + " is gone since this run listed it;"
        + " nothing was written";
  }

  /**
   * A landed file that differs from what was listed (batch null: during the checking read) or
   * planned: the batch fails and nothing of it is written.
   */
  public static String fileChanged(
      String source,
      Long batch,
      String file,
      long plannedSize,
      long plannedModified,
      long size,
      long modified) {
    String was =
        plannedSize + " bytes, modified " + java.time.Instant.ofEpochMilli(plannedModified);
    String now = size + " bytes, modified " + java.time.Instant.ofEpochMilli(modified);
    return batch == null
        ? "source '"
            + source
            + "': file "
            + file
            + " changed while this run read it (listed: "
            + was
            + "; now: "
            + now
            + "); nothing was written. Rerun once the file is complete"
        : "source '"
            + source
            + "': file "
            + file
            + " of pending batch "
            + batch
            + " changed after it was planned (planned: "
            + was
            + "; now: "
            + now
            + "); nothing of batch "
            + batch
            + " was written. Restore the file as planned (same"
            + " bytes and modification time) to finish the batch";
  }

  /** Another process committed to a table this run writes (Delta's optimistic concurrency). */
  public static String concurrentWriter(String source, String table, boolean wroteNothing) {
    return "another run is writing "
        + table
        + "; this run "
        + (wroteNothing
            ? "wrote nothing"
            : "stopped there (source '" + source + "': the batches it wrote before are complete)")
        + "; run again once the other run is done";
  }

  /**
   * The storage (landing or lake) failed mid-run: what was committed stays, and the next run
   * finishes a batch this run planned but did not complete.
   */
  public static String storageFailed(String source, String cause) {
    return "source '"
        + source
        + "': the storage failed mid-run ("
        + cause
        + "); every commit "
        + "before it stands and nothing was lost: rerun once the storage answers, and it "
        + "finishes the interrupted batch";
  }

  /** A compressed landed file (still as listed) that its extension's codec cannot read. */
  public static String notDecompressible(String source, String file, String cause) {
    return "source '"
        + source
        + "': compressed file "
        + file
        + " cannot be decompressed ("
        + cause
        + "); nothing was written. Replace it with a complete file under a new name, or"
        + " move it to a folder or name starting with '_' to have it ignored";
  }

  public static String unreadableParquet(String source, String file, String cause) {
    return "source '"
        + source
        + "': cannot read parquet file "
        + file
        + ": "
        + cause
        + "; nothing was written";
  }
}
