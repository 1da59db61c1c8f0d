package lakehouse.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import lakehouse.common.ExitCode;
import lakehouse.common.LakehouseException;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Generates one small sample and reconciles the manifest against the files by re-reading and
 * re-parsing every line, independently of how the generator counted.
 */
class SampleGeneratorTest {
  private static final SampleOptions OPTIONS =
      new SampleOptions(LocalDate.of(2026, 1, 1), 4, 1200, 7L);
  // Small parts so that the events days are split.
  private static final int MAX_LINES_PER_FILE = 2500;
  private static final ObjectMapper STRICT_JSON =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  private static final Set<String> EVENT_TYPES = Set.of("view", "click", "add_to_cart", "purchase");
  private static final Map<String, Set<String>> NEXT_STATUSES =
      Map.of(
          "placed", Set.of("completed", "cancelled"),
          "completed", Set.of("returned"));

  @TempDir static Path root;

  private static SampleManifest manifest;

  /** Per source, per landing date, the parseable lines of all its files in file order. */
  private static final Map<String, SortedMap<LocalDate, List<String>>> goodLines = new HashMap<>();

  /** Per source, malformed lines found by trying to parse every line. */
  private static final Map<String, List<MalformedLine>> foundMalformed = new HashMap<>();

  @BeforeAll
  static void generateAndReadBack() throws IOException {
    manifest =
        new SampleGenerator(OPTIONS, MAX_LINES_PER_FILE)
            .generate(root.toString(), new Configuration());
    for (SourceManifest source : manifest.sources()) {
      SampleSource kind = SampleSource.fromName(source.name());
      SortedMap<LocalDate, List<String>> byDate = new TreeMap<>();
      List<MalformedLine> malformed = new ArrayList<>();
      for (LandingFile file : source.files()) {
        List<byte[]> lines = splitLines(Files.readAllBytes(root.resolve(file.path())));
        int firstDataLine = 0;
        if (kind.hasHeader()) {
          assertThat(new String(lines.get(0), StandardCharsets.UTF_8))
              .isEqualTo(String.join(",", kind.columns()));
          firstDataLine = 1;
        }
        List<String> good = byDate.computeIfAbsent(file.landingDate(), date -> new ArrayList<>());
        for (int i = firstDataLine; i < lines.size(); i++) {
          byte[] line = lines.get(i);
          MalformedKind broken =
              kind.hasHeader() ? brokenCsv(line, kind.columns().size()) : brokenJson(line);
          if (broken == null) {
            good.add(new String(line, StandardCharsets.UTF_8));
          } else {
            malformed.add(new MalformedLine(file.path(), i + 1L, broken));
          }
        }
      }
      goodLines.put(source.name(), byDate);
      foundMalformed.put(source.name(), malformed);
    }
  }

  @Test
  void sameOptionsGiveByteIdenticalFiles(@TempDir Path secondRoot) throws IOException {
    SampleManifest second =
        new SampleGenerator(OPTIONS, MAX_LINES_PER_FILE)
            .generate(secondRoot.toString(), new Configuration());

    assertThat(second).isEqualTo(manifest);
    assertSameTree(secondRoot, root);
  }

  @Test
  void anotherSeedGivesOtherData(@TempDir Path otherRoot) throws IOException {
    SampleOptions otherSeed =
        new SampleOptions(OPTIONS.startDate(), 1, OPTIONS.customers(), OPTIONS.seed() + 1);
    new SampleGenerator(otherSeed, MAX_LINES_PER_FILE)
        .generate(otherRoot.toString(), new Configuration());

    String path = manifest.source("orders").files().get(0).path();
    assertThat(Files.readAllBytes(otherRoot.resolve(path)))
        .isNotEqualTo(Files.readAllBytes(root.resolve(path)));
  }

  @Test
  void rerunReplacesTheDayFoldersItGenerates(@TempDir Path rerunRoot) throws IOException {
    // A first run with tiny parts leaves more files per day than the second run writes.
    new SampleGenerator(OPTIONS, 1000).generate(rerunRoot.toString(), new Configuration());
    SampleManifest rerun =
        new SampleGenerator(OPTIONS, MAX_LINES_PER_FILE)
            .generate(rerunRoot.toString(), new Configuration());

    assertThat(rerun).isEqualTo(manifest);
    assertSameTree(rerunRoot, root);
  }

