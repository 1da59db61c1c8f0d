package lakehouse.bronze;

import static lakehouse.bronze.BronzeTestSupport.run;
import static lakehouse.bronze.BronzeTestSupport.table;
import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import lakehouse.common.ops.RunHistory;
import lakehouse.common.testing.TestLake;
import lakehouse.sample.MalformedKind;
import lakehouse.sample.MalformedLine;
import lakehouse.sample.SampleGenerator;
import lakehouse.sample.SampleManifest;
import lakehouse.sample.SampleOptions;
import lakehouse.sample.SchemaDrift;
import lakehouse.sample.SourceManifest;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ingests the real sample generator's landing zone and reconciles bronze with its manifest: every
 * planted malformed line is in the rejects table at its file and line with the right reason, and
 * every good line is in bronze.
 */
class BronzeReconciliationTest {
  @TempDir static Path dir;
  static TestLake lake;
  static SampleManifest manifest;
  static final Map<String, BronzeReport> reports = new HashMap<>();

  @BeforeAll
  static void ingestTheSample() throws Exception {
    lake = TestLake.create(dir);
    manifest =
        new SampleGenerator(new SampleOptions(LocalDate.of(2026, 1, 1), 3, 150, 11L))
            .generate(lake.landingRoot(), lake.spark().sparkContext().hadoopConfiguration());
    for (String source : List.of("customers", "orders", "events", "labels")) {
      reports.put(source, run(lake, source, Optional.empty()));
      System.out.println(reports.get(source).summary());
    }
  }

  @Test
  void everyGoodLineIsInBronzeAndEveryMalformedLineInRejects() {
    for (SourceManifest source : manifest.sources()) {
      String name = source.name();
      BronzeReport report = reports.get(name);
      assertThat(report.status()).as(name).isEqualTo(BronzeReport.Status.INGESTED);
      assertThat(report.filesIngested()).as(name + " files").isEqualTo(source.files().size());
      assertThat(report.rowsWritten())
          .as(name + " rows written")
          .isEqualTo(source.totalGoodRecords());
      assertThat(report.rowsRejected())
          .as(name + " rows rejected")
          .isEqualTo(source.totalMalformedLines());
      assertThat(report.recordsRead()).as(name + " records read").isEqualTo(source.totalLines());
      assertThat(report.reconciles()).as(name + " reconciles").isTrue();
      assertThat(table(lake, "bronze." + name).count())
          .as(name + " bronze rows")
          .isEqualTo(source.totalGoodRecords());

      Set<String> expected =
          source.malformedLines().stream()
              .map(line -> line.file() + "#" + line.lineNumber())
              .collect(Collectors.toSet());
      List<Row> rejects = table(lake, "bronze." + name + "_rejects").collectAsList();
      Set<String> actual =
          rejects.stream()
              .map(
                  row ->
                      relative(row.getAs("_source_file")) + "#" + row.<Long>getAs("_line_number"))
              .collect(Collectors.toSet());
      assertThat(actual).as(name + " rejects at file#line").isEqualTo(expected);
      assertThat(rejects).as(name + " reject rows").hasSize(expected.size());
    }
  }

  @Test
  void rejectReasonsMatchHowEachLineIsBroken() {
    for (SourceManifest source : manifest.sources()) {
      Map<String, String> reasons = new HashMap<>();
      for (Row row : table(lake, "bronze." + source.name() + "_rejects").collectAsList()) {
        reasons.put(
            relative(row.getAs("_source_file")) + "#" + row.<Long>getAs("_line_number"),
            row.getAs("_reason"));
      }
      for (MalformedLine line : source.malformedLines()) {
        String reason = reasons.get(line.file() + "#" + line.lineNumber());
        String expectedStart =
            switch (line.kind()) {
              case BAD_ENCODING -> RejectReasons.BAD_ENCODING;
              case TRUNCATED_JSON, NOT_JSON -> RejectReasons.MALFORMED_JSON;
              case WRONG_COLUMN_COUNT -> "wrong column count: the header has";
            };
        assertThat(reason).as(line.toString()).startsWith(expectedStart);
      }
    }
    assertThat(
            manifest.sources().stream()
                .flatMap(s -> s.malformedLines().stream())
                .map(MalformedLine::kind)
                .collect(Collectors.toSet()))
        .as("the sample plants every kind of malformed line")
        .containsExactlyInAnyOrder(MalformedKind.values());
    assertThat(manifest.sources().stream().mapToLong(SourceManifest::totalMalformedLines).sum())
        .isEqualTo(reports.values().stream().mapToLong(BronzeReport::rowsRejected).sum());
  }

