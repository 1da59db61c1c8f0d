package lakehouse.sample;

import java.time.LocalDate;
import java.util.Objects;

/**
 * One landing file as the manifest describes it.
 *
 * @param path path relative to the landing root, with {@code /} separators
 * @param landingDate the date folder the file sits in
 * @param lines lines in the file, not counting a CSV header
 * @param goodRecords lines that parse as a record: {@code lines} minus the malformed ones
 */
public record LandingFile(String path, LocalDate landingDate, long lines, long goodRecords) {
  public LandingFile {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(landingDate, "landingDate");
    if (goodRecords < 0 || goodRecords > lines) {
      throw new IllegalArgumentException(
          "File "
              + path
              + ": good records "
              + goodRecords
              + " must lie between 0 and its "
              + lines
              + " lines");
    }
  }

  /** Lines that cannot be parsed. */
  public long malformedLines() {
    return lines - goodRecords;
  }
}
