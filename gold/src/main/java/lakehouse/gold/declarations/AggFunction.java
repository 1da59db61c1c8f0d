package lakehouse.gold.declarations;

import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** The aggregations a feature can compute over a window of days. */
public enum AggFunction {
  COUNT(false),
  SUM(true),
  AVG(true),
  MIN(true),
  MAX(true),
  STDDEV(true),
  COUNT_DISTINCT(true);

  private final boolean needsColumn;

  AggFunction(boolean needsColumn) {
    this.needsColumn = needsColumn;
  }

  /** Whether the function needs a {@code column} (count counts rows, or non-null values of one). */
  public boolean needsColumn() {
    return needsColumn;
  }

  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The words a declaration may use. */
  public static Set<String> words() {
    return Arrays.stream(values()).map(AggFunction::word).collect(Collectors.toSet());
  }

  public static AggFunction of(String word) {
    return valueOf(word.toUpperCase(Locale.ROOT));
  }
}
