package lakehouse.sample;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Random;

/**
 * Orders as JSON lines: each active customer places a Poisson number of orders a day at its own
 * rate. Plants late, null-id, out-of-range, re-sent, duplicate and malformed records, and from the
 * schema-drift day on adds {@code coupon_code} to every record.
 */
final class OrdersFeed implements DailyFeed {
  static final String DRIFT_COLUMN = "coupon_code";

  private static final String[] CURRENCIES = {"EUR", "USD", "GBP"};
  private static final String[] CATEGORIES = {
    "books", "electronics", "fashion", "home", "toys", "grocery"
  };
  private static final String[] COUPONS = {"WELCOME10", "SPRING15", "VIP20", "FREESHIP", "BUNDLE5"};
  private static final double COUPON_SHARE = 0.2;
  private static final double[] NEW_STATUS_WEIGHTS = {0.85, 0.95, 1.0};
  private static final int RESEND_WINDOW_DAYS = 5;
  private static final int MAX_LATE_DAYS = 5;
  private static final long MAX_VALID_AMOUNT_CENTS = 100_000_00L;

  private final SampleOptions options;
  private final CustomerBase base;
  private final int driftDay;
  private final Deque<List<Order>> recentOrders = new ArrayDeque<>();
  private final StringBuilder line = new StringBuilder(256);
  private long nextOrderNumber = 1;

  OrdersFeed(SampleOptions options, CustomerBase base) {
    this.options = options;
    this.base = base;
    this.driftDay = driftDay(options);
  }

  /**
   * 0-based day index of the first day carrying {@code coupon_code}: day ceil(days/2)+1, or -1 for
   * one day.
   */
  static int driftDay(SampleOptions options) {
    return options.days() >= 2 ? (options.days() + 1) / 2 : -1;
  }

  @Override
  public SampleSource source() {
    return SampleSource.ORDERS;
  }

  @Override
  public DayBatch land(int day) {
    Random rng = RandomStreams.forDay(options.seed(), source(), day);
    long dayStart = Timestamps.startOfDay(options.landingDate(day));
    boolean drifted = driftDay >= 0 && day >= driftDay;
    List<Order> orders = placeOrders(rng, day, dayStart, drifted);
    int records = orders.size();

    DayBatchBuilder batch = new DayBatchBuilder(rng);
    BitSet faulty = new BitSet(records);
    RowPicker picker = new RowPicker(rng, records);
    batch.count(FaultKind.NULL_REQUIRED, nullRequired(rng, orders, picker, faulty));
    batch.count(FaultKind.OUT_OF_RANGE, outOfRange(rng, orders, picker, faulty));
    batch.count(FaultKind.LATE_RECORDS, late(rng, orders, day, picker, faulty));
    for (Order order : orders) {
      batch.add(render(order, drifted));
    }
    batch.count(
        FaultKind.RESENT_UPDATES,
        resend(rng, dayStart, drifted, FaultInjector.count(rng, records, 1), batch));
    FaultInjector.duplicate(rng, batch, faulty, FaultInjector.count(rng, records, 1));
    FaultInjector.malformedJson(rng, batch, FaultInjector.count(rng, records, 3));
    rememberForResending(orders, faulty);
    return batch.build();
  }

  private List<Order> placeOrders(Random rng, int day, long dayStart, boolean drifted) {
    List<Order> orders = new ArrayList<>();
    for (Customer customer : base.all()) {
      if (!customer.activeOn(day)) {
        continue;
      }
      int count = Draws.poisson(rng, customer.ordersPerDay);
      for (int i = 0; i < count; i++) {
        orders.add(newOrder(rng, customer, dayStart, drifted));
      }
    }
    return orders;
  }

  private Order newOrder(Random rng, Customer customer, long dayStart, boolean drifted) {
    String coupon =
        drifted && rng.nextDouble() < COUPON_SHARE ? COUPONS[rng.nextInt(COUPONS.length)] : null;
    Order order =
        new Order(
            nextOrderNumber++,
            customer,
            currencyOf(customer),
            rng.nextInt(CATEGORIES.length),
            coupon);
    // Log-normal around 33.00, clamped to a plausible basket.
    double amount = Math.exp(3.5 + 0.9 * rng.nextGaussian());
    order.amountCents = Math.max(100, Math.min(500_000, Math.round(amount * 100)));
    order.status = Draws.weighted(rng, NEW_STATUS_WEIGHTS);
    order.orderEpochSecond = Timestamps.randomSecondOfDay(rng, dayStart);
    order.orderOffset = Timestamps.randomOffset(rng);
    long secondsLeftInDay = dayStart + Timestamps.SECONDS_PER_DAY - 1 - order.orderEpochSecond;
    order.updatedEpochSecond =
        order.status == Order.PLACED
            ? order.orderEpochSecond
            : order.orderEpochSecond + rng.nextInt((int) Math.min(7200, secondsLeftInDay) + 1);
    order.updatedOffset = Timestamps.randomOffset(rng);
    return order;
  }

  private static int currencyOf(Customer customer) {
    return switch (CustomerBase.COUNTRIES[customer.country]) {
      case "GB" -> 2;
      case "US", "CA", "IN" -> 1;
      default -> 0;
    };
  }

