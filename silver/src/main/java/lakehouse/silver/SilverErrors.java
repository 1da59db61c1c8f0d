package lakehouse.silver;

import java.util.List;
import lakehouse.common.ExitCode;
import lakehouse.common.LakehouseException;
import lakehouse.common.settings.Declarations;

/**
 * The errors of the silver layer, each returned with its exit code ({@code throw
 * SilverErrors.missingBronze(...)}), so every fact has one wording and one code; tests assert
 * through {@code getMessage()}. An unexpected failure is an {@link IllegalStateException} (exit
 * code 1, with its stack trace).
 */
public final class SilverErrors {
  private SilverErrors() {}

  /** An unknown table name, in the {@link Declarations} registry's one wording: exit code 2. */
  public static LakehouseException unknownTable(String name, List<String> known) {
    return LakehouseException.usage(Declarations.unknown(Declarations.Kind.TABLE, name, known));
  }

  /** {@code run silver} without exactly one of {@code --table} and {@code --all-tables}. */
  public static LakehouseException tableOrAll() {
    return LakehouseException.usage("give --table NAME or --all-tables (not both)");
  }

  /** The contract's bronze table has no commit yet: exit code 2. */
  public static LakehouseException missingBronze(String bronze, String table) {
    return LakehouseException.usage(
        "bronze table "
            + bronze
            + " (the source of silver."
            + table
            + ") does not exist yet; run 'lakehouse run bronze' first");
  }

  /** Bronze lacks columns the contract requires: the data cannot be carried, exit code 4. */
  public static LakehouseException missingRequiredColumn(
      String table, String bronze, List<String> columns) {
    return LakehouseException.data(
        "bronze table "
            + bronze
            + " has no column(s) "
            + String.join(", ", columns)
            + " that silver."
            + table
            + " requires; fix the source or the contract conf/tables/"
            + table
            + ".conf");
  }

  /** PII columns outside the local environment without a salt: exit code 2. */
  public static LakehouseException missingSalt(String variable) {
    return LakehouseException.usage(
        "PII columns need a salt: set the environment variable "
            + variable
            + " (or lakehouse.silver.pii-salt); only the local environment has a development"
            + " default");
  }

  /** Error-severity checks failed; the table was not changed: exit code 3. */
  public static LakehouseException gateFailed(String table, String runDate, List<String> failures) {
    return new LakehouseException(
        ExitCode.QUALITY_GATE,
        "quality gate failed for silver."
            + table
            + " (run date "
            + runDate
            + "): "
            + failures.size()
            + " error check(s) failed; silver."
            + table
            + " was not changed:\n  "
            + String.join("\n  ", failures));
  }

  /** The streaming read of bronze failed for a reason no layer knows: exit code 1. */
  public static IllegalStateException streamFailed(String table, String detail, Throwable cause) {
    return new IllegalStateException(
        "silver." + table + " failed while reading bronze: " + detail, cause);
  }
}
