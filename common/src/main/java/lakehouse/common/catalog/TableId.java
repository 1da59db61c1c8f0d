package lakehouse.common.catalog;

import java.util.regex.Pattern;
import lakehouse.common.LakehouseException;

/**
 * A table's logical name, {@code <layer>.<name>} (e.g. {@code silver.orders}); the layer is the
 * Spark database and the folder under the lake root.
 */
public record TableId(String layer, String name) {
  private static final Pattern PART = Pattern.compile("[a-z_][a-z0-9_]*");

  public TableId {
    if (!PART.matcher(layer).matches() || !PART.matcher(name).matches()) {
      throw LakehouseException.usage(
          "table name '"
              + layer
              + "."
              + name
              + "' must be <layer>.<name> in lower case letters, digits and underscores");
    }
  }

  /** Parses {@code layer.name}, with a clear error for anything else. */
  public static TableId parse(String logicalName) {
    String[] parts = logicalName == null ? new String[0] : logicalName.trim().split("\\.", -1);
    if (parts.length != 2) {
      throw LakehouseException.usage(
          "table name '" + logicalName + "' must be <layer>.<name>, e.g. silver.orders");
    }
    return new TableId(parts[0], parts[1]);
  }

  public static TableId of(String layer, String name) {
    return new TableId(layer, name);
  }

  /** The name as Spark SQL reads it, quoted so that names starting with '_' work too. */
  public String sql() {
    return "`" + layer + "`.`" + name + "`";
  }

  @Override
  public String toString() {
    return layer + "." + name;
  }
}
