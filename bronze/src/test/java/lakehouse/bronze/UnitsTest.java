package lakehouse.bronze;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** The small pure pieces: CSV splitting, line splitting, schema resolution, file grouping. */
class UnitsTest {
  @Test
  void csvLineSplitsQuotedFieldsAndKeepsEmptyAsNull() {
    assertThat(CsvLine.split("a,\"b,c\",,\"\"", ',', '"')).containsExactly("a", "b,c", null, "");
    assertThat(CsvLine.split("x,", ',', '"')).containsExactly("x", null);
    assertThat(CsvLine.split("\"say \"\"hi\"\"\"", ',', '"')).containsExactly("say \"hi\"");
    assertThat(CsvLine.split("a;b", ';', '"')).containsExactly("a", "b");
    assertThatThrownBy(() -> CsvLine.split("\"open", ',', '"'))
        .hasMessage("a quoted field is not closed");
    assertThatThrownBy(() -> CsvLine.split("\"a\"b,c", ',', '"'))
        .hasMessageContaining("text after a closing quote");
  }

  @Test
  void lineSourceSplitsAtNewlinesAcrossBufferBoundaries() throws Exception {
    String big = "x".repeat(70_000);
    byte[] bytes = ("one\r\n\n" + big + "\nlast").getBytes(StandardCharsets.UTF_8);
    LineReader.LineSource lines =
        new LineReader.LineSource(new ByteArrayInputStream(bytes), 1 << 20);
    List<String> read = new ArrayList<>();
    for (byte[] line = lines.next(); line != null; line = lines.next()) {
      read.add(new String(line, 0, lines.length(), StandardCharsets.UTF_8));
    }
    assertThat(read).containsExactly("one", "", big, "last");
  }

  @Test
  void lineSourceKeepsOnlyTheLimitOfALongLineAndSaysItWasLonger() throws Exception {
    byte[] bytes =
        ("ok\r\n" + "y".repeat(200_000) + "\r\n" + "z".repeat(10) + "\r\nend")
            .getBytes(StandardCharsets.UTF_8);
    LineReader.LineSource lines = new LineReader.LineSource(new ByteArrayInputStream(bytes), 10);
    List<String> read = new ArrayList<>();
    for (byte[] line = lines.next(); line != null; line = lines.next()) {
      read.add(
          new String(line, 0, lines.length(), StandardCharsets.UTF_8)
              + (lines.overLimit() ? " (over)" : ""));
    }
    // The \r of a CRLF counts: "zzzzzzzzzz\r" is 11 bytes as landed.
    assertThat(read)
        .containsExactly("ok", "y".repeat(10) + " (over)", "z".repeat(10) + " (over)", "end");
  }

  @Test
  void schemaResolutionKeepsFixedTypesAddsNewColumnsAndFindsConflicts() {
    StructType table =
        new StructType()
            .add("id", DataTypes.StringType)
            .add("amount", DataTypes.DoubleType)
            .add("n", DataTypes.LongType)
            .add("_ingested_at", DataTypes.TimestampType);
    StructType batch =
        new StructType()
            .add("amount", DataTypes.LongType)
            .add("id", DataTypes.LongType)
            .add("n", DataTypes.StringType)
            .add("coupon", DataTypes.NullType);
    BronzeSchema.Resolution resolution =
        BronzeSchema.resolve(table, Map.of("extra", DataTypes.IntegerType), batch);
    assertThat(resolution.data().fieldNames())
        .containsExactly("id", "amount", "n", "extra", "coupon");
    assertThat(resolution.data().apply("amount").dataType()).isEqualTo(DataTypes.DoubleType);
    assertThat(resolution.data().apply("coupon").dataType()).isEqualTo(DataTypes.StringType);
    assertThat(resolution.added()).containsExactly("extra", "coupon");
    assertThat(resolution.missing()).containsExactly("extra");
    assertThat(resolution.conflicts())
        .containsExactly(new BronzeSchema.Conflict("n", DataTypes.LongType, DataTypes.StringType));
    assertThat(BronzeSchema.resolve(null, Map.of(), batch).added())
        .as("a new table adds nothing")
        .isEmpty();
  }

  @Test
  void nestedStructsGainFieldsButKeepTheirTypes() {
    StructType expected = new StructType().add("a", DataTypes.LongType);
    StructType found = new StructType().add("a", DataTypes.LongType).add("b", DataTypes.StringType);
    assertThat(BronzeSchema.merge(expected, found))
        .isEqualTo(new StructType().add("a", DataTypes.LongType).add("b", DataTypes.StringType));
    assertThat(BronzeSchema.merge(expected, new StructType().add("a", DataTypes.BooleanType)))
        .isNull();
  }

