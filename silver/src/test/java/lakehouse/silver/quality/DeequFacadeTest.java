package lakehouse.silver.quality;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import lakehouse.common.testing.SparkTestSession;
import lakehouse.silver.contract.CheckSpec;
import lakehouse.silver.contract.TableContract;
import lakehouse.silver.contract.TableContracts;
import lakehouse.silver.quality.CheckOutcome.Status;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** Every check type of the facade, passing and failing, and its explicit null policy. */
class DeequFacadeTest {
  static final StructType SCHEMA =
      new StructType()
          .add("id", "string")
          .add("amount", "double")
          .add("code", "string")
          .add("ts", "timestamp");

  static TableContract contract(String checks) {
    return TableContracts.parse(
        ConfigFactory.parseString(
            String.join(
                "\n",
                "source = bronze.t",
                "business-key = [id]",
                "event-time = ts",
                "columns = [",
                "  { name = id, type = string, required = true }",
                "  { name = amount, type = double }",
                "  { name = code, type = string }",
                "  { name = ts, type = timestamp, required = true }",
                "]",
                "checks = [",
                checks,
                "]")),
        "t",
        "test");
  }

  static Dataset<Row> data(Object[]... rows) {
    SparkSession spark = SparkTestSession.get();
    return spark
        .createDataFrame(java.util.Arrays.stream(rows).map(RowFactory::create).toList(), SCHEMA)
        .withColumn("_failed_rules", functions.array().cast("array<string>"));
  }

  static Object[] row(String id, Double amount, String code, String ts) {
    return new Object[] {id, amount, code, ts == null ? null : Timestamp.from(Instant.parse(ts))};
  }

  static Map<String, CheckOutcome> byName(List<CheckOutcome> outcomes) {
    return outcomes.stream().collect(Collectors.toMap(CheckOutcome::check, o -> o));
  }

  @Test
  void rowLevelChecksMarkFailingRowsAndLetNullsPass() {
    TableContract c =
        contract(
            String.join(
                "\n",
                "{ name = amount_ok, type = range, column = amount, min = 0, max = 100, severity ="
                    + " error, min-fraction = 0.5 }",
                "{ name = amount_strict, type = range, column = amount, max = 100, severity ="
                    + " error, min-fraction = 0.9 }",
                "{ name = code_known, type = allowed-values, column = code, values = [A, \"B'q\"],"
                    + " severity = error, min-fraction = 0.5 }",
                "{ name = code_shape, type = pattern, column = code, pattern = \"^[A-Z]\\\\S*$\","
                    + " severity = warn, min-fraction = 0.9 }"));
    Dataset<Row> input =
        data(
            row("r1", 10.0, "A", "2024-03-01T00:00:00Z"),
            row("r2", 500.0, "B'q", "2024-03-01T00:00:00Z"),
            row("r3", null, null, "2024-03-01T00:00:00Z"),
            row("r4", -1.0, "zz", "2024-03-01T00:00:00Z"));

    Deequ.RowLevelResult result =
        Deequ.verifyRows(SparkTestSession.get(), input, c.rowLevelChecks(), "_failed_rules");

    Map<String, List<String>> failed =
        result.rows().collectAsList().stream()
            .collect(Collectors.toMap(r -> r.getString(0), r -> r.<String>getList(4)));
    assertThat(failed)
        .as("failed rules per row")
        .containsOnly(
            Map.entry("r1", List.of()),
            Map.entry("r2", List.of("amount_ok", "amount_strict")),
            Map.entry("r3", List.of()), // nulls pass value checks; 'required' decides on nulls
            // code_shape is a warn check: it measures, but its rows are published
            Map.entry("r4", List.of("amount_ok", "code_known")));
    assertThat(result.rows().columns())
        .as("no helper columns left")
        .containsExactly("id", "amount", "code", "ts", "_failed_rules");

    Map<String, CheckOutcome> outcomes = byName(result.outcomes());
    assertThat(outcomes.get("amount_ok").status()).isEqualTo(Status.PASSED);
    assertThat(outcomes.get("amount_ok").value()).isEqualTo(0.5);
    assertThat(outcomes.get("amount_strict").status()).isEqualTo(Status.FAILED);
    assertThat(outcomes.get("amount_strict").value()).isEqualTo(0.75);
    assertThat(outcomes.get("amount_strict").blocks()).isTrue();
    assertThat(outcomes.get("code_known").status()).isEqualTo(Status.PASSED);
    assertThat(outcomes.get("code_shape").status()).isEqualTo(Status.FAILED);
    assertThat(outcomes.get("code_shape").warns()).isTrue();
    assertThat(outcomes.get("code_shape").describe())
        .isEqualTo(
            "code_shape [pattern, warn]: failed (Compliance = 0.7500, required >= 0.9): "
                + "Value: 0.75 does not meet the constraint requirement!");
  }

