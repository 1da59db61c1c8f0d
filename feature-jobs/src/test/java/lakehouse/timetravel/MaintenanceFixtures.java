package lakehouse.timetravel;

import lakehouse.common.testing.TestLake;

/** Test-only ways to age a table's files. */
final class MaintenanceFixtures {
  private MaintenanceFixtures() {}

  /**
   * Removes every file no longer in the current version, bypassing all guards, as an operator with
   * a zero retention would.
   */
  static void vacuumEverythingOld(TestLake lake, String location) {
    String check = "spark.databricks.delta.retentionDurationCheck.enabled";
    lake.spark().conf().set(check, "false");
    // Delta lists a table with 10000 tasks by default: seconds per table on two cores.
    lake.spark().conf().set("spark.sql.sources.parallelPartitionDiscovery.parallelism", "2");
    try {
      lake.spark().sql("VACUUM delta.`" + location + "` RETAIN 0 HOURS");
    } finally {
      lake.spark().conf().unset(check);
    }
  }
}
