package lakehouse.report;

import lakehouse.common.catalog.TableId;

/**
 * Every text the report shows about missing or unusable inputs, and the line of a written report;
 * the report command's errors are in {@link ReportErrors}.
 */
public final class ReportMessages {
  private ReportMessages() {}

  public static String noTables(String lakeRoot) {
    return "The lake at " + lakeRoot + " has no tables yet: run the bronze layer first.";
  }

  public static String missing(TableId table, String why) {
    return table + " does not exist yet: " + why;
  }

  public static final String NO_METRICS =
      "no silver.<table>"
          + ReportSettings.METRICS_SUFFIX
          + " table exists yet: no silver run has recorded quality metrics.";
  public static final String NO_TRAINING_SETS = "no training set has been built.";

  public static String noRegistry(String prefix) {
    return "no " + prefix + "<feature set> table exists yet: no gold run has registered features.";
  }

  public static final String NO_RUNS = "no job has run through the job runner.";
  public static final String RUNS_OFF =
      "recent runs are not shown: lakehouse.report.recent-runs is 0.";
  public static final String NO_CHECKS = "The metrics table holds no check results yet.";

  public static String unreadableTable(TableId table, String error) {
    return table + " cannot be read: " + error;
  }

  /** Versions whose row count the Delta log cannot give (files without statistics). */
  public static String rowsNotInLog(java.util.List<Long> versions) {
    return "Rows of version"
        + (versions.size() == 1 ? " " : "s ")
        + String.join(", ", versions.stream().map(String::valueOf).toList())
        + " not charted: the Delta log has no row statistics for some of their files (written "
        + "with spark.databricks.delta.stats.collect=false or by a writer that does not collect "
        + "them), and the report does not count versions.";
  }

  public static String outputGone(String location, String error) {
    return "the output at "
        + location
        + " cannot be read ("
        + error
        + "): figures are the "
        + "manifest's";
  }

  public static String noFeatureTime(String table, String column) {
    return "the output has no column "
        + column
        + " (the feature time of "
        + table
        + "); "
        + "take it among the features of "
        + table
        + " in the spec to chart the lag";
  }

  public static String noEventTime(String column) {
    return "the output has no event-time column " + column;
  }

  public static String unreadableSpec(String error) {
    return "the recorded spec cannot be read (" + error + "): no lag distribution";
  }

  public static String written(String file, int tables, int checks, int trainingSets) {
    return "report written to "
        + file
        + " ("
        + tables
        + " tables, "
        + checks
        + " quality checks, "
        + trainingSets
        + " training-set builds)";
  }
}
