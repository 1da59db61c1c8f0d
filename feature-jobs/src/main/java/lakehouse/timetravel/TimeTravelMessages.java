package lakehouse.timetravel;

import java.time.Duration;
import java.util.List;
import lakehouse.common.catalog.TableId;

/**
 * Every message the time-travel and maintenance commands show a user, in one place so that tests
 * can assert them and wording stays consistent. What is said about versions themselves (no such
 * version, no longer readable) is worded once, for every command, in {@link
 * lakehouse.common.catalog.TableVersions}.
 */
public final class TimeTravelMessages {
  private TimeTravelMessages() {}

  public static String reversedRange(long from, long to) {
    return "--from " + from + " is after --to " + to + ": give the older version as --from";
  }

  public static String unknownKeyColumn(
      TableId table, String column, long version, List<String> columns) {
    return "key column '"
        + column
        + "' is not in version "
        + version
        + " of "
        + table
        + " (columns: "
        + String.join(", ", columns)
        + ")";
  }

  public static String unsupportedKeyColumn(String column, String type) {
    return "key column '"
        + column
        + "' has type "
        + type
        + ", which cannot identify rows; choose scalar columns";
  }

  public static String keyNotUnique(
      TableId table, List<String> key, String where, String example, long rows) {
    return "key ("
        + String.join(", ", key)
        + ") does not identify one row in "
        + where
        + " of "
        + table
        + ": "
        + rows
        + " rows have "
        + example
        + "; pass --key with columns that identify a row, or --key '' to compare whole rows";
  }

  public static String outputNameClash(String name) {
    return "cannot show the diff: the output column '"
        + name
        + "' clashes with a column of the table; rename it or pass --key explicitly";
  }

  public static String restoreNeedsYes(String table, long version) {
    return "restore replaces the current state of "
        + table
        + " with version "
        + version
        + " (as a new commit; history is kept). Re-run with --yes to confirm";
  }

  public static String alreadyAtVersion(TableId table, long version) {
    return "table " + table + " is already at version " + version + "; nothing to restore";
  }

  public static String restoreFilesRemoved(TableId table, long version, String deltaMessage) {
    return "cannot restore "
        + table
        + " to version "
        + version
        + ": files of that version were "
        + "removed by VACUUM ("
        + deltaMessage
        + ")";
  }

  public static String badDuration(String option, String value) {
    return option
        + " must be a duration such as '7 days', '168 hours' or '0h', got '"
        + value
        + "'";
  }

  public static String retentionBelowMinimum(Duration retention, Duration minimum) {
    return "--retain "
        + Durations.text(retention)
        + " is shorter than "
        + "lakehouse.maintenance.min-retention ("
        + Durations.text(minimum)
        + "), which protects "
        + "files of writes still in progress; pass --force to vacuum anyway";
  }

  public static String vacuumBlocked(List<String> blocks) {
    return "vacuum refused, nothing was deleted: recorded training sets within the "
        + "reproducibility window still need files it would remove:\n  "
        + String.join("\n  ", blocks)
        + "\nvacuum without --retain (it then keeps what they need), wait until they leave the "
        + "window, or pass --force to remove the files and give up rebuilding them";
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