  @Test
  void filesFollowTheLandingLayoutAndNothingElseIsWritten() throws IOException {
    Set<String> onDisk;
    try (Stream<Path> files = Files.walk(root)) {
      onDisk =
          files
              .filter(Files::isRegularFile)
              .map(file -> root.relativize(file).toString().replace('\\', '/'))
              .collect(Collectors.toCollection(TreeSet::new));
    }
    Set<String> listed = new TreeSet<>();
    for (SourceManifest source : manifest.sources()) {
      for (LandingFile file : source.files()) {
        listed.add(file.path());
        String date = file.landingDate().toString();
        assertThat(file.path())
            .matches(
                source.name()
                    + "/"
                    + date
                    + "/"
                    + source.name()
                    + "-"
                    + date
                    + "-\\d{3}\\."
                    + source.format());
        assertThat(file.lines()).isLessThanOrEqualTo(MAX_LINES_PER_FILE);
      }
      for (LocalDate date : manifest.landingDates()) {
        assertThat(source.files(date))
            .as("%s files on %s", source.name(), date)
            .hasSizeBetween(1, 2);
      }
    }
    listed.add(SampleManifest.FILE_NAME);
    assertThat(onDisk).isEqualTo(listed);
    assertThat(manifest.source("events").files())
        .hasSizeGreaterThan(manifest.landingDates().size());
  }

  @Test
  void everyLineIsCountedAndTheMalformedOnesAreExactlyTheUnparseableOnes() throws IOException {
    for (SourceManifest source : manifest.sources()) {
      long good = 0;
      for (LandingFile file : source.files()) {
        List<byte[]> lines = splitLines(Files.readAllBytes(root.resolve(file.path())));
        int header = SampleSource.fromName(source.name()).hasHeader() ? 1 : 0;
        assertThat(file.lines()).as(file.path()).isEqualTo(lines.size() - header);
        assertThat(file.lines())
            .as(file.path())
            .isEqualTo(file.goodRecords() + file.malformedLines());
        long malformedInFile =
            foundMalformed.get(source.name()).stream()
                .filter(line -> line.file().equals(file.path()))
                .count();
        assertThat(file.malformedLines()).as(file.path()).isEqualTo(malformedInFile);
        good += file.goodRecords();
      }
      assertThat(source.malformedLines())
          .as(source.name())
          .containsExactlyElementsOf(foundMalformed.get(source.name()));
      assertThat(source.totalGoodRecords())
          .isEqualTo(good)
          .isEqualTo(goodLines.get(source.name()).values().stream().mapToLong(List::size).sum());
      assertThat(source.totalLines())
          .isEqualTo(source.totalGoodRecords() + source.totalMalformedLines());
      assertThat(source.faultCount("malformed_lines")).isEqualTo(source.malformedLines().size());
      for (LocalDate date : manifest.landingDates()) {
        long malformedOnDate =
            source.files(date).stream().mapToLong(LandingFile::malformedLines).sum();
        assertThat(source.faultCount(FaultKind.MALFORMED_LINES, date)).isEqualTo(malformedOnDate);
      }
    }
  }

  @Test
  void everyApplicableFaultKindIsPlantedEveryBigEnoughDay() {
    for (SourceManifest source : manifest.sources()) {
      SampleSource kind = SampleSource.fromName(source.name());
      assertThat(source.faults())
          .extracting(FaultCount::kind)
          .containsExactlyElementsOf(kind.faultKinds());
      for (LocalDate date : manifest.landingDates()) {
        long records = goodLines.get(source.name()).get(date).size();
        if (records < FaultInjector.GUARANTEED_FROM_RECORDS) {
          continue;
        }
        for (FaultKind fault : kind.faultKinds()) {
          boolean needsEarlierDays =
              fault == FaultKind.LATE_RECORDS
                  || fault == FaultKind.RESENT_UPDATES
                  || fault == FaultKind.PROFILE_UPDATES;
          long expectedAtLeast = needsEarlierDays && date.equals(OPTIONS.startDate()) ? 0 : 1;
          assertThat(source.faultCount(fault, date))
              .as("%s %s on %s", source.name(), fault.label(), date)
              .isGreaterThanOrEqualTo(expectedAtLeast);
        }
        if (kind.format().equals("json")) {
          Set<MalformedKind> kinds =
              source.malformedLines().stream()
                  .filter(line -> line.file().contains("/" + date + "/"))
                  .map(MalformedLine::kind)
                  .collect(Collectors.toSet());
          assertThat(kinds)
              .as("%s malformed kinds on %s", source.name(), date)
              .containsExactlyInAnyOrder(
                  MalformedKind.TRUNCATED_JSON, MalformedKind.NOT_JSON, MalformedKind.BAD_ENCODING);
        }
      }
    }
    assertThat(manifest.source("customers").faultCount("malformed_lines")).isPositive();
    assertThat(manifest.source("labels").faultCount("malformed_lines")).isPositive();
  }

