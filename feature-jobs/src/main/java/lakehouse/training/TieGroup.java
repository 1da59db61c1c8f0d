package lakehouse.training;

import java.util.ArrayList;
import java.util.List;

/**
 * The rows of one feature table that tie on key and feature time, and whether the one that wins —
 * committed last, then the greater value hash — is known to win. It is not when the winner's commit
 * is only an upper bound ({@link RowCommits}), or when a row with other values has an upper bound
 * that reaches the winner's commit: either could have been committed last. Rows with the winner's
 * values never make it ambiguous, whichever of them was last.
 */
final class TieGroup {
  private final List<long[]> rows = new ArrayList<>();
  private Boolean ambiguous;

  void clear() {
    rows.clear();
    ambiguous = null;
  }

  void add(long commit, boolean exact, long tie) {
    rows.add(new long[] {commit, exact ? 1 : 0, tie});
    ambiguous = null;
  }

  boolean isEmpty() {
    return rows.isEmpty();
  }

  /** Whether the pick among these rows depends on commit order the log cannot tell. */
  boolean ambiguous() {
    if (ambiguous == null) {
      ambiguous = decide();
    }
    return ambiguous;
  }

  private boolean decide() {
    long[] winner = null;
    for (long[] row : rows) {
      if (winner == null || row[0] > winner[0] || (row[0] == winner[0] && row[2] > winner[2])) {
        winner = row;
      }
    }
    for (long[] row : rows) {
      if (row[2] == winner[2]) {
        continue;
      }
      boolean later =
          winner[1] == 1 && (row[0] < winner[0] || (row[1] == 1 && row[0] == winner[0]));
      if (!later) {
        return true;
      }
    }
    return false;
  }
}
