package lakehouse.sample;

import java.time.LocalDate;
import java.util.Collections;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * How many times one fault kind was planted in one source, per landing date. Every generated
 * landing date is present, with 0 where nothing was planted.
 */
public record FaultCount(FaultKind kind, SortedMap<LocalDate, Long> perLandingDate) {
  public FaultCount {
    Objects.requireNonNull(kind, "kind");
    perLandingDate = Collections.unmodifiableSortedMap(new TreeMap<>(perLandingDate));
  }

  /** The count over all landing dates. */
  public long total() {
    long total = 0;
    for (long count : perLandingDate.values()) {
      total += count;
    }
    return total;
  }

  /** The count on one landing date; 0 for a date outside the sample. */
  public long on(LocalDate landingDate) {
    return perLandingDate.getOrDefault(landingDate, 0L);
  }
}
