package lakehouse.common;

import lakehouse.common.catalog.LakeCatalog;
import lakehouse.common.ops.RunStats;
import lakehouse.common.settings.LakehouseSettings;
import lakehouse.common.spark.SparkSessions;
import org.apache.spark.sql.SparkSession;

/**
 * What a running job works with: its settings, the Spark session and the lake catalog. Closing it
 * stops the session it started (not one it was handed, as in tests).
 */
public final class LakehouseRuntime implements AutoCloseable {
  private final LakehouseSettings settings;
  private final SparkSession spark;
  private final LakeCatalog catalog;
  private final boolean ownsSession;
  private RunStats stats = new RunStats();

  private LakehouseRuntime(LakehouseSettings settings, SparkSession spark, boolean ownsSession) {
    this.settings = settings;
    this.spark = spark;
    this.catalog = new LakeCatalog(spark, settings.lakeRoot());
    this.ownsSession = ownsSession;
  }

  /**
   * Starts a session for the job. It registers no table: jobs read and write by location, and what
   * needs a table in Spark's catalog registers it ({@link LakeCatalog#register}, {@link
   * LakeCatalog#registerReferenced}), so a process never pays for scanning the whole lake. When the
   * process already runs a session (a test JVM, a notebook, the demo running several jobs), the job
   * works on that one and leaves it running.
   */
  public static LakehouseRuntime start(LakehouseSettings settings, String appName) {
    scala.Option<SparkSession> active = SparkSession.getActiveSession();
    if (active.isEmpty()) {
      active = SparkSession.getDefaultSession();
    }
    if (active.isDefined()) {
      return attach(settings, active.get());
    }
    return new LakehouseRuntime(settings, SparkSessions.create(settings, appName), true);
  }

  /**
   * Works on a session someone else owns (tests, notebooks); closing leaves it running. Like {@link
   * #start}, it registers no table.
   */
  public static LakehouseRuntime attach(LakehouseSettings settings, SparkSession spark) {
    return new LakehouseRuntime(settings, spark, false);
  }

  public LakehouseSettings settings() {
    return settings;
  }

  public SparkSession spark() {
    return spark;
  }

  public LakeCatalog catalog() {
    return catalog;
  }

  /** What the running job did, recorded in {@code _ops.runs} when the job ends. */
  public RunStats stats() {
    return stats;
  }

  /**
   * Starts the stats of a new job run on this runtime (see {@code lakehouse.common.ops.JobRun}):
   * the demo runs several jobs on one runtime, and each records only what it did itself.
   */
  public RunStats newRun(String runId) {
    stats = new RunStats(runId);
    return stats;
  }

  /** Names the Spark job group after the job and run date so the Spark UI reads well. */
  public void describe(String job, String runDate) {
    spark.sparkContext().setJobGroup(job + " " + runDate, job + " for " + runDate, false);
  }

  @Override
  public void close() {
    if (ownsSession) {
      spark.stop();
    }
  }
}
