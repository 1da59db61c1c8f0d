package lakehouse.gold;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.to_date;

import java.time.LocalDate;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import lakehouse.common.LakehouseException;
import lakehouse.common.catalog.LakeCatalog;
import lakehouse.common.catalog.TableId;
import lakehouse.gold.compute.FeatureComputer;
import lakehouse.gold.declarations.FeatureSet;
import lakehouse.gold.declarations.SourceSpec;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Finds the snapshot days that changes to the sources have made stale (late data, corrections).
 * Each source's change data feed between the watermark version and the version read now gives the
 * changed rows (inserts, deletes, both images of updates); a changed events row of day X touches
 * the snapshots {@code X .. X+lookback-1}, a changed SCD2 version those from its valid-from day to
 * the day before its valid-to (or every later day while it is open, or if it decides which entities
 * exist). Only days the feature table already holds are returned.
 */
public final class ChangedDays {
  private ChangedDays() {}

  /**
   * @param watermark the source versions already reflected, by table name
   * @param current the source versions read now, by table name
   * @param computed the days the feature table holds
   */
  public static List<LocalDate> find(
      SparkSession spark,
      LakeCatalog catalog,
      FeatureSet set,
      Map<String, Long> watermark,
      Map<String, Long> current,
      Collection<LocalDate> computed) {
    TreeSet<LocalDate> holding = new TreeSet<>(computed);
    TreeSet<LocalDate> stale = new TreeSet<>();
    if (holding.isEmpty()) {
      return List.of();
    }
    for (SourceSpec source : set.sources().values()) {
      String table = source.table().toString();
      long now = current.get(table);
      Long then = watermark.get(table);
      if (then != null && now < then) {
        throw GoldErrors.sourceVersionWentBack(table, then, now);
      }
      if (then != null && now == then) {
        continue;
      }
      long start = then == null ? 0 : then + 1;
      if (!source.isScd2()) {
        int lookback = FeatureComputer.lookbackDays(set, source.name());
        if (lookback == 0) {
          continue;
        }
        for (Row row :
            changes(
                spark, catalog, source.table(), start, now, to_date(col(source.timeColumn())))) {
          if (row.isNullAt(0)) {
            continue;
          }
          LocalDate day = row.getDate(0).toLocalDate();
          addRange(stale, holding, day, day.plusDays(lookback - 1));
        }
      } else {
        boolean entities = FeatureComputer.decidesEntities(set, source.name());
        boolean attributes =
            set.features().stream()
                .anyMatch(
                    f ->
                        f instanceof lakehouse.gold.declarations.FeatureSpec.Attribute a
                            && a.source().equals(source.name()));
        if (!entities && !attributes) {
          continue;
        }
        for (Row row :
            changes(
                spark,
                catalog,
                source.table(),
                start,
                now,
                to_date(col(source.validFrom())),
                to_date(col(source.validTo())))) {
          if (row.isNullAt(0)) {
            continue;
          }
          LocalDate from = row.getDate(0).toLocalDate();
          // The version holds at D 23:59:59.999999 up to the day before the one its valid-to
          // falls on; while open (or when it may add or remove an entity) for every later day.
          LocalDate to =
              entities || row.isNullAt(1)
                  ? holding.last()
                  : row.getDate(1).toLocalDate().minusDays(1);
          addRange(stale, holding, from, to);
        }
      }
    }
    return List.copyOf(stale);
  }

  /** The distinct values of {@code columns} over the changed rows (all change types). */
  private static List<Row> changes(
      SparkSession spark,
      LakeCatalog catalog,
      TableId table,
      long startVersion,
      long endVersion,
      Column... columns) {
    try {
      return spark
          .read()
          .format("delta")
          .option("readChangeFeed", "true")
          .option("startingVersion", startVersion)
          .option("endingVersion", endVersion)
          .load(catalog.location(table))
          .select(columns)
          .distinct()
          .collectAsList();
    } catch (Exception e) {
      if (e instanceof LakehouseException known) {
        throw known;
      }
      throw GoldErrors.changeFeedUnavailable(
          table.toString(), startVersion, endVersion, firstLine(e.getMessage()));
    }
  }

  private static void addRange(
      TreeSet<LocalDate> stale, TreeSet<LocalDate> holding, LocalDate from, LocalDate to) {
    if (to.isBefore(from)) {
      return;
    }
    stale.addAll(holding.subSet(from, true, to, true));
  }

  private static String firstLine(String message) {
    return message == null ? "unknown error" : message.strip().split("\n")[0];
  }
}
