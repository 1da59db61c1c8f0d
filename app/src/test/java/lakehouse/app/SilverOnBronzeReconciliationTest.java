package lakehouse.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import lakehouse.bronze.BronzeJob;
import lakehouse.common.LakehouseRuntime;
import lakehouse.common.catalog.TableId;
import lakehouse.common.settings.Declarations;
import lakehouse.common.settings.Declarations.Kind;
import lakehouse.common.testing.TestLake;
import lakehouse.sample.FaultKind;
import lakehouse.sample.SampleGenerator;
import lakehouse.sample.SampleManifest;
import lakehouse.sample.SampleOptions;
import lakehouse.sample.SourceManifest;
import lakehouse.silver.SilverJob;
import lakehouse.silver.SilverReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real bronze job, then silver, over the sample generator's files, reconciled with the
 * manifest: every good landed line is read by silver once and ends as exactly one of inserted,
 * updated, duplicate or quarantined, as the planted faults say.
 */
class SilverOnBronzeReconciliationTest {
  @TempDir Path dir;

  static List<Long> counts(SilverReport r) {
    assertThat(r.reconciles()).as(String.join("\n", r.lines())).isTrue();
    return List.of(
        r.rowsRead(), r.inserted(), r.updated(), r.duplicatesDiscarded(), r.quarantined());
  }

  @Test
  void bronzeThenSilverMatchesTheManifest() throws Exception {
    TestLake lake = TestLake.create(dir);
    SampleManifest manifest =
        new SampleGenerator(new SampleOptions(LocalDate.of(2024, 3, 1), 3, 250, 11L))
            .generate(lake.landingRoot(), lake.spark().sparkContext().hadoopConfiguration());
    LocalDate last = manifest.landingDates().get(manifest.landingDates().size() - 1);
    LakehouseRuntime runtime = lake.runtime();
    for (String source : Declarations.of(runtime.settings()).names(Kind.SOURCE)) {
      BronzeJob.run(runtime, new BronzeJob.Request(source, last));
    }

    // One silver batch over all days: re-sent orders meet their originals within the batch.
    SourceManifest o = manifest.source("orders");
    assertThat(counts(SilverJob.run(runtime, SilverJob.Request.load(runtime, "orders", last))))
        .as("orders")
        .containsExactly(
            o.totalGoodRecords(),
            o.totalGoodRecords()
                - o.faultCount(FaultKind.EXACT_DUPLICATES)
                - o.faultCount(FaultKind.RESENT_UPDATES)
                - o.faultCount(FaultKind.NULL_REQUIRED)
                - o.faultCount(FaultKind.OUT_OF_RANGE),
            0L,
            o.faultCount(FaultKind.EXACT_DUPLICATES) + o.faultCount(FaultKind.RESENT_UPDATES),
            o.faultCount(FaultKind.NULL_REQUIRED) + o.faultCount(FaultKind.OUT_OF_RANGE));

    SourceManifest e = manifest.source("events");
    assertThat(counts(SilverJob.run(runtime, SilverJob.Request.load(runtime, "events", last))))
        .as("events")
        .containsExactly(
            e.totalGoodRecords(),
            e.totalGoodRecords()
                - e.faultCount(FaultKind.EXACT_DUPLICATES)
                - e.faultCount(FaultKind.NULL_REQUIRED)
                - e.faultCount(FaultKind.OUT_OF_RANGE),
            0L,
            e.faultCount(FaultKind.EXACT_DUPLICATES),
            e.faultCount(FaultKind.NULL_REQUIRED) + e.faultCount(FaultKind.OUT_OF_RANGE));

    // SCD2: every profile version of a customer new to silver is an insert.
    SourceManifest c = manifest.source("customers");
    assertThat(counts(SilverJob.run(runtime, SilverJob.Request.load(runtime, "customers", last))))
        .as("customers")
        .containsExactly(c.totalGoodRecords(), c.totalGoodRecords(), 0L, 0L, 0L);
    assertThat(
            runtime.catalog().read(TableId.of("silver", "customers")).where("is_current").count())
        .as("one current version per customer")
        .isEqualTo(c.totalGoodRecords() - c.faultCount(FaultKind.PROFILE_UPDATES));

    SourceManifest l = manifest.source("labels");
    assertThat(counts(SilverJob.run(runtime, SilverJob.Request.load(runtime, "labels", last))))
        .as("labels")
        .containsExactly(l.totalGoodRecords(), l.totalGoodRecords(), 0L, 0L, 0L);
  }
}
