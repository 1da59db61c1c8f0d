package lakehouse.report;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;

import io.delta.tables.DeltaTable;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import lakehouse.common.catalog.LakeCatalog;
import lakehouse.common.catalog.TableId;
import lakehouse.report.ReportFacts.Aside;
import lakehouse.report.ReportFacts.ReasonCount;
import lakehouse.report.ReportFacts.TableFacts;
import lakehouse.report.ReportFacts.VersionCount;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.StructType;

/**
 * Per table: current version, freshness (the newest commit's timestamp), row count of each of
 * the newest versions (Delta answers a plain count from the log's file statistics, so a version's
 * count reads no data files) and the rejects/quarantine table's count and top reasons.
 */
final class TableGatherer {
  /** Bronze keeps unparseable lines in {@code <source>_rejects}, with a {@code _reason}. */
  static final String REJECTS = "_rejects";
  /** Silver keeps rows that broke its contract in {@code <table>_quarantine}. */
  static final String QUARANTINE = "_quarantine";
  static final String REASON = "_reason";
  static final String FAILED_RULES = "_failed_rules";

  private final SparkSession spark;
  private final LakeCatalog catalog;
  private final ReportSettings settings;

  TableGatherer(SparkSession spark, LakeCatalog catalog, ReportSettings settings) {
    this.spark = spark;
    this.catalog = catalog;
    this.settings = settings;
  }

  /** Whether the table keeps another table's set-aside rows. */
  static boolean isAside(TableId id) {
    return id.name().endsWith(REJECTS) || id.name().endsWith(QUARANTINE);
  }

  /** Whether the table is operational (run logs, metrics, registry, manifests). */
  static boolean isOperational(TableId id) {
    return id.layer().startsWith("_") || id.name().startsWith("_");
  }

  TableFacts gather(TableId id, Set<TableId> all) {
    List<Row> commits = DeltaTable.forPath(spark, catalog.location(id))
        .history(settings.maxVersions())
        .select("version", "timestamp", "operation")
        .collectAsList();
    List<VersionCount> history = new ArrayList<>();
    for (Row commit : commits) {
      long version = commit.getLong(0);
      Long rows = countAt(id, version);
      if (rows != null) {
        history.add(new VersionCount(version, ((Timestamp) commit.get(1)).toInstant(),
            commit.getString(2), rows));
      }
    }
    history.sort(Comparator.comparingLong(VersionCount::version));
    Row newest = commits.get(0);
    long current = newest.getLong(0);
    long rows = history.isEmpty() ? catalog.read(id).count()
        : history.get(history.size() - 1).rows();
    return new TableFacts(id, current, ((Timestamp) newest.get(1)).toInstant(),
        newest.getString(2), rows, List.copyOf(history), aside(id, all));
  }

  /** The row count at a version, or null when the version can no longer be read. */
  private Long countAt(TableId id, long version) {
    try {
      return catalog.readVersion(id, version).count();
    } catch (Exception e) { // log entries or files past retention (AnalysisException)
      return null;
    }
  }

  private Aside aside(TableId id, Set<TableId> all) {
    for (String suffix : List.of(REJECTS, QUARANTINE)) {
      TableId candidate = TableId.of(id.layer(), id.name() + suffix);
      if (all.contains(candidate)) {
        return asideFacts(candidate, suffix.equals(REJECTS) ? "rejects" : "quarantine");
      }
    }
    return null;
  }

  private Aside asideFacts(TableId id, String kind) {
    Dataset<Row> rows = catalog.read(id);
    long total = rows.count();
    StructType schema = rows.schema();
    Dataset<Row> reasons = null;
    if (has(schema, REASON)) {
      reasons = rows.select(col(REASON).as("reason"));
    } else if (has(schema, FAILED_RULES)
        && schema.apply(FAILED_RULES).dataType() instanceof ArrayType) {
      reasons = rows.select(explode(col(FAILED_RULES)).as("reason"));
    }
    List<ReasonCount> top = new ArrayList<>();
    if (reasons != null && total > 0) {
      for (Row row : reasons.groupBy("reason").count()
          .orderBy(col("count").desc(), col("reason"))
          .limit(settings.topReasons()).collectAsList()) {
        top.add(new ReasonCount(row.isNullAt(0) ? "(none)" : row.getString(0), row.getLong(1)));
      }
    }
    return new Aside(id, kind, total, List.copyOf(top));
  }

  static boolean has(StructType schema, String column) {
    return schema.getFieldIndex(column).isDefined();
  }
}
