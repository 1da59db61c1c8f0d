package lakehouse.bronze;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/** The file formats a source can land in. */
public enum SourceFormat {
  /** JSON lines: one JSON object per line. */
  JSON,
  /** CSV with a header line; every line is one record. */
  CSV,
  /** Apache Parquet files. */
  PARQUET;

  /** The names used in source declarations. */
  public static Set<String> names() {
    return Arrays.stream(values()).map(f -> f.name().toLowerCase()).collect(Collectors.toSet());
  }

  /** Whether records are text lines that can be malformed one by one. */
  public boolean lineBased() {
    return this != PARQUET;
  }
}
