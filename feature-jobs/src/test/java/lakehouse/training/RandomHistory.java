package lakehouse.training;

import io.delta.tables.DeltaTable;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Predicate;
import lakehouse.common.catalog.TableId;
import lakehouse.common.testing.TestLake;
import org.apache.spark.sql.Row;

/**
 * A feature table ({@code site STRING, obs_time TIMESTAMP, reading DOUBLE}) driven through a random
 * history of real Delta commits — appends (corrections included: the key and feature time pools are
 * small), UPDATE, DELETE, MERGE, OPTIMIZE, OPTIMIZE ZORDER, RESTORE and a checkpoint with log
 * clean-up — next to a model of it that knows, for every version, each row and the commit that
 * wrote its values. The model is the brute-force side of the differential test.
 */
final class RandomHistory {
  static final List<String> SITES = List.of("north", "south", "east");

  /** A row of the model: the commit that wrote its values, as row tracking defines it. */
  record ModelRow(String site, long featureMicros, double reading, long commit) {}

  final TableId table;
  final String location;
  final long[] featureTimes;

  /** Version → the rows current at it. */
  final TreeMap<Long, List<ModelRow>> states = new TreeMap<>();

  /** Version → commit time, read from the table's history when the version was written. */
  final TreeMap<Long, Instant> commits = new TreeMap<>();

  final List<String> operations = new ArrayList<>();

  /** The oldest version whose log entry is retained (after log clean-up, greater than 0). */
  long oldestRetained;

  private final TestLake lake;
  private final Random random;
  private List<ModelRow> current = new ArrayList<>();

