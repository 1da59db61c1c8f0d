package lakehouse.bronze;

import java.nio.file.Path;
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

  /** Reject reason: a CSV line with fewer or more fields than the file's header. */
  public static String wrongColumnCount(int expected, int actual) {
    return "wrong column count: the header has " + expected + " fields, the line has " + actual;
  }

  public static String unknownSource(String name, Path sourcesDir, List<String> known) {
    return "unknown source '" + name + "': no " + sourcesDir.resolve(name + ".conf")
        + "; declared sources: " + (known.isEmpty() ? "none" : String.join(", ", known));
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
    return "source '" + source + "': landing folder " + folder
        + " is not a yyyy-MM-dd date folder (rename it, or prefix it with '_' to have it ignored)";
  }

  public static String typeChange(String source, String column, String expected, String found,
      String file, Long line, String value) {
    return "source '" + source + "': column '" + column + "' changes type: bronze." + source
        + " has " + expected + ", but " + file + (line == null ? "" : " line " + line)
        + " has " + found + (value == null ? "" : " (value " + value + ")")
        + "; nothing was written. Pin the type with a schema hint in conf/sources/" + source
        + ".conf or fix the file.";
  }

  public static String hintDisagrees(String source, String column, String hint, String table) {
    return "source '" + source + "': schema hint " + column + " = " + hint + " disagrees with bronze."
        + source + ", which has " + table + "; nothing was written";
  }

  public static String reservedColumn(String source, String column, String file) {
    return "source '" + source + "': landed column '" + column + "' in " + file
        + " collides with a bronze audit column; nothing was written";
  }

  public static String duplicateHeader(String source, String file, String column) {
    return "source '" + source + "': CSV header of " + file + " names column '" + column
        + "' twice; nothing was written";
  }

  public static String plannedFileVanished(String source, long batch, String file) {
    return "source '" + source + "': file " + file + " of pending batch " + batch
        + " is gone from the landing zone; restore it to finish the batch";
  }

  public static String listedFileVanished(String source, String file) {
    return "source '" + source + "': file " + file + " is gone since this run listed it;"
        + " nothing was written";
  }

  /**
   * A landed file that differs from what was listed (batch null: during the checking read) or
   * planned: the batch fails and nothing of it is written.
   */
  public static String fileChanged(String source, Long batch, String file, long plannedSize,
      long plannedModified, long size, long modified) {
    String was = plannedSize + " bytes, modified " + java.time.Instant.ofEpochMilli(plannedModified);
    String now = size + " bytes, modified " + java.time.Instant.ofEpochMilli(modified);
    return batch == null
        ? "source '" + source + "': file " + file + " changed while this run read it (listed: "
            + was + "; now: " + now + "); nothing was written. Rerun once the file is complete"
        : "source '" + source + "': file " + file + " of pending batch " + batch
            + " changed after it was planned (planned: " + was + "; now: " + now
            + "); nothing of batch " + batch + " was written. Restore the file as planned (same"
            + " bytes and modification time) to finish the batch";
  }

  /** Another process committed to a table this run writes (Delta's optimistic concurrency). */
  public static String concurrentWriter(String source, String table, boolean wroteNothing) {
    return "another run is writing " + table + "; this run "
        + (wroteNothing ? "wrote nothing" : "stopped there (source '" + source
            + "': the batches it wrote before are complete)")
        + "; run again once the other run is done";
  }

  public static String unreadableParquet(String source, String file, String cause) {
    return "source '" + source + "': cannot read parquet file " + file + ": " + cause
        + "; nothing was written";
  }
}
