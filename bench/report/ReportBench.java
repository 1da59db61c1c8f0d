package lakehouse.report;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;

import io.delta.tables.DeltaTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.Collectors;
import lakehouse.common.LakehouseRuntime;
import lakehouse.common.catalog.LakeCatalog;
import lakehouse.common.catalog.TableId;
import lakehouse.common.settings.LakehouseSettings;
import lakehouse.report.ReportFacts.Aside;
import lakehouse.report.ReportFacts.ReasonCount;
import lakehouse.report.ReportFacts.TableFacts;
import lakehouse.report.ReportFacts.VersionCount;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.StructType;

/**
 * The report from the Delta log (as {@code report --out} writes it) against the old way, which
 * counted every version ({@code count()} of {@code VERSION AS OF v}, one Spark job each, plus a
 * count of each rejects/quarantine table): both gather, render and write the whole page on the same
 * lake in the same JVM and Spark session, alternating which goes first, best of the rounds. It then
 * checks that both show the same numbers: every version count the log gives equals the old count,
 * and the page says so for any it cannot give. Run it with {@code bench/report/run.sh}; it is not
 * part of the test run.
 *
 * <p>Arguments: conf dir, lake root, output dir, rounds, results file (markdown, appended),
 * optionally {@code --old-with-new-partitions} (the old way with the snapshot partitions the report
 * now sets, to tell the two gains apart; by default the old way runs as the old command did, with
 * Delta's 50), then free text describing the run, written with the results.
 */
public final class ReportBench {
  public static void main(String[] args) throws Exception {
    Path confDir = Path.of(args[0]);
    String lakeRoot = args[1];
    Path out = Path.of(args[2]);
    int rounds = Integer.parseInt(args[3]);
    Path results = Path.of(args[4]);
    boolean oldPartitions = !"--old-with-new-partitions".equals(args.length > 5 ? args[5] : "");
    String extra =
        String.join(
            " ", List.of(args).subList(Math.min(args.length, oldPartitions ? 5 : 6), args.length));
    String note =
        (oldPartitions
                ? "old way with Delta's 50 snapshot partitions, as the old " + "command ran"
                : "old way with the report's snapshot partitions (2)")
            + (extra.isBlank() ? "" : "; " + extra);
    LakehouseSettings settings =
        LakehouseSettings.load(confDir, "local", List.of("lakehouse.lake-root=" + lakeRoot));
    ReportSettings reportSettings = ReportSettings.from(settings);

    double bestLog = Double.MAX_VALUE;
    double bestCounting = Double.MAX_VALUE;
    ReportFacts fromLog = null;
    ReportFacts counted = null;
    try (LakehouseRuntime runtime = LakehouseRuntime.start(settings, "report-bench")) {
      BiFunction<TableId, Set<TableId>, TableFacts> perVersion =
          new PerVersionCounting(runtime.spark(), runtime.catalog(), reportSettings)::gather;
      for (int round = 1; round <= rounds; round++) {
        boolean logFirst = round % 2 == 1;
        for (int side = 0; side < 2; side++) {
          boolean log = logFirst == (side == 0);
          long start = System.nanoTime();
          ReportGatherer gatherer =
              log
                  ? new ReportGatherer(runtime, reportSettings)
                  : new ReportGatherer(runtime, reportSettings, perVersion);
          if (!log && oldPartitions) { // as the old command ran: Delta's 50 snapshot partitions
            runtime
                .spark()
                .conf()
                .set(
                    ReportGatherer.SNAPSHOT_PARTITIONS,
                    String.valueOf(ReportGatherer.SNAPSHOT_PARTITIONS_DEFAULT));
          }
          ReportFacts facts;
          try {
            facts = gatherer.gather(Instant.now());
          } finally {
            runtime.spark().conf().unset(ReportGatherer.SNAPSHOT_PARTITIONS);
          }
          ReportCommand.write(out.resolve(log ? "from-log" : "counting"), ReportPage.render(facts));
          double seconds = (System.nanoTime() - start) / 1e9;
          System.out.printf(
              Locale.ROOT,
              "round %d %-22s %8.1f s%n",
              round,
              log ? "report (Delta log)" : "per-version counting",
              seconds);
          if (log) {
            bestLog = Math.min(bestLog, seconds);
            fromLog = facts;
          } else {
            bestCounting = Math.min(bestCounting, seconds);
            counted = facts;
          }
        }
      }
    }
    List<String> differences = compare(counted, fromLog);
    long versions =
        counted.tables().stream().mapToLong(t -> t.history().size()).sum()
            + counted.opsTables().stream().mapToLong(t -> t.history().size()).sum();
    long unknown =
        fromLog.tables().stream()
            .flatMap(t -> t.history().stream())
            .filter(v -> v.rows() == null)
            .count();
    String summary =
        String.format(
            Locale.ROOT,
            "| %s | %d + %d | %d | %.1f s | %.1f s | %.1f× " + "| %s | %s |%n",
            Instant.now().toString().substring(0, 16).replace('T', ' '),
            counted.tables().size(),
            counted.opsTables().size(),
            versions,
            bestCounting,
            bestLog,
            bestCounting / bestLog,
            differences.isEmpty()
                ? "same numbers"
                    + (unknown == 0 ? "" : " (" + unknown + " versions without a figure, said so)")
                : differences.size() + " differences",
            note);
    System.out.print(summary);
    differences.forEach(d -> System.out.println("  difference: " + d));
    if (!Files.exists(results)) {
      Files.writeString(results, "");
    }
    Files.writeString(results, summary, StandardOpenOption.APPEND);
  }

