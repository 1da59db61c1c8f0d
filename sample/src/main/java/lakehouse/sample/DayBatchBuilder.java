package lakehouse.sample;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Random;

/**
 * Collects a day's records in generation order, then scatters the extra lines (re-sent records,
 * duplicate copies, malformed lines) over random positions in one merge pass, which is linear where
 * inserting into the list one by one would be quadratic.
 */
final class DayBatchBuilder {
  private record Insertion(byte[] line, MalformedKind malformedKind) {}

  private final Random rng;
  private final List<byte[]> records = new ArrayList<>();
  private final List<Insertion> insertions = new ArrayList<>();
  private final EnumMap<FaultKind, Integer> faults = new EnumMap<>(FaultKind.class);

  DayBatchBuilder(Random rng) {
    this.rng = rng;
  }

  void add(byte[] line) {
    records.add(line);
  }

  /** Records added with {@link #add}, not counting insertions. */
  int size() {
    return records.size();
  }

  byte[] line(int index) {
    return records.get(index);
  }

  /** A parseable line placed at a random position when the batch is built. */
  void insertAtRandom(byte[] line) {
    insertions.add(new Insertion(line, null));
  }

  /**
   * A malformed line placed at a random position; also counted as a {@link
   * FaultKind#MALFORMED_LINES}.
   */
  void insertMalformedAtRandom(byte[] line, MalformedKind kind) {
    insertions.add(new Insertion(line, kind));
    count(FaultKind.MALFORMED_LINES, 1);
  }

  void count(FaultKind kind, int amount) {
    faults.merge(kind, amount, Integer::sum);
  }

  DayBatch build() {
    int recordCount = records.size();
    // Position in the high half, insertion order in the low half: one sort orders both.
    long[] keys = new long[insertions.size()];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = ((long) rng.nextInt(recordCount + 1) << 32) | i;
    }
    Arrays.sort(keys);
    List<byte[]> lines = new ArrayList<>(recordCount + keys.length);
    int malformedCount =
        (int) insertions.stream().filter(insertion -> insertion.malformedKind() != null).count();
    int[] malformedIndexes = new int[malformedCount];
    MalformedKind[] malformedKinds = new MalformedKind[malformedCount];
    int nextRecord = 0;
    int nextMalformed = 0;
    for (long key : keys) {
      int position = (int) (key >>> 32);
      while (nextRecord < position) {
        lines.add(records.get(nextRecord++));
      }
      Insertion insertion = insertions.get((int) key);
      if (insertion.malformedKind() != null) {
        malformedIndexes[nextMalformed] = lines.size();
        malformedKinds[nextMalformed] = insertion.malformedKind();
        nextMalformed++;
      }
      lines.add(insertion.line());
    }
    while (nextRecord < recordCount) {
      lines.add(records.get(nextRecord++));
    }
    return new DayBatch(lines, malformedIndexes, malformedKinds, faults);
  }
}
