package lakehouse.sample;

/** One order as generated; kept for a few days so it can be re-sent with a new status. */
final class Order {
  static final String[] STATUSES = {"placed", "completed", "cancelled", "returned"};
  static final int PLACED = 0;
  static final int COMPLETED = 1;
  static final int CANCELLED = 2;
  static final int RETURNED = 3;

  final long number;
  final Customer customer;
  final int currency;
  final int category;

  /**
   * Set only from the schema-drift date on; null both before it and for orders without a coupon.
   */
  final String couponCode;

  long amountCents;
  long orderEpochSecond;
  int orderOffset;
  long updatedEpochSecond;
  int updatedOffset;
  int status;
  boolean nullOrderId;
  boolean nullCustomerId;

  Order(long number, Customer customer, int currency, int category, String couponCode) {
    this.number = number;
    this.customer = customer;
    this.currency = currency;
    this.category = category;
    this.couponCode = couponCode;
  }

  /** Placed and completed orders can still change; cancelled and returned ones are final. */
  boolean canChangeStatus() {
    return status == PLACED || status == COMPLETED;
  }
}
