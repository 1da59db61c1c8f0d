package lakehouse.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import lakehouse.common.LakehouseRuntime;
import lakehouse.common.testing.CliRun;
import lakehouse.common.testing.SparkTestSession;
import lakehouse.common.testing.StepLines;
import lakehouse.common.testing.TestLake;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.select.Elements;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Renders the report over {@link SampleLake} and reads the figures back out of the HTML. */
class ReportPageTest {
  static TestLake lake;
  static Document doc;

  @BeforeAll
  static void render() {
    SparkTestSession.get();
    lake = SampleLake.shared();
    try (LakehouseRuntime runtime = lake.runtime()) {
      ReportFacts facts =
          new ReportGatherer(runtime, ReportSettings.from(lake.settings())).gather(SampleLake.NOW);
      doc = Jsoup.parse(ReportPage.render(facts));
    }
  }

  private static Element overviewRow(String tableClass, String name) {
    for (Element row : doc.select("table." + tableClass + " tbody tr")) {
      if (row.child(0).text().equals(name)) {
        return row;
      }
    }
    throw new AssertionError("no row " + name + " in " + tableClass);
  }

  private static List<String> texts(Elements elements) {
    return elements.eachText();
  }

  @Test
  void tablesShowVersionRowsAndSetAsideCounts() {
    Element bronze = overviewRow("tables-overview", "bronze.orders");
    assertThat(bronze.child(1).text()).as("version").isEqualTo("2");
    assertThat(bronze.child(5).text()).as("rows").isEqualTo("9");
    assertThat(bronze.child(6).text()).as("rejects").isEqualTo("4");
    assertThat(bronze.child(7).text()).isEqualTo("bronze.orders_rejects (rejects)");
    Element silver = overviewRow("tables-overview", "silver.orders");
    assertThat(silver.child(5).text()).isEqualTo("6");
    assertThat(silver.child(6).text()).as("quarantined").isEqualTo("3");
    assertThat(texts(doc.select("table.tables-overview tbody tr td.name")))
        .as("data tables only; set-aside and operational tables elsewhere")
        .containsExactly(
            "bronze.orders", "gold.customer_features", "gold.training_churn", "silver.orders");
    assertThat(texts(doc.select("table.ops-overview tbody tr td.name")))
        .containsExactly(
            "_ops.runs",
            "gold._feature_registry_customer_features",
            "gold._training_sets",
            "silver.orders_quality_metrics");
  }

  @Test
  void rowCountChartHasOnePointPerVersion() {
    Elements points = doc.select("svg#rows-bronze-orders circle.point");
    assertThat(points.eachAttr("data-x")).containsExactly("v0", "v1", "v2");
    assertThat(points.eachAttr("data-y")).containsExactly("3.0", "5.0", "9.0");
    assertThat(doc.select("svg#rows-silver-orders circle.point").eachAttr("data-y"))
        .containsExactly("4.0", "6.0");
  }

  @Test
  void topReasonsAreCountedAndEscaped() {
    Elements rejects = doc.select("#table-bronze-orders table.reasons tbody tr");
    assertThat(rejects).hasSize(3);
    assertThat(rejects.get(0).text()).isEqualTo("malformed JSON: the line is not a JSON object 2");
    assertThat(texts(rejects.select("td:eq(0)"))).contains(SampleLake.SCRIPT_REASON);
    assertThat(doc.select("script")).as("a reason's markup stays text").isEmpty();
    assertThat(texts(doc.select("#table-silver-orders table.reasons tbody tr")))
        .containsExactly("amount_not_null 3", "currency_in_set 2");
  }

  @Test
  void qualityChecksShowHistoryTrendAndThreshold() {
    Elements checks = doc.select("table.checks-overview tbody tr");
    assertThat(checks).hasSize(2);
    Element completeness =
        checks.stream()
            .filter(r -> r.child(1).text().equals("completeness_amount"))
            .findFirst()
            .orElseThrow();
    assertThat(completeness.child(5).text()).isEqualTo(">= 0.95");
    assertThat(completeness.child(6).text()).as("latest value").isEqualTo("0.97");
    assertThat(completeness.child(7).text()).isEqualTo("passed");
    assertThat(completeness.child(8).text()).as("passed").isEqualTo("2");
    assertThat(completeness.child(9).text()).as("failed").isEqualTo("1");
    assertThat(completeness.select("rect.mark").eachAttr("data-status"))
        .as("oldest first")
        .containsExactly("passed", "failed", "passed");
    Element trend = doc.selectFirst("svg#trend-check-orders-completeness-amount-completeness");
    assertThat(trend).isNotNull();
    assertThat(trend.select("circle.point").eachAttr("data-y"))
        .containsExactly("0.99", "0.9", "0.97");
    assertThat(trend.select("line.threshold").eachAttr("data-value")).containsExactly("0.95");
    Element range = doc.selectFirst("svg#trend-check-orders-amount-range-in-range");
    assertThat(range.select("line.threshold").eachAttr("data-value"))
        .containsExactly("0.0", "10000.0");
    Element rangeRow =
        checks.stream()
            .filter(r -> r.child(1).text().equals("amount_range"))
            .findFirst()
            .orElseThrow();
    assertThat(rangeRow.select("rect.mark")).hasSize(3);
  }

