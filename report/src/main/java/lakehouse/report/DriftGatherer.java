package lakehouse.report;

import static org.apache.spark.sql.functions.col;

import java.sql.Date;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import lakehouse.common.catalog.LakeCatalog;
import lakehouse.common.catalog.TableId;
import lakehouse.report.ReportFacts.DriftFacts;
import lakehouse.report.ReportFacts.DriftRow;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.functions;

/**
 * Reads the newest drift comparison of each feature set and training set from the drift tables
 * ({@code <lakehouse.gold.drift.drift-table-prefix><set>}, {@code
 * <training-drift-table-prefix><name>}, written by {@code features drift}, {@code training-set
 * drift} and the gold gate), features worst first.
 */
final class DriftGatherer {
  private final LakeCatalog catalog;

  DriftGatherer(LakeCatalog catalog) {
    this.catalog = catalog;
  }

  /** The newest comparison of each subject in each table, worst first. */
  List<DriftFacts> gather(List<TableId> tables, int limit) {
    List<DriftFacts> out = new ArrayList<>();
    for (TableId table : tables) {
      out.addAll(gather(table, limit));
    }
    out.sort(
        Comparator.comparingInt(DriftFacts::rank).reversed().thenComparing(DriftFacts::subject));
    return out;
  }

  List<DriftFacts> gather(TableId table, int limit) {
    var rows = catalog.read(table);
    var newest =
        rows.withColumn(
                "_newest", functions.max("checked_at").over(Window.partitionBy("scope", "subject")))
            .filter(col("checked_at").equalTo(col("_newest")));
    Map<String, List<Row>> byCheck = new LinkedHashMap<>();
    for (Row r : newest.orderBy(col("checked_at").desc()).collectAsList()) {
      byCheck.computeIfAbsent(r.<String>getAs("check_id"), k -> new ArrayList<>()).add(r);
    }
    List<DriftFacts> out = new ArrayList<>();
    for (List<Row> check : byCheck.values()) {
      Row first = check.get(0);
      List<DriftRow> features = new ArrayList<>();
      for (Row r : check) {
        features.add(
            new DriftRow(
                r.getAs("feature"),
                r.getAs("kind"),
                r.getAs("severity"),
                r.getAs("direction"),
                r.getAs("psi"),
                r.getAs("ks"),
                r.getAs("null_rate_change"),
                r.getAs("reference_mean"),
                r.getAs("current_mean"),
                List.copyOf(r.<String>getList(r.fieldIndex("breaches"))),
                List.copyOf(r.<String>getList(r.fieldIndex("bins"))),
                List.copyOf(r.<Double>getList(r.fieldIndex("reference_shares"))),
                List.copyOf(r.<Double>getList(r.fieldIndex("current_shares")))));
      }
      features.sort(
          Comparator.comparingInt(DriftRow::rank)
              .reversed()
              .thenComparing(Comparator.comparingDouble(DriftRow::score).reversed())
              .thenComparing(DriftRow::feature));
      Date day = first.getAs("current_date");
      out.add(
          new DriftFacts(
              first.getAs("scope"),
              first.getAs("subject"),
              first.getAs("current"),
              day == null ? null : day.toLocalDate(),
              first.getAs("reference"),
              first.<Timestamp>getAs("checked_at").toInstant(),
              features.size() > limit ? features.subList(0, limit) : features,
              features.size()));
    }
    out.sort(
        Comparator.comparingInt(DriftFacts::rank).reversed().thenComparing(DriftFacts::subject));
    return out;
  }
}
