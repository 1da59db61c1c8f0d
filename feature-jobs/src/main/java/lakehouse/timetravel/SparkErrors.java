package lakehouse.timetravel;

/** Helpers for exceptions Spark and Delta throw from Scala without declaring them. */
final class SparkErrors {
  private SparkErrors() {}

  /** Rethrows a runtime exception as is, wraps a checked one (e.g. AnalysisException). */
  static RuntimeException unchecked(Exception e) {
    return e instanceof RuntimeException runtime ? runtime : new IllegalStateException(e);
  }

  /** The first line of a Spark message, which carries the point without the plan dump. */
  static String firstLine(String message) {
    return message == null ? "" : message.lines().findFirst().orElse("").trim();
  }
}