  @Test
  void orderFaultsRecountedFromTheFilesMatchTheManifest() throws IOException {
    SourceManifest orders = manifest.source("orders");
    Map<String, JsonNode> latestVersion = new HashMap<>();
    for (Map.Entry<LocalDate, List<String>> day : goodLines.get("orders").entrySet()) {
      LocalDate date = day.getKey();
      Set<String> distinct = new LinkedHashSet<>(day.getValue());
      long nullRequired = 0;
      long outOfRange = 0;
      long resent = 0;
      long late = 0;
      Map<String, JsonNode> today = new HashMap<>();
      for (String line : distinct) {
        assertThat(line).containsPattern("\"amount\":-?\\d+\\.\\d{2},");
        JsonNode order = STRICT_JSON.readTree(line);
        if (order.get("customer_id").isNull() || order.get("order_id").isNull()) {
          nullRequired++;
        }
        double amount = order.get("amount").asDouble();
        if (amount < 0 || amount > 100_000) {
          outOfRange++;
        }
        if (order.get("order_id").isNull()) {
          continue;
        }
        String orderId = order.get("order_id").asText();
        JsonNode previous = latestVersion.get(orderId);
        if (previous != null) {
          resent++;
          assertThat(order.get("status").asText())
              .isIn(NEXT_STATUSES.get(previous.get("status").asText()));
          assertThat(instant(order, "updated_at")).isAfter(instant(previous, "updated_at"));
          assertThat(instant(order, "order_ts")).isEqualTo(instant(previous, "order_ts"));
          assertThat(utcDate(order, "updated_at")).isEqualTo(date);
        } else if (utcDate(order, "order_ts").isBefore(date)) {
          late++;
          assertThat(ChronoUnit.DAYS.between(utcDate(order, "order_ts"), date)).isBetween(1L, 5L);
          assertThat(utcDate(order, "order_ts")).isAfterOrEqualTo(OPTIONS.startDate());
        } else {
          assertThat(utcDate(order, "order_ts")).isEqualTo(date);
          assertThat(utcDate(order, "updated_at")).isEqualTo(date);
        }
        assertThat(today.put(orderId, order)).as("order %s twice on %s", orderId, date).isNull();
      }
      latestVersion.putAll(today);
      assertThat(day.getValue().size() - distinct.size())
          .as("duplicates on %s", date)
          .isEqualTo(orders.faultCount(FaultKind.EXACT_DUPLICATES, date));
      assertThat(nullRequired)
          .as("null_required on %s", date)
          .isEqualTo(orders.faultCount(FaultKind.NULL_REQUIRED, date));
      assertThat(outOfRange)
          .as("out_of_range on %s", date)
          .isEqualTo(orders.faultCount(FaultKind.OUT_OF_RANGE, date));
      assertThat(resent)
          .as("resent_updates on %s", date)
          .isEqualTo(orders.faultCount(FaultKind.RESENT_UPDATES, date));
      assertThat(late)
          .as("late_records on %s", date)
          .isEqualTo(orders.faultCount(FaultKind.LATE_RECORDS, date));
    }
  }

