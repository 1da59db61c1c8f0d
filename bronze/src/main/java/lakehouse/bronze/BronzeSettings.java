package lakehouse.bronze;

import lakehouse.common.catalog.TableId;
import lakehouse.common.settings.ConfigReader;
import lakehouse.common.settings.LakehouseSettings;

/**
 * The bronze layer's settings, {@code lakehouse.bronze} in {@code conf/application.conf}.
 *
 * @param maxFilesPerBatch how many files one batch (one Delta commit per table) takes at most; a
 *     run takes as many batches as there are new files
 * @param filesTablePrefix prefix of the per-source ingested-files log, {@code <prefix><source>}
 * @param maxLineBytes a landed line longer than this is a reject saying so, and is never held in
 *     memory whole
 */
public record BronzeSettings(int maxFilesPerBatch, String filesTablePrefix, int maxLineBytes) {

  /**
   * The largest line limit: Spark's JSON parser (Jackson) refuses a string value longer than
   * 20,000,000 characters, so a longer line could hold a value that would be rejected as malformed
   * JSON instead of as too long.
   */
  static final int MAX_LINE_BYTES_LIMIT = 20_000_000;

  /** Reads {@code lakehouse.bronze}; every problem is reported at once (exit code 2). */
  public static BronzeSettings from(LakehouseSettings settings) {
    ConfigReader reader =
        new ConfigReader(settings.config(), "configuration (env " + settings.env() + ")");
    Integer maxFiles = reader.integer("lakehouse.bronze.max-files-per-batch");
    if (maxFiles != null && maxFiles < 1) {
      reader.problem("lakehouse.bronze.max-files-per-batch", "must be at least 1, got " + maxFiles);
    }
    String prefix = reader.string("lakehouse.bronze.files-table-prefix");
    Integer maxLine = reader.integer("lakehouse.bronze.max-line-bytes");
    if (maxLine != null && (maxLine < 1 || maxLine > MAX_LINE_BYTES_LIMIT)) {
      reader.problem(
          "lakehouse.bronze.max-line-bytes",
          "must be between 1 and " + MAX_LINE_BYTES_LIMIT + ", got " + maxLine);
    }
    if (prefix != null) {
      try {
        TableId.parse(prefix + "x");
      } catch (RuntimeException e) {
        reader.problem(
            "lakehouse.bronze.files-table-prefix",
            "must look like <layer>.<name prefix>, e.g. _ops.bronze_files_, got '" + prefix + "'");
      }
    }
    reader.throwIfProblems();
    return new BronzeSettings(maxFiles, prefix, maxLine);
  }

  /** The ingested-files log of one source. */
  public TableId filesTable(String source) {
    return TableId.parse(filesTablePrefix + source);
  }
}
