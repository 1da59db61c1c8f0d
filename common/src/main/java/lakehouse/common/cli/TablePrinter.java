package lakehouse.common.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import lakehouse.common.LakehouseException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Prints query results: an aligned table for people, or bare CSV / JSON lines for scripts (only the
 * data, nothing else on stdout).
 */
public final class TablePrinter {
  /** The output formats of commands that print rows. */
  public enum Format {
    TABLE,
    CSV,
    JSON;

    public static Format parse(String value) {
      try {
        return valueOf(value.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw LakehouseException.usage("--format must be table, csv or json, got '" + value + "'");
      }
    }
  }

  private TablePrinter() {}

  /**
   * Prints at most {@code limit} rows of the result ({@code limit <= 0}: all of them).
   *
   * @return whether the result had more rows than were printed (callers say so)
   */
  public static boolean print(PrintWriter out, Dataset<Row> rows, Format format, int limit) {
    Dataset<Row> taken = limit > 0 && limit < Integer.MAX_VALUE ? rows.limit(limit + 1) : rows;
    boolean cut;
    if (format == Format.JSON) {
      List<String> lines = taken.toJSON().collectAsList();
      cut = limit > 0 && lines.size() > limit;
      (cut ? lines.subList(0, limit) : lines).forEach(out::println);
    } else {
      List<Row> collected = taken.collectAsList();
      cut = limit > 0 && collected.size() > limit;
      List<Row> shown = cut ? collected.subList(0, limit) : collected;
      if (format == Format.CSV) {
        printCsv(out, rows.columns(), shown);
      } else {
        printTable(out, rows.columns(), shown);
      }
    }
    out.flush();
    return cut;
  }

  /** The note a command prints on stderr when {@link #print} cut its output. */
  public static String cutNote(int limit) {
    return "note: only the first "
        + limit
        + " rows are shown (--limit N for more, --limit 0 for "
        + "all)";
  }

  /** Prints rows already collected as an aligned table. */
  public static void printTable(PrintWriter out, String[] columns, List<Row> rows) {
    List<String[]> cells = new ArrayList<>();
    int[] widths = new int[columns.length];
    for (int c = 0; c < columns.length; c++) {
      widths[c] = columns[c].length();
    }
    for (Row row : rows) {
      String[] line = new String[columns.length];
      for (int c = 0; c < columns.length; c++) {
        line[c] = text(row.get(c));
        widths[c] = Math.max(widths[c], line[c].length());
      }
      cells.add(line);
    }
    out.println(line(columns, widths));
    StringBuilder rule = new StringBuilder();
    for (int width : widths) {
      rule.append(rule.length() == 0 ? "" : "-+-").append("-".repeat(width));
    }
    out.println(rule);
    cells.forEach(line -> out.println(line(line, widths)));
    out.println("(" + rows.size() + (rows.size() == 1 ? " row)" : " rows)"));
  }

  private static void printCsv(PrintWriter out, String[] columns, List<Row> rows) {
    out.println(csvLine(List.of(columns)));
    for (Row row : rows) {
      List<String> values = new ArrayList<>();
      for (int c = 0; c < columns.length; c++) {
        values.add(row.isNullAt(c) ? "" : text(row.get(c)));
      }
      out.println(csvLine(values));
    }
  }

  private static String csvLine(List<String> values) {
    StringBuilder line = new StringBuilder();
    for (String value : values) {
      if (line.length() > 0) {
        line.append(',');
      }
      boolean quote = value.contains(",") || value.contains("\"") || value.contains("\n");
      line.append(quote ? '"' + value.replace("\"", "\"\"") + '"' : value);
    }
    return line.toString();
  }

  private static String line(String[] values, int[] widths) {
    StringBuilder line = new StringBuilder();
    for (int c = 0; c < values.length; c++) {
      if (c > 0) {
        line.append(" | ");
      }
      line.append(values[c]).append(" ".repeat(widths[c] - values[c].length()));
    }
    return line.toString().stripTrailing();
  }

  private static String text(Object value) {
    if (value == null) {
      return "null";
    }
    if (value instanceof scala.collection.Map<?, ?> || value instanceof scala.collection.Seq<?>) {
      return value.toString().replaceFirst("^(Map|WrappedArray|ArraySeq|List)", "");
    }
    return value.toString();
  }
}