  @Test
  void eventFaultsRecountedFromTheFilesMatchTheManifest() throws IOException {
    SourceManifest events = manifest.source("events");
    for (Map.Entry<LocalDate, List<String>> day : goodLines.get("events").entrySet()) {
      LocalDate date = day.getKey();
      Set<String> distinct = new LinkedHashSet<>(day.getValue());
      long nullRequired = 0;
      long outOfRange = 0;
      long late = 0;
      for (String line : distinct) {
        JsonNode event = STRICT_JSON.readTree(line);
        assertThat(fieldNames(event)).containsExactlyElementsOf(SampleSource.EVENTS.columns());
        if (event.get("customer_id").isNull()) {
          nullRequired++;
        }
        if (!EVENT_TYPES.contains(event.get("event_type").asText())) {
          outOfRange++;
        }
        LocalDate eventDate = utcDate(event, "event_ts");
        if (eventDate.isBefore(date)) {
          late++;
          assertThat(ChronoUnit.DAYS.between(eventDate, date)).isBetween(1L, 5L);
          assertThat(eventDate).isAfterOrEqualTo(OPTIONS.startDate());
        } else {
          assertThat(eventDate).isEqualTo(date);
        }
      }
      assertThat(day.getValue().size() - distinct.size())
          .as("duplicates on %s", date)
          .isEqualTo(events.faultCount(FaultKind.EXACT_DUPLICATES, date));
      assertThat(nullRequired)
          .as("null_required on %s", date)
          .isEqualTo(events.faultCount(FaultKind.NULL_REQUIRED, date));
      assertThat(outOfRange)
          .as("out_of_range on %s", date)
          .isEqualTo(events.faultCount(FaultKind.OUT_OF_RANGE, date));
      assertThat(late)
          .as("late_records on %s", date)
          .isEqualTo(events.faultCount(FaultKind.LATE_RECORDS, date));
    }
  }

  @Test
  void profileUpdatesChangeSegmentOrCountryWithALaterUpdatedAt() {
    SourceManifest customers = manifest.source("customers");
    Map<String, String[]> latest = new HashMap<>();
    for (Map.Entry<LocalDate, List<String>> day : goodLines.get("customers").entrySet()) {
      LocalDate date = day.getKey();
      long updates = 0;
      Map<String, String[]> today = new HashMap<>();
      for (String line : day.getValue()) {
        String[] fields = line.split(",", -1);
        assertThat(fields[0]).matches("C\\d{6}");
        assertThat(fields[3]).matches("[A-Z]{2}");
        assertThat(fields[4]).isIn("bronze", "silver", "gold", "platinum");
        assertThat(utcDate(fields[6])).isEqualTo(date);
        String[] previous = latest.get(fields[0]);
        if (previous != null) {
          updates++;
          assertThat(!fields[3].equals(previous[3]) || !fields[4].equals(previous[4]))
              .as(line)
              .isTrue();
          assertThat(fields[5]).isEqualTo(previous[5]);
          assertThat(OffsetDateTime.parse(fields[6]).toInstant())
              .isAfter(OffsetDateTime.parse(previous[6]).toInstant());
        } else if (date.isAfter(OPTIONS.startDate())) {
          assertThat(utcDate(fields[5])).as("sign-up of %s", fields[0]).isEqualTo(date);
        } else {
          assertThat(utcDate(fields[5])).isBefore(date);
        }
        assertThat(today.put(fields[0], fields))
            .as("customer %s twice on %s", fields[0], date)
            .isNull();
      }
      latest.putAll(today);
      assertThat(updates)
          .as("profile_updates on %s", date)
          .isEqualTo(customers.faultCount(FaultKind.PROFILE_UPDATES, date));
    }
    long firstDayProfiles = goodLines.get("customers").get(OPTIONS.startDate()).size();
    assertThat(firstDayProfiles).isEqualTo(OPTIONS.customers());
    assertThat(latest.size()).isGreaterThan(OPTIONS.customers());
  }

  @Test
  void timestampsMixSeveralOffsets() throws IOException {
    Set<String> customerOffsets = new HashSet<>();
    for (List<String> lines : goodLines.get("customers").values()) {
      for (String line : lines) {
        String[] fields = line.split(",", -1);
        customerOffsets.add(offsetOf(fields[5]));
        customerOffsets.add(offsetOf(fields[6]));
      }
    }
    assertThat(customerOffsets).containsExactlyInAnyOrder("Z", "+02:00", "-05:00", "+05:30");
    assertThat(jsonOffsets("orders", "order_ts"))
        .containsExactlyInAnyOrder("Z", "+02:00", "-05:00", "+05:30");
    assertThat(jsonOffsets("orders", "updated_at"))
        .containsExactlyInAnyOrder("Z", "+02:00", "-05:00", "+05:30");
    assertThat(jsonOffsets("events", "event_ts"))
        .containsExactlyInAnyOrder("Z", "+02:00", "-05:00", "+05:30");
  }