  @Test
  void jsonKeysFindEveryKeyTheColumnsDoNotHaveAtAnyDepth() {
    StructType columns =
        new StructType()
            .add("id", DataTypes.StringType)
            .add("n", DataTypes.LongType)
            .add("meta", new StructType().add("x", DataTypes.LongType))
            .add(
                "lines",
                DataTypes.createArrayType(new StructType().add("sku", DataTypes.StringType)))
            .add("blob", DataTypes.StringType);
    assertThat(
            scanKeys(
                columns,
                Map.of(),
                "{\"id\":\"a\",\"n\":1}",
                "{\"meta\":{\"x\":1},\"lines\":[{\"sku\":\"s\"},null]}",
                "{\"blob\":{\"any\":[{\"key\":1}]}}",
                "{\"n\":{\"new\":1}}",
                "not json {\"new\":1}",
                "[{\"new\":1}]",
                "{\"id\":\"b\",\"n\":"))
        .as("a string keeps any text; an object for a number is a reject; non-records count not")
        .containsExactlyInAnyOrder("id", "n", "meta", "lines", "blob");
    assertThat(scanKeys(columns, Map.of(), "{\"id\":\"a\"}", "{\"coupon\":\"C\"}"))
        .as("a new column")
        .containsExactly(JsonKeys.UNKNOWN);
    assertThat(scanKeys(columns, Map.of(), "{\"meta\":{\"x\":1,\"y\":2}}"))
        .as("a new field of a struct")
        .containsExactly(JsonKeys.UNKNOWN);
    assertThat(scanKeys(columns, Map.of(), "{\"lines\":[{\"sku\":\"s\"},{\"qty\":2}]}"))
        .as("a new field of an array's structs")
        .containsExactly(JsonKeys.UNKNOWN);
    String commented = "{\"id\":\"a\" /* note */, \"coupon\":1}";
    assertThat(scanKeys(columns, Map.of(), commented)).as("not JSON without the option").isEmpty();
    assertThat(scanKeys(columns, Map.of("allowComments", "true"), commented))
        .as("read as Spark reads it with the option")
        .containsExactly(JsonKeys.UNKNOWN);
  }

  private static List<String> scanKeys(
      StructType columns, Map<String, String> options, String... records) {
    List<String> found = new ArrayList<>();
    new JsonKeys.Scan(columns, new java.util.HashMap<>(options))
        .call(List.of(records).iterator())
        .forEachRemaining(found::add);
    return found;
  }

  @Test
  void filesAreGroupedIntoBalancedTasks() {
    List<LandedFile> files =
        List.of(file("a", 100), file("b", 60), file("c", 50), file("d", 40), file("e", 30));
    List<List<LandedFile>> bins = LineReader.balance(files, 2);
    assertThat(bins).hasSize(2);
    assertThat(bins.stream().mapToLong(b -> b.stream().mapToLong(LandedFile::size).sum()))
        .as("largest first, each to the lightest group")
        .containsExactlyInAnyOrder(140L, 140L);
    assertThat(LineReader.balance(files.subList(0, 1), 4)).hasSize(1);
  }

  private static LandedFile file(String name, long size) {
    return new LandedFile("file:/l/" + name, LocalDate.of(2026, 1, 1), size, 0);
  }

  @Test
  void rejectedLinesKeepLineNumbersUntilTheLimitThenWholeFiles() {
    RejectedLines one = new RejectedLines();
    one.add(new RejectedLines.Line("a", 3));
    one.add(new RejectedLines.Line("a", 3)); // a task run twice notes the same line twice
    RejectedLines other = new RejectedLines();
    other.add(new RejectedLines.Line("b", 7));
    one.merge(other);
    RejectedLines.Selection noted = one.value();
    assertThat(noted.linesOf("a")).containsExactly(3L);
    assertThat(noted.linesOf("b")).containsExactly(7L);
    assertThat(noted.hasRejects("c")).isFalse();
    assertThat(new RejectedLines().value().isEmpty()).isTrue();

    for (long line = 1; line <= RejectedLines.MAX_LINES; line++) {
      other.add(new RejectedLines.Line("c", line));
    }
    // Past the limit, the files of the noted lines are kept whole (b and c in other)
    one.merge(other);
    RejectedLines.Selection full = one.value();
    assertThat(full.linesOf("c")).as("every line of the file is read again").isNull();
    assertThat(full.linesOf("b")).isNull();
    assertThat(full.linesOf("a")).containsExactly(3L);
  }

  @Test
  void lineReaderMakesRowsOfTheSelectedLinesOnlyAndCountsTheOthers(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    java.nio.file.Path path = dir.resolve("lines.json");
    java.nio.file.Files.writeString(path, "{\"a\":1}\n\n{\"a\":2}\nnot json\n{\"a\":4}\n");
    LandedFile file =
        new LandedFile(
            path.toUri().toString(),
            LocalDate.parse("2026-01-01"),
            java.nio.file.Files.size(path),
            java.nio.file.Files.getLastModifiedTime(path).toMillis());
    RejectedLines.Selection only =
        new RejectedLines.Selection(
            java.util.Set.of(), Map.of(file.uri(), java.util.Set.of(2L, 4L)));
    LineReader.FileLines lines =
        new LineReader.FileLines(
            List.of(file).iterator(),
            new org.apache.hadoop.conf.Configuration(),
            "src",
            1L,
            new LineReader.Format(false, false, ',', '"', List.of(), 1 << 20),
            only);
    List<String> read = new ArrayList<>();
    lines.forEachRemaining(row -> read.add(row.getLong(2) + ":" + row.getString(3)));
    assertThat(read).as("line 2 is blank: no row").containsExactly("4:not json");
  }
}
