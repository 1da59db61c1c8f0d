package lakehouse.sample;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Random;

/**
 * Click-stream events as JSON lines: an active customer browses on a given day with a probability
 * that grows with its order rate, in one session of about four events. Plants late, null-id,
 * out-of-range, duplicate and malformed records.
 */
final class EventsFeed implements DailyFeed {
  private static final double[] TYPE_WEIGHTS = {0.60, 0.85, 0.95, 1.0};
  private static final String[] UNKNOWN_TYPES = {"hover", "scroll"};
  private static final String[] CATEGORY_PAGES = {
    "/category/books", "/category/electronics", "/category/fashion",
    "/category/home", "/category/toys", "/category/grocery"
  };
  private static final double BASE_BROWSE_PROBABILITY = 0.4;
  private static final double EXTRA_EVENTS_PER_SESSION = 3.0;
  private static final int MAX_SESSION_SECONDS = 3600;
  private static final int MAX_LATE_DAYS = 5;

  private final SampleOptions options;
  private final CustomerBase base;
  private final StringBuilder line = new StringBuilder(224);
  private long nextEventNumber = 1;
  private long nextSessionNumber = 1;

  EventsFeed(SampleOptions options, CustomerBase base) {
    this.options = options;
    this.base = base;
  }

  @Override
  public SampleSource source() {
    return SampleSource.EVENTS;
  }

  @Override
  public DayBatch land(int day) {
    Random rng = RandomStreams.forDay(options.seed(), source(), day);
    long dayStart = Timestamps.startOfDay(options.landingDate(day));
    List<Event> events = browse(rng, day, dayStart);
    int records = events.size();

    DayBatchBuilder batch = new DayBatchBuilder(rng);
    BitSet faulty = new BitSet(records);
    RowPicker picker = new RowPicker(rng, records);
    batch.count(FaultKind.NULL_REQUIRED, nullCustomers(rng, events, picker, faulty));
    batch.count(FaultKind.OUT_OF_RANGE, unknownTypes(rng, events, picker, faulty));
    batch.count(FaultKind.LATE_RECORDS, late(rng, events, day, picker, faulty));
    for (Event event : events) {
      batch.add(render(event));
    }
    FaultInjector.duplicate(rng, batch, faulty, FaultInjector.count(rng, records, 1));
    FaultInjector.malformedJson(rng, batch, FaultInjector.count(rng, records, 3));
    return batch.build();
  }

  private List<Event> browse(Random rng, int day, long dayStart) {
    List<Event> events = new ArrayList<>();
    // A planted shift spreads each visit's events over several sessions; it draws nothing.
    SampleShift shift = options.shift();
    int sessionsPerVisit =
        shift != null
                && SampleShift.SESSIONS.equals(shift.kind())
                && shift.appliesOn(options.landingDate(day))
            ? shift.factor()
            : 1;
    for (Customer customer : base.all()) {
      if (!customer.activeOn(day)
          || rng.nextDouble() >= BASE_BROWSE_PROBABILITY + customer.ordersPerDay) {
        continue;
      }
      long session = nextSessionNumber;
      nextSessionNumber += sessionsPerVisit;
      int count = 1 + Draws.poisson(rng, EXTRA_EVENTS_PER_SESSION);
      // Sessions end before midnight so that on-time events stay inside their landing day.
      long time = dayStart + rng.nextInt(Timestamps.SECONDS_PER_DAY - MAX_SESSION_SECONDS);
      int gap = MAX_SESSION_SECONDS / count;
      int offset = Timestamps.randomOffset(rng);
      for (int i = 0; i < count; i++) {
        int type = Draws.weighted(rng, TYPE_WEIGHTS);
        events.add(
            new Event(
                nextEventNumber++,
                customer,
                session + i % sessionsPerVisit,
                page(rng, type),
                type,
                time,
                offset));
        time += 1 + rng.nextInt(gap);
      }
    }
    return events;
  }

  private static String page(Random rng, int type) {
    return switch (type) {
      case 0 ->
          rng.nextBoolean()
              ? CATEGORY_PAGES[rng.nextInt(CATEGORY_PAGES.length)]
              : "/product/P" + (10_000 + rng.nextInt(90_000));
      case 1 -> "/search";
      case 2 -> "/cart";
      default -> "/checkout";
    };
  }

  private static int nullCustomers(
      Random rng, List<Event> events, RowPicker picker, BitSet faulty) {
    int planted = 0;
    for (int wanted = FaultInjector.count(rng, events.size(), 1); planted < wanted; planted++) {
      int row = picker.next();
      if (row < 0) {
        break;
      }
      faulty.set(row);
      events.get(row).nullCustomerId = true;
    }
    return planted;
  }

  private static int unknownTypes(Random rng, List<Event> events, RowPicker picker, BitSet faulty) {
    int planted = 0;
    for (int wanted = FaultInjector.count(rng, events.size(), 1); planted < wanted; planted++) {
      int row = picker.next();
      if (row < 0) {
        break;
      }
      faulty.set(row);
      events.get(row).unknownType = UNKNOWN_TYPES[rng.nextInt(UNKNOWN_TYPES.length)];
    }
    return planted;
  }

  /** Moves single events 1-5 days back, never before day 0 nor before the customer was active. */
  private static int late(
      Random rng, List<Event> events, int day, RowPicker picker, BitSet faulty) {
    if (day == 0) {
      return 0;
    }
    int wanted = FaultInjector.count(rng, events.size(), 1);
    int planted = 0;
    while (planted < wanted) {
      int row = picker.next();
      if (row < 0) {
        break;
      }
      Event event = events.get(row);
      int daysBack = 1 + rng.nextInt(Math.min(MAX_LATE_DAYS, day));
      if (event.customer.firstActiveDay > day - daysBack) {
        continue;
      }
      event.epochSecond -= (long) daysBack * Timestamps.SECONDS_PER_DAY;
      faulty.set(row);
      planted++;
    }
    return planted;
  }

  private byte[] render(Event event) {
    line.setLength(0);
    line.append("{\"event_id\":\"E");
    Timestamps.appendPadded(line, event.number, 10);
    line.append("\",\"customer_id\":");
    if (event.nullCustomerId) {
      line.append("null");
    } else {
      line.append('"').append(event.customer.id).append('"');
    }
    line.append(",\"event_type\":\"")
        .append(event.unknownType != null ? event.unknownType : Event.TYPES[event.type])
        .append("\",\"event_ts\":\"");
    Timestamps.append(line, event.epochSecond, event.offset);
    line.append("\",\"page\":\"").append(event.page).append("\",\"session_id\":\"S");
    Timestamps.appendPadded(line, event.sessionNumber, 9);
    line.append("\"}");
    return line.toString().getBytes(StandardCharsets.UTF_8);
  }
}
