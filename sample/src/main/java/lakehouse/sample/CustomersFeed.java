package lakehouse.sample;

import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * Customer profiles: all initial profiles on day 0; from then on each day's sign-ups (about 2% of
 * the initial count) and profile updates (about 3% of the customers already landed).
 */
final class CustomersFeed implements DailyFeed {
  private static final double DAILY_SIGNUP_SHARE = 0.02;
  private static final double PROFILE_UPDATE_SHARE = 0.03;
  private static final int INITIAL_SIGNUP_HISTORY_DAYS = 730;

  private final SampleOptions options;
  private final CustomerBase base;
  private final StringBuilder line = new StringBuilder(192);

  CustomersFeed(SampleOptions options, CustomerBase base) {
    this.options = options;
    this.base = base;
  }

  @Override
  public SampleSource source() {
    return SampleSource.CUSTOMERS;
  }

  @Override
  public DayBatch land(int day) {
    Random rng = RandomStreams.forDay(options.seed(), source(), day);
    long dayStart = Timestamps.startOfDay(options.landingDate(day));
    DayBatchBuilder batch = new DayBatchBuilder(rng);
    if (day == 0) {
      landInitialProfiles(rng, dayStart, batch);
    } else {
      batch.count(FaultKind.PROFILE_UPDATES, landProfileUpdates(rng, dayStart, batch));
      landSignups(rng, day, dayStart, batch);
    }
    FaultInjector.malformedCsv(rng, batch, FaultInjector.count(rng, batch.size(), 1));
    return batch.build();
  }

  private void landInitialProfiles(Random rng, long dayStart, DayBatchBuilder batch) {
    long historySeconds = (long) INITIAL_SIGNUP_HISTORY_DAYS * Timestamps.SECONDS_PER_DAY;
    for (int i = 0; i < options.customers(); i++) {
      long signup = dayStart - 1 - (long) (rng.nextDouble() * historySeconds);
      Customer customer = base.add(rng, 0, 0, signup, Timestamps.randomOffset(rng));
      // The initial export is taken on day 0, so that is when every profile was last touched.
      batch.add(
          render(
              customer, Timestamps.randomSecondOfDay(rng, dayStart), Timestamps.randomOffset(rng)));
    }
  }

  private int landProfileUpdates(Random rng, long dayStart, DayBatchBuilder batch) {
    int updates = 0;
    int landedBefore = base.size();
    for (int i = 0; i < landedBefore; i++) {
      if (rng.nextDouble() >= PROFILE_UPDATE_SHARE) {
        continue;
      }
      Customer customer = base.get(i);
      double change = rng.nextDouble();
      if (change < 0.7) {
        customer.segment = Draws.other(rng, customer.segment, CustomerBase.SEGMENTS.length);
      }
      if (change >= 0.5) {
        customer.country = Draws.other(rng, customer.country, CustomerBase.COUNTRIES.length);
      }
      batch.add(
          render(
              customer, Timestamps.randomSecondOfDay(rng, dayStart), Timestamps.randomOffset(rng)));
      updates++;
    }
    return updates;
  }

  private void landSignups(Random rng, int day, long dayStart, DayBatchBuilder batch) {
    // Linear rather than compounding growth keeps long samples from exploding.
    int signups =
        (int) Math.round(options.customers() * DAILY_SIGNUP_SHARE * (0.5 + rng.nextDouble()));
    for (int i = 0; i < signups; i++) {
      long signup = Timestamps.randomSecondOfDay(rng, dayStart);
      int offset = Timestamps.randomOffset(rng);
      Customer customer = base.add(rng, day, day + 1, signup, offset);
      batch.add(render(customer, signup, offset));
    }
  }

  private byte[] render(Customer customer, long updatedAt, int updatedOffset) {
    line.setLength(0);
    line.append(customer.id)
        .append(',')
        .append(customer.name)
        .append(',')
        .append(customer.email)
        .append(',')
        .append(CustomerBase.COUNTRIES[customer.country])
        .append(',')
        .append(CustomerBase.SEGMENTS[customer.segment])
        .append(',');
    Timestamps.append(line, customer.signupEpochSecond, customer.signupOffset);
    line.append(',');
    Timestamps.append(line, updatedAt, updatedOffset);
    return line.toString().getBytes(StandardCharsets.UTF_8);
  }
}
