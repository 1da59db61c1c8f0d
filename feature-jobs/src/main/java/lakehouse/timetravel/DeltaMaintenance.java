package lakehouse.timetravel;

import io.delta.tables.DeltaTable;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import lakehouse.common.catalog.LakeCatalog;
import lakehouse.common.catalog.TableId;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RuntimeConfig;
import org.apache.spark.sql.SparkSession;

/**
 * Delta's maintenance operations as the maintenance commands use them: compaction, VACUUM (dry run
 * and real) and retention properties. VACUUM runs only after {@link RetentionGuard} has approved
 * the retention, so Delta's own check (no retention below the table's {@code
 * delta.deletedFileRetentionDuration}) is switched off for the call; the guard and {@code
 * lakehouse.maintenance.min-retention} take its place.
 */
public final class DeltaMaintenance {
  private static final String RETENTION_CHECK =
      "spark.databricks.delta.retentionDurationCheck.enabled";
  private static final String LISTING_PARALLELISM =
      "spark.sql.sources.parallelPartitionDiscovery.parallelism";

  /**
   * What one compaction did.
   *
   * @param filesRemoved small files replaced
   * @param filesAdded compacted files written
   */
  public record Compaction(
      TableId table, long versionBefore, long versionAfter, long filesRemoved, long filesAdded) {}

  private final SparkSession spark;
  private final LakeCatalog catalog;
  private final MaintenanceSettings settings;

  public DeltaMaintenance(SparkSession spark, LakeCatalog catalog, MaintenanceSettings settings) {
    this.spark = spark;
    this.catalog = catalog;
    this.settings = settings;
  }

  /** Delta OPTIMIZE (bin-packing compaction); no commit when there is nothing to compact. */
  public Compaction optimize(TableId table) {
    long before = catalog.currentVersion(table);
    Row metrics =
        DeltaTable.forPath(spark, catalog.location(table)).optimize().executeCompaction().first();
    Row counts = metrics.getStruct(metrics.fieldIndex("metrics"));
    return new Compaction(
        table,
        before,
        catalog.currentVersion(table),
        counts.getLong(counts.fieldIndex("numFilesRemoved")),
        counts.getLong(counts.fieldIndex("numFilesAdded")));
  }

  /** The files VACUUM would delete with this retention. */
  public List<String> dryRun(TableId table, Duration retention) {
    return withVacuumConf(
        () ->
            spark.sql(vacuumSql(table, retention) + " DRY RUN").collectAsList().stream()
                .map(r -> r.getString(0))
                .toList());
  }

  /** Deletes what {@link #dryRun} listed (and anything that aged past the retention since). */
  public void vacuum(TableId table, Duration retention) {
    withVacuumConf(() -> spark.sql(vacuumSql(table, retention)).collectAsList());
  }

  /** Sets table properties in one commit (nothing when the map is empty). */
  public void setProperties(TableId table, Map<String, String> properties) {
    if (properties.isEmpty()) {
      return;
    }
    StringBuilder list = new StringBuilder();
    properties.forEach(
        (key, value) ->
            list.append(list.length() == 0 ? "" : ", ")
                .append('\'')
                .append(key)
                .append("' = '")
                .append(value)
                .append('\''));
    spark.sql(
        "ALTER TABLE delta.`" + catalog.location(table) + "` SET TBLPROPERTIES (" + list + ")");
  }

  private String vacuumSql(TableId table, Duration retention) {
    return "VACUUM delta.`"
        + catalog.location(table)
        + "` RETAIN "
        + Durations.ceilHours(retention)
        + " HOURS";
  }

  private <T> T withVacuumConf(Supplier<T> action) {
    RuntimeConfig conf = spark.conf();
    String check = conf.getOption(RETENTION_CHECK).getOrElse(() -> null);
    String listing = conf.getOption(LISTING_PARALLELISM).getOrElse(() -> null);
    conf.set(RETENTION_CHECK, "false");
    conf.set(LISTING_PARALLELISM, String.valueOf(settings.listingParallelism()));
    try {
      return action.get();
    } finally {
      restore(conf, RETENTION_CHECK, check);
      restore(conf, LISTING_PARALLELISM, listing);
    }
  }

  private static void restore(RuntimeConfig conf, String key, String value) {
    if (value == null) {
      conf.unset(key);
    } else {
      conf.set(key, value);
    }
  }
}
