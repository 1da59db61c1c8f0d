package lakehouse.timetravel;

import java.time.Duration;
import java.util.List;
import lakehouse.common.LakehouseException;
import lakehouse.common.catalog.TableId;

/**
 * The errors of the time-travel and maintenance commands, each returned with its exit code ({@code
 * throw TimeTravelErrors.restoreNeedsYes(...)}), so every fact has one wording and one code; tests
 * assert through {@code getMessage()}. The methods that return a {@code String} word one line of a
 * refusal or a warning. What is said about versions themselves (no such version, no longer
 * readable) is worded once, for every command, in {@link lakehouse.common.catalog.TableVersions}; a
 * reversed {@code --from}/{@code --to} and a bad duration in {@link lakehouse.common.CommonErrors}.
 */
public final class TimeTravelErrors {
  private TimeTravelErrors() {}

  public static LakehouseException unknownKeyColumn(
      TableId table, String column, long version, List<String> columns) {
    return LakehouseException.usage(
        "key column '"
            + column
            + "' is not in version "
            + version
            + " of "
            + table
            + " (columns: "
            + String.join(", ", columns)
            + ")");
  }

  public static LakehouseException unsupportedKeyColumn(String column, String type) {
    return LakehouseException.usage(
        "key column '"
            + column
            + "' has type "
            + type
            + ", which cannot identify rows; choose scalar columns");
  }

  public static LakehouseException keyNotUnique(
      TableId table, List<String> key, String where, String example, long rows) {
    return LakehouseException.usage(
        "key ("
            + String.join(", ", key)
            + ") does not identify one row in "
            + where
            + " of "
            + table
            + ": "
            + rows
            + " rows have "
            + example
            + "; pass --key with columns that identify a row, or --key '' to compare whole rows");
  }

  public static LakehouseException outputNameClash(String name) {
    return LakehouseException.usage(
        "cannot show the diff: the output column '"
            + name
            + "' clashes with a column of the table; rename it or pass --key explicitly");
  }

  public static LakehouseException restoreNeedsYes(String table, long version) {
    return LakehouseException.usage(
        "restore replaces the current state of "
            + table
            + " with version "
            + version
            + " (as a new commit; history is kept). Re-run with --yes to confirm");
  }

  public static LakehouseException restoreFilesRemoved(
      TableId table, long version, String deltaMessage) {
    return LakehouseException.data(
        "cannot restore "
            + table
            + " to version "
            + version
            + ": files of that version were "
            + "removed by VACUUM ("
            + deltaMessage
            + ")");
  }

  public static LakehouseException retentionBelowMinimum(Duration retention, Duration minimum) {
    return LakehouseException.usage(
        "--retain "
            + Durations.text(retention)
            + " is shorter than "
            + "lakehouse.maintenance.min-retention ("
            + Durations.text(minimum)
            + "), which protects "
            + "files of writes still in progress; pass --force to vacuum anyway");
  }

  public static LakehouseException vacuumBlocked(List<String> blocks) {
    return LakehouseException.usage(
        "vacuum refused, nothing was deleted: recorded training sets within the "
            + "reproducibility window still need files it would remove:\n  "
            + String.join("\n  ", blocks)
            + "\nvacuum without --retain (it then keeps what they need), wait until they leave the "
            + "window, or pass --force to remove the files and give up rebuilding them");
  }

  public static String blockedByRetention(
      TableId table, Duration retention, Duration required, List<String> trainingSets) {
    return table
        + ": --retain "
        + Durations.text(retention)
        + " would remove files of versions "
        + "read by "
        + String.join(", ", trainingSets)
        + "; the shortest safe retention is "
        + Durations.text(required);
  }

  public static String blockedByFiles(
      TableId table, Duration retention, long files, List<String> trainingSets) {
    return table
        + ": even at retention "
        + Durations.text(retention)
        + " VACUUM would delete "
        + files
        + (files == 1 ? " file" : " files")
        + " of versions read by "
        + String.join(", ", trainingSets)
        + " (the log no longer tracks them as removed: the table's "
        + "delta.deletedFileRetentionDuration was shorter than their age)";
  }

  public static String forcedLoss(TableId table, List<String> trainingSets) {
    return "warning: --force: "
        + table
        + " loses files that "
        + String.join(", ", trainingSets)
        + " need; rebuilding them will fail";
  }

  public static String pinAlreadyLost(String trainingSet, TableId table, long version) {
    return "warning: "
        + trainingSet
        + " reads version "
        + version
        + " of "
        + table
        + ", which is no longer in the Delta log; it cannot be rebuilt";
  }
}
