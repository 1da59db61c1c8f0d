package lakehouse.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import lakehouse.common.LakehouseException;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The planted session shift changes session ids from its day on, and nothing else. */
class SampleShiftTest {
  private static final Pattern SESSION = Pattern.compile("\"session_id\":\"S(\\d+)\"");

  @Test
  void onlyTheSessionsOfTheShiftedDaysChange(@TempDir Path dir) throws Exception {
    SampleOptions options = new SampleOptions(LocalDate.of(2026, 1, 1), 3, 60, 5L);
    new SampleGenerator(options).generate(dir.resolve("plain").toString(), new Configuration());
    SampleManifest shifted =
        new SampleGenerator(options.withShift(SampleShift.parse("sessions=3@2026-01-02")))
            .generate(dir.resolve("shifted").toString(), new Configuration());
    assertThat(Files.readString(dir.resolve("shifted/_manifest.json")))
        .containsPattern("\"shift\" *: *\"sessions=3@2026-01-02\"");
    assertThat(shifted.options().shift())
        .isEqualTo(new SampleShift("sessions", 3, LocalDate.of(2026, 1, 2)));

    for (String source : List.of("customers", "orders", "labels")) {
      assertThat(lines(dir.resolve("shifted/" + source)))
          .as(source)
          .isEqualTo(lines(dir.resolve("plain/" + source)));
    }
    assertThat(lines(dir.resolve("shifted/events/2026-01-01")))
        .isEqualTo(lines(dir.resolve("plain/events/2026-01-01")));
    List<String> plain = lines(dir.resolve("plain/events/2026-01-02"));
    List<String> moved = lines(dir.resolve("shifted/events/2026-01-02"));
    assertThat(moved).hasSameSizeAs(plain);
    long plainSessions = plain.stream().map(SampleShiftTest::session).distinct().count();
    long movedSessions = moved.stream().map(SampleShiftTest::session).distinct().count();
    assertThat(movedSessions).isGreaterThan(2 * plainSessions);
    for (int i = 0; i < plain.size(); i++) {
      assertThat(SESSION.matcher(moved.get(i)).replaceAll(""))
          .isEqualTo(SESSION.matcher(plain.get(i)).replaceAll(""));
    }
  }

  @Test
  void badShiftsAreUsageErrors() {
    for (String bad :
        List.of(
            "sessions",
            "sessions=1@2026-01-01",
            "amount=2@2026-01-01",
            "sessions=x@2026-01-01",
            "sessions=3@yesterday")) {
      assertThatThrownBy(() -> SampleShift.parse(bad))
          .as(bad)
          .isInstanceOf(LakehouseException.class);
    }
  }

  private static String session(String line) {
    Matcher m = SESSION.matcher(line);
    return m.find() ? m.group(1) : "";
  }

  private static List<String> lines(Path dir) throws Exception {
    List<String> out = new ArrayList<>();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
        out.addAll(Files.readAllLines(f, java.nio.charset.StandardCharsets.ISO_8859_1));
      }
    }
    return out;
  }
}
