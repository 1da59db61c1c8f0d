package lakehouse.common.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import lakehouse.common.LakehouseException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Prints query results: an aligned table for people, or bare CSV / JSON lines for scripts (only
 * the data, nothing else on stdout).
 */
public final class TablePrinter {
  /** The output formats of commands that print rows. */
  public enum Format { TABLE, CSV, JSON;

    public static Format parse(String value) {
      try {
        return valueOf(value.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw LakehouseException.usage("--format must be table, csv or json, got '" + value + "'");
      }
    }
  }

  private TablePrinter() {}

  /** Prints at most {@code limit} rows of the result. */
  public static void print(PrintWriter out, Dataset<Row> rows, Format format, int limit) {
    Dataset<Row> limited = rows.limit(limit);
    switch (format) {
      case JSON -> limited.toJSON().collectAsList().forEach(out::println);
      case CSV -> printCsv(out, rows.columns(), limited.collectAsList());
      case TABLE -> printTable(out, rows.columns(), limited.collectAsList());
    }
    out.flush();
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
