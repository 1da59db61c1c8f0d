package lakehouse.sample;

import java.util.Random;

/**
 * Draws distinct row indexes in random order (a lazy Fisher-Yates shuffle), so that the rows given
 * different faults never overlap and every fault can be recounted on its own.
 */
final class RowPicker {
  private final Random rng;
  private final int[] order;
  private int next;

  RowPicker(Random rng, int rows) {
    this.rng = rng;
    this.order = new int[rows];
    for (int i = 0; i < rows; i++) {
      order[i] = i;
    }
  }

  /** The next row not handed out yet, or -1 when all have been. */
  int next() {
    if (next == order.length) {
      return -1;
    }
    int swap = next + rng.nextInt(order.length - next);
    int picked = order[swap];
    order[swap] = order[next];
    order[next] = picked;
    next++;
    return picked;
  }
}
