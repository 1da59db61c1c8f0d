import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import lakehouse.bronze.BronzeJob;
import lakehouse.bronze.BronzeReport;
import lakehouse.common.LakehouseRuntime;
import lakehouse.common.settings.LakePaths;
import lakehouse.common.settings.LakehouseSettings;
import lakehouse.common.spark.SparkSessions;
import lakehouse.sample.SampleGenerator;
import lakehouse.sample.SampleManifest;
import lakehouse.sample.SampleOptions;
import org.apache.spark.sql.SparkSession;

/**
 * Bronze ingest throughput against a bare {@code spark.read().json(files).write().format("delta")}
 * of the same landed JSON files, in the same JVM and Spark session, alternating the two so that
 * both see the same machine load. Run it with {@code bench/bronze/run.sh}; it is not part of the
 * test run.
 *
 * <p>Arguments: work dir, customers, days, rounds, results file (markdown, appended), then any
 * {@code key=value} settings overrides for the bronze runs (e.g. {@code
 * lakehouse.bronze.max-files-per-batch=8}).
 */
public final class BronzeBench {
  private static final List<String> SOURCES = List.of("events", "orders");

  public static void main(String[] args) throws Exception {
    Path work = Path.of(args[0]).toAbsolutePath();
    int customers = Integer.parseInt(args[1]);
    int days = Integer.parseInt(args[2]);
    int rounds = Integer.parseInt(args[3]);
    Path results = Path.of(args[4]);
    Path confDir = Path.of(System.getProperty("lakehouse.conf.dir", "conf"));
    List<String> overrides = List.of(args).subList(5, args.length);

    String landing = LakePaths.toFileUri(work.resolve("landing").toString());
    SparkSession spark =
        SparkSession.builder()
            .master("local[2]")
            .appName("bronze-bench")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "4")
            .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
            .config(
                "spark.sql.catalog.spark_catalog",
                "org.apache.spark.sql.delta.catalog.DeltaCatalog")
            .config("spark.sql.session.timeZone", "UTC")
            .config("spark.sql.warehouse.dir", work.resolve("warehouse").toUri().toString())
            .getOrCreate();
    SparkSessions.fitLocal(spark); // as the lake's own local sessions are

    long generateStart = System.nanoTime();
    SampleManifest manifest;
    if (Files.exists(work.resolve("landing").resolve(SampleManifest.FILE_NAME))) {
      manifest = SampleManifest.read(landing, spark.sparkContext().hadoopConfiguration());
    } else {
      manifest =
          new SampleGenerator(new SampleOptions(LocalDate.of(2026, 1, 1), days, customers, 42L))
              .generate(landing, spark.sparkContext().hadoopConfiguration());
    }
    double generateSeconds = (System.nanoTime() - generateStart) / 1e9;
    long lines = 0;
    long bytes = 0;
    List<String> files = new ArrayList<>();
    for (String source : SOURCES) {
      lines += manifest.source(source).totalLines();
      for (var file : manifest.source(source).files()) {
        String uri = LakePaths.join(landing, file.path());
        files.add(uri);
        bytes += Files.size(Path.of(java.net.URI.create(uri)));
      }
    }
    System.out.printf(
        Locale.ROOT,
        "landing: %d JSON lines, %d files, %.1f MB (generated in %.0f s)%n",
        lines,
        files.size(),
        bytes / 1e6,
        generateSeconds);

