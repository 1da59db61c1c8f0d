package lakehouse.silver.contract;

import java.time.Duration;
import java.util.List;

/**
 * One declared quality check. Which fields matter depends on the {@link CheckType}; the loader
 * insists on the ones a type needs.
 *
 * @param name a unique name within the table (defaults to {@code <type>_<column>})
 * @param type what is checked
 * @param severity {@code error} stops the publish, {@code warn} is recorded and printed
 * @param columns the column(s) checked (empty for table-wide checks)
 * @param min lower bound (range, row-count)
 * @param max upper bound (range, row-count)
 * @param values allowed values (allowed-values)
 * @param pattern a regular expression values must match (pattern)
 * @param minFraction the least fraction of rows that must comply (completeness, uniqueness and the
 *     row-level types); defaults to 1, except for row-level {@code error} checks, whose failing
 *     rows are quarantined and which gate the batch only with an explicit value
 * @param maxFraction the largest tolerated fraction of the rows read (quarantine-rate,
 *     conflicting-duplicates; 0 by default for the latter)
 * @param maxAge how old the newest event may be at the end of the run date (freshness)
 * @param maxIncrease largest relative increase against the previous run (row-count-anomaly)
 * @param maxDecrease largest relative decrease against the previous run (row-count-anomaly)
 * @param minHistory published runs needed before the anomaly check judges (row-count-anomaly)
 */
public record CheckSpec(
    String name,
    CheckType type,
    Severity severity,
    List<String> columns,
    Double min,
    Double max,
    List<String> values,
    String pattern,
    double minFraction,
    Double maxFraction,
    Duration maxAge,
    Double maxIncrease,
    Double maxDecrease,
    int minHistory) {

  public CheckSpec {
    columns = List.copyOf(columns);
    values = values == null ? List.of() : List.copyOf(values);
  }

  /** The first (usually only) column. */
  public String column() {
    return columns.isEmpty() ? null : columns.get(0);
  }

  /** A check's severity. */
  public enum Severity {
    ERROR,
    WARN;

    public String label() {
      return name().toLowerCase();
    }
  }

  /** What a check looks at. Row-level types also route failing rows to quarantine. */
  public enum CheckType {
    RANGE("range", true),
    ALLOWED_VALUES("allowed-values", true),
    PATTERN("pattern", true),
    COMPLETENESS("completeness", false),
    UNIQUENESS("uniqueness", false),
    ROW_COUNT("row-count", false),
    FRESHNESS("freshness", false),
    ROW_COUNT_ANOMALY("row-count-anomaly", false),
    QUARANTINE_RATE("quarantine-rate", false),
    /**
     * Rows whose business key and event time equal another row's (of the batch, or silver's) while
     * some value differs: which one is right cannot be told from the data.
     */
    CONFLICTING_DUPLICATES("conflicting-duplicates", false);

    private final String label;
    private final boolean rowLevel;

    CheckType(String label, boolean rowLevel) {
      this.label = label;
      this.rowLevel = rowLevel;
    }

    public String label() {
      return label;
    }

    public boolean rowLevel() {
      return rowLevel;
    }

    public static CheckType fromLabel(String label) {
      for (CheckType type : values()) {
        if (type.label.equalsIgnoreCase(label)) {
          return type;
        }
      }
      return null;
    }

    public static List<String> labels() {
      return java.util.Arrays.stream(values()).map(CheckType::label).toList();
    }
  }
}
