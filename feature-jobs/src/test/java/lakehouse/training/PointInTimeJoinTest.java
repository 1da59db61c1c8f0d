package lakehouse.training;

import static lakehouse.training.Rows.day;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The join rules of POINT_IN_TIME.md (1-5, 10), each with one time bucket per key and with one-day
 * hot-key buckets (so the carry from earlier buckets is exercised too).
 */
class PointInTimeJoinTest {
  private static final List<String> KEYS = List.of("customer_id");

  static Stream<Arguments> buckets() {
    // One bucket per key; every key in one-day buckets; only keys with >= 4 rows in buckets.
    return Stream.of(
        Arguments.of(Duration.ZERO, 0L),
        Arguments.of(Duration.ofDays(1), 0L),
        Arguments.of(Duration.ofDays(1), 4L));
  }

  private static List<String> join(
      Dataset<Row> spine, Duration bucket, long hot, FeatureInput... inputs) {
    Dataset<Row> out =
        PointInTimeJoin.latest(spine, KEYS, "label_ts", List.of(inputs), bucket, hot);
    return render(out);
  }

  static List<String> render(Dataset<Row> out) {
    List<String> lines = new ArrayList<>();
    for (Row row : out.collectAsList()) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.size(); i++) {
        line.append(i == 0 ? "" : " | ").append(row.get(i));
      }
      lines.add(line.toString());
    }
    lines.sort(null);
    return lines;
  }

  @ParameterizedTest
  @MethodSource("buckets")
  void eventTimeBoundIsInclusive(Duration bucket, long hot) {
    Dataset<Row> spine = new Rows.Spine().row(1L, day(5, "12:00:00"), true).build();
    FeatureInput features =
        Rows.Features.snapshot("f__v")
            .row(1, day(5, "12:00:00"), 0, 1.0) // exactly at event time: a candidate
            .row(1, day(5, "12:00:01"), 0, 2.0) // one second later: never
            .input(null);
    assertThat(join(spine, bucket, hot, features))
        .as("feature_time <= event_time, inclusive")
        .containsExactly("1 | 2026-01-05 12:00:00.0 | true | 1.0");
  }

  @ParameterizedTest
  @MethodSource("buckets")
  void ttlBoundIsInclusiveAndExcludesOlderRows(Duration bucket, long hot) {
    Dataset<Row> spine = new Rows.Spine().row(1L, day(10), true).row(2L, day(10), false).build();
    FeatureInput features =
        Rows.Features.snapshot("f__v")
            .row(1, day(7), 0, 1.0) // exactly event_time - 3 days: usable
            .row(2, day(6, "23:59:59"), 0, 2.0) // one second older: too old
            .input(Duration.ofDays(3));
    assertThat(join(spine, bucket, hot, features))
        .as("TTL lower bound is inclusive")
        .containsExactly(
            "1 | 2026-01-10 00:00:00.0 | true | 1.0", "2 | 2026-01-10 00:00:00.0 | false | null");
  }

  @ParameterizedTest
  @MethodSource("buckets")
  void ttlLooksOnlyAtTheLatestCandidate(Duration bucket, long hot) {
    // The latest candidate is too old, so the row gets nulls (an older one is older still).
    Dataset<Row> spine = new Rows.Spine().row(1L, day(20), true).build();
    FeatureInput features =
        Rows.Features.snapshot("f__v")
            .row(1, day(1), 0, 1.0)
            .row(1, day(2), 0, 2.0)
            .input(Duration.ofDays(5));
    assertThat(join(spine, bucket, hot, features))
        .containsExactly("1 | 2026-01-20 00:00:00.0 | true | null");
  }

  @ParameterizedTest
  @MethodSource("buckets")
  void greatestFeatureTimeWinsThenLastCommitThenValueHash(Duration bucket, long hot) {
    Dataset<Row> spine = new Rows.Spine().row(1L, day(10), true).row(2L, day(10), true).build();
    FeatureInput features =
        Rows.Features.snapshot("f__v")
            .row(1, day(3), 9, 30.0)
            .row(1, day(4), 2, 41.0) // same feature time, committed last: wins
            .row(1, day(4), 1, 40.0)
            .row(1, day(9), 0, 90.0) // newest feature time: wins overall
            .row(2, day(4), 1, 5.0) // same time and commit: value hash decides
            .row(2, day(4), 1, 6.0)
            .input(null);
    List<String> first = join(spine, bucket, hot, features);
    assertThat(first.get(0))
        .as("greatest feature_time wins")
        .isEqualTo("1 | 2026-01-10 00:00:00.0 | true | 90.0");

    FeatureInput sameTime =
        Rows.Features.snapshot("f__v")
            .row(1, day(4), 1, 40.0)
            .row(1, day(4), 2, 41.0)
            .row(1, day(4), 0, 39.0)
            .input(null);
    assertThat(join(new Rows.Spine().row(1L, day(10), true).build(), bucket, hot, sameTime))
        .as("on a feature_time tie, the row committed last wins")
        .containsExactly("1 | 2026-01-10 00:00:00.0 | true | 41.0");

    // The same rows in the other order and spread over more partitions: the same pick.
    FeatureInput reordered =
        Rows.Features.snapshot("f__v").row(2, day(4), 1, 6.0).row(2, day(4), 1, 5.0).input(null);
    FeatureInput reordered2 =
        new FeatureInput(
            reordered.table(), reordered.rows().repartition(3), reordered.outputs(), null);
    String expected = first.get(1);
    assertThat(join(spine.repartition(3), bucket, hot, reordered2).get(1))
        .as("a full tie is settled by a deterministic order, not by arrival")
        .isEqualTo(expected);
    assertThat(expected)
        .isIn("2 | 2026-01-10 00:00:00.0 | true | 5.0", "2 | 2026-01-10 00:00:00.0 | true | 6.0");
  }

  @ParameterizedTest
  @MethodSource("buckets")
  void everySpineRowGivesExactlyOneRowAndDuplicatesStay(Duration bucket, long hot) {
    Dataset<Row> spine =
        new Rows.Spine()
            .row(1L, day(5), true)
            .row(1L, day(5), true) // duplicate spine row: stays a duplicate
            .row(3L, day(5), false) // no feature rows for this key
            .row(null, day(5), false) // null key: no match, kept
            .row(1L, null, null) // null event time: no match, kept
            .build();
    FeatureInput features =
        Rows.Features.snapshot("f__v")
            .row(1, day(1), 0, 1.0)
            .row(1, day(2), 0, 2.0)
            .row(1, day(2), 1, 2.5)
            .row(1, day(3), 0, 3.0)
            .row(1, day(3), 0, 3.0) // duplicate feature rows: no effect
            .input(null);
    assertThat(join(spine, bucket, hot, features))
        .as("one output row per spine row")
        .containsExactly(
            "1 | 2026-01-05 00:00:00.0 | true | 3.0",
            "1 | 2026-01-05 00:00:00.0 | true | 3.0",
            "1 | null | null | null",
            "3 | 2026-01-05 00:00:00.0 | false | null",
            "null | 2026-01-05 00:00:00.0 | false | null");
  }

  @ParameterizedTest
  @MethodSource("buckets")
  void severalFeatureTablesAtOnceEachWithItsOwnTtl(Duration bucket, long hot) {
    Dataset<Row> spine = new Rows.Spine().row(1L, day(10), true).row(2L, day(10), false).build();
    FeatureInput orders =
        Rows.Features.snapshot("orders__n")
            .row(1, day(8), 0, 8.0)
            .row(1, day(11), 0, 11.0)
            .row(2, day(1), 0, 1.0)
            .input(Duration.ofDays(5));
    FeatureInput events =
        Rows.Features.snapshot("events__n")
            .row(1, day(2), 0, 20.0)
            .row(2, day(9), 0, 90.0)
            .input(null);
    assertThat(join(spine, bucket, hot, orders, events))
        .containsExactly(
            "1 | 2026-01-10 00:00:00.0 | true | 8.0 | 20.0",
            "2 | 2026-01-10 00:00:00.0 | false | null | 90.0");
  }

  /** Random data against a plain nested-loop reference, with and without hot-key buckets. */
  @ParameterizedTest
  @MethodSource("buckets")
  void matchesABruteForceReference(Duration bucket, long hot) {
    Random random = new Random(42);
    Rows.Spine spine = new Rows.Spine();
    List<long[]> spineRows = new ArrayList<>();
    for (int i = 0; i < 150; i++) {
      long customer = random.nextInt(4); // few keys: each one is hot
      int d = 1 + random.nextInt(28);
      spine.row(customer, day(d), i % 2 == 0);
      spineRows.add(new long[] {customer, d});
    }
    Rows.Features features = Rows.Features.snapshot("f__v");
    List<long[]> featureRows = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      long customer = random.nextInt(5);
      int d = 1 + random.nextInt(28);
      long commit = random.nextInt(3);
      features.row(customer, day(d), commit, (double) i);
      featureRows.add(new long[] {customer, d, commit, i});
    }
    Duration ttl = Duration.ofDays(4);
    List<String> expected = new ArrayList<>();
    for (long[] s : spineRows) {
      long[] best = null;
      for (long[] f : featureRows) {
        boolean candidate = f[0] == s[0] && f[1] <= s[1] && f[1] >= s[1] - 4;
        if (candidate && (best == null || f[1] > best[1] || (f[1] == best[1] && f[2] > best[2]))) {
          best = f;
        }
      }
      expected.add(
          best == null
              ? s[0] + "|" + s[1] + "|null"
              : s[0] + "|" + s[1] + "|" + best[1] + "@" + best[2]);
    }
    expected.sort(null);
    Dataset<Row> out =
        PointInTimeJoin.latest(
            spine.build(), KEYS, "label_ts", List.of(features.input(ttl)), bucket, hot);
    List<String> actual = new ArrayList<>();
    for (Row row : out.collectAsList()) {
      int d = row.getTimestamp(1).toLocalDateTime().getDayOfMonth();
      if (row.isNullAt(3)) {
        actual.add(row.getLong(0) + "|" + d + "|null");
      } else {
        long[] f = featureRows.get((int) row.getDouble(3));
        actual.add(row.getLong(0) + "|" + d + "|" + f[1] + "@" + f[2]);
      }
    }
    actual.sort(null);
    assertThat(actual)
        .as("point-in-time join equals the nested-loop reference")
        .isEqualTo(expected);
  }

  @ParameterizedTest
  @MethodSource("buckets")
  void hotKeyBucketsPartitionByKeyAndBucket(Duration bucket, long hot) {
    Dataset<Row> spine = new Rows.Spine().row(1L, day(5), true).row(2L, day(5), true).build();
    FeatureInput features =
        Rows.Features.snapshot("f__v")
            .row(1, day(1), 0, 1.0)
            .row(1, day(2), 0, 2.0)
            .row(1, day(3), 0, 3.0) // key 1 is hot
            .row(2, day(1), 0, 4.0)
            .input(null);
    String plan = plan(spine, bucket, hot, features);
    assertThat(plan)
        .as("no range join, no cartesian product")
        .doesNotContain("CartesianProduct")
        .doesNotContain("BroadcastNestedLoopJoin");
    if (!bucket.isZero()) {
      assertThat(plan)
          .as("a hot key's rows are spread by time bucket")
          .containsPattern("hashpartitioning\\(__k0#\\d+L, __b#");
    }
  }

  @org.junit.jupiter.api.Test
  void withoutHotKeysTheJoinIsOneSortedPass() {
    Dataset<Row> spine = new Rows.Spine().row(1L, day(5), true).build();
    FeatureInput features = Rows.Features.snapshot("f__v").row(1, day(1), 0, 1.0).input(null);
    String plan = plan(spine, Duration.ofDays(1), 4, features);
    assertThat(plan)
        .as("no key reaches 4 rows: no time buckets and no carry join")
        .doesNotContainPattern("hashpartitioning\\(__k0#\\d+L, __b#")
        .doesNotContain("Join");
  }

  private static String plan(Dataset<Row> spine, Duration bucket, long hot, FeatureInput features) {
    return PointInTimeJoin.latest(spine, KEYS, "label_ts", List.of(features), bucket, hot)
        .queryExecution()
        .executedPlan()
        .toString();
  }
}
