package lakehouse.common.catalog;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.analysis.RelationTimeTravel;
import org.apache.spark.sql.catalyst.analysis.UnresolvedIdentifier;
import org.apache.spark.sql.catalyst.analysis.UnresolvedNamespace;
import org.apache.spark.sql.catalyst.analysis.UnresolvedRelation;
import org.apache.spark.sql.catalyst.analysis.UnresolvedTable;
import org.apache.spark.sql.catalyst.analysis.UnresolvedTableOrView;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.catalyst.trees.TreeNode;
import scala.collection.JavaConverters;

/**
 * The table and namespace names a SQL statement mentions, as Spark's parser (with Delta's
 * extension) reads them, before anything is resolved: relations in joins, subqueries (also those
 * inside expressions, such as {@code IN (SELECT ...)}), CTE bodies and time travel, the targets of
 * DML and DDL, and the namespaces of {@code SHOW TABLES IN} and {@code SHOW DATABASES}.
 *
 * @param tables every multi-part table name, lower case, as written (CTE aliases included)
 * @param namespaces every namespace named, lower case; an empty one is the whole catalog
 */
record StatementNames(Set<List<String>> tables, Set<List<String>> namespaces) {
  /** The names of the statement; none when it does not parse (Spark then reports the error). */
  static StatementNames of(SparkSession spark, String statement) {
    StatementNames names = new StatementNames(new LinkedHashSet<>(), new LinkedHashSet<>());
    LogicalPlan plan;
    try {
      plan = spark.sessionState().sqlParser().parsePlan(statement);
    } catch (Exception e) { // Scala throws the checked ParseException undeclared
      if (e instanceof AnalysisException) {
        return names;
      }
      throw e instanceof RuntimeException runtimeError
          ? runtimeError
          : new IllegalStateException(e);
    }
    names.collect(plan);
    return names;
  }

  private void collect(LogicalPlan plan) {
    if (plan instanceof UnresolvedRelation relation) {
      tables.add(lower(relation.multipartIdentifier()));
    } else if (plan instanceof UnresolvedTable table) {
      tables.add(lower(table.multipartIdentifier()));
    } else if (plan instanceof UnresolvedTableOrView tableOrView) {
      tables.add(lower(tableOrView.multipartIdentifier()));
    } else if (plan instanceof UnresolvedIdentifier identifier) {
      tables.add(lower(identifier.nameParts()));
    } else if (plan instanceof UnresolvedNamespace namespace) {
      namespaces.add(lower(namespace.multipartIdentifier()));
    } else if (plan instanceof RelationTimeTravel timeTravel) { // a leaf: its relation is no child
      collect(timeTravel.relation());
    }
    // CTE bodies are inner children of UnresolvedWith; subqueries sit in the expressions.
    for (LogicalPlan child : JavaConverters.seqAsJavaList(plan.children())) {
      collect(child);
    }
    for (TreeNode<?> inner : JavaConverters.seqAsJavaList(plan.innerChildren())) {
      if (inner instanceof LogicalPlan innerPlan) {
        collect(innerPlan);
      }
    }
    for (LogicalPlan subquery : JavaConverters.seqAsJavaList(plan.subqueries())) {
      collect(subquery);
    }
  }

  private static List<String> lower(scala.collection.Seq<String> parts) {
    return JavaConverters.seqAsJavaList(parts).stream()
        .map(part -> part.toLowerCase(Locale.ROOT))
        .toList();
  }
}
