package lakehouse.sample;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/** The growing population every feed draws from; customers are never removed, only stop. */
final class CustomerBase {
  static final String[] SEGMENTS = {"bronze", "silver", "gold", "platinum"};
  static final String[] COUNTRIES = {"DE", "FR", "GB", "US", "NL", "ES", "IT", "IN", "CA", "PL"};

  private static final double[] SEGMENT_WEIGHTS = {0.50, 0.80, 0.95, 1.0};
  private static final double CHURNER_SHARE = 0.20;
  private static final double MIN_ORDERS_PER_DAY = 0.05;
  private static final double MAX_ORDERS_PER_DAY = 0.80;
  // Churners stop up to three weeks past the sample's end, so labels see both outcomes.
  private static final int STOP_DAYS_BEYOND_SAMPLE = 21;

  // A few non-ASCII names keep readers honest about UTF-8.
  private static final String[] FIRST_NAMES = {
    "Ada", "Alan", "Grace", "Linus", "Margaret", "Dennis", "Barbara", "Ken", "Frances", "Edsger",
    "Radia", "Tim", "Hedy", "John", "Katherine", "Donald", "Sophie", "Jean", "Anita", "Niklaus",
    "José", "Zoë", "François", "Björn", "Renée", "Chloé", "Andrés", "Noémie", "Priya", "Arjun"
  };
  private static final String[] LAST_NAMES = {
    "Lovelace",
    "Turing",
    "Hopper",
    "Torvalds",
    "Hamilton",
    "Ritchie",
    "Liskov",
    "Thompson",
    "Allen",
    "Dijkstra",
    "Perlman",
    "Berners",
    "Lamarr",
    "Backus",
    "Johnson",
    "Knuth",
    "Wilson",
    "Sammet",
    "Borg",
    "Wirth",
    "Müller",
    "Núñez",
    "Gödel",
    "Brontë",
    "Šimek",
    "Sharma",
    "Patel",
    "Okafor",
    "Nakamura",
    "Kowalski"
  };
  private static final String[] FIRST_HANDLES = asciiHandles(FIRST_NAMES);
  private static final String[] LAST_HANDLES = asciiHandles(LAST_NAMES);
  private static final String[] EMAIL_DOMAINS = {"example.com", "example.org", "example.net"};

  private final int horizonDay;
  private final List<Customer> customers = new ArrayList<>();

  /**
   * @param sampleDays the number of landing days, which bounds when churners stop
   */
  CustomerBase(int sampleDays) {
    this.horizonDay = sampleDays + STOP_DAYS_BEYOND_SAMPLE;
  }

  int size() {
    return customers.size();
  }

  Customer get(int index) {
    return customers.get(index);
  }

  List<Customer> all() {
    return customers;
  }

  /**
   * Creates the next customer, landing on {@code landingDay} and active from {@code
   * firstActiveDay}.
   */
  Customer add(
      Random rng, int landingDay, int firstActiveDay, long signupEpochSecond, int signupOffset) {
    int number = customers.size() + 1;
    StringBuilder id = new StringBuilder(8).append('C');
    Timestamps.appendPadded(id, number, 6);
    int first = rng.nextInt(FIRST_NAMES.length);
    int last = rng.nextInt(LAST_NAMES.length);
    String email =
        FIRST_HANDLES[first]
            + "."
            + LAST_HANDLES[last]
            + "."
            + number
            + "@"
            + EMAIL_DOMAINS[rng.nextInt(EMAIL_DOMAINS.length)];
    double ordersPerDay =
        MIN_ORDERS_PER_DAY + (MAX_ORDERS_PER_DAY - MIN_ORDERS_PER_DAY) * rng.nextDouble();
    int stopDay = Customer.NEVER;
    if (rng.nextDouble() < CHURNER_SHARE) {
      int earliest = firstActiveDay + 1;
      stopDay = earliest + rng.nextInt(Math.max(1, horizonDay - earliest + 1));
    }
    Customer customer =
        new Customer(
            id.toString(),
            FIRST_NAMES[first] + " " + LAST_NAMES[last],
            email,
            signupEpochSecond,
            signupOffset,
            ordersPerDay,
            landingDay,
            firstActiveDay,
            stopDay,
            rng.nextInt(COUNTRIES.length),
            Draws.weighted(rng, SEGMENT_WEIGHTS));
    customers.add(customer);
    return customer;
  }

  private static String[] asciiHandles(String[] names) {
    return Arrays.stream(names)
        .map(
            name ->
                Normalizer.normalize(name, Normalizer.Form.NFD)
                    .replaceAll("\\p{M}", "")
                    .replaceAll("[^A-Za-z]", "")
                    .toLowerCase(Locale.ROOT))
        .toArray(String[]::new);
  }
}