  @Test
  void schemaDriftAddsCouponCodeFromTheDeclaredDayOn() throws IOException {
    LocalDate driftDate = OPTIONS.startDate().plusDays(2); // day ceil(4 / 2) + 1
    assertThat(manifest.schemaDrift())
        .containsExactly(new SchemaDrift("orders", "coupon_code", driftDate));
    List<String> withCoupon = new ArrayList<>(SampleSource.ORDERS.columns());
    withCoupon.add("coupon_code");
    boolean sawCoupon = false;
    for (Map.Entry<LocalDate, List<String>> day : goodLines.get("orders").entrySet()) {
      boolean drifted = !day.getKey().isBefore(driftDate);
      for (String line : day.getValue()) {
        JsonNode order = STRICT_JSON.readTree(line);
        assertThat(fieldNames(order))
            .containsExactlyElementsOf(drifted ? withCoupon : SampleSource.ORDERS.columns());
        sawCoupon |= drifted && order.get("coupon_code").isTextual();
      }
    }
    assertThat(sawCoupon).isTrue();
  }

  @Test
  void oneDaySampleHasNoSchemaDrift(@TempDir Path oneDayRoot) throws IOException {
    SampleOptions oneDay = new SampleOptions(LocalDate.of(2026, 3, 1), 1, 20, 3L);
    SampleManifest oneDayManifest =
        new SampleGenerator(oneDay).generate(oneDayRoot.toString(), new Configuration());

    assertThat(oneDayManifest.schemaDrift()).isEmpty();
    assertThat(oneDayManifest.landingDates()).containsExactly(LocalDate.of(2026, 3, 1));
    assertThat(oneDayManifest.source("customers").totalGoodRecords()).isEqualTo(20);
  }

  @Test
  void labelsCoverOnlyCustomersAlreadyLandedAndFallInsideTheirDay() {
    Set<String> known = new HashSet<>();
    Set<String> churnedValues = new HashSet<>();
    for (LocalDate date : manifest.landingDates()) {
      // Customers landing on a later day only become known at the end of their landing day.
      List<String> landedToday =
          goodLines.get("customers").get(date).stream()
              .map(line -> line.substring(0, line.indexOf(',')))
              .toList();
      if (date.equals(OPTIONS.startDate())) {
        known.addAll(landedToday);
      }
      List<String> labels = goodLines.get("labels").get(date);
      assertThat(labels).isNotEmpty();
      Set<String> labelledToday = new HashSet<>();
      for (String line : labels) {
        String[] fields = line.split(",", -1);
        assertThat(known).as("labelled customer on %s", date).contains(fields[0]);
        assertThat(labelledToday.add(fields[0])).isTrue();
        assertThat(fields[1]).endsWith("Z");
        assertThat(utcDate(fields[1])).isEqualTo(date);
        assertThat(fields[2]).isIn("0", "1");
        churnedValues.add(fields[2]);
      }
      known.addAll(landedToday);
    }
    assertThat(churnedValues).containsExactlyInAnyOrder("0", "1");
  }

  @Test
  void manifestRoundTripsThroughJsonAndIsReadFromTheLandingRoot() throws IOException {
    assertThat(SampleManifest.fromJson(manifest.toJson())).isEqualTo(manifest);
    assertThat(SampleManifest.read(root.toString(), new Configuration())).isEqualTo(manifest);
    assertThat(SampleManifest.read(root.toUri().toString(), new Configuration()))
        .isEqualTo(manifest);
    assertThat(manifest.toJson()).doesNotContain("\r").endsWith("}\n");
    assertThat(manifest.options()).isEqualTo(OPTIONS);
  }

  @Test
  void readingAMissingManifestIsAUsageError(@TempDir Path empty) {
    assertThatThrownBy(() -> SampleManifest.read(empty.toString(), new Configuration()))
        .isInstanceOf(LakehouseException.class)
        .hasMessageContaining("No sample manifest")
        .extracting(e -> ((LakehouseException) e).exitCode())
        .isEqualTo(ExitCode.USAGE);
  }

