package lakehouse.bronze;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits one CSV line into fields (RFC 4180 quoting: a quoted field may hold the delimiter, and a
 * doubled quote stands for one quote). An empty unquoted field is null, a quoted empty field is the
 * empty string, as Spark's CSV reader does. Records spanning several lines are not supported: their
 * parts are malformed lines.
 */
final class CsvLine {
  private CsvLine() {}

  /**
   * @throws IllegalArgumentException when a quote is not closed or stray text follows one
   */
  static String[] split(String line, char delimiter, char quote) {
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    int i = 0;
    int n = line.length();
    while (true) {
      field.setLength(0);
      if (i < n && line.charAt(i) == quote) {
        i++;
        boolean closed = false;
        while (i < n) {
          char c = line.charAt(i++);
          if (c == quote) {
            if (i < n && line.charAt(i) == quote) {
              field.append(quote);
              i++;
            } else {
              closed = true;
              break;
            }
          } else {
            field.append(c);
          }
        }
        if (!closed) {
          throw new IllegalArgumentException("a quoted field is not closed");
        }
        if (i < n && line.charAt(i) != delimiter) {
          throw new IllegalArgumentException("text after a closing quote at column " + (i + 1));
        }
        fields.add(field.toString());
      } else {
        int end = line.indexOf(delimiter, i);
        String raw = end < 0 ? line.substring(i) : line.substring(i, end);
        fields.add(raw.isEmpty() ? null : raw);
        i = end < 0 ? n : end;
      }
      if (i >= n) {
        return fields.toArray(new String[0]);
      }
      i++; // the delimiter
      if (i == n) {
        fields.add(null);
        return fields.toArray(new String[0]);
      }
    }
  }
}
