package lakehouse.sample;

/**
 * One customer's ground truth: fixed identity and sign-up, a latent order rate, the day it stops
 * ordering and browsing (for churners), and the profile fields that profile updates change.
 */
final class Customer {
  static final int NEVER = Integer.MAX_VALUE;

  final String id;
  final String name;
  final String email;
  final long signupEpochSecond;
  final int signupOffset;
  final double ordersPerDay;

  /** Day index on which the profile first lands in the customers source. */
  final int landingDay;

  /** First day index on which the customer orders and browses. */
  final int firstActiveDay;

  /** Day index from which a churner neither orders nor browses; {@link #NEVER} for the others. */
  final int stopDay;

  int country;
  int segment;

  Customer(
      String id,
      String name,
      String email,
      long signupEpochSecond,
      int signupOffset,
      double ordersPerDay,
      int landingDay,
      int firstActiveDay,
      int stopDay,
      int country,
      int segment) {
    this.id = id;
    this.name = name;
    this.email = email;
    this.signupEpochSecond = signupEpochSecond;
    this.signupOffset = signupOffset;
    this.ordersPerDay = ordersPerDay;
    this.landingDay = landingDay;
    this.firstActiveDay = firstActiveDay;
    this.stopDay = stopDay;
    this.country = country;
    this.segment = segment;
  }

  boolean activeOn(int day) {
    return day >= firstActiveDay && day < stopDay;
  }

  /** Whether this is a churner whose stop day is on or before {@code day}. */
  boolean stoppedBy(int day) {
    return stopDay <= day;
  }
}
