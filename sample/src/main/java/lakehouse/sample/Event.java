package lakehouse.sample;

/** One click-stream event as generated. */
final class Event {
  static final String[] TYPES = {"view", "click", "add_to_cart", "purchase"};

  final long number;
  final Customer customer;
  final long sessionNumber;
  final String page;
  int type;

  /** Set instead of {@link #type} for an out-of-range event type. */
  String unknownType;

  long epochSecond;
  int offset;
  boolean nullCustomerId;

  Event(
      long number,
      Customer customer,
      long sessionNumber,
      String page,
      int type,
      long epochSecond,
      int offset) {
    this.number = number;
    this.customer = customer;
    this.sessionNumber = sessionNumber;
    this.page = page;
    this.type = type;
    this.epochSecond = epochSecond;
    this.offset = offset;
  }
}