    // {bare, bronze, bare partitioned, bare append, bronze append} seconds
    List<double[]> timings = new ArrayList<>();
    LocalDate firstDay = LocalDate.of(2026, 1, 1);
    for (int round = 1; round <= rounds; round++) {
      Path lake = work.resolve("lake-" + round);
      double bare = bare(spark, files, lake.resolve("bare"));
      double bronze = bronze(spark, confDir, landing, lake.resolve("lake"), null, lines, overrides);
      double partitioned = barePartitioned(spark, files, lake.resolve("bare-partitioned"));
      // The daily case: days 2..N appended to the tables the first day made.
      double bareAppend = bareAppend(spark, files, firstDay, lake.resolve("bare-append"));
      double bronzeAppend =
          bronze(spark, confDir, landing, lake.resolve("lake-append"), firstDay, -1, overrides);
      timings.add(new double[] {bare, bronze, partitioned, bareAppend, bronzeAppend});
      System.out.printf(
          Locale.ROOT,
          "round %d: bare copy %.1f s, bronze %.1f s, ratio %.2f; "
              + "bare copy partitioned by landing date %.1f s; "
              + "days 2..%d into existing tables: bare %.1f s, bronze %.1f s, ratio %.2f%n",
          round,
          bare,
          bronze,
          bare / bronze,
          partitioned,
          days,
          bareAppend,
          bronzeAppend,
          bareAppend / bronzeAppend);
      deleteRecursively(lake);
    }
    report(results, customers, days, lines, files.size(), bytes, timings, overrides);
    spark.stop();
  }

  /** The obvious alternative: Spark's JSON reader (schema inference included) into Delta. */
  private static double bare(SparkSession spark, List<String> files, Path target) {
    long start = System.nanoTime();
    for (String source : SOURCES) {
      List<String> mine = files.stream().filter(f -> f.contains("/" + source + "/")).toList();
      spark
          .read()
          .json(mine.toArray(String[]::new))
          .write()
          .format("delta")
          .save(target.resolve(source).toUri().toString());
    }
    return (System.nanoTime() - start) / 1e9;
  }

  /**
   * The bare copy with bronze's table layout (partitioned by the landing date from the folder
   * name): shows what the partitioned write alone costs.
   */
  private static double barePartitioned(SparkSession spark, List<String> files, Path target) {
    long start = System.nanoTime();
    for (String source : SOURCES) {
      List<String> mine = files.stream().filter(f -> f.contains("/" + source + "/")).toList();
      spark
          .read()
          .json(mine.toArray(String[]::new))
          .withColumn(
              "_landing_date",
              org.apache.spark.sql.functions.to_date(
                  org.apache.spark.sql.functions.regexp_extract(
                      org.apache.spark.sql.functions.input_file_name(),
                      "/(\\d{4}-\\d{2}-\\d{2})/",
                      1)))
          .write()
          .format("delta")
          .partitionBy("_landing_date")
          .save(target.resolve(source).toUri().toString());
    }
    return (System.nanoTime() - start) / 1e9;
  }

  /**
   * The bare copy in the daily case: the first day's files copied (not timed), then the other days'
   * files appended to the same tables (timed).
   */
  private static double bareAppend(
      SparkSession spark, List<String> files, LocalDate firstDay, Path target) {
    String first = "/" + firstDay + "/";
    long start = 0;
    for (boolean rest : new boolean[] {false, true}) {
      start = System.nanoTime();
      for (String source : SOURCES) {
        List<String> mine =
            files.stream()
                .filter(f -> f.contains("/" + source + "/") && f.contains(first) != rest)
                .toList();
        spark
            .read()
            .json(mine.toArray(String[]::new))
            .write()
            .format("delta")
            .mode("append")
            .option("mergeSchema", "true")
            .save(target.resolve(source).toUri().toString());
      }
    }
    return (System.nanoTime() - start) / 1e9;
  }

  /**
   * Bronze of every landed file; with {@code firstDay}, the files up to it are ingested first (not
   * timed) and only the run over the rest, into the existing tables, is timed. {@code
   * expectedLines}: the records the timed run must read (-1: not checked).
   */
  private static double bronze(
      SparkSession spark,
      Path confDir,
      String landing,
      Path lake,
      LocalDate firstDay,
      long expectedLines,
      List<String> overrides) {
    List<String> all =
        new ArrayList<>(
            List.of(
                "lakehouse.lake-root=" + LakePaths.toFileUri(lake.toString()),
                "lakehouse.landing-root=" + landing));
    all.addAll(overrides);
    LakehouseSettings settings = LakehouseSettings.load(confDir, "local", all);
    long start = 0;
    long read = 0;
    try (LakehouseRuntime runtime = LakehouseRuntime.attach(settings, spark)) {
      if (firstDay != null) {
        for (String source : SOURCES) {
          BronzeJob.run(runtime, new BronzeJob.Request(source, firstDay));
        }
      }
      start = System.nanoTime();
      for (String source : SOURCES) {
        BronzeReport report = BronzeJob.run(runtime, new BronzeJob.Request(source, null));
        System.out.println(report.summary());
        if (!report.reconciles()) {
          throw new IllegalStateException("bronze did not reconcile: " + report.summary());
        }
        read += report.recordsRead();
      }
    }
    if (expectedLines >= 0 && read != expectedLines) {
      throw new IllegalStateException(
          "bronze read " + read + " records, the manifest has " + expectedLines);
    }
    return (System.nanoTime() - start) / 1e9;
  }

  private static void report(
      Path results,
      int customers,
      int days,
      long lines,
      int files,
      long bytes,
      List<double[]> timings,
      List<String> overrides)
      throws IOException {
    double bestBare = timings.stream().mapToDouble(t -> t[0]).min().orElseThrow();
    double bestBronze = timings.stream().mapToDouble(t -> t[1]).min().orElseThrow();
    StringBuilder text = new StringBuilder();
    text.append(String.format(Locale.ROOT, "%n## Run of %s%n%n", Instant.now()));
    text.append(
        String.format(
            Locale.ROOT,
            "Data: sample generator, %d customers, %d days, seed 42: events + orders, %d JSON lines"
                + " in %d files, %.1f MB. Spark local[2], Java %s, %d available cores, load average"
                + " at the end %.1f. Bronze settings overrides: %s.%n%n",
            customers,
            days,
            lines,
            files,
            bytes / 1e6,
            System.getProperty("java.version"),
            Runtime.getRuntime().availableProcessors(),
            java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                .getSystemLoadAverage(),
            overrides.isEmpty()
                ? "none (conf/application.conf defaults)"
                : String.join(", ", overrides)));
    double bestPartitioned = timings.stream().mapToDouble(t -> t[2]).min().orElseThrow();
    double bestBareAppend = timings.stream().mapToDouble(t -> t[3]).min().orElseThrow();
    double bestBronzeAppend = timings.stream().mapToDouble(t -> t[4]).min().orElseThrow();
    text.append(
        "| round | bare copy (s) | bronze (s) | bare rows/s | bronze rows/s | ratio "
            + "| bare copy partitioned by landing date (s) "
            + "| days 2.. into existing tables: bare append (s) | bronze (s) | ratio |\n");
    text.append("|---|---|---|---|---|---|---|---|---|---|\n");
    String row = "| %s | %.1f | %.1f | %.0f | %.0f | %.2f | %.1f | %.1f | %.1f | %.2f |%n";
    for (int i = 0; i < timings.size(); i++) {
      double[] t = timings.get(i);
      text.append(
          String.format(
              Locale.ROOT,
              row,
              i + 1,
              t[0],
              t[1],
              lines / t[0],
              lines / t[1],
              t[0] / t[1],
              t[2],
              t[3],
              t[4],
              t[3] / t[4]));
    }
    text.append(
        String.format(
            Locale.ROOT,
            row,
            "best",
            bestBare,
            bestBronze,
            lines / bestBare,
            lines / bestBronze,
            bestBare / bestBronze,
            bestPartitioned,
            bestBareAppend,
            bestBronzeAppend,
            bestBareAppend / bestBronzeAppend));
    Files.createDirectories(results.toAbsolutePath().getParent());
    Files.writeString(
        results,
        text.toString(),
        java.nio.file.StandardOpenOption.CREATE,
        java.nio.file.StandardOpenOption.APPEND);
    System.out.print(text);
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
