package lakehouse.sample;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Locale;
import java.util.Random;

/** How many faults to plant, and the planting of the kinds that work on finished lines. */
final class FaultInjector {
  private static final double RATE = 0.01;

  /** From this many records a day on, every applicable fault kind appears at least once. */
  static final int GUARANTEED_FROM_RECORDS = 100;

  private static final MalformedKind[] JSON_KINDS = {
    MalformedKind.TRUNCATED_JSON, MalformedKind.NOT_JSON, MalformedKind.BAD_ENCODING
  };
  private static final String[] NOT_JSON_TEMPLATES = {
    "<html><head><title>502 Bad Gateway</title></head><body>upstream timed out (batch"
        + " %d)</body></html>",
    "ERROR exporter: connection reset by peer after %d bytes",
    "#### export batch %d interrupted ####",
  };
  // 0xC3 opens a two-byte UTF-8 sequence that 0x28 cannot continue.
  private static final byte[] INVALID_UTF8 = {(byte) 0xC3, (byte) 0x28};

  private FaultInjector() {}

  /**
   * About 1% of {@code records} (between 0.5% and 1.5%), at least {@code minimum} for a big enough
   * day.
   */
  static int count(Random rng, int records, int minimum) {
    int count = (int) (records * RATE * (0.5 + rng.nextDouble()));
    return records >= GUARANTEED_FROM_RECORDS ? Math.max(count, minimum) : count;
  }

  /**
   * Writes {@code count} distinct records a second time, choosing only records not in {@code
   * faulty} so that a duplicate never disturbs the recount of another fault.
   */
  static void duplicate(Random rng, DayBatchBuilder batch, BitSet faulty, int count) {
    int records = batch.size();
    int planted = Math.min(count, records - faulty.cardinality());
    BitSet chosen = new BitSet(records);
    for (int done = 0; done < planted; ) {
      int row = rng.nextInt(records);
      if (!faulty.get(row) && !chosen.get(row)) {
        chosen.set(row);
        batch.insertAtRandom(batch.line(row));
        done++;
      }
    }
    batch.count(FaultKind.EXACT_DUPLICATES, planted);
  }

  /**
   * Adds {@code count} broken JSON lines, cycling through the JSON kinds so that three or more
   * cover all of them. Broken lines are damaged copies: no record goes missing.
   */
  static void malformedJson(Random rng, DayBatchBuilder batch, int count) {
    if (batch.size() == 0) {
      return;
    }
    int firstKind = rng.nextInt(JSON_KINDS.length);
    for (int i = 0; i < count; i++) {
      MalformedKind kind = JSON_KINDS[(firstKind + i) % JSON_KINDS.length];
      byte[] source = batch.line(rng.nextInt(batch.size()));
      byte[] broken =
          switch (kind) {
            case TRUNCATED_JSON -> truncated(rng, source);
            case NOT_JSON ->
                String.format(
                        Locale.ROOT,
                        NOT_JSON_TEMPLATES[rng.nextInt(NOT_JSON_TEMPLATES.length)],
                        1 + rng.nextInt(1_000_000))
                    .getBytes(StandardCharsets.UTF_8);
            case BAD_ENCODING -> withInvalidOpeningBrace(source);
            default -> throw new IllegalStateException("Not a JSON kind: " + kind);
          };
      batch.insertMalformedAtRandom(broken, kind);
    }
  }

  /**
   * Adds {@code count} CSV lines with one field too few or too many; damaged copies, as for JSON.
   */
  static void malformedCsv(Random rng, DayBatchBuilder batch, int count) {
    if (batch.size() == 0) {
      return;
    }
    for (int i = 0; i < count; i++) {
      String source = new String(batch.line(rng.nextInt(batch.size())), StandardCharsets.UTF_8);
      String broken =
          rng.nextBoolean() ? source.substring(0, source.lastIndexOf(',')) : source + ",unexpected";
      batch.insertMalformedAtRandom(
          broken.getBytes(StandardCharsets.UTF_8), MalformedKind.WRONG_COLUMN_COUNT);
    }
  }

  /** Any strict prefix of a JSON object lacks its closing brace and so never parses. */
  private static byte[] truncated(Random rng, byte[] line) {
    int minimum = Math.max(1, line.length / 3);
    int cut = minimum + rng.nextInt(Math.max(1, line.length - 1 - minimum));
    return Arrays.copyOf(line, Math.min(cut, line.length - 1));
  }

  private static byte[] withInvalidOpeningBrace(byte[] line) {
    byte[] broken = new byte[line.length + 1];
    System.arraycopy(INVALID_UTF8, 0, broken, 0, INVALID_UTF8.length);
    System.arraycopy(line, 1, broken, INVALID_UTF8.length, line.length - 1);
    return broken;
  }
}