  @Test
  void tableChecksPassAndFail() {
    TableContract c =
        contract(
            String.join(
                "\n",
                "{ name = code_complete, type = completeness, column = code, min-fraction = 0.5,"
                    + " severity = warn }",
                "{ name = code_full, type = completeness, column = code, severity = error }",
                "{ name = id_unique, type = uniqueness, column = id, severity = error }",
                "{ name = pair_unique, type = uniqueness, columns = [id, code], severity = error }",
                "{ name = enough, type = row-count, min = 3, severity = error }",
                "{ name = not_too_many, type = row-count, max = 2, severity = warn }",
                "{ name = fresh, type = freshness, column = ts, max-age = 2 days, severity = error"
                    + " }",
                "{ name = very_fresh, type = freshness, column = ts, max-age = 12h, severity = warn"
                    + " }"));
    Dataset<Row> input =
        data(
            row("r1", 1.0, "A", "2024-03-01T00:00:00Z"),
            row("r1", 2.0, "B", "2024-03-02T06:00:00Z"),
            row("r2", 3.0, null, "2024-02-20T00:00:00Z"));

    Map<String, CheckOutcome> outcomes =
        byName(Deequ.verifyTable(input, c.datasetChecks(), Instant.parse("2024-03-03T00:00:00Z")));

    assertThat(outcomes.get("code_complete").status()).isEqualTo(Status.PASSED);
    assertThat(outcomes.get("code_full").status()).isEqualTo(Status.FAILED);
    assertThat(outcomes.get("code_full").value())
        .isCloseTo(2.0 / 3, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(outcomes.get("id_unique").status()).as("r1 twice").isEqualTo(Status.FAILED);
    assertThat(outcomes.get("pair_unique").status()).isEqualTo(Status.PASSED);
    assertThat(outcomes.get("enough").status()).isEqualTo(Status.PASSED);
    assertThat(outcomes.get("enough").value()).isEqualTo(3.0);
    assertThat(outcomes.get("not_too_many").status()).isEqualTo(Status.FAILED);
    assertThat(outcomes.get("fresh").status())
        .as("newest 2024-03-02T06 >= 03-01T00")
        .isEqualTo(Status.PASSED);
    assertThat(outcomes.get("very_fresh").status())
        .as("newest 2024-03-02T06 < 03-02T12")
        .isEqualTo(Status.FAILED);
    assertThat(outcomes.get("very_fresh").threshold()).startsWith("newest >= 2024-03-02T12:00:00Z");
  }

  @Test
  void tableChecksOnNoRowsAreSkippedExceptTheRowCount() {
    TableContract c =
        contract(
            String.join(
                "\n",
                "{ type = completeness, column = code, severity = error }",
                "{ type = row-count, min = 1, severity = error }"));
    Map<String, CheckOutcome> outcomes =
        byName(Deequ.verifyTable(data(), c.datasetChecks(), Instant.parse("2024-03-03T00:00:00Z")));
    assertThat(outcomes.get("completeness_code").status()).isEqualTo(Status.SKIPPED);
    assertThat(outcomes.get("row_count").status()).isEqualTo(Status.FAILED);
    assertThat(outcomes.get("row_count").value()).isEqualTo(0.0);
  }

  @Test
  void relativeRateOfChangeFlagsJumpsAgainstThePreviousValue() {
    List<Double> history = List.of(100.0, 110.0, 120.0);
    assertThat(Deequ.relativeRateOfChange(history, 130.0, 0.5, 1.0).anomalous()).isFalse();
    assertThat(Deequ.relativeRateOfChange(history, 50.0, 0.5, 1.0).anomalous())
        .as("120 -> 50 is a drop of 58% > 50%")
        .isTrue();
    assertThat(Deequ.relativeRateOfChange(history, 250.0, 0.5, 1.0).anomalous())
        .as("120 -> 250 is a rise of 108% > 100%")
        .isTrue();
    assertThat(Deequ.relativeRateOfChange(history, 250.0, 0.5, null).anomalous())
        .as("no upper bound")
        .isFalse();
    assertThat(Deequ.relativeRateOfChange(history, 50.0, 0.5, 1.0).detail()).isNotBlank();
  }

  @Test
  void sqlLiteralsAreEscaped() {
    assertThat(Deequ.literal("a'b\\d")).isEqualTo("'a\\'b\\\\d'");
    CheckSpec spec =
        contract("{ type = allowed-values, column = code, values = [x], severity = warn }")
            .checks()
            .get(0);
    assertThat(Deequ.condition(spec))
        .isEqualTo("`code` IS NULL OR CAST(`code` AS STRING) IN ('x')");
    assertThat(DataTypes.StringType).isNotNull();
  }
}
