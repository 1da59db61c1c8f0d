package lakehouse.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;

/** The renderers on their own: escaping, thresholds, chart geometry. No Spark. */
class RenderingTest {
  @Test
  void escapesEveryMarkupCharacterAndControlBytes() {
    assertThat(Html.esc("<a href=\"x\">Tom & 'Jerry'</a>"))
        .isEqualTo("&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;");
    assertThat(Html.esc("bad\u0001byte")).isEqualTo("bad\uFFFDbyte");
    assertThat(Html.esc(null)).isEmpty();
  }

  @Test
  void readsNumericThresholds() {
    assertThat(Thresholds.parse(">= 0.95"))
        .containsExactly(new LineChart.Reference(">= 0.95", 0.95));
    assertThat(Thresholds.parse("< 1e3"))
        .extracting(LineChart.Reference::value)
        .containsExactly(1000.0);
    assertThat(Thresholds.parse("in [0, 10000]"))
        .extracting(LineChart.Reference::value)
        .containsExactly(0.0, 10000.0);
    assertThat(Thresholds.parse("in [-inf, 5]"))
        .extracting(LineChart.Reference::label)
        .containsExactly("max 5");
    assertThat(Thresholds.parse("newest >= 2026-01-01T00:00:00Z")).isEmpty();
    assertThat(Thresholds.parse(null)).isEmpty();
  }

  @Test
  void lineChartPlacesPointsInOrderAndHigherValuesHigher() {
    String svg =
        new LineChart(
                "c",
                "t <x>",
                List.of(
                    new LineChart.Point("a", 1.0, "a"),
                    new LineChart.Point("b", null, "b"),
                    new LineChart.Point("c", 3.0, "c")),
                List.of(new LineChart.Reference("min 2", 2)),
                true)
            .render();
    Document doc = Jsoup.parse(svg);
    var points = doc.select("circle.point");
    assertThat(points.eachAttr("data-x"))
        .as("an unmeasured point is left out")
        .containsExactly("a", "c");
    double y1 = Double.parseDouble(points.get(0).attr("cy"));
    double y3 = Double.parseDouble(points.get(1).attr("cy"));
    double threshold = Double.parseDouble(doc.selectFirst("line.threshold").attr("y1"));
    assertThat(y3).isLessThan(threshold);
    assertThat(threshold).isLessThan(y1);
    assertThat(svg).contains("t &lt;x&gt;");
  }

  @Test
  void niceStepsAreOneTwoOrFiveTimesAPowerOfTen() {
    assertThat(LineChart.niceStep(2.25)).isEqualTo(5.0);
    assertThat(LineChart.niceStep(0.0225))
        .isEqualTo(0.05, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(LineChart.niceStep(100)).isEqualTo(100.0);
    assertThat(LineChart.niceStep(140)).isEqualTo(200.0);
  }

  @Test
  void barChartScalesBarsToTheLargestAndFlagsMarkedOnes() {
    Document doc =
        Jsoup.parse(
            new BarChart(
                    "b",
                    "lag",
                    List.of(
                        new BarChart.Bar("< 0 (leak)", 1, true),
                        new BarChart.Bar("0–1 h", 4, false)))
                .render());
    var bars = doc.select("rect.bar");
    assertThat(bars.eachAttr("data-value")).containsExactly("1", "4");
    assertThat(Double.parseDouble(bars.get(1).attr("height")))
        .isEqualTo(
            4 * Double.parseDouble(bars.get(0).attr("height")),
            org.assertj.core.data.Offset.offset(0.2));
    assertThat(doc.select("rect.bar.flagged").eachAttr("data-label")).containsExactly("< 0 (leak)");
  }

  @Test
  void formatsCountsSharesAndAges() {
    assertThat(Html.count(1234567)).isEqualTo("1,234,567");
    assertThat(Html.percent(0.25)).isEqualTo("25.0%");
    assertThat(Html.number(0.97)).isEqualTo("0.97");
    assertThat(Html.number(3.0)).isEqualTo("3");
    java.time.Instant now = java.time.Instant.parse("2026-01-02T03:04:05Z");
    assertThat(Html.age(now.minusSeconds(26 * 3600), now)).isEqualTo("1 d 2 h");
    assertThat(Html.age(now.minusSeconds(125 * 60), now)).isEqualTo("2 h 5 min");
  }
}