  @Test
  void trainingSetShowsPinsLabelsNullRatesAndLag() {
    assertThat(texts(doc.select("table.training-sets-overview tbody tr td.name")))
        .containsExactly(SampleLake.TRAINING_ID, SampleLake.OLD_TRAINING_ID);
    Element set = doc.selectFirst("article[data-training-set=" + SampleLake.TRAINING_ID + "]");
    assertThat(set).isNotNull();
    assertThat(texts(set.select("table.pins tbody tr")))
        .containsExactly("silver.labels spine 3", "gold.customer_features features 7");
    assertThat(texts(set.select("table.labels tbody tr")))
        .containsExactly("false 3 75.0%", "true 1 25.0%");
    assertThat(texts(set.select("table.null-rates tbody tr")))
        .contains("customer_features__order_count_30d 25.0%");
    Elements bars = set.select("svg.bar-chart rect.bar");
    assertThat(bars.eachAttr("data-label"))
        .containsExactly(
            "0–1 h", "1–6 h", "6–24 h", "1–2 d", "2–7 d", "7–30 d", "≥ 30 d", "no feature row");
    assertThat(bars.eachAttr("data-value")).containsExactly("1", "0", "0", "0", "1", "0", "1", "1");
    assertThat(set.select("rect.bar.flagged")).as("no negative lag").isEmpty();
    Element old = doc.selectFirst("article[data-training-set=" + SampleLake.OLD_TRAINING_ID + "]");
    assertThat(old.select("p.note").text()).contains("cannot be read");
  }

  @Test
  void registryShowsCurrentDefinitionsAndRunsTheirStatus() {
    Elements registry = doc.select("table.registry-table tbody tr");
    assertThat(registry).hasSize(2);
    assertThat(registry.get(1).text()).contains("view_count_7d").contains("Views <7 days>");
    Elements runs = doc.select("table.runs-table tbody tr");
    assertThat(runs).hasSize(2);
    assertThat(runs.get(0).select("td.status").text()).isEqualTo("failed");
    assertThat(runs.get(0).text()).contains(SampleLake.RUN_ERROR);
    assertThat(doc.select("#runs b")).as("an error's markup stays text").isEmpty();
    assertThat(doc.selectFirst("#summary-failed-runs b").text()).isEqualTo("1");
    assertThat(doc.selectFirst("#summary-checks b").text()).isEqualTo("2");
    assertThat(doc.selectFirst("#summary-failing b").text()).isEqualTo("0");
  }

  @Test
  void pageIsSelfContained() {
    assertThat(doc.select("script, link, img, iframe")).isEmpty();
    assertThat(doc.html()).doesNotContain("http://cdn").doesNotContain("https://cdn");
    assertThat(doc.select("section").eachAttr("id")).containsExactlyElementsOf(ReportPage.SECTIONS);
  }

  @Test
  void sectionsOfMissingTablesSaySo(@TempDir Path empty) {
    TestLake bare = TestLake.create(empty);
    try (LakehouseRuntime runtime = bare.runtime()) {
      Document page =
          Jsoup.parse(
              ReportPage.render(
                  new ReportGatherer(runtime, ReportSettings.from(bare.settings()))
                      .gather(SampleLake.NOW)));
      assertThat(page.select("#tables p.note").text())
          .isEqualTo(ReportMessages.noTables(bare.lakeRoot()));
      assertThat(page.select("#quality p.missing").text()).isEqualTo(ReportMessages.NO_METRICS);
      assertThat(page.select("#training-sets p.missing").text())
          .isEqualTo("gold._training_sets does not exist yet: " + ReportMessages.NO_TRAINING_SETS);
      assertThat(page.select("#registry p.missing").text())
          .isEqualTo(ReportMessages.noRegistry("gold._feature_registry_"));
      assertThat(page.select("#runs p.missing").text())
          .isEqualTo("_ops.runs does not exist yet: " + ReportMessages.NO_RUNS);
    }
  }

