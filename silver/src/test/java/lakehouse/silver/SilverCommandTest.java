package lakehouse.silver;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import lakehouse.common.ExitCode;
import lakehouse.common.testing.CliRun;
import lakehouse.common.testing.TestLake;
import lakehouse.silver.contract.TableContracts;
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
    assertThat(neither.err()).isEqualTo("error: " + SilverMessages.TABLE_OR_ALL + "\n");
    assertThat(run("--table", "orders", "--all-tables").exitCode())
        .isEqualTo(ExitCode.USAGE.code());
  }

  @Test
  void namesTheDeclaredTablesForAnUnknownOne() {
    CliRun unknown = run("--table", "ordres");
    assertThat(unknown.exitCode()).isEqualTo(ExitCode.USAGE.code());
    assertThat(unknown.err()).contains(SilverMessages.unknownTable("ordres",
        TableContracts.names(TestLake.confDir())));
  }

  @Test
  void saysWhenBronzeHasNotRunYet() {
    CliRun missing = run("--table", "labels", "--date", "2024-03-01");
    assertThat(missing.exitCode()).as(missing.err()).isEqualTo(ExitCode.USAGE.code());
    assertThat(missing.err()).contains(SilverMessages.missingBronze("bronze.labels", "labels"));
  }

  @Test
  void allTablesRunsTheDeclaredTablesInNameOrder() {
    CliRun all = run("--all-tables", "--date", "2024-03-01");
    assertThat(all.exitCode()).as(all.err()).isEqualTo(ExitCode.USAGE.code());
    assertThat(all.err()).as("customers comes first")
        .contains(SilverMessages.missingBronze("bronze.customers", "customers"));
  }

  @Test
  void rejectsAMalformedDate() {
    CliRun bad = run("--table", "labels", "--date", "03/01/2024");
    assertThat(bad.exitCode()).isEqualTo(ExitCode.USAGE.code());
    assertThat(bad.err()).contains("--date");
  }
}
