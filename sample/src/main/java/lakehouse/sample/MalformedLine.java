package lakehouse.sample;

import java.util.Objects;

/**
 * A line of a landing file that cannot be parsed, planted on purpose.
 *
 * @param file path relative to the landing root, as in {@link LandingFile#path()}
 * @param lineNumber 1-based physical line number in that file; in CSV files the header is line 1
 * @param kind how the line is broken
 */
public record MalformedLine(String file, long lineNumber, MalformedKind kind) {
  public MalformedLine {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(kind, "kind");
    if (lineNumber < 1) {
      throw new IllegalArgumentException("Line numbers start at 1, got " + lineNumber);
    }
  }
}
