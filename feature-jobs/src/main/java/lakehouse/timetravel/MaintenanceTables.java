package lakehouse.timetravel;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import lakehouse.common.catalog.LakeCatalog;
import lakehouse.common.catalog.TableId;
import picocli.CommandLine.Option;

/**
 * The tables a maintenance command works on: the ones named with {@code --table} (repeatable: the
 * DAGs give each writer group's tables, so maintenance runs in that group's single-writer pool), or
 * every table of the lake.
 */
final class MaintenanceTables {
  @Option(
      names = "--table",
      paramLabel = "TABLE",
      description = "Only this table; repeat for several (default: every table).")
  List<String> tables = new ArrayList<>();

  @Option(
      names = "--if-exists",
      description =
          "Skip a named table that does not exist yet "
              + "(counted and named on stderr) instead of failing.")
  boolean ifExists;

  List<TableId> select(LakeCatalog catalog, PrintWriter err) {
    if (tables.isEmpty()) {
      return catalog.discover();
    }
    List<TableId> selected = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    for (String name : tables) {
      if (ifExists && !catalog.exists(TableId.parse(name))) {
        missing.add(name);
      } else {
        selected.add(catalog.require(name));
      }
    }
    if (!missing.isEmpty()) {
      err.println(
          "skipped "
              + missing.size()
              + " table(s) that do not exist yet: "
              + String.join(", ", missing));
      err.flush();
    }
    return selected;
  }
}
