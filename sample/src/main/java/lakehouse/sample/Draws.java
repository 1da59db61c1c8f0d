package lakehouse.sample;

import java.util.Random;

/** Small random draws shared by the feeds. */
final class Draws {
  private Draws() {}

  /** Knuth's method: exact and fast for the small means used here (below 5). */
  static int poisson(Random rng, double mean) {
    double limit = Math.exp(-mean);
    int count = 0;
    double product = rng.nextDouble();
    while (product > limit) {
      count++;
      product *= rng.nextDouble();
    }
    return count;
  }

  /** An index drawn with the given cumulative weights (the last one must be 1.0). */
  static int weighted(Random rng, double[] cumulativeWeights) {
    double u = rng.nextDouble();
    for (int i = 0; i < cumulativeWeights.length - 1; i++) {
      if (u < cumulativeWeights[i]) {
        return i;
      }
    }
    return cumulativeWeights.length - 1;
  }

  /** A value different from {@code current} among {@code 0..size-1}, uniformly. */
  static int other(Random rng, int current, int size) {
    return (current + 1 + rng.nextInt(size - 1)) % size;
  }
}
