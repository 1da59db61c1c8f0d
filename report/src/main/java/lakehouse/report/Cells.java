package lakehouse.report;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import scala.collection.JavaConverters;

/** Turns collected Spark values (timestamps, arrays, maps) into the report's cell text. */
final class Cells {
  private Cells() {}

  static String text(Object value) {
    if (value == null) {
      return "";
    }
    if (value instanceof Timestamp t) {
      return Html.time(t.toInstant());
    }
    if (value instanceof scala.collection.Seq<?> seq) {
      List<String> parts = new ArrayList<>();
      JavaConverters.seqAsJavaList(seq).forEach(v -> parts.add(text(v)));
      return String.join(", ", parts);
    }
    if (value instanceof scala.collection.Map<?, ?> map) {
      Map<String, String> sorted = new TreeMap<>();
      JavaConverters.mapAsJavaMap(map).forEach((k, v) -> sorted.put(text(k), text(v)));
      List<String> parts = new ArrayList<>();
      sorted.forEach((k, v) -> parts.add(k + "=" + v));
      return String.join(", ", parts);
    }
    return value.toString();
  }

  /** The row's values, in the given columns' order, as text. */
  static List<String> row(Row row, List<String> columns) {
    List<String> cells = new ArrayList<>();
    for (String column : columns) {
      cells.add(text(row.get(row.fieldIndex(column))));
    }
    return cells;
  }
}