  @Test
  void unknownSourceOrFaultKindIsRejected() {
    assertThatThrownBy(() -> manifest.source("payments"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("payments");
    assertThatThrownBy(() -> manifest.source("orders").faultCount("typo"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("typo");
    assertThat(manifest.source("labels").faultCount("exact_duplicates")).isZero();
  }

  @Test
  void defaultsAreTheDocumentedOnes() {
    assertThat(SampleOptions.defaults())
        .isEqualTo(new SampleOptions(LocalDate.of(2026, 1, 1), 7, 500, 42L));
  }

  @Test
  void badOptionsAreUsageErrors() {
    LocalDate start = LocalDate.of(2026, 1, 1);
    assertUsageError(() -> new SampleOptions(start, 0, 10, 1L), "days");
    assertUsageError(() -> new SampleOptions(start, -3, 10, 1L), "days");
    assertUsageError(() -> new SampleOptions(start, 1, 0, 1L), "customers");
    assertUsageError(() -> new SampleOptions(null, 1, 10, 1L), "start date");
    assertUsageError(() -> new SampleGenerator(null), "options");
    assertUsageError(
        () -> new SampleGenerator(SampleOptions.defaults()).generate(" ", new Configuration()),
        "landing root");
  }

  private static void assertUsageError(
      org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String mention) {
    assertThatThrownBy(call)
        .isInstanceOf(LakehouseException.class)
        .hasMessageContaining(mention)
        .extracting(e -> ((LakehouseException) e).exitCode())
        .isEqualTo(ExitCode.USAGE);
  }

  private static void assertSameTree(Path actualRoot, Path expectedRoot) throws IOException {
    List<Path> expected = regularFiles(expectedRoot);
    List<Path> actual = regularFiles(actualRoot);
    assertThat(actual.stream().map(actualRoot::relativize).toList())
        .isEqualTo(expected.stream().map(expectedRoot::relativize).toList());
    for (Path file : expected) {
      Path relative = expectedRoot.relativize(file);
      assertThat(Files.readAllBytes(actualRoot.resolve(relative)))
          .as(relative.toString())
          .isEqualTo(Files.readAllBytes(file));
    }
  }

  private static List<Path> regularFiles(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).sorted().toList();
    }
  }

  /**
   * Splits on {@code \n}; every line, the last included, must end with one and none may hold {@code
   * \r}.
   */
  private static List<byte[]> splitLines(byte[] content) {
    List<byte[]> lines = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < content.length; i++) {
      if (content[i] == '\r') {
        throw new AssertionError("carriage return at byte " + i);
      }
      if (content[i] == '\n') {
        lines.add(Arrays.copyOfRange(content, start, i));
        start = i + 1;
      }
    }
    assertThat(start).as("the file ends with a line break").isEqualTo(content.length);
    return lines;
  }

  /**
   * Null for a line that parses as one JSON object and nothing else; otherwise how it is broken.
   */
  private static MalformedKind brokenJson(byte[] line) {
    try {
      if (STRICT_JSON.readTree(line) instanceof com.fasterxml.jackson.databind.node.ObjectNode) {
        return null;
      }
    } catch (IOException e) {
      // falls through to classification
    }
    if (line.length > 0 && line[0] == (byte) 0xC3) {
      return MalformedKind.BAD_ENCODING;
    }
    return line.length > 0 && line[0] == '{'
        ? MalformedKind.TRUNCATED_JSON
        : MalformedKind.NOT_JSON;
  }

  private static MalformedKind brokenCsv(byte[] line, int columns) {
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(line))
              .toString();
    } catch (CharacterCodingException e) {
      throw new AssertionError("CSV lines are always valid UTF-8", e);
    }
    assertThat(text).doesNotContain("\"");
    return text.split(",", -1).length == columns ? null : MalformedKind.WRONG_COLUMN_COUNT;
  }

  private Set<String> jsonOffsets(String source, String field) throws IOException {
    Set<String> offsets = new HashSet<>();
    for (List<String> lines : goodLines.get(source).values()) {
      for (String line : lines) {
        offsets.add(offsetOf(STRICT_JSON.readTree(line).get(field).asText()));
      }
    }
    return offsets;
  }

  private static String offsetOf(String timestamp) {
    return timestamp.endsWith("Z") ? "Z" : timestamp.substring(timestamp.length() - 6);
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static Instant instant(JsonNode node, String field) {
    return OffsetDateTime.parse(node.get(field).asText()).toInstant();
  }

  private static LocalDate utcDate(JsonNode node, String field) {
    return utcDate(node.get(field).asText());
  }

  private static LocalDate utcDate(String timestamp) {
    return LocalDate.ofInstant(OffsetDateTime.parse(timestamp).toInstant(), ZoneOffset.UTC);
  }
}
