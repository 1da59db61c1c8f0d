package lakehouse.silver.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import lakehouse.common.ExitCode;
import lakehouse.common.LakehouseException;
import lakehouse.common.settings.Declarations;
import lakehouse.common.settings.Declarations.Kind;
import lakehouse.common.testing.TestLake;
import lakehouse.silver.SilverErrors;
import lakehouse.silver.contract.CheckSpec.CheckType;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TableContractsTest {
  @TempDir Path dir;

  @Test
  void theSampleDomainIsDeclared() {
    Path conf = TestLake.confDir();
    assertThat(Declarations.in(conf).names(Kind.TABLE))
        .contains("customers", "events", "labels", "orders");

    TableContract orders = TableContracts.load(conf, "orders");
    assertThat(orders.source().toString()).isEqualTo("bronze.orders");
    assertThat(orders.history()).isEqualTo(TableContract.History.LATEST);
    assertThat(orders.businessKey()).containsExactly("order_id");
    assertThat(orders.column("amount").orElseThrow().type().simpleString())
        .isEqualTo("decimal(12,2)");
    assertThat(orders.column("order_ts").orElseThrow().type()).isEqualTo(DataTypes.TimestampType);
    assertThat(orders.checks().stream().map(CheckSpec::type).distinct())
        .as("the orders contract uses every check type")
        .containsExactlyInAnyOrder(CheckType.values());
    assertThat(orders.checks().get(0).type().rowLevel()).as("row-level checks come first").isTrue();

    TableContract customers = TableContracts.load(conf, "silver.customers");
    assertThat(customers.history()).isEqualTo(TableContract.History.SCD2);
    assertThat(customers.columns().stream().filter(ColumnSpec::pii).map(ColumnSpec::name))
        .containsExactly("name", "email");
    assertThat(TableContracts.load(conf, "labels").column("churned").orElseThrow().type())
        .isEqualTo(DataTypes.IntegerType);
  }

  @Test
  void unknownTableNamesTheDeclaredOnes() {
    assertThatThrownBy(() -> TableContracts.load(TestLake.confDir(), "ordrs"))
        .isInstanceOf(LakehouseException.class)
        .hasMessage(
            SilverErrors.unknownTable(
                    "ordrs", Declarations.in(TestLake.confDir()).names(Kind.TABLE))
                .getMessage())
        .hasMessageContaining("customers, events, labels, orders");
  }

  @Test
  void everyProblemOfAContractIsReportedWithItsLine() throws Exception {
    Path tables = Files.createDirectories(dir.resolve("tables"));
    Files.writeString(
        tables.resolve("broken.conf"),
        String.join(
            "\n",
            "source = bronze.broken",
            "business-key = [id, nope]",
            "event-time = ts",
            "columns = [",
            "  { name = id, type = string, required = true }",
            "  { name = ts, type = timestamp }",
            "  { name = amount, type = \"decimal(12\" }",
            "  { name = email, type = int, pii = true }",
            "]",
            "checks = [",
            "  { type = sometimes, column = id, severity = error }",
            "  { type = range, column = id, severity = fatal }",
            "  { type = completeness, column = missing, severity = warn }",
            "  { type = pattern, column = id, pattern = \"([a-z\", severity = warn }",
            "  { type = quarantine-rate, severity = error }",
            "]"));
    assertThatThrownBy(() -> TableContracts.load(dir, "broken"))
        .isInstanceOfSatisfying(
            LakehouseException.class,
            e -> {
              assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE);
              assertThat(Arrays.asList(e.getMessage().split("\n")))
                  .satisfiesExactlyInAnyOrder(
                      l ->
                          assertThat(l)
                              .contains("business-key (")
                              .contains("broken.conf:2)")
                              .contains("'nope'"),
                      l -> assertThat(l).contains("event-time").contains("required = true"),
                      l ->
                          assertThat(l)
                              .contains("columns[2]")
                              .contains("broken.conf:7)")
                              .contains("'decimal(12' is not a Spark SQL type"),
                      l ->
                          assertThat(l)
                              .contains("columns[3]")
                              .contains("pii columns must have type = string"),
                      l ->
                          assertThat(l)
                              .contains("checks[0]")
                              .contains("unknown check type 'sometimes'"),
                      l ->
                          assertThat(l)
                              .contains("checks[1]")
                              .contains("severity")
                              .contains("fatal"),
                      l ->
                          assertThat(l)
                              .contains("checks[2]")
                              .contains("'missing', which is not a declared column"),
                      l ->
                          assertThat(l)
                              .contains("checks[3]")
                              .contains("is not a regular expression"),
                      l -> assertThat(l).contains("checks[4]").contains("needs max-fraction"));
            });
  }
}
