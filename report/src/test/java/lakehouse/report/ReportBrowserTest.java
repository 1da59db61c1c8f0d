package lakehouse.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import lakehouse.common.LakehouseRuntime;
import lakehouse.common.testing.SparkTestSession;
import lakehouse.common.testing.TestLake;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Opens the report in headless Chromium (Debian's {@code chromium}, installed by {@code
 * report/install-chromium.sh}): the DOM the browser built must hold the charts and tables with the
 * right figures, and a screenshot is kept in {@code report/target/report-screenshot.png}. Without
 * chromium the test is skipped, except under CI, where it must run.
 */
class ReportBrowserTest {
  static final Path OUT = Path.of("target", "report-browser").toAbsolutePath();
  static final Path SCREENSHOT = Path.of("target", "report-screenshot.png").toAbsolutePath();
  static String chromium;
  static Path page;

  @BeforeAll
  static void render() {
    chromium = findChromium();
    boolean ci = System.getenv("CI") != null && !System.getenv("CI").isBlank();
    if (chromium == null && ci) {
      throw new AssertionError(
          "chromium is not installed but CI is set: run "
              + "report/install-chromium.sh before the tests (bin/test does)");
    }
    assumeTrue(
        chromium != null,
        "chromium not found on the PATH (and CI is not set): run "
            + "report/install-chromium.sh to run the browser test");
    SparkTestSession.get();
    TestLake lake = SampleLake.shared();
    try (LakehouseRuntime runtime = lake.runtime()) {
      ReportFacts facts =
          new ReportGatherer(runtime, ReportSettings.from(lake.settings())).gather(SampleLake.NOW);
      page = ReportCommand.write(OUT, ReportPage.render(facts));
    }
  }

  static String findChromium() {
    String configured = System.getenv("CHROMIUM_BIN");
    if (configured != null && new File(configured).canExecute()) {
      return configured;
    }
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      for (String name : List.of("chromium", "chromium-browser")) {
        File candidate = new File(dir, name);
        if (candidate.canExecute()) {
          return candidate.getAbsolutePath();
        }
      }
    }
    return null;
  }

  /** Runs headless chromium on the page with extra arguments; returns what it printed. */
  static String chromium(String... extra) throws IOException, InterruptedException {
    Path profile = Files.createTempDirectory("report-chromium");
    List<String> command =
        new ArrayList<>(
            List.of(
                chromium,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
                "--user-data-dir=" + profile,
                "--window-size=1280,2000"));
    command.addAll(List.of(extra));
    command.add(page.toUri().toString());
    Path output = Files.createTempFile("report-chromium", ".out");
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(false)
            .redirectOutput(output.toFile())
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    if (!process.waitFor(180, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("chromium did not finish within 180 s: " + command);
    }
    assertThat(process.exitValue()).as("chromium exit code for " + command).isZero();
    return Files.readString(output, StandardCharsets.UTF_8);
  }

  @Test
  void browserBuildsChartsAndTablesWithTheFigures() throws Exception {
    Document dom = Jsoup.parse(chromium("--dump-dom"));
    assertThat(dom.title()).isEqualTo("Lakehouse report");
    assertThat(dom.select("svg.line-chart").size())
        .as("row and trend charts")
        .isGreaterThanOrEqualTo(6);
    assertThat(dom.select("svg.bar-chart").size()).as("lag chart").isEqualTo(1);
    assertThat(dom.select("svg#rows-bronze-orders circle.point").eachAttr("data-y"))
        .containsExactly("3.0", "5.0", "9.0");
    assertThat(dom.select("svg.bar-chart rect.bar").eachAttr("data-value"))
        .containsExactly("1", "0", "0", "0", "1", "0", "1", "1");
    Element bronze =
        dom.select("table.tables-overview tbody tr").stream()
            .filter(r -> r.child(0).text().equals("bronze.orders"))
            .findFirst()
            .orElseThrow();
    assertThat(bronze.child(5).text()).isEqualTo("9");
    assertThat(dom.select("table.checks-overview tbody tr")).hasSize(2);
    assertThat(dom.select("svg line.threshold").eachAttr("data-value"))
        .contains("0.95", "0.0", "10000.0");
    assertThat(dom.select("table.labels tbody tr").eachText())
        .containsExactly("false 3 75.0%", "true 1 25.0%");
  }

  @Test
  void screenshotIsTaken() throws Exception {
    Files.deleteIfExists(SCREENSHOT);
    chromium("--screenshot=" + SCREENSHOT, "--hide-scrollbars");
    assertThat(SCREENSHOT).exists();
    byte[] png = Files.readAllBytes(SCREENSHOT);
    assertThat(png.length).as("a real picture, not an empty page").isGreaterThan(50_000);
    assertThat(new String(png, 1, 3, StandardCharsets.US_ASCII)).isEqualTo("PNG");
  }
}