  private static int nullRequired(Random rng, List<Order> orders, RowPicker picker, BitSet faulty) {
    int planted = 0;
    for (int wanted = FaultInjector.count(rng, orders.size(), 1); planted < wanted; planted++) {
      int row = picker.next();
      if (row < 0) {
        break;
      }
      faulty.set(row);
      if (rng.nextBoolean()) {
        orders.get(row).nullCustomerId = true;
      } else {
        orders.get(row).nullOrderId = true;
      }
    }
    return planted;
  }

  private static int outOfRange(Random rng, List<Order> orders, RowPicker picker, BitSet faulty) {
    int planted = 0;
    for (int wanted = FaultInjector.count(rng, orders.size(), 1); planted < wanted; planted++) {
      int row = picker.next();
      if (row < 0) {
        break;
      }
      faulty.set(row);
      orders.get(row).amountCents =
          rng.nextBoolean()
              ? -(1 + rng.nextInt(50_000))
              : MAX_VALID_AMOUNT_CENTS + 1 + rng.nextInt(15_000_000);
    }
    return planted;
  }

  /** Moves whole orders 1-5 days back, never before day 0 nor before the customer was active. */
  private static int late(
      Random rng, List<Order> orders, int day, RowPicker picker, BitSet faulty) {
    if (day == 0) {
      return 0;
    }
    int wanted = FaultInjector.count(rng, orders.size(), 1);
    int planted = 0;
    while (planted < wanted) {
      int row = picker.next();
      if (row < 0) {
        break;
      }
      Order order = orders.get(row);
      int daysBack = 1 + rng.nextInt(Math.min(MAX_LATE_DAYS, day));
      if (order.customer.firstActiveDay > day - daysBack) {
        continue;
      }
      long shift = (long) daysBack * Timestamps.SECONDS_PER_DAY;
      order.orderEpochSecond -= shift;
      order.updatedEpochSecond -= shift;
      faulty.set(row);
      planted++;
    }
    return planted;
  }

  /**
   * Re-sends orders of the last few days with their next status and an {@code updated_at} today.
   */
  private int resend(
      Random rng, long dayStart, boolean drifted, int wanted, DayBatchBuilder batch) {
    List<Order> candidates = new ArrayList<>();
    for (List<Order> dayOrders : recentOrders) {
      for (Order order : dayOrders) {
        if (order.canChangeStatus()) {
          candidates.add(order);
        }
      }
    }
    int planted = Math.min(wanted, candidates.size());
    for (int i = 0; i < planted; i++) {
      Collections.swap(candidates, i, i + rng.nextInt(candidates.size() - i));
      Order order = candidates.get(i);
      order.status =
          order.status == Order.COMPLETED
              ? Order.RETURNED
              : (rng.nextDouble() < 0.6 ? Order.COMPLETED : Order.CANCELLED);
      order.updatedEpochSecond = Timestamps.randomSecondOfDay(rng, dayStart);
      order.updatedOffset = Timestamps.randomOffset(rng);
      batch.insertAtRandom(render(order, drifted));
    }
    return planted;
  }

  private void rememberForResending(List<Order> orders, BitSet faulty) {
    List<Order> clean = new ArrayList<>();
    for (int row = 0; row < orders.size(); row++) {
      if (!faulty.get(row) && orders.get(row).canChangeStatus()) {
        clean.add(orders.get(row));
      }
    }
    recentOrders.addLast(clean);
    while (recentOrders.size() > RESEND_WINDOW_DAYS) {
      recentOrders.removeFirst();
    }
  }

  private byte[] render(Order order, boolean drifted) {
    line.setLength(0);
    line.append("{\"order_id\":");
    if (order.nullOrderId) {
      line.append("null");
    } else {
      line.append("\"O");
      Timestamps.appendPadded(line, order.number, 10);
      line.append('"');
    }
    line.append(",\"customer_id\":");
    if (order.nullCustomerId) {
      line.append("null");
    } else {
      line.append('"').append(order.customer.id).append('"');
    }
    line.append(",\"amount\":");
    appendAmount(order.amountCents);
    line.append(",\"currency\":\"")
        .append(CURRENCIES[order.currency])
        .append("\",\"status\":\"")
        .append(Order.STATUSES[order.status])
        .append("\",\"category\":\"")
        .append(CATEGORIES[order.category])
        .append("\",\"order_ts\":\"");
    Timestamps.append(line, order.orderEpochSecond, order.orderOffset);
    line.append("\",\"updated_at\":\"");
    Timestamps.append(line, order.updatedEpochSecond, order.updatedOffset);
    line.append('"');
    if (drifted) {
      line.append(",\"" + DRIFT_COLUMN + "\":");
      if (order.couponCode == null) {
        line.append("null");
      } else {
        line.append('"').append(order.couponCode).append('"');
      }
    }
    line.append('}');
    return line.toString().getBytes(StandardCharsets.UTF_8);
  }

  private void appendAmount(long cents) {
    if (cents < 0) {
      line.append('-');
    }
    long absolute = Math.abs(cents);
    line.append(absolute / 100).append('.');
    Timestamps.appendPadded(line, absolute % 100, 2);
  }
}
