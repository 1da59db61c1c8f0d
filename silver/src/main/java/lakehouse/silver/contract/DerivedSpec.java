package lakehouse.silver.contract;

import org.apache.spark.sql.types.DataType;

/**
 * A derived column of a silver table: a Spark SQL expression over the row's typed columns (and
 * derived columns declared before it), computed after casting, checked like any column and written
 * to the silver table after the declared columns, e.g. {@code late = "arr_delay > 15"}.
 *
 * @param name the column's name
 * @param expression the Spark SQL expression
 * @param where the declaration's place for messages, {@code conf/tables/t.conf: derived.late
 *     (conf/tables/t.conf:12)}
 * @param type the expression's type, known once the contract is resolved against Spark ({@link
 *     DerivedColumns#resolve}); null before
 */
public record DerivedSpec(String name, String expression, String where, DataType type) {

  public DerivedSpec withType(DataType resolved) {
    return new DerivedSpec(name, expression, where, resolved);
  }
}
