package lakehouse.silver.contract;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.types.DataType;

/**
 * One column of a silver table as its contract declares it: the type it is cast to and how its raw
 * value is standardised first.
 *
 * @param name the column name, the same in bronze and silver
 * @param type the silver type (a Spark SQL type such as {@code timestamp} or {@code decimal(12,2)})
 * @param required a null (or blank) value sends the row to quarantine
 * @param trim trim surrounding white space from string values (blank becomes null)
 * @param letterCase {@code none}, {@code lower} or {@code upper}
 * @param mapping raw values replaced by declared ones after trimming and case, e.g. {@code canceled
 *     -> cancelled}; a null target ({@code map { na = null }}) makes the value null
 * @param pii the value is replaced by a salted SHA-256 hash
 * @param nullValues landed text values that stand for a missing value (e.g. {@code NA}), made null
 *     after trimming and before case, mapping and cast: the column's own {@code null-values}, else
 *     the table's
 */
public record ColumnSpec(
    String name,
    DataType type,
    boolean required,
    boolean trim,
    String letterCase,
    Map<String, String> mapping,
    boolean pii,
    List<String> nullValues) {

  public ColumnSpec {
    // Not Map.copyOf: a mapping to null is allowed.
    mapping = Collections.unmodifiableMap(new LinkedHashMap<>(mapping));
    nullValues = List.copyOf(nullValues);
  }

  public ColumnSpec(
      String name,
      DataType type,
      boolean required,
      boolean trim,
      String letterCase,
      Map<String, String> mapping,
      boolean pii) {
    this(name, type, required, trim, letterCase, mapping, pii, List.of());
  }
}