  /** Where the page from the log shows another number than the counting one. */
  static List<String> compare(ReportFacts counted, ReportFacts fromLog) {
    List<String> differences = new ArrayList<>();
    Map<TableId, TableFacts> log = new java.util.HashMap<>();
    fromLog.tables().forEach(t -> log.put(t.id(), t));
    fromLog.opsTables().forEach(t -> log.put(t.id(), t));
    List<TableFacts> all = new ArrayList<>(counted.tables());
    all.addAll(counted.opsTables());
    for (TableFacts old : all) {
      TableFacts now = log.get(old.id());
      if (now == null) {
        differences.add(old.id() + " missing from the log report");
        continue;
      }
      if (old.rows() != now.rows()
          || old.version() != now.version()
          || !old.lastCommit().equals(now.lastCommit())
          || !old.lastOperation().equals(now.lastOperation())) {
        differences.add(
            old.id()
                + ": version/rows/commit "
                + old.version()
                + "/"
                + old.rows()
                + "/"
                + old.lastCommit()
                + " counted, "
                + now.version()
                + "/"
                + now.rows()
                + "/"
                + now.lastCommit()
                + " from the log");
      }
      Map<Long, VersionCount> newVersions =
          now.history().stream()
              .collect(Collectors.toMap(VersionCount::version, Function.identity()));
      for (VersionCount v : old.history()) {
        VersionCount n = newVersions.get(v.version());
        if (n == null) {
          differences.add(old.id() + " v" + v.version() + " missing");
        } else if (n.rows() != null && !n.rows().equals(v.rows())) {
          differences.add(
              old.id()
                  + " v"
                  + v.version()
                  + ": "
                  + v.rows()
                  + " counted, "
                  + n.rows()
                  + " from the log");
        }
      }
      if (old.history().size() != now.history().size()) {
        differences.add(
            old.id()
                + ": "
                + old.history().size()
                + " versions counted, "
                + now.history().size()
                + " from the log");
      }
      if ((old.aside() == null) != (now.aside() == null)
          || old.aside() != null
              && (old.aside().rows() != now.aside().rows()
                  || !old.aside().topReasons().equals(now.aside().topReasons()))) {
        differences.add(old.id() + ": set-aside rows differ");
      }
    }
    return differences;
  }

  /**
   * The old way, as {@code TableGatherer} did it before the log: the newest versions from {@code
   * DESCRIBE HISTORY}, then a {@code count()} of each version and of the set-aside table.
   */
  static final class PerVersionCounting {
    private final SparkSession spark;
    private final LakeCatalog catalog;
    private final ReportSettings settings;

    PerVersionCounting(SparkSession spark, LakeCatalog catalog, ReportSettings settings) {
      this.spark = spark;
      this.catalog = catalog;
      this.settings = settings;
    }

    TableFacts gather(TableId id, Set<TableId> all) {
      List<Row> commits =
          DeltaTable.forPath(spark, catalog.location(id))
              .history(settings.maxVersions())
              .select("version", "timestamp", "operation")
              .collectAsList();
      List<VersionCount> history = new ArrayList<>();
      for (Row commit : commits) {
        long version = commit.getLong(0);
        Long rows = countAt(id, version);
        if (rows != null) {
          history.add(
              new VersionCount(
                  version, ((Timestamp) commit.get(1)).toInstant(), commit.getString(2), rows));
        }
      }
      history.sort(Comparator.comparingLong(VersionCount::version));
      Row newest = commits.get(0);
      long rows =
          history.isEmpty() ? catalog.read(id).count() : history.get(history.size() - 1).rows();
      return new TableFacts(
          id,
          newest.getLong(0),
          ((Timestamp) newest.get(1)).toInstant(),
          newest.getString(2),
          rows,
          List.copyOf(history),
          aside(id, all));
    }

    private Long countAt(TableId id, long version) {
      try {
        return catalog.readVersion(id, version).count();
      } catch (Exception e) { // past log retention
        return null;
      }
    }

    private Aside aside(TableId id, Set<TableId> all) {
      for (String suffix : List.of(TableGatherer.REJECTS, TableGatherer.QUARANTINE)) {
        TableId candidate = TableId.of(id.layer(), id.name() + suffix);
        if (all.contains(candidate)) {
          return asideFacts(
              candidate, suffix.equals(TableGatherer.REJECTS) ? "rejects" : "quarantine");
        }
      }
      return null;
    }

    private Aside asideFacts(TableId id, String kind) {
      Dataset<Row> rows = catalog.read(id);
      long total = rows.count();
      StructType schema = rows.schema();
      Dataset<Row> reasons = null;
      if (TableGatherer.has(schema, TableGatherer.REASON)) {
        reasons = rows.select(col(TableGatherer.REASON).as("reason"));
      } else if (TableGatherer.has(schema, TableGatherer.FAILED_RULES)
          && schema.apply(TableGatherer.FAILED_RULES).dataType() instanceof ArrayType) {
        reasons = rows.select(explode(col(TableGatherer.FAILED_RULES)).as("reason"));
      }
      List<ReasonCount> top = new ArrayList<>();
      if (reasons != null && total > 0) {
        for (Row row :
            reasons
                .groupBy("reason")
                .count()
                .orderBy(col("count").desc(), col("reason"))
                .limit(settings.topReasons())
                .collectAsList()) {
          top.add(new ReasonCount(row.isNullAt(0) ? "(none)" : row.getString(0), row.getLong(1)));
        }
      }
      return new Aside(id, kind, total, List.copyOf(top));
    }
  }
}
