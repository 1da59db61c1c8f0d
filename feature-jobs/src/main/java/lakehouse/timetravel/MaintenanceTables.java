package lakehouse.timetravel;

import java.util.List;
import lakehouse.common.catalog.LakeCatalog;
import lakehouse.common.catalog.TableId;

/** The tables a maintenance command works on: the one named, or every table of the lake. */
final class MaintenanceTables {
  private MaintenanceTables() {}

  static List<TableId> select(LakeCatalog catalog, String table) {
    return table == null ? catalog.discover() : List.of(catalog.require(table));
  }
}
