package lakehouse.training;

import java.util.Locale;

/**
 * What a training set's feature values could have been known as.
 *
 * <ul>
 *   <li>{@code LATEST}: every feature table read at its latest version when the build starts;
 *   <li>{@code AS_OF}: every feature table read at an older version chosen by timestamp or by
 *       version (Delta time travel);
 *   <li>{@code KNOWN_AT}: additionally, a feature row counts for a spine row only if it had been
 *       committed by the spine row's event time (plus a serving delay), with the values it had
 *       then.
 * </ul>
 */
public enum KnowledgeMode {
  LATEST,
  AS_OF,
  KNOWN_AT;

  /** The word stored in manifests: {@code latest}, {@code as_of} or {@code known_at}. */
  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a manifest or spec word ({@code known-at} is accepted for {@code known_at}). */
  public static KnowledgeMode parse(String word) {
    return valueOf(word.trim().replace('-', '_').toUpperCase(Locale.ROOT));
  }
}
