package lakehouse.training;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import lakehouse.common.LakehouseException;
import lakehouse.common.catalog.LakeCatalog;
import lakehouse.common.catalog.TableId;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.analysis.RelationTimeTravel;
import org.apache.spark.sql.catalyst.analysis.UnresolvedRelation;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.catalyst.plans.logical.SubqueryAlias;
import org.apache.spark.sql.catalyst.plans.logical.SubqueryAlias$;
import org.apache.spark.sql.catalyst.plans.logical.UnresolvedWith;
import scala.Tuple2;
import scala.collection.JavaConverters;
import scala.runtime.AbstractPartialFunction;

/**
 * A spine given as SQL over lake tables ({@code spine.query}), run with every table it names read
 * at one pinned Delta version, so a build, and its rebuild from the manifest, see the same rows.
 *
 * <p>The statement is parsed, not analyzed: each lake table it names ({@code layer.name}, in a
 * FROM, a join, a CTE body or a subquery inside an expression) is replaced by the table read at its
 * pinned version, under the same name so that qualified column references still resolve; then Spark
 * analyzes the result as usual. Names of one part (CTE names) are left to Spark. A name that is not
 * a lake table, a path ({@code delta.`...`}) or a {@code VERSION AS OF} of the statement's own
 * cannot be pinned, so they are usage errors.
 */
final class SpineQuery {
  private SpineQuery() {}

  /** The lake tables the statement reads, in the order named; exit 2 for what cannot be pinned. */
  static List<TableId> tables(SparkSession spark, LakeCatalog catalog, String query) {
    Set<TableId> tables = new LinkedHashSet<>();
    substitute(
        parse(spark, query),
        catalog,
        id -> {
          tables.add(id);
          return null;
        });
    return List.copyOf(tables);
  }

  /** The statement's rows, every lake table it names read at {@code versions}. */
  static Dataset<Row> run(
      SparkSession spark, LakeCatalog catalog, String query, Map<TableId, Long> versions) {
    LogicalPlan pinned =
        substitute(
            parse(spark, query),
            catalog,
            id -> {
              Long version = versions.get(id);
              if (version == null) {
                throw new IllegalStateException("no pinned version for " + id);
              }
              return catalog.readVersion(id, version).logicalPlan();
            });
    try {
      return Dataset.ofRows(spark, pinned);
    } catch (Exception e) { // AnalysisException is checked, yet thrown undeclared
      throw TrainingErrors.spineQueryFails(firstLine(e));
    }
  }

  private static LogicalPlan parse(SparkSession spark, String query) {
    try {
      return spark.sessionState().sqlParser().parsePlan(query);
    } catch (Exception e) { // ParseException is checked, yet thrown undeclared
      throw TrainingErrors.spineQueryFails(firstLine(e));
    }
  }

  /**
   * The plan with each lake table replaced by {@code read}'s plan for it (aliased by its name), or
   * left as it is where {@code read} gives null.
   */
  private static LogicalPlan substitute(
      LogicalPlan plan, LakeCatalog catalog, Function<TableId, LogicalPlan> read) {
    return plan.transformUpWithSubqueries(
        new AbstractPartialFunction<>() {
          @Override
          public boolean isDefinedAt(LogicalPlan node) {
            return node instanceof UnresolvedRelation
                || node instanceof UnresolvedWith
                || node instanceof RelationTimeTravel;
          }

          @Override
          public LogicalPlan apply(LogicalPlan node) {
            if (node instanceof RelationTimeTravel) {
              throw TrainingErrors.spineQueryTimeTravel();
            }
            if (node instanceof UnresolvedWith with) { // CTE bodies are no children: walk them
              List<Tuple2<String, SubqueryAlias>> bodies = new ArrayList<>();
              for (Tuple2<String, SubqueryAlias> cte :
                  JavaConverters.seqAsJavaList(with.cteRelations())) {
                bodies.add(
                    new Tuple2<>(cte._1(), (SubqueryAlias) substitute(cte._2(), catalog, read)));
              }
              return new UnresolvedWith(with.child(), JavaConverters.asScalaBuffer(bodies).toSeq());
            }
            UnresolvedRelation relation = (UnresolvedRelation) node;
            List<String> parts = JavaConverters.seqAsJavaList(relation.multipartIdentifier());
            if (parts.size() == 1) {
              return node; // a CTE's name (or a view of the session), not a table of the lake
            }
            List<String> name =
                parts.size() == 3 && parts.get(0).equalsIgnoreCase("spark_catalog")
                    ? parts.subList(1, 3)
                    : parts;
            TableId id = name.size() == 2 ? lakeTable(catalog, name) : null;
            if (id == null) {
              throw TrainingErrors.spineQueryNotALakeTable(String.join(".", parts));
            }
            LogicalPlan rows = read.apply(id);
            return rows == null
                ? node
                : SubqueryAlias$.MODULE$.apply(
                    JavaConverters.asScalaBuffer(List.of(id.layer(), id.name())).toSeq(), rows);
          }
        });
  }

  private static TableId lakeTable(LakeCatalog catalog, List<String> name) {
    try {
      TableId id =
          TableId.of(name.get(0).toLowerCase(Locale.ROOT), name.get(1).toLowerCase(Locale.ROOT));
      return catalog.exists(id) ? id : null;
    } catch (LakehouseException notAName) {
      return null;
    }
  }

  private static String firstLine(Exception e) {
    String message = e.getMessage() == null ? e.toString() : e.getMessage();
    return message.split("\n", 2)[0];
  }
}
