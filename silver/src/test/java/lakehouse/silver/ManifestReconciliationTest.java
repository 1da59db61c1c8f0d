package lakehouse.silver;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import lakehouse.common.LakehouseRuntime;
import lakehouse.common.catalog.TableId;
import lakehouse.common.testing.TestLake;
import lakehouse.sample.FaultKind;
import lakehouse.sample.LandingFile;
import lakehouse.sample.MalformedLine;
import lakehouse.sample.SampleGenerator;
import lakehouse.sample.SampleManifest;
import lakehouse.sample.SampleOptions;
import lakehouse.sample.SourceManifest;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reconciles silver with the sample generator's manifest: bronze-shaped tables are built from the
 * generated landing files (every line but the manifest's malformed ones, as bronze lands them, one
 * commit per landing date), silver runs day by day, and every planted fault ends where it should:
 * duplicates discarded, re-sent orders and profile changes as updates, null keys and out-of-range
 * values in quarantine, everything else inserted.
 */
class ManifestReconciliationTest {
  @TempDir Path dir;

  static final StructType ORDERS =
      new StructType()
          .add("order_id", "string")
          .add("customer_id", "string")
          .add("amount", "double")
          .add("currency", "string")
          .add("status", "string")
          .add("category", "string")
          .add("order_ts", "string")
          .add("updated_at", "string")
          .add("coupon_code", "string");
  static final StructType EVENTS =
      new StructType()
          .add("event_id", "string")
          .add("customer_id", "string")
          .add("event_type", "string")
          .add("event_ts", "string")
          .add("page", "string")
          .add("session_id", "string");

  record Totals(long read, long inserted, long updated, long duplicates, long quarantined) {
    Totals plus(SilverReport r) {
      assertThat(r.reconciles()).as(String.join("\n", r.lines())).isTrue();
      assertThat(
              List.of(
                  r.exactDuplicates(),
                  r.conflictingDuplicates(),
                  r.supersededVersions(),
                  r.conflictingUpdates()))
          .as("the sample plants exact copies only: " + String.join("\n", r.lines()))
          .containsExactly(r.duplicatesDiscarded(), 0L, 0L, 0L);
      return new Totals(
          read + r.rowsRead(),
          inserted + r.inserted(),
          updated + r.updated(),
          duplicates + r.duplicatesDiscarded(),
          quarantined + r.quarantined());
    }
  }

  @Test
  void everyPlantedFaultEndsWhereItShould() throws Exception {
    TestLake lake = TestLake.create(dir);
    SparkSession spark = lake.spark();
    SampleManifest manifest =
        new SampleGenerator(new SampleOptions(LocalDate.of(2024, 3, 1), 3, 250, 7L))
            .generate(lake.landingRoot(), spark.sparkContext().hadoopConfiguration());
    LakehouseRuntime runtime = lake.runtime();

    Totals orders = new Totals(0, 0, 0, 0, 0);
    Totals customers = new Totals(0, 0, 0, 0, 0);
    for (LocalDate day : manifest.landingDates()) {
      land(lake, manifest, "orders", day);
      orders = orders.plus(SilverJob.run(runtime, SilverJob.Request.load(runtime, "orders", day)));
      land(lake, manifest, "customers", day);
      customers =
          customers.plus(SilverJob.run(runtime, SilverJob.Request.load(runtime, "customers", day)));
      land(lake, manifest, "events", day);
      land(lake, manifest, "labels", day);
    }
    LocalDate last = manifest.landingDates().get(manifest.landingDates().size() - 1);
    Totals events =
        new Totals(0, 0, 0, 0, 0)
            .plus(SilverJob.run(runtime, SilverJob.Request.load(runtime, "events", last)));
    Totals labels =
        new Totals(0, 0, 0, 0, 0)
            .plus(SilverJob.run(runtime, SilverJob.Request.load(runtime, "labels", last)));

    SourceManifest o = manifest.source("orders");
    assertThat(orders)
        .as("orders against the manifest")
        .isEqualTo(
            new Totals(
                o.totalGoodRecords(),
                o.totalGoodRecords()
                    - o.faultCount(FaultKind.EXACT_DUPLICATES)
                    - o.faultCount(FaultKind.RESENT_UPDATES)
                    - o.faultCount(FaultKind.NULL_REQUIRED)
                    - o.faultCount(FaultKind.OUT_OF_RANGE),
                o.faultCount(FaultKind.RESENT_UPDATES),
                o.faultCount(FaultKind.EXACT_DUPLICATES),
                o.faultCount(FaultKind.NULL_REQUIRED) + o.faultCount(FaultKind.OUT_OF_RANGE)));
    assertThat(o.faultCount(FaultKind.RESENT_UPDATES))
        .as("the sample has re-sent orders")
        .isPositive();

    SourceManifest e = manifest.source("events");
    assertThat(events)
        .as("events against the manifest")
        .isEqualTo(
            new Totals(
                e.totalGoodRecords(),
                e.totalGoodRecords()
                    - e.faultCount(FaultKind.EXACT_DUPLICATES)
                    - e.faultCount(FaultKind.NULL_REQUIRED)
                    - e.faultCount(FaultKind.OUT_OF_RANGE),
                0,
                e.faultCount(FaultKind.EXACT_DUPLICATES),
                e.faultCount(FaultKind.NULL_REQUIRED) + e.faultCount(FaultKind.OUT_OF_RANGE)));

    SourceManifest c = manifest.source("customers");
    assertThat(customers)
        .as("customers against the manifest")
        .isEqualTo(
            new Totals(
                c.totalGoodRecords(),
                c.totalGoodRecords() - c.faultCount(FaultKind.PROFILE_UPDATES),
                c.faultCount(FaultKind.PROFILE_UPDATES),
                0,
                0));
    assertThat(
            runtime.catalog().read(TableId.of("silver", "customers")).filter("is_current").count())
        .as("one current version per customer")
        .isEqualTo(customers.inserted());

    SourceManifest l = manifest.source("labels");
    assertThat(labels.read()).isEqualTo(l.totalGoodRecords());
    assertThat(labels.quarantined()).isZero();
    assertThat(runtime.catalog().read(TableId.of("silver", "labels")).count())
        .isEqualTo(labels.inserted());
  }

