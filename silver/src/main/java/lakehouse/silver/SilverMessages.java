package lakehouse.silver;

import java.util.List;
import lakehouse.common.settings.Declarations;

/** Every user-facing message of the silver layer, in one place so tests can assert them. */
public final class SilverMessages {
  private SilverMessages() {}

  /** An unknown table name, in the {@link Declarations} registry's one wording. */
  public static String unknownTable(String name, List<String> known) {
    return Declarations.unknown(Declarations.Kind.TABLE, name, known);
  }

  public static String missingBronze(String bronze, String table) {
    return "bronze table "
        + bronze
        + " (the source of silver."
        + table
        + ") does not exist yet; run 'lakehouse run bronze' first";
  }

  public static String missingRequiredColumn(String table, String bronze, List<String> columns) {
    return "bronze table "
        + bronze
        + " has no column(s) "
        + String.join(", ", columns)
        + " that silver."
        + table
        + " requires; fix the source or the contract conf/tables/"
        + table
        + ".conf";
  }

  public static String missingSalt(String variable) {
    return "PII columns need a salt: set the environment variable "
        + variable
        + " (or lakehouse.silver.pii-salt); only the local environment has a development default";
  }

  public static final String DEVELOPMENT_SALT_WARNING =
      "warning: hashing PII with the local development salt; set LAKEHOUSE_PII_SALT for real data";

  public static final String TABLE_OR_ALL = "give --table NAME or --all-tables (not both)";

  public static String gateFailed(String table, String runDate, List<String> failures) {
    return "quality gate failed for silver."
        + table
        + " (run date "
        + runDate
        + "): "
        + failures.size()
        + " error check(s) failed; silver."
        + table
        + " was not changed:\n  "
        + String.join("\n  ", failures);
  }

  public static String streamFailed(String table, String detail) {
    return "silver." + table + " failed while reading bronze: " + detail;
  }
}
