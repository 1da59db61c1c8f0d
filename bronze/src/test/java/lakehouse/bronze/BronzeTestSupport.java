package lakehouse.bronze;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import lakehouse.common.LakehouseRuntime;
import lakehouse.common.catalog.TableId;
import lakehouse.common.ops.RunHistory;
import lakehouse.common.testing.RecordedRun;
import lakehouse.common.testing.TestLake;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Small helpers for bronze tests: landing files built in code, jobs run on the test lake. */
final class BronzeTestSupport {
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-02-01T06:00:00Z"), ZoneOffset.UTC);

  private BronzeTestSupport() {}

  /** Writes a landing file {@code <landing>/<source>/<date>/<name>} with the given bytes. */
  static Path land(TestLake lake, String source, String date, String name, byte[] content) {
    Path dir = lake.dir().resolve("landing").resolve(source).resolve(date);
    try {
      Files.createDirectories(dir);
      return Files.write(dir.resolve(name), content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes text lines, each ended by a newline. */
  static Path land(TestLake lake, String source, String date, String name, String... lines) {
    return land(
        lake,
        source,
        date,
        name,
        (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
  }

  /** Writes a source declaration into a conf dir copied for the test. */
  static void declare(Path confDir, String source, String body) {
    try {
      Files.writeString(confDir.resolve("sources").resolve(source + ".conf"), body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Lands the rows as one parquet file {@code <landing>/<source>/<date>/<name>} (written by Spark
   * to a scratch folder under {@code dir}, its one part file copied).
   */
  static void landParquet(
      TestLake lake, Path dir, String source, String date, String name, Dataset<Row> rows) {
    Path scratch = dir.resolve("scratch-" + source + "-" + date + "-" + name);
    rows.coalesce(1).write().parquet(scratch.toString());
    try (var files = Files.list(scratch)) {
      Path part = files.filter(p -> p.toString().endsWith(".parquet")).findFirst().orElseThrow();
      land(lake, source, date, name, Files.readAllBytes(part));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static BronzeReport run(TestLake lake, String source, Optional<LocalDate> upTo) {
    return run(lake, source, upTo, step -> {});
  }

  static BronzeReport run(
      TestLake lake, String source, Optional<LocalDate> upTo, Consumer<BronzeJob.Step> afterStep) {
    return recorded(
        lake,
        runtime ->
            new BronzeJob(runtime, BronzeSettings.from(lake.settings()), CLOCK, afterStep)
                .run(SourceDefinition.load(lake.settings(), source), upTo));
  }

  /** Runs bronze as the CLI does: recorded in the run history, failures too. */
  static BronzeReport recorded(TestLake lake, Function<LakehouseRuntime, BronzeReport> job) {
    return RecordedRun.of(lake.runtime(), "run bronze", job);
  }

  /** The run history's facts of each run of one table (its {@code details}), oldest first. */
  static List<Map<String, String>> runsOf(TestLake lake, String table) {
    return new RunHistory(lake.spark(), lake.runtime().catalog())
            .read()
            .orderBy("started_at")
            .where("status <> 'running'")
            .selectExpr("details['" + table + "'] AS facts")
            .where("facts IS NOT NULL")
            .collectAsList()
            .stream()
            .map(r -> r.<String, String>getJavaMap(0))
            .toList();
  }

  /** A source declared in code (HOCON text), for shapes the project's conf/sources lacks. */
  static SourceDefinition source(TestLake lake, String name, String hocon) {
    return SourceDefinition.from(
        new lakehouse.common.settings.ConfigReader(
            com.typesafe.config.ConfigFactory.parseString(hocon), "test source " + name),
        name,
        lake.landingRoot());
  }

  static BronzeReport run(TestLake lake, SourceDefinition source, Optional<LocalDate> upTo) {
    return recorded(
        lake,
        runtime ->
            new BronzeJob(runtime, BronzeSettings.from(lake.settings()), CLOCK, step -> {})
                .run(source, upTo));
  }

  static Dataset<Row> table(TestLake lake, String name) {
    return lake.runtime().catalog().read(TableId.parse(name));
  }

  static long version(TestLake lake, String name) {
    return lake.runtime().catalog().currentVersion(TableId.parse(name));
  }
}
