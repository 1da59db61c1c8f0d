package lakehouse.silver;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import lakehouse.common.ExitCode;
import lakehouse.common.catalog.TableId;
import lakehouse.common.settings.Declarations;
import lakehouse.common.settings.Declarations.Kind;
import lakehouse.common.testing.CliRun;
import lakehouse.common.testing.TestLake;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command's user errors: one readable message and exit code 2. */
class SilverCommandTest {
  @TempDir Path dir;

  CliRun run(String... args) {
    TestLake lake = TestLake.create(dir);
    String[] all = new String[args.length + 6];
    all[0] = "--conf-dir";
    all[1] = TestLake.confDir().toString();
    all[2] = "--conf";
    all[3] = "lakehouse.lake-root=" + lake.lakeRoot();
    all[4] = "--conf";
    all[5] = "lakehouse.landing-root=" + lake.landingRoot();
    System.arraycopy(args, 0, all, 6, args.length);
    return CliRun.of(new SilverCommand(), all);
  }

  @Test
  void needsExactlyOneOfTableAndAllTables() {
    CliRun neither = run();
    assertThat(neither.exitCode()).isEqualTo(ExitCode.USAGE.code());
    assertThat(neither.err()).isEqualTo("error: " + SilverErrors.tableOrAll().getMessage() + "\n");
    assertThat(run("--table", "orders", "--all-tables").exitCode())
        .isEqualTo(ExitCode.USAGE.code());
  }

  @Test
  void namesTheDeclaredTablesForAnUnknownOne() {
    CliRun unknown = run("--table", "ordres");
    assertThat(unknown.exitCode()).isEqualTo(ExitCode.USAGE.code());
    assertThat(unknown.err())
        .contains(
            SilverErrors.unknownTable(
                    "ordres", Declarations.in(TestLake.confDir()).names(Kind.TABLE))
                .getMessage());
  }

  @Test
  void saysWhenBronzeHasNotRunYet() {
    CliRun missing = run("--table", "labels", "--date", "2024-03-01");
    assertThat(missing.exitCode()).as(missing.err()).isEqualTo(ExitCode.USAGE.code());
    assertThat(missing.err())
        .contains(SilverErrors.missingBronze("bronze.labels", "labels").getMessage());
  }

  @Test
  void allTablesRunsEveryTableListsEachFailureAndExitsWithTheMostSerious() {
    TestLake lake = TestLake.create(dir);
    BronzeFixture bronze = new BronzeFixture(lake);
    // customers: no bronze table (2); events: a required column missing (4); labels: fine and
    // must still run after both; orders: no bronze table (2).
    bronze.append(
        "events",
        new StructType()
            .add("customer_id", DataTypes.StringType)
            .add("_ingested_at", DataTypes.TimestampType)
            .add("_source_file", DataTypes.StringType)
            .add("_run_id", DataTypes.StringType)
            .add("_landing_date", DataTypes.DateType),
        "2024-03-01",
        "2024-03-01T06:00:00Z",
        List.<Object[]>of(BronzeFixture.row("C1")));
    bronze.append(
        "labels",
        BronzeFixture.LABELS,
        "2024-03-01",
        "2024-03-01T06:00:00Z",
        List.of(
            BronzeFixture.row("C1", "2024-03-01T00:00:00Z", "true"),
            BronzeFixture.row("C2", "2024-03-01T00:00:00Z", "false")));

    CliRun all = run("--all-tables", "--date", "2024-03-01");

    assertThat(all.exitCode()).as(all.err()).isEqualTo(ExitCode.DATA_ERROR.code());
    List<String> errors = all.err().lines().filter(l -> l.startsWith("error: ")).toList();
    assertThat(errors)
        .containsExactly(
            "error: 3 of 4 tables failed; the others ran:",
            "error: silver customers (exit 2): "
                + SilverErrors.missingBronze("bronze.customers", "customers").getMessage(),
            errors.get(2),
            "error: silver orders (exit 2): "
                + SilverErrors.missingBronze("bronze.orders", "orders").getMessage());
    assertThat(errors.get(2)).startsWith("error: silver events (exit 4): ");
    assertThat(
            lake.spark()
                .read()
                .format("delta")
                .load(lake.runtime().catalog().location(TableId.of("silver", "labels")))
                .count())
        .as("labels ran although tables before it failed")
        .isEqualTo(2);
  }

  @Test
  void rejectsAMalformedDate() {
    CliRun bad = run("--table", "labels", "--date", "03/01/2024");
    assertThat(bad.exitCode()).isEqualTo(ExitCode.USAGE.code());
    assertThat(bad.err()).contains("--date");
  }
}
