package lakehouse.training;

import static lakehouse.training.Rows.day;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/**
 * Rule 7 on change-feed row versions made in code, so commit times are exact: a late backfill
 * counts only once committed, a correction only from its commit on, the serving delay moves the
 * knowledge time, and rules 1-5 still hold.
 */
class KnownAtJoinTest {
  private static final List<String> KEYS = List.of("customer_id");

  private static List<String> join(Dataset<Row> spine, Duration delay, FeatureInput... inputs) {
    return PointInTimeJoinTest.render(
        PointInTimeJoin.knownAt(spine, KEYS, "label_ts", delay, List.of(inputs)));
  }

  /**
   * Day 1's value was 10 (written on day 1), corrected to 11 on day 4; day 2 was backfilled on day
   * 6.
   */
  private static FeatureInput history() {
    return Rows.Features.history("f__v")
        .change(1, day(1), 1, 10.0, true, day(1, "06:00:00"))
        .change(1, day(1), 1, 10.0, false, day(4, "06:00:00")) // update pre-image
        .change(1, day(1), 4, 11.0, true, day(4, "06:00:00")) // update post-image
        .change(1, day(2), 6, 20.0, true, day(6, "06:00:00")) // late backfill
        .input(null);
  }

  @Test
  void showsValuesAsTheyWereKnownAtEventTime() {
    Dataset<Row> spine =
        new Rows.Spine()
            .row(1L, day(1, "05:59:59"), true) // before anything was committed
            .row(1L, day(1, "06:00:00"), true) // committed exactly then: known (inclusive)
            .row(1L, day(3), true) // before the correction: the original value
            .row(1L, day(4, "06:00:00"), true) // at the correction's commit: the corrected one
            .row(1L, day(5), true) // day 2 exists in the table but was not known yet
            .row(1L, day(7), true) // the backfill is known now
            .build();
    assertThat(join(spine, Duration.ZERO, history()))
        .containsExactly(
            "1 | 2026-01-01 05:59:59.0 | true | null",
            "1 | 2026-01-01 06:00:00.0 | true | 10.0",
            "1 | 2026-01-03 00:00:00.0 | true | 10.0",
            "1 | 2026-01-04 06:00:00.0 | true | 11.0",
            "1 | 2026-01-05 00:00:00.0 | true | 11.0",
            "1 | 2026-01-07 00:00:00.0 | true | 20.0");
  }

  @Test
  void aServingDelayOnlyMakesCommitsKnownLater() {
    Dataset<Row> spine =
        new Rows.Spine()
            .row(1L, day(4, "06:00:00"), true) // the correction's commit: not served for 1h
            .row(1L, day(4, "06:59:59"), true)
            .row(1L, day(4, "07:00:00"), true) // commit + delay: served now
            .row(1L, day(6, "06:59:59"), true) // one second before the backfill is served
            .row(1L, day(6, "07:00:00"), true) // exactly when it is
            .build();
    assertThat(join(spine, Duration.ofHours(1), history()))
        .containsExactly(
            "1 | 2026-01-04 06:00:00.0 | true | 10.0",
            "1 | 2026-01-04 06:59:59.0 | true | 10.0",
            "1 | 2026-01-04 07:00:00.0 | true | 11.0",
            "1 | 2026-01-06 06:59:59.0 | true | 11.0",
            "1 | 2026-01-06 07:00:00.0 | true | 20.0");
  }

  @Test
  void deletedRowsStopCountingAndEventTimeStillBoundsFeatureTime() {
    FeatureInput features =
        Rows.Features.history("f__v")
            .change(1, day(1), 1, 1.0, true, day(1))
            .change(1, day(3), 1, 3.0, true, day(1)) // known early, describes day 3
            .change(1, day(3), 5, 3.0, false, day(5)) // deleted on day 5
            .change(2, day(1), 1, 7.0, true, day(1))
            .change(2, day(1), 2, 7.0, true, day(2)) // an identical second copy
            .change(2, day(1), 3, 7.0, false, day(3)) // one copy deleted: one remains
            .input(Duration.ofDays(10));
    Dataset<Row> spine =
        new Rows.Spine()
            .row(1L, day(2), true) // day 3 is known but lies after the event time
            .row(1L, day(4), true)
            .row(1L, day(4), true) // duplicate spine row stays
            .row(1L, day(6), true) // day 3 was deleted by then: day 1 again
            .row(2L, day(4), false)
            .row(9L, day(4), false) // no history for this key
            .build();
    assertThat(join(spine, Duration.ZERO, features))
        .containsExactly(
            "1 | 2026-01-02 00:00:00.0 | true | 1.0",
            "1 | 2026-01-04 00:00:00.0 | true | 3.0",
            "1 | 2026-01-04 00:00:00.0 | true | 3.0",
            "1 | 2026-01-06 00:00:00.0 | true | 1.0",
            "2 | 2026-01-04 00:00:00.0 | false | 7.0",
            "9 | 2026-01-04 00:00:00.0 | false | null");
  }
}
