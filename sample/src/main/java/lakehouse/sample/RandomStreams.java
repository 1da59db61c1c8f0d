package lakehouse.sample;

import java.util.Random;

/**
 * Independent seeded random streams, one per source and day, so that changing how one source is
 * generated never shifts the bytes of another.
 */
final class RandomStreams {
  private RandomStreams() {}

  static Random forDay(long seed, SampleSource source, int day) {
    // The source's name, not its ordinal: reordering the enum must not change the output.
    long stream = mix(mix(seed) ^ source.sourceName().hashCode());
    return new Random(mix(stream + day));
  }

  /** SplitMix64's finaliser: spreads nearby inputs over the whole seed space. */
  private static long mix(long value) {
    long z = value + 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
