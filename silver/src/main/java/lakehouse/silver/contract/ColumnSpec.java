package lakehouse.silver.contract;

import java.util.Map;
import org.apache.spark.sql.types.DataType;

/**
 * One column of a silver table as its contract declares it: the type it is cast to and how its
 * raw value is standardised first.
 *
 * @param name the column name, the same in bronze and silver
 * @param type the silver type (a Spark SQL type such as {@code timestamp} or {@code decimal(12,2)})
 * @param required a null (or blank) value sends the row to quarantine
 * @param trim trim surrounding white space from string values (blank becomes null)
 * @param letterCase {@code none}, {@code lower} or {@code upper}
 * @param mapping raw values replaced by declared ones after trimming and case, e.g. {@code
 *     canceled -> cancelled}
 * @param pii the value is replaced by a salted SHA-256 hash
 */
public record ColumnSpec(String name, DataType type, boolean required, boolean trim,
    String letterCase, Map<String, String> mapping, boolean pii) {

  public ColumnSpec {
    mapping = Map.copyOf(mapping);
  }
}
