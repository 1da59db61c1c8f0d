package lakehouse.silver.contract;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import lakehouse.common.LakehouseException;
import lakehouse.silver.contract.CheckSpec.CheckType;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.SubqueryExpression;
import org.apache.spark.sql.catalyst.parser.CatalystSqlParser$;
import org.apache.spark.sql.catalyst.plans.logical.LocalRelation;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.catalyst.plans.logical.Project;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NullType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructType;
import scala.collection.JavaConverters;

/**
 * Derived columns: their syntax (when a contract is read, without Spark) and their resolution
 * against the typed columns (when a run starts, with Spark's analyzer, before anything is read or
 * written). A derived value must follow from the row's own typed values, so that a silver row is
 * the same whichever batch brought it and whenever: aggregates, window functions, subqueries,
 * non-deterministic functions and the clock are refused.
 */
public final class DerivedColumns {
  private DerivedColumns() {}

  /** Why {@code expression} does not parse as a Spark SQL expression; null when it does. */
  static String syntaxProblem(String expression) {
    try {
      CatalystSqlParser$.MODULE$.parseExpression(expression);
      return null;
    } catch (Exception e) { // ParseException
      return firstLine(e);
    }
  }

  /**
   * The contract with the type of every derived column, resolved against its typed columns; every
   * problem (an unknown column or function, a type error, an aggregate, a check that needs another
   * type) is reported at once with its file and line, as a usage error (exit code 2).
   */
  public static TableContract resolve(SparkSession spark, TableContract contract) {
    if (contract.derived().isEmpty() || contract.resolved()) {
      return contract;
    }
    StructType typed = new StructType();
    for (ColumnSpec c : contract.columns()) {
      typed = typed.add(c.name(), c.type(), true);
    }
    Dataset<Row> probe = spark.createDataFrame(List.of(), typed);
    List<String> problems = new ArrayList<>();
    List<DerivedSpec> resolved = new ArrayList<>();
    for (DerivedSpec d : contract.derived()) {
      String problem;
      DataType type = null;
      try {
        Column column = functions.expr(d.expression());
        problem = computable(probe.select(column.as(d.name())).queryExecution().analyzed());
        if (problem == null) {
          Dataset<Row> next = probe.withColumn(d.name(), column);
          type = next.schema().apply(d.name()).dataType();
          if (type instanceof NullType) {
            problem = "has no type (it is always null); cast it, e.g. CAST(NULL AS STRING)";
          } else {
            probe = next;
          }
        }
      } catch (Exception e) { // Spark's AnalysisException is checked, thrown unchecked
        problem = "cannot be computed from the typed columns: " + firstLine(e);
      }
      if (problem != null) {
        problems.add(d.where() + ": " + problem);
      } else {
        resolved.add(d.withType(type));
      }
    }
    if (problems.isEmpty()) {
      Map<String, DataType> types = new java.util.HashMap<>();
      resolved.forEach(d -> types.put(d.name(), d.type()));
      for (CheckSpec check : contract.checks()) {
        DataType type = check.column() == null ? null : types.get(check.column());
        if (type == null) {
          continue;
        }
        if (check.type() == CheckType.RANGE && !(type instanceof NumericType)) {
          problems.add(
              checkPlace(contract, check)
                  + "a range check needs a numeric column;"
                  + " derived column '"
                  + check.column()
                  + "' is "
                  + type.simpleString());
        }
        if (check.type() == CheckType.FRESHNESS && !type.equals(DataTypes.TimestampType)) {
          problems.add(
              checkPlace(contract, check)
                  + "a freshness check needs a timestamp"
                  + " column; derived column '"
                  + check.column()
                  + "' is "
                  + type.simpleString());
        }
      }
    }
    if (!problems.isEmpty()) {
      throw LakehouseException.usage(String.join("\n", problems));
    }
    return contract.withDerived(resolved);
  }

  private static String checkPlace(TableContract contract, CheckSpec check) {
    return "conf/tables/" + contract.name() + ".conf: check " + check.name() + ": ";
  }

  /** Why an analyzed single-column projection is not a value of the row alone; null when it is. */
  private static String computable(LogicalPlan plan) {
    LogicalPlan below = plan instanceof Project p ? p.child() : null;
    while (below instanceof Project p) {
      below = p.child(); // the derived columns before this one
    }
    if (!(plan instanceof Project project) || !(below instanceof LocalRelation)) {
      return "must be computed from the row's own values: aggregate and window functions are"
          + " not allowed";
    }
    Expression expression = (Expression) project.projectList().head();
    if (contains(expression, SubqueryExpression.class)) {
      return "must be computed from the row's own values: subqueries are not allowed";
    }
    String clock = clock(expression);
    if (clock != null) {
      return "must give the same value whenever it runs: " + clock + " is not allowed";
    }
    if (!expression.deterministic()) {
      return "must be deterministic (the same row must always give the same value): "
          + "functions such as rand(), uuid() or input_file_name() are not allowed";
    }
    return null;
  }

  private static boolean contains(Expression expression, Class<?> kind) {
    if (kind.isInstance(expression)) {
      return true;
    }
    for (Expression child : JavaConverters.seqAsJavaList(expression.children())) {
      if (contains(child, kind)) {
        return true;
      }
    }
    return false;
  }

  /** The prettyName of a function reading the clock or the session (current_date(), now()). */
  private static String clock(Expression expression) {
    String name = expression.getClass().getSimpleName();
    if (name.startsWith("Current") || name.equals("Now") || name.startsWith("LocalTimestamp")) {
      return expression.prettyName() + "()";
    }
    for (Expression child : JavaConverters.seqAsJavaList(expression.children())) {
      String found = clock(child);
      if (found != null) {
        return found;
      }
    }
    return null;
  }

  /** The first line of a Spark error, without its error class. */
  static String firstLine(Exception e) {
    String message = e.getMessage() == null ? e.toString() : e.getMessage();
    return message
        .strip()
        .lines()
        .findFirst()
        .orElse("")
        .replaceFirst("^\\[[A-Z_.]+\\]\\s*", "")
        .strip();
  }
}
