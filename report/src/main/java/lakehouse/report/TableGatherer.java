package lakehouse.report;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import lakehouse.common.catalog.LakeCatalog;
import lakehouse.common.catalog.LogRowCounts;
import lakehouse.common.catalog.TableId;
import lakehouse.common.catalog.TableVersions;
import lakehouse.report.ReportFacts.Aside;
import lakehouse.report.ReportFacts.ReasonCount;
import lakehouse.report.ReportFacts.TableFacts;
import lakehouse.report.ReportFacts.VersionCount;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.StructType;

/**
 * Per table: current version, freshness (the newest commit's timestamp), row count of each of the
 * newest versions and the rejects/quarantine table's count and top reasons. Everything but the
 * reasons comes from the Delta log on the driver, so the cost grows with the number of tables, not
 * with versions or rows; the reasons are one Spark job per rejects/quarantine table.
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
  private final Configuration hadoop;

  TableGatherer(SparkSession spark, LakeCatalog catalog, ReportSettings settings) {
    this.spark = spark;
    this.catalog = catalog;
    this.settings = settings;
    this.hadoop = spark.sessionState().newHadoopConf();
  }

  /** Whether the table keeps another table's set-aside rows. */
  static boolean isAside(TableId id) {
    return id.name().endsWith(REJECTS) || id.name().endsWith(QUARANTINE);
  }

  /** Whether the table is operational (run logs, metrics, registry, manifests). */
  static boolean isOperational(TableId id) {
    return id.layer().startsWith("_")
        || id.name().startsWith("_")
        || (id.layer().equals("silver") && id.name().endsWith(ReportSettings.METRICS_SUFFIX));
  }

  /**
   * The table's facts from its Delta log, on the driver: versions, commit times and operations from
   * {@link TableVersions}, rows per version from the file statistics ({@link LogRowCounts}). Only
   * when the log cannot give the current row count (files without statistics) is the table counted,
   * with one Spark job.
   */
  TableFacts gather(TableId id, Set<TableId> all) {
    TableVersions log = TableVersions.of(spark, catalog, id);
    List<Long> kept = log.versions().stream().filter(log::inLog).toList();
    List<Long> newest =
        kept.subList(Math.max(0, kept.size() - settings.maxVersions()), kept.size());
    long current = log.latest();
    Map<Long, Long> rows =
        newest.isEmpty() ? Map.of() : LogRowCounts.rows(log, hadoop, newest.get(0));
    List<VersionCount> history = new ArrayList<>();
    for (long version : newest) {
      history.add(
          new VersionCount(
              version, log.timestamp(version), log.operation(version), rows.get(version)));
    }
    return new TableFacts(
        id,
        current,
        log.timestamp(current),
        log.operation(current),
        currentRows(id, rows.get(current)),
        List.copyOf(history),
        aside(id, all));
  }

  /** The rows the log gave for the current version, else a count (one Spark job). */
  private long currentRows(TableId id, Long fromLog) {
    return fromLog != null ? fromLog : catalog.read(id).count();
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
    long total = catalog.rows(id);
    Dataset<Row> rows = catalog.read(id);
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
      for (Row row :
          reasons
              .groupBy("reason")
              .count()
              .orderBy(col("count").desc(), col("reason"))
              .limit(settings.topReasons())
              .collectAsList()) {
        top.add(new ReasonCount(row.isNullAt(0) ? "(none)" : row.getString(0), row.getLong(1)));
      }
    }
    return new Aside(id, kind, total, List.copyOf(top));
  }

  static boolean has(StructType schema, String column) {
    return schema.getFieldIndex(column).isDefined();
  }
}
