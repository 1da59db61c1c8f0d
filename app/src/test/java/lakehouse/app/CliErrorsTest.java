package lakehouse.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import lakehouse.common.testing.CliRun;
import lakehouse.common.testing.TestLake;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every user error ends with exit code 2 and one readable line, without a stack trace. */
class CliErrorsTest {

  private static void assertUsageError(CliRun run, String expectedLine) {
    assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
    assertThat(run.err().lines().toList()).as(run.err()).containsExactly(expectedLine);
    assertThat(run.out()).isEmpty();
  }

  @Test
  void unknownEnvironment() {
    CliRun run = CliRun.of(new LakehouseCli(), "tables", "--env", "staging");
    assertUsageError(
        run,
        "error: unknown environment 'staging': expected one of local, prod "
            + "(files in "
            + TestLake.confDir().resolve("env")
            + ")");
  }

  @Test
  void wrongTypedOverride() {
    CliRun run =
        CliRun.of(
            new LakehouseCli(), "tables", "--conf", "lakehouse.spark.shuffle-partitions=many");
    assertUsageError(
        run,
        "error: configuration (env local): lakehouse.spark.shuffle-partitions "
            + "(from --conf): must be a whole number, got \"many\"");
  }

  @Test
  void missingRequiredValue(@TempDir Path dir) throws Exception {
    Path conf = dir.resolve("conf");
    Files.createDirectories(conf.resolve("env"));
    Files.writeString(
        conf.resolve("application.conf"),
        Files.readString(TestLake.confDir().resolve("application.conf"))
            .replace("lake-root = \"work/lake\"", ""));
    Files.writeString(conf.resolve("env/local.conf"), "");
    CliRun run = CliRun.of(new LakehouseCli(), "tables", "--conf-dir", conf.toString());
    assertUsageError(
        run, "error: configuration (env local): lakehouse.lake-root: is required but missing");
  }

  @Test
  void unknownCommand() {
    CliRun run = CliRun.of(new LakehouseCli(), "frobnicate");
    assertUsageError(
        run, "error: Unmatched argument at index 0: 'frobnicate' (see 'lakehouse --help')");
  }

  @Test
  void noCommand() {
    CliRun run = CliRun.of(new LakehouseCli());
    assertUsageError(run, "error: a command is required (see 'lakehouse --help')");
  }

  @Test
  void unknownOptionOfASubcommand() {
    CliRun run = CliRun.of(new LakehouseCli(), "tables", "--colour");
    assertUsageError(run, "error: Unknown option: '--colour' (see 'lakehouse tables --help')");
  }

  @Test
  void badFormat() {
    CliRun run = CliRun.of(new LakehouseCli(), "tables", "--format", "xml");
    assertUsageError(run, "error: --format must be table, csv or json, got 'xml'");
  }

  @Test
  void badSampleOptions(@TempDir Path dir) {
    CliRun run =
        CliRun.of(
            new LakehouseCli(),
            "generate-sample",
            "--out",
            dir.resolve("landing").toString(),
            "--days",
            "0");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).startsWith("error: ").doesNotContain("Exception");
  }

  @Test
  void helpIsOnEveryCommand() {
    for (String command :
        new String[] {"demo", "generate-sample", "tables", "history", "sql", "run"}) {
      CliRun run = CliRun.of(new LakehouseCli(), command, "--help");
      assertThat(run.exitCode()).as(command).isZero();
      assertThat(run.out()).as(command).startsWith("Usage: lakehouse " + command);
    }
  }
}
