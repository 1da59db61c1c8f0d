package lakehouse.silver;

import lakehouse.common.settings.ConfigReader;
import lakehouse.common.settings.LakehouseSettings;

/**
 * The silver layer's settings, {@code lakehouse.silver { ... }} in {@code conf/application.conf}.
 *
 * @param piiSalt the salt of PII hashes (from {@code LAKEHOUSE_PII_SALT}); null when unset
 * @param checkpointDir the folder under the lake root that keeps each table's bronze read progress
 * @param maxFilesPerBatch bronze files per micro-batch; each micro-batch is one gated commit
 */
public record SilverSettings(String piiSalt, String checkpointDir, int maxFilesPerBatch) {

  /** The salt used only in the {@code local} environment when none is set. */
  public static final String DEVELOPMENT_SALT = "lakehouse-local-development-salt";

  /** Printed when the local environment hashes PII with {@link #DEVELOPMENT_SALT}. */
  public static final String DEVELOPMENT_SALT_WARNING =
      "warning: hashing PII with the local development salt; set LAKEHOUSE_PII_SALT for real data";

  public static final String SALT_VARIABLE = "LAKEHOUSE_PII_SALT";

  public static SilverSettings from(LakehouseSettings settings) {
    ConfigReader reader =
        new ConfigReader(settings.config(), "configuration (env " + settings.env() + ")");
    String salt =
        reader.has("lakehouse.silver.pii-salt") ? reader.string("lakehouse.silver.pii-salt") : null;
    SilverSettings result =
        new SilverSettings(
            salt == null || salt.isBlank() ? null : salt,
            reader.string("lakehouse.silver.checkpoint-dir"),
            reader.integer("lakehouse.silver.max-files-per-batch", 1000));
    if (result.maxFilesPerBatch < 1) {
      reader.problem("lakehouse.silver.max-files-per-batch", "must be at least 1");
    }
    reader.throwIfProblems();
    return result;
  }

  /**
   * The salt to hash PII with. Outside the {@code local} environment a missing salt is a usage
   * error: hashes made with a published salt are not pseudonymous.
   */
  public String saltFor(String env) {
    if (piiSalt != null) {
      return piiSalt;
    }
    if ("local".equals(env)) {
      return DEVELOPMENT_SALT;
    }
    throw SilverErrors.missingSalt(SALT_VARIABLE);
  }
}
