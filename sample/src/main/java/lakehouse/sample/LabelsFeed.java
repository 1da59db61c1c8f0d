package lakehouse.sample;

import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * Churn labels, the spine of training sets: each day about 10% of the customers already landed get
 * a row stamped at a random UTC instant of that day, saying whether they stop within the next 14
 * days (or already have).
 */
final class LabelsFeed implements DailyFeed {
  private static final double LABELLED_SHARE = 0.10;
  static final int CHURN_HORIZON_DAYS = 14;

  private final SampleOptions options;
  private final CustomerBase base;
  private final StringBuilder line = new StringBuilder(64);

  LabelsFeed(SampleOptions options, CustomerBase base) {
    this.options = options;
    this.base = base;
  }

  @Override
  public SampleSource source() {
    return SampleSource.LABELS;
  }

  @Override
  public DayBatch land(int day) {
    Random rng = RandomStreams.forDay(options.seed(), source(), day);
    long dayStart = Timestamps.startOfDay(options.landingDate(day));
    DayBatchBuilder batch = new DayBatchBuilder(rng);
    for (Customer customer : base.all()) {
      // Today's sign-ups may not exist yet at a random instant of today, so they wait a day.
      boolean known = day == 0 || customer.landingDay < day;
      if (!known || rng.nextDouble() >= LABELLED_SHARE) {
        continue;
      }
      line.setLength(0);
      line.append(customer.id).append(',');
      Timestamps.append(line, Timestamps.randomSecondOfDay(rng, dayStart), Timestamps.UTC);
      line.append(',').append(customer.stoppedBy(day + CHURN_HORIZON_DAYS) ? '1' : '0');
      batch.add(line.toString().getBytes(StandardCharsets.UTF_8));
    }
    FaultInjector.malformedCsv(rng, batch, FaultInjector.count(rng, batch.size(), 1));
    return batch.build();
  }
}
