package lakehouse.sample;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The lines one source lands on one day, in file order, with the positions and kinds of the
 * malformed ones and the count of every fault planted.
 */
final class DayBatch {
  private final List<byte[]> lines;
  private final int[] malformedIndexes;
  private final MalformedKind[] malformedKinds;
  private final Map<FaultKind, Integer> faults;

  DayBatch(
      List<byte[]> lines,
      int[] malformedIndexes,
      MalformedKind[] malformedKinds,
      Map<FaultKind, Integer> faults) {
    this.lines = lines;
    this.malformedIndexes = malformedIndexes;
    this.malformedKinds = malformedKinds;
    this.faults = new EnumMap<>(faults);
  }

  List<byte[]> lines() {
    return lines;
  }

  /** 0-based indexes into {@link #lines()}, ascending. */
  int[] malformedIndexes() {
    return malformedIndexes;
  }

  MalformedKind[] malformedKinds() {
    return malformedKinds;
  }

  int faultCount(FaultKind kind) {
    return faults.getOrDefault(kind, 0);
  }
}