  @Test
  void recentRunsTurnedOffSaysSoInsteadOfAMissingTable(@TempDir Path empty) {
    TestLake bare = TestLake.create(empty, "lakehouse.report.recent-runs=0");
    try (LakehouseRuntime runtime = bare.runtime()) {
      Document page =
          Jsoup.parse(
              ReportPage.render(
                  new ReportGatherer(runtime, ReportSettings.from(bare.settings()))
                      .gather(SampleLake.NOW)));
      assertThat(page.select("#runs p.missing").text()).isEqualTo(ReportMessages.RUNS_OFF);
    }
  }

  @Test
  void aTableThatCannotBeReadIsNamedAndTheRestStands(@TempDir Path broken) throws Exception {
    TestLake small = TestLake.create(broken);
    try (LakehouseRuntime runtime = small.runtime()) {
      var spark = runtime.spark();
      spark
          .range(3)
          .write()
          .format("delta")
          .save(
              runtime.catalog().location(lakehouse.common.catalog.TableId.of("silver", "things")));
      spark
          .sql("SELECT array('rule_a') AS _failed_rules")
          .write()
          .format("delta")
          .save(
              runtime
                  .catalog()
                  .location(lakehouse.common.catalog.TableId.of("silver", "things_quarantine")));
      spark
          .range(2)
          .write()
          .format("delta")
          .save(runtime.catalog().location(lakehouse.common.catalog.TableId.of("silver", "fine")));
    }
    // The quarantine's data files are gone (a bad VACUUM, a lost disk): its reasons cannot be read.
    try (var files = Files.list(broken.resolve("lake/silver/things_quarantine"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".parquet")).toList()) {
        Files.delete(file);
      }
    }
    try (LakehouseRuntime runtime = small.runtime()) {
      Document page =
          Jsoup.parse(
              ReportPage.render(
                  new ReportGatherer(runtime, ReportSettings.from(small.settings()))
                      .gather(SampleLake.NOW)));
      assertThat(page.select("#tables p.missing").text())
          .startsWith(
              ReportMessages.unreadableTable(
                  lakehouse.common.catalog.TableId.of("silver", "things"), ""));
      assertThat(texts(page.select("table.tables-overview tbody tr td.name")))
          .containsExactly("silver.fine");
    }
  }

  @Test
  void commandWritesTheReportAndRefusesAFileAsOut(@TempDir Path out) throws Exception {
    CliRun run;
    Path file = out.resolve("site").resolve(ReportCommand.FILE);
    try (StepLines steps = StepLines.capture()) {
      run =
          CliRun.of(
              new ReportCommand(),
              "--conf",
              "lakehouse.lake-root=" + lake.lakeRoot(),
              "--out",
              out.resolve("site").toString());
      assertThat(steps.of("report").stream().map(l -> l.replaceFirst("\\(\\d+ KiB\\)$", "(N KiB)")))
          .as("progress lines on stderr, in order")
          .containsExactly(
              "8 tables found under " + lake.lakeRoot(),
              "table 1/8 _ops.runs read",
              "table 2/8 bronze.orders read",
              "table 3/8 gold._feature_registry_customer_features read",
              "table 4/8 gold._training_sets read",
              "table 5/8 gold.customer_features read",
              "table 6/8 gold.training_churn read",
              "table 7/8 silver.orders read",
              "table 8/8 silver.orders_quality_metrics read",
              "quality checks read",
              "training set 1/2 churn-20260201T100000Z-abc123 measured",
              "training set 2/2 churn-20260131T100000Z-def456 measured",
              "training sets read",
              "feature drift read",
              "feature registry read",
              "recent runs read",
              "page rendered (N KiB)",
              "written to " + file);
    }
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out())
        .as("stdout holds the result line only")
        .isEqualTo(ReportMessages.written(file.toString(), 4, 2, 2) + System.lineSeparator());
    Document written = Jsoup.parse(Files.readString(file, StandardCharsets.UTF_8));
    assertThat(written.select("svg.chart").size()).isGreaterThanOrEqualTo(7);
    assertThat(
            java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(file)))
        .as("readable by a web server and other users")
        .isEqualTo("rw-r--r--");

    Path notDir = Files.writeString(out.resolve("plain.txt"), "x");
    CliRun refused =
        CliRun.of(
            new ReportCommand(),
            "--conf",
            "lakehouse.lake-root=" + lake.lakeRoot(),
            "--out",
            notDir.toString());
    assertThat(refused.exitCode()).isEqualTo(2);
    assertThat(refused.err())
        .contains(ReportErrors.outNotDirectory(notDir.toString()).getMessage());
  }
}
