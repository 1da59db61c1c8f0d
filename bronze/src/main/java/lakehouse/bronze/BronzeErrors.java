package lakehouse.bronze;

import lakehouse.common.ExitCode;
import lakehouse.common.LakehouseException;

/**
 * The errors of the bronze layer, each returned with its exit code ({@code throw
 * BronzeErrors.locationMissing(...)}), so every fact has one wording and one code; tests assert
 * through {@code getMessage()}. What bronze says about a rejected line is in {@link RejectReasons}.
 */
public final class BronzeErrors {
  private BronzeErrors() {}

  public static LakehouseException sourceRequired() {
    return LakehouseException.usage("give --source NAME or --all-sources");
  }

  public static LakehouseException sourceAndAll() {
    return LakehouseException.usage("give either --source NAME or --all-sources, not both");
  }

  public static LakehouseException landingRootMissing(String landingRoot) {
    return LakehouseException.usage("landing root " + landingRoot + " does not exist");
  }

  public static LakehouseException locationMissing(String source, String location) {
    return LakehouseException.usage(
        "landing location of source '" + source + "' does not exist: " + location);
  }

  public static LakehouseException notADateFolder(String source, String folder) {
    return LakehouseException.data(
        "source '"
            + source
            + "': landing folder "
            + folder
            + " is not a yyyy-MM-dd date folder (rename it, or prefix it with '_' to have it"
            + " ignored)");
  }

  public static LakehouseException hintDisagrees(
      String source, String column, String hint, String table) {
    return LakehouseException.usage(
        "source '"
            + source
            + "': schema hint "
            + column
            + " = "
            + hint
            + " disagrees with bronze."
            + source
            + ", which has "
            + table
            + "; nothing was written");
  }

  public static LakehouseException reservedColumn(String source, String column, String file) {
    return LakehouseException.data(
        "source '"
            + source
            + "': landed column '"
            + column
            + "' in "
            + file
            + " collides with a bronze audit column; nothing was written");
  }

  public static LakehouseException plannedFileVanished(String source, long batch, String file) {
    return LakehouseException.data(
        "source '"
            + source
            + "': file "
            + file
            + " of pending batch "
            + batch
            + " is gone from the landing zone; restore it to finish the batch");
  }

  public static LakehouseException listedFileVanished(String source, String file) {
    return LakehouseException.data(
        "source '"
            + source
            + "': file "
            + file
            + " is gone since this run listed it;"
            + " nothing was written");
  }

  /**
   * A landed file that differs from what was listed (batch null: during the checking read) or
   * planned: the batch fails and nothing of it is written.
   */
  public static LakehouseException fileChanged(
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
    return LakehouseException.data(
        batch == null
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
                + " bytes and modification time) to finish the batch");
  }

  /** Another process committed to a table this run writes (Delta's optimistic concurrency). */
  public static LakehouseException concurrentWriter(
      String source, String table, boolean wroteNothing, Throwable cause) {
    return new LakehouseException(
        ExitCode.CONCURRENT_WRITER,
        "another run is writing "
            + table
            + "; this run "
            + (wroteNothing
                ? "wrote nothing"
                : "stopped there (source '"
                    + source
                    + "': the batches it wrote before are complete)")
            + "; run again once the other run is done",
        cause);
  }

  /**
   * The storage (landing or lake) failed mid-run: what was committed stays, and the next run
   * finishes a batch this run planned but did not complete.
   */
  public static LakehouseException storageFailed(String source, String reason, Throwable cause) {
    return new LakehouseException(
        ExitCode.JOB_FAILED,
        "source '"
            + source
            + "': the storage failed mid-run ("
            + reason
            + "); every commit "
            + "before it stands and nothing was lost: rerun once the storage answers, and it "
            + "finishes the interrupted batch",
        cause);
  }

  /** A compressed landed file (still as listed) that its extension's codec cannot read. */
  public static LakehouseException notDecompressible(String source, String file, String cause) {
    return LakehouseException.data(
        "source '"
            + source
            + "': compressed file "
            + file
            + " cannot be decompressed ("
            + cause
            + "); nothing was written. Replace it with a complete file under a new name, or"
            + " move it to a folder or name starting with '_' to have it ignored");
  }

  public static LakehouseException unreadableParquet(String source, String file, String cause) {
    return LakehouseException.data(
        "source '"
            + source
            + "': cannot read parquet file "
            + file
            + ": "
            + cause
            + "; nothing was written");
  }
}
