package lakehouse.timetravel;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import lakehouse.common.LakehouseRuntime;
import lakehouse.common.catalog.TableId;
import lakehouse.common.testing.CliRun;
import lakehouse.common.testing.TestLake;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** Small builders for the time-travel tests: tables made with SQL, CLI runs against a test lake. */
public final class TimeTravelFixtures {
  private TimeTravelFixtures() {}

  /**
   * Removes every file no longer in the table's current version, bypassing the retention guard, as
   * an operator with a zero retention would: the maintenance commands' VACUUM, listing the table
   * with two tasks (Delta's default, 10000, takes about 30 seconds on two cores).
   */
  public static void vacuumEverythingOld(TestLake lake, TableId table) {
    try (LakehouseRuntime runtime = lake.runtime()) {
      new DeltaMaintenance(
              lake.spark(),
              runtime.catalog(),
              new MaintenanceSettings(Duration.ZERO, Duration.ZERO, Duration.ZERO, 2))
          .vacuum(table, Duration.ZERO);
    }
  }

  /**
   * Creates a Delta table at the lake location of {@code id} (version 0, empty) and registers it.
   *
   * @param columns SQL column list, e.g. {@code order_id STRING, amount DOUBLE}
   * @param properties SQL property list, e.g. {@code delta.enableChangeDataFeed = true}, or blank
   */
  public static TableId createTable(TestLake lake, String id, String columns, String properties) {
    TableId table = TableId.parse(id);
    try (LakehouseRuntime runtime = lake.runtime()) {
      String location = runtime.catalog().location(table);
      lake.spark()
          .sql(
              "CREATE TABLE delta.`"
                  + location
                  + "` ("
                  + columns
                  + ") USING DELTA"
                  + (properties.isBlank() ? "" : " TBLPROPERTIES (" + properties + ")"));
      runtime.catalog().register(table);
    }
    return table;
  }

  /** Runs one SQL statement per new version against the registered table names. */
  public static void commit(TestLake lake, String... statements) {
    try (LakehouseRuntime runtime = lake.runtime()) { // re-points registrations at this lake
      for (String statement : statements) {
        lake.spark().sql(statement);
      }
    }
  }

  /** A command run against the test lake's configuration. */
  static CliRun run(TestLake lake, Object command, String... args) {
    List<String> all = new ArrayList<>(Arrays.asList(args));
    all.addAll(
        List.of(
            "--conf-dir",
            TestLake.confDir().toString(),
            "--conf",
            "lakehouse.lake-root=" + lake.lakeRoot(),
            "--conf",
            "lakehouse.landing-root=" + lake.landingRoot()));
    return CliRun.of(command, all.toArray(String[]::new));
  }

  /** The table's rows at a version, sorted, as text (for comparisons with a message). */
  static List<String> rowsAt(TestLake lake, TableId table, long version) {
    try (LakehouseRuntime runtime = lake.runtime()) {
      return runtime.catalog().readVersion(table, version).collectAsList().stream()
          .map(Row::toString)
          .sorted()
          .toList();
    }
  }

  static SparkSession spark(TestLake lake) {
    return lake.spark();
  }
}