  /** Lands one source's files of one day into bronze, as one commit, without malformed lines. */
  static void land(TestLake lake, SampleManifest manifest, String source, LocalDate day)
      throws Exception {
    SourceManifest entry = manifest.source(source);
    SparkSession spark = lake.spark();
    Dataset<Row> all = null;
    for (LandingFile file : entry.files(day)) {
      Set<Long> malformed = new HashSet<>();
      for (MalformedLine line : entry.malformedLines()) {
        if (line.file().equals(file.path())) {
          malformed.add(line.lineNumber());
        }
      }
      List<String> lines = new ArrayList<>();
      byte[] bytes =
          Files.readAllBytes(Path.of(URI.create(lake.landingRoot() + "/" + file.path())));
      long number = 0;
      ByteArrayOutputStream current = new ByteArrayOutputStream();
      for (int i = 0; i <= bytes.length; i++) {
        if (i == bytes.length || bytes[i] == '\n') {
          if (i == bytes.length && current.size() == 0) {
            break;
          }
          number++;
          boolean header = entry.format().equals("csv") && number == 1;
          if (!header && !malformed.contains(number)) {
            lines.add(current.toString(StandardCharsets.UTF_8));
          }
          current.reset();
        } else {
          current.write(bytes[i]);
        }
      }
      assertThat((long) lines.size())
          .as(file.path() + " good records")
          .isEqualTo(file.goodRecords());
      Dataset<String> text = spark.createDataset(lines, Encoders.STRING());
      Dataset<Row> parsed =
          switch (source) {
            case "orders" -> spark.read().schema(ORDERS).json(text);
            case "events" -> spark.read().schema(EVENTS).json(text);
            default -> {
              StructType csv = new StructType();
              for (String column : entry.columns()) {
                csv = csv.add(column, DataTypes.StringType);
              }
              yield spark.read().schema(csv).csv(text);
            }
          };
      parsed =
          parsed
              .withColumn("_ingested_at", functions.lit(Timestamp.valueOf(day.atTime(6, 0))))
              .withColumn("_source_file", functions.lit(file.path()))
              .withColumn("_run_id", functions.lit("bronze-" + day))
              .withColumn("_landing_date", functions.lit(Date.valueOf(day)));
      all = all == null ? parsed : all.unionByName(parsed);
    }
    if (all != null) {
      all.write()
          .format("delta")
          .mode("append")
          .partitionBy("_landing_date")
          .save(lake.runtime().catalog().location(TableId.of("bronze", source)));
    }
  }
}