  @Test
  void bronzeKeepsTheLandedValuesWithAuditColumns() {
    Row order =
        table(lake, "bronze.orders").where(col("order_id").isNotNull()).orderBy("order_id").first();
    assertThat(table(lake, "bronze.orders").schema().fieldNames())
        .as("orders columns")
        .startsWith(
            "order_id",
            "customer_id",
            "amount",
            "currency",
            "status",
            "category",
            "order_ts",
            "updated_at")
        .endsWith("_ingested_at", "_source_file", "_run_id", "_landing_date");
    assertThat(table(lake, "bronze.orders").schema().apply("amount").dataType().simpleString())
        .isEqualTo("double");
    assertThat(order.<String>getAs("order_ts"))
        .as("timestamps stay landed strings")
        .matches("\\d{4}-\\d{2}-\\d{2}T.*");
    String file = order.getAs("_source_file");
    assertThat(file).startsWith("file:/").contains("/orders/");
    assertThat(file).contains("/" + order.getAs("_landing_date").toString() + "/");
    assertThat(order.<String>getAs("_run_id")).isEqualTo(reports.get("orders").runId());
    assertThat(table(lake, "bronze.customers").schema().fields())
        .allMatch(f -> f.name().startsWith("_") || f.dataType().simpleString().equals("string"));
  }

  @Test
  void aColumnAddedMidwayIsCarriedAndNullBefore() {
    for (SchemaDrift drift : manifest.schemaDrift()) {
      long before =
          table(lake, "bronze." + drift.source())
              .where(
                  col("_landing_date")
                      .lt(java.sql.Date.valueOf(drift.firstLandingDate()))
                      .and(col(drift.column()).isNotNull()))
              .count();
      assertThat(before).as(drift + ": null before it appears").isZero();
      long after =
          table(lake, "bronze." + drift.source())
              .where(
                  col("_landing_date")
                      .geq(java.sql.Date.valueOf(drift.firstLandingDate()))
                      .and(col(drift.column()).isNotNull()))
              .count();
      assertThat(after).as(drift + ": carried from its first day").isPositive();
    }
    assertThat(manifest.schemaDrift()).isNotEmpty();
  }

  @Test
  void eachRunIsRecordedInTheRunHistory() {
    List<Row> runs =
        new RunHistory(lake.spark(), lake.runtime().catalog())
            .read()
            .orderBy("target")
            .collectAsList();
    assertThat(runs)
        .extracting(r -> r.<String>getAs("target"))
        .containsExactly("bronze.customers", "bronze.events", "bronze.labels", "bronze.orders");
    Row orders = runs.get(3);
    BronzeReport report = reports.get("orders");
    assertThat(orders.<String>getAs("status")).isEqualTo("succeeded");
    assertThat(orders.<Long>getAs("rows_written")).isEqualTo(report.rowsWritten());
    assertThat(orders.<Long>getAs("rows_rejected")).isEqualTo(report.rowsRejected());
    Map<String, String> details = BronzeTestSupport.runsOf(lake, "bronze.orders").get(0);
    assertThat(details)
        .containsEntry("status", "ingested")
        .containsEntry("files_found", String.valueOf(report.filesFound()))
        .containsEntry(
            "table_version", String.valueOf(BronzeTestSupport.version(lake, "bronze.orders")));
    assertThat(report.summary())
        .contains(
            "records: "
                + report.recordsRead()
                + " read = "
                + report.rowsWritten()
                + " written to bronze.orders + "
                + report.rowsRejected()
                + " rejected");
    assertThat(lake.spark().sql("SELECT count(*) FROM bronze.orders").first().getLong(0))
        .as("registered in the catalog")
        .isEqualTo(report.rowsWritten());
  }

  private static String relative(String uri) {
    String root = lake.landingRoot();
    assertThat(uri).startsWith(root.replace("file:///", "file:/"));
    return uri.substring(root.replace("file:///", "file:/").length() + 1);
  }
}
