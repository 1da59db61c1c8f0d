package lakehouse.training;

import io.delta.tables.DeltaTable;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import lakehouse.common.LakehouseException;
import lakehouse.common.catalog.LakeCatalog;
import lakehouse.common.catalog.TableId;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * A Delta table's commits as its log records them: version → commit timestamp (the in-commit
 * timestamp, enabled on every table). Used to resolve {@code --as-of} and to time change-feed
 * rows in known-at mode; both read the same source so they agree.
 */
final class TableVersions {
  private final TableId table;
  private final TreeMap<Long, Instant> commits;

  private TableVersions(TableId table, TreeMap<Long, Instant> commits) {
    this.table = table;
    this.commits = commits;
  }

  static TableVersions of(SparkSession spark, LakeCatalog catalog, TableId table) {
    TreeMap<Long, Instant> commits = new TreeMap<>();
    for (Row row : DeltaTable.forPath(spark, catalog.location(table)).history()
        .select("version", "timestamp").collectAsList()) {
      commits.put(row.getLong(0), ((Timestamp) row.get(1)).toInstant());
    }
    return new TableVersions(table, commits);
  }

  long latest() {
    return commits.lastKey();
  }

  /** The version committed at or before the instant. */
  long atOrBefore(Instant instant) {
    Long found = null;
    for (Map.Entry<Long, Instant> commit : commits.entrySet()) {
      if (!commit.getValue().isAfter(instant)) {
        found = commit.getKey();
      }
    }
    if (found == null) {
      throw LakehouseException.usage(TrainingMessages.noVersionAtTime(table.toString(),
          instant.toString(), commits.firstEntry().getValue().toString()));
    }
    return found;
  }

  /** Version → commit timestamp in microseconds, for versions up to {@code last}. */
  List<Row> commitMicros(long last) {
    List<Row> rows = new ArrayList<>();
    commits.headMap(last, true).forEach((version, at) -> rows.add(
        org.apache.spark.sql.RowFactory.create(version,
            at.getEpochSecond() * 1_000_000L + at.getNano() / 1000)));
    return rows;
  }
}
