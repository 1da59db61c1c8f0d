package lakehouse.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import lakehouse.report.ReportFacts.DriftFacts;
import lakehouse.report.ReportFacts.DriftRow;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;

/** The drift section: features worst first with their measures, one plot each, escaping. */
class DriftSectionTest {
  @Test
  void featuresWithTheirMeasuresAndAPlotOfBothDistributions() {
    DriftRow sessions =
        new DriftRow(
            "session_count_7d",
            "numeric",
            "error",
            "up",
            1.73,
            0.61,
            0.0,
            5.4,
            13.1,
            List.of("psi 1.73 >= error 0.25"),
            List.of("<= 3", "<= 6", "> 6"),
            List.of(0.3, 0.5, 0.2),
            List.of(0.0, 0.1, 0.9));
    DriftRow country =
        new DriftRow(
            "country<x>",
            "categorical",
            "ok",
            "same",
            0.01,
            null,
            0.0,
            null,
            null,
            List.of(),
            List.of("DE", "FR"),
            List.of(0.5, 0.5),
            List.of(0.52, 0.48));
    DriftFacts facts =
        new DriftFacts(
            "feature_set",
            "customer_features",
            "2026-01-21",
            LocalDate.of(2026, 1, 21),
            "2026-01-14..2026-01-20",
            Instant.parse("2026-01-22T06:00:00Z"),
            List.of(sessions, country),
            2);
    String html = DriftSection.render(List.of(facts), null);
    Document doc = Jsoup.parse(html);

    assertThat(doc.selectFirst("h3").text())
        .isEqualTo("customer_features 2026-01-21 against 2026-01-14..2026-01-20");
    List<Element> rows = doc.select("tbody tr");
    assertThat(rows).hasSize(2);
    assertThat(rows.get(0).select("td").eachText().subList(0, 6))
        .containsExactly("session_count_7d", "error", "up", "1.73", "0.61", "0");
    assertThat(rows.get(1).selectFirst("td").text()).isEqualTo("country<x>");
    assertThat(html).doesNotContain("country<x>").contains("country&lt;x&gt;");

    Element plot = rows.get(0).selectFirst("svg.drift-plot");
    assertThat(plot.select("rect.ref").eachAttr("data-share"))
        .containsExactly("0.3000", "0.5000", "0.2000");
    assertThat(plot.select("rect.cur").eachAttr("data-share"))
        .containsExactly("0.0000", "0.1000", "0.9000");
    assertThat(plot.select("rect.cur").eachAttr("data-bin")).containsExactly("<= 3", "<= 6", "> 6");
    // The largest share is drawn full height, the others in proportion.
    double full = Double.parseDouble(plot.select("rect.cur").get(2).attr("height"));
    double tenth = Double.parseDouble(plot.select("rect.cur").get(1).attr("height"));
    assertThat(tenth / full).isCloseTo(0.1 / 0.9, org.assertj.core.api.Assertions.within(0.02));
  }

  @Test
  void withoutComparisonsTheSectionSaysSo() {
    Document doc = Jsoup.parse(DriftSection.render(null, DriftSection.NO_DRIFT));
    assertThat(doc.selectFirst("section#drift p.note.missing").text())
        .startsWith("no drift comparison yet");
  }
}
