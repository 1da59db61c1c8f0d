package lakehouse.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code training-set show}: a numeric label's balance stays readable. */
class TrainingSetShowTest {
  @Test
  void labelBalanceIsSortedByCountAndBounded() {
    Map<String, Long> labels = new LinkedHashMap<>();
    for (int value = 0; value < 25; value++) {
      labels.put(String.valueOf(value), (long) (value == 7 ? 100 : 1));
    }
    TrainingSetManifest m =
        new TrainingSetManifest(
            "t-1",
            "t",
            new Timestamp(0),
            "{}",
            "latest",
            null,
            null,
            "silver.labels",
            1L,
            Map.of("gold.f", 1L),
            "/x",
            124,
            "h",
            null,
            0L,
            null,
            Map.of(),
            labels,
            TrainingSetManifest.RULES);
    List<String> lines =
        TrainingSetCommand.describe(m)
            .lines()
            .dropWhile(line -> !line.startsWith("label balance:"))
            .skip(1)
            .takeWhile(line -> line.startsWith("  "))
            .toList();
    assertThat(lines).hasSize(TrainingSetCommand.LABELS_SHOWN + 1);
    assertThat(lines.get(0)).startsWith("  7 ").contains("100 (80.6%)");
    assertThat(lines.get(1)).startsWith("  0 ");
    assertThat(lines.get(TrainingSetCommand.LABELS_SHOWN))
        .startsWith("  (5 more values)")
        .contains("5 (4.0%)");
  }
}