  RandomHistory(TestLake lake, TableId table, long seed, boolean rowTracking) {
    this.lake = lake;
    this.table = table;
    this.location = lake.runtime().catalog().location(table);
    this.random = new Random(seed);
    long start =
        Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).getEpochSecond()
            * 1_000_000L;
    long hour = 3_600_000_000L;
    this.featureTimes =
        new long[] {start - 3 * hour, start - 2 * hour, start - hour, start - hour / 2 + 1};
    sql(
        "CREATE TABLE "
            + ref()
            + " (site STRING, obs_time TIMESTAMP, reading DOUBLE) "
            + "USING DELTA TBLPROPERTIES (delta.enableChangeDataFeed = true, "
            + "delta.enableRowTracking = "
            + rowTracking
            + ")");
    lake.runtime().catalog().register(table);
    record("CREATE");
  }

  /** Runs {@code steps} random operations after a first append. */
  RandomHistory run(int steps) {
    append();
    boolean cleaned = false;
    for (int i = 0; i < steps; i++) {
      int pick = random.nextInt(10);
      if (pick < 3) {
        append();
      } else if (pick == 3) {
        update();
      } else if (pick == 4) {
        delete();
      } else if (pick == 5) {
        merge();
      } else if (pick == 6) {
        optimize(random.nextBoolean());
      } else if (pick == 7) {
        restore();
      } else if (pick == 8 && !cleaned && latest() >= 3) {
        cleanUpLog();
        cleaned = true;
      } else {
        append();
      }
    }
    return this;
  }

  long latest() {
    return states.lastKey();
  }

  long randomRetainedVersion() {
    return oldestRetained + random.nextInt((int) (latest() - oldestRetained + 1));
  }

  Random random() {
    return random;
  }

  private void append() {
    int rows = 1 + random.nextInt(4);
    List<String> values = new ArrayList<>();
    long version = latest() + 1;
    for (int i = 0; i < rows; i++) {
      ModelRow row = new ModelRow(site(), featureTime(), reading(), version);
      current.add(row);
      values.add(
          String.format(
              Locale.ROOT,
              "('%s', timestamp_micros(%d), %s)",
              row.site(),
              row.featureMicros(),
              row.reading()));
    }
    sql("INSERT INTO " + ref() + " VALUES " + String.join(", ", values));
    record("APPEND " + rows);
  }

  private void update() {
    double add = 1000.0 * (latest() + 1);
    long version = latest() + 1;
    Predicate<ModelRow> where;
    String condition;
    if (random.nextBoolean()) {
      String site = site();
      where = r -> r.site().equals(site);
      condition = "site = '" + site + "'";
    } else {
      long time = featureTime();
      where = r -> r.featureMicros() == time;
      condition = "obs_time = timestamp_micros(" + time + ")";
    }
    current =
        new ArrayList<>(
            current.stream()
                .map(
                    r ->
                        where.test(r)
                            ? new ModelRow(r.site(), r.featureMicros(), r.reading() + add, version)
                            : r)
                .toList());
    sql("UPDATE " + ref() + " SET reading = reading + " + add + " WHERE " + condition);
    record("UPDATE " + condition);
  }

  private void delete() {
    String site = site();
    long time = featureTime();
    current.removeIf(r -> r.site().equals(site) && r.featureMicros() == time);
    sql(
        "DELETE FROM "
            + ref()
            + " WHERE site = '"
            + site
            + "' AND obs_time = timestamp_micros("
            + time
            + ")");
    record("DELETE " + site + " " + time);
  }

  private void merge() {
    long version = latest() + 1;
    String site = site();
    long[] times = {featureTimes[random.nextInt(2)], featureTimes[2 + random.nextInt(2)]};
    List<String> source = new ArrayList<>();
    List<ModelRow> next = new ArrayList<>(current);
    for (long time : times) {
      double reading = reading();
      source.add(
          String.format(Locale.ROOT, "('%s', timestamp_micros(%d), %s)", site, time, reading));
      boolean matched = false;
      for (int i = 0; i < next.size(); i++) {
        ModelRow r = next.get(i);
        if (r.site().equals(site) && r.featureMicros() == time) {
          next.set(i, new ModelRow(site, time, reading, version));
          matched = true;
        }
      }
      if (!matched) {
        next.add(new ModelRow(site, time, reading, version));
      }
    }
    current = next;
    sql(
        "MERGE INTO "
            + ref()
            + " t USING (SELECT * FROM VALUES "
            + String.join(", ", source)
            + " AS s(site, obs_time, reading)) s ON t.site = s.site AND t.obs_time = s.obs_time "
            + "WHEN MATCHED THEN UPDATE SET reading = s.reading WHEN NOT MATCHED THEN INSERT *");
    record("MERGE " + site);
  }

  private void optimize(boolean zorder) {
    sql("OPTIMIZE " + ref() + (zorder ? " ZORDER BY (reading)" : ""));
    record(zorder ? "ZORDER" : "OPTIMIZE");
  }

  private void restore() {
    if (latest() - oldestRetained < 2) {
      append();
      return;
    }
    long to = oldestRetained + random.nextInt((int) (latest() - oldestRetained - 1));
    current = new ArrayList<>(states.get(to));
    sql("RESTORE TABLE " + ref() + " TO VERSION AS OF " + to);
    record("RESTORE " + to);
  }

  /** A checkpoint at the latest version, then every older commit file removed. */
  private void cleanUpLog() {
    oldestRetained = LakeTables.cleanUpLog(lake, location);
    operations.add("LOG CLEAN-UP before " + oldestRetained);
  }

  /** Records the model state for the version the operation wrote (if it wrote one). */
  private void record(String operation) {
    Row last =
        DeltaTable.forPath(lake.spark(), location)
            .history(1)
            .select("version", "timestamp")
            .first();
    long version = last.getLong(0);
    if (!states.isEmpty() && version == latest()) {
      operations.add(operation + " (no commit)");
      return;
    }
    if (!states.isEmpty() && version != latest() + 1) {
      throw new IllegalStateException(
          operation + " wrote version " + version + " after " + latest());
    }
    states.put(version, List.copyOf(current));
    commits.put(version, ((Timestamp) last.get(1)).toInstant());
    operations.add("v" + version + " " + operation);
    List<String> expected =
        current.stream()
            .map(r -> r.site() + "|" + r.featureMicros() + "|" + r.reading())
            .sorted()
            .toList();
    List<String> actual =
        lake
            .spark()
            .read()
            .format("delta")
            .load(location)
            .selectExpr("site", "unix_micros(obs_time)", "reading")
            .collectAsList()
            .stream()
            .map(r -> r.getString(0) + "|" + r.getLong(1) + "|" + r.getDouble(2))
            .sorted()
            .toList();
    if (!expected.equals(actual)) {
      throw new IllegalStateException(
          "the model and the table differ after " + operation + ": " + expected + " vs " + actual);
    }
  }

  private String site() {
    return SITES.get(random.nextInt(SITES.size()));
  }

  private long featureTime() {
    return featureTimes[random.nextInt(featureTimes.length)];
  }

  private double reading() {
    return random.nextInt(400) / 4.0;
  }

  private String ref() {
    return "delta.`" + location + "`";
  }

  private void sql(String statement) {
    lake.spark().sql(statement);
  }

  static Comparator<ModelRow> pickOrder() {
    return Comparator.comparingLong(ModelRow::featureMicros)
        .thenComparingLong(ModelRow::commit)
        .thenComparingLong(
            r ->
                org.apache.spark.sql.catalyst.expressions.XXH64.hashLong(
                    Double.doubleToLongBits(r.reading()), 42));
  }
}
