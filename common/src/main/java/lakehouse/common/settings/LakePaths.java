package lakehouse.common.settings;

import java.net.URI;
import java.nio.file.Path;
import java.util.Set;

/** Turns configured locations into URIs Hadoop's file systems understand. */
public final class LakePaths {
  private static final Set<String> SCHEMES = Set.of("file", "s3a", "hdfs", "abfs", "abfss", "gs");

  private LakePaths() {}

  /**
   * A relative or absolute local path becomes an absolute {@code file:} URI; a URI with a known
   * scheme is kept (without a trailing slash). {@code s3://} is refused: Hadoop's S3 connector is
   * {@code s3a://}.
   */
  static String normalise(ConfigReader reader, String path) {
    String value = reader.string(path);
    if (value == null) {
      return null;
    }
    if (value.isBlank()) {
      reader.problem(path, "must not be empty");
      return null;
    }
    String trimmed =
        value.endsWith("/") && value.length() > 1 ? value.substring(0, value.length() - 1) : value;
    int colon = trimmed.indexOf(':');
    if (colon <= 1) {
      return toFileUri(trimmed);
    }
    String scheme = trimmed.substring(0, colon).toLowerCase();
    if (scheme.equals("s3") || scheme.equals("s3n")) {
      reader.problem(path, "use s3a://, Hadoop's S3 connector, instead of " + scheme + "://");
      return null;
    }
    if (!SCHEMES.contains(scheme)) {
      reader.problem(path, "unsupported file system '" + scheme + "' in '" + value + "'");
      return null;
    }
    return trimmed;
  }

  /** An absolute {@code file:} URI for a local path, without a trailing slash. */
  public static String toFileUri(String localPath) {
    URI uri = Path.of(localPath).toAbsolutePath().normalize().toUri();
    String text = uri.toString();
    return text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
  }

  /** Joins a base URI and relative parts with single slashes. */
  public static String join(String base, String... parts) {
    StringBuilder result = new StringBuilder(base);
    for (String part : parts) {
      if (result.charAt(result.length() - 1) != '/') {
        result.append('/');
      }
      result.append(part.startsWith("/") ? part.substring(1) : part);
    }
    return result.toString();
  }
}
