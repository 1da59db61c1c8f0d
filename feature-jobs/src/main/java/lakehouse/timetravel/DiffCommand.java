package lakehouse.timetravel;

import java.io.FileNotFoundException;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import lakehouse.common.ExitCode;
import lakehouse.common.LakehouseRuntime;
import lakehouse.common.catalog.TableId;
import lakehouse.common.catalog.TableVersions;
import lakehouse.common.cli.LakehouseCommand;
import lakehouse.common.cli.TablePrinter;
import lakehouse.common.settings.LakehouseSettings;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code diff TABLE --from V1 --to V2}: the rows added, removed and changed between two Delta
 * versions, and how many of each. See {@link TableDiff} for the rules.
 */
@Command(
    name = "diff",
    description = {
      "Show the rows added, removed and changed in a table between two Delta versions, and a "
          + "summary.",
      "The key comes from --key, else from the table property lakehouse.key; without one whole "
          + "rows are compared (added and removed only). Uses the change data feed when the table "
          + "recorded it for the whole range, else compares the two snapshots."
    })
public final class DiffCommand extends LakehouseCommand {
  @Parameters(paramLabel = "TABLE", description = "Logical table name, e.g. silver.orders.")
  String table;

  @Option(names = "--from", required = true, paramLabel = "V1", description = "Older version.")
  long from;

  @Option(names = "--to", required = true, paramLabel = "V2", description = "Newer version.")
  long to;

  @Option(
      names = "--key",
      paramLabel = "COL[,COL...]",
      description =
          "Columns that identify a row (default: the table's lakehouse.key property; "
              + "'' compares whole rows).")
  String key;

  @Option(
      names = "--format",
      description =
          "table, csv or json (default: ${DEFAULT-VALUE}); "
              + "csv and json print only the rows, the summary goes to stderr.")
  String format = "table";

  @Option(
      names = "--limit",
      description =
          "Rows to show at most (default: ${DEFAULT-VALUE}); " + "the summary counts all.")
  int limit = 100;

  @Option(
      names = "--snapshots",
      description =
          "Compare the two snapshots even when the change " + "data feed covers the range.")
  boolean snapshots;

  @Override
  protected ExitCode run(LakehouseSettings settings) {
    TablePrinter.Format chosen = TablePrinter.Format.parse(format);
    return withRuntime(
        settings,
        runtime -> {
          TableId id = runtime.catalog().require(table);
          TableDiff.Result result =
              evaluate(
                  runtime,
                  id,
                  () ->
                      new TableDiff(runtime.spark(), runtime.catalog())
                          .diff(
                              id,
                              from,
                              to,
                              key == null ? null : TableDiff.parseKey(key),
                              !snapshots));
          Dataset<Row> rows = result.rows().persist(StorageLevel.MEMORY_AND_DISK());
          try {
            Map<String, Long> counts = evaluate(runtime, id, () -> TableDiff.summary(rows));
            if (chosen == TablePrinter.Format.TABLE) {
              out().println(header(result));
            }
            if (TablePrinter.print(out(), rows, chosen, limit)) {
              err().println(TablePrinter.cutNote(limit));
            }
            String summary = summary(counts, limit);
            if (chosen == TablePrinter.Format.TABLE) {
              out().println(summary);
              out().flush();
            } else {
              err().println(header(result) + "; " + summary);
              err().flush();
            }
          } finally {
            rows.unpersist();
          }
          return ExitCode.OK;
        });
  }

  /** A version whose files VACUUM removed fails deep inside Spark; name it instead. */
  private <T> T evaluate(LakehouseRuntime runtime, TableId id, Supplier<T> action) {
    try {
      return action.get();
    } catch (Exception e) { // Spark throws the checked SparkException undeclared
      if (causedByMissingFile(e)) {
        TableVersions versions = TableVersions.of(runtime.spark(), runtime.catalog(), id);
        versions.requireReadable(from, null);
        versions.requireReadable(to, null);
      }
      throw SparkErrors.unchecked(e);
    }
  }

  static boolean causedByMissingFile(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof FileNotFoundException
          || t.getClass().getSimpleName().equals("SparkFileNotFoundException")) {
        return true;
      }
    }
    return false;
  }

  /** The line above a diff's rows: the versions, the key and how they were compared. */
  public static String header(TableDiff.Result result) {
    List<String> key = result.key();
    String keyText = key.isEmpty() ? "whole rows" : "key " + String.join(", ", key);
    String method =
        result.method().text()
            + (result.note() == null
                ? ""
                : " (change data feed not usable: " + result.note() + ")");
    return "diff of "
        + result.table()
        + " from version "
        + result.from()
        + " to version "
        + result.to()
        + " ("
        + keyText
        + "; "
        + method
        + ")";
  }

  /** The line below a diff's rows: how many were added, removed and changed. */
  public static String summary(Map<String, Long> counts, int limit) {
    long total = counts.values().stream().mapToLong(Long::longValue).sum();
    return "summary: "
        + counts.get(TableDiff.ADDED)
        + " added, "
        + counts.get(TableDiff.REMOVED)
        + " removed, "
        + counts.get(TableDiff.CHANGED)
        + " changed"
        + (total > limit ? " (first " + limit + " rows shown)" : "");
  }
}
