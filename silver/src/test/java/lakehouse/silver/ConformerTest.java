package lakehouse.silver;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import lakehouse.common.testing.SparkTestSession;
import lakehouse.silver.contract.TableContract;
import lakehouse.silver.contract.TableContracts;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class ConformerTest {
  static final TableContract CONTRACT =
      TableContracts.parse(
          ConfigFactory.parseString(
              String.join(
                  "\n",
                  "source = bronze.people",
                  "business-key = [id]",
                  "event-time = ts",
                  "columns = [",
                  "  { name = id, type = string, required = true }",
                  "  { name = email, type = string, case = lower, pii = true }",
                  "  { name = status, type = string, case = lower, map { canceled = cancelled } }",
                  "  { name = amount, type = \"decimal(10,2)\" }",
                  "  { name = ts, type = timestamp, required = true }",
                  "  { name = flag, type = int, map { \"true\" = \"1\", \"false\" = \"0\" } }",
                  "  { name = later_column, type = string }",
                  "]")),
          "people",
          "test");

  static final StructType BRONZE =
      new StructType()
          .add("id", "string")
          .add("email", "string")
          .add("status", "string")
          .add("amount", "string")
          .add("ts", "string")
          .add("flag", "string")
          .add("_ingested_at", "timestamp")
          .add("_source_file", "string")
          .add("_run_id", "string");

  static Row bronze(String id, String email, String status, String amount, String ts, String flag) {
    return RowFactory.create(
        id,
        email,
        status,
        amount,
        ts,
        flag,
        Timestamp.from(Instant.parse("2024-03-01T06:00:00Z")),
        "people-2024-03-01-001.csv",
        "r1");
  }

  static String sha256(String text) throws Exception {
    return HexFormat.of()
        .formatHex(
            MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void conformsStandardisesAndReportsEveryFailedRule() throws Exception {
    Dataset<Row> input =
        SparkTestSession.get()
            .createDataFrame(
                List.of(
                    bronze(
                        " a1 ",
                        "  Ann@Example.COM ",
                        "Canceled",
                        "12.5",
                        "2024-03-01T10:00:00+05:30",
                        "true"),
                    bronze("a2", null, "PLACED", "7", "2024-03-01T10:00:00Z", "0"),
                    bronze("a3", "x@y.z", " ", "twelve", "yesterday", "maybe"),
                    bronze("   ", "x@y.z", "placed", "1", null, null)),
                BRONZE);

    Dataset<Row> out = Conformer.conform(input, CONTRACT, "pepper");

    assertThat(out.columns())
        .containsExactly(
            "id",
            "email",
            "status",
            "amount",
            "ts",
            "flag",
            "later_column",
            "_ingested_at",
            "_source_file",
            "_failed_rules",
            "_raw");
    assertThat(out.schema().apply("ts").dataType()).isEqualTo(DataTypes.TimestampType);
    assertThat(out.schema().apply("amount").dataType().simpleString()).isEqualTo("decimal(10,2)");
    List<Row> list = out.orderBy("_raw").collectAsList();
    Row a1 = list.stream().filter(r -> "a1".equals(r.getString(0))).findFirst().orElseThrow();
    assertThat(a1.getString(1))
        .as("email trimmed, lower-cased, salted and hashed")
        .isEqualTo(sha256("pepper" + "ann@example.com"));
    assertThat(a1.getString(2)).as("case then mapping").isEqualTo("cancelled");
    assertThat(a1.getDecimal(3).toPlainString()).isEqualTo("12.50");
    assertThat(a1.getTimestamp(4).toInstant())
        .as("offset converted to UTC")
        .isEqualTo(Instant.parse("2024-03-01T04:30:00Z"));
    assertThat(a1.getInt(5)).isEqualTo(1);
    assertThat(a1.isNullAt(6)).as("a column bronze does not have yet is null").isTrue();
    assertThat(a1.getList(9)).isEmpty();
    assertThat(a1.getString(10))
        .as("raw values keep the landed text, PII hashed")
        .contains("\"id\":\" a1 \"")
        .contains("\"status\":\"Canceled\"")
        .contains(sha256("pepper" + "  Ann@Example.COM "))
        .doesNotContain("Example");

    Row a2 = list.stream().filter(r -> "a2".equals(r.getString(0))).findFirst().orElseThrow();
    assertThat(a2.isNullAt(1)).as("a null PII value stays null").isTrue();
    assertThat(a2.getString(2)).isEqualTo("placed");
    assertThat(a2.getList(9)).isEmpty();

    Row a3 = list.stream().filter(r -> "a3".equals(r.getString(0))).findFirst().orElseThrow();
    assertThat(a3.isNullAt(2)).as("blank becomes null").isTrue();
    assertThat(a3.<String>getList(9))
        .as("values that do not fit their type")
        .containsExactlyInAnyOrder("cast:amount", "cast:ts", "cast:flag");

    Row blank = list.stream().filter(r -> r.isNullAt(0)).findFirst().orElseThrow();
    assertThat(blank.<String>getList(9))
        .as("blank required key and missing timestamp")
        .containsExactlyInAnyOrder("required:id", "required:ts");
    assertThat(list).as("one output row per input row").hasSize(4);
  }
}
