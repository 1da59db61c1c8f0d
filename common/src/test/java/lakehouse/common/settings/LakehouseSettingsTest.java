package lakehouse.common.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import lakehouse.common.ExitCode;
import lakehouse.common.LakehouseException;
import lakehouse.common.testing.TestLake;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LakehouseSettingsTest {
  private final Path conf = TestLake.confDir();

  @Test
  void localDefaultsResolveToAbsoluteFileUris() {
    LakehouseSettings settings = LakehouseSettings.load(conf, "local", List.of());
    assertThat(settings.env()).isEqualTo("local");
    assertThat(settings.lakeRoot()).startsWith("file:/").endsWith("/work/lake");
    assertThat(settings.landingRoot()).startsWith("file:/").endsWith("/work/landing");
    assertThat(settings.spark().shufflePartitions()).isEqualTo(4);
    assertThat(settings.catalog().type()).isEqualTo("lake");
    assertThat(settings.tables().deletedFileRetention()).isEqualTo(Duration.ofDays(7));
    assertThat(settings.tables().inCommitTimestamps()).isTrue();
  }

  @Test
  void prodOverlayPutsTheLakeOnS3WithTheCredentialChain() {
    LakehouseSettings settings = LakehouseSettings.load(conf, "prod", List.of());
    assertThat(settings.lakeRoot()).startsWith("s3a://");
    assertThat(settings.s3().credentialsProvider())
        .isEqualTo("com.amazonaws.auth.DefaultAWSCredentialsProviderChain");
    assertThat(settings.config().hasPath("lakehouse.s3.access-key")).isFalse();
  }

  @Test
  void overridesWinOverTheEnvironmentOverlay() {
    LakehouseSettings settings =
        LakehouseSettings.load(
            conf,
            "local",
            List.of("lakehouse.spark.shuffle-partitions=16", "lakehouse.catalog.type=HIVE"));
    assertThat(settings.spark().shufflePartitions()).isEqualTo(16);
    assertThat(settings.catalog().type()).isEqualTo("hive");
  }

  @Test
  void unknownSettingsAreErrorsNamingWhereTheyCameFrom(@TempDir Path dir) throws Exception {
    Path copy = dir.resolve("conf");
    Files.createDirectories(copy.resolve("env"));
    Files.copy(conf.resolve("application.conf"), copy.resolve("application.conf"));
    Files.writeString(
        copy.resolve("env/local.conf"),
        "lakehouse {\n  spark.master = \"local[2]\"\n  spark.shufle-partitions = 4\n}\n");
    assertThatThrownBy(
            () ->
                LakehouseSettings.load(
                    copy,
                    "local",
                    List.of(
                        "lakehouse.no-such-key=1",
                        "lakehouse.spark.conf.spark.executor.memory=2g",
                        "lakehouse.silver.pii-salt=pepper")))
        .isInstanceOf(LakehouseException.class)
        .satisfies(e -> assertThat(((LakehouseException) e).exitCode()).isEqualTo(ExitCode.USAGE))
        .hasMessage(
            copy.resolve("env/local.conf")
                + ":3: unknown setting 'lakehouse.spark.shufle-partitions' (every setting and its"
                + " default is in application.conf)\n"
                + "--conf: unknown setting 'lakehouse.no-such-key' (every setting and its default"
                + " is in application.conf)");
  }

  @Test
  void unknownEnvironmentNamesTheKnownOnes() {
    assertThatThrownBy(() -> LakehouseSettings.load(conf, "staging", List.of()))
        .isInstanceOf(LakehouseException.class)
        .hasMessageStartingWith("unknown environment 'staging': expected one of local, prod")
        .satisfies(e -> assertThat(((LakehouseException) e).exitCode()).isEqualTo(ExitCode.USAGE));
  }

  @Test
  void wrongTypedOverrideNamesTheSettingAndTheValue() {
    assertThatThrownBy(
            () ->
                LakehouseSettings.load(
                    conf, "local", List.of("lakehouse.spark.shuffle-partitions=abc")))
        .isInstanceOf(LakehouseException.class)
        .hasMessage(
            "configuration (env local): lakehouse.spark.shuffle-partitions (from --conf):"
                + " must be a whole number, got \"abc\"");
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    assertThatThrownBy(
            () ->
                LakehouseSettings.load(
                    conf,
                    "local",
                    List.of(
                        "lakehouse.spark.shuffle-partitions=0",
                        "lakehouse.tables.log-retention=forever",
                        "lakehouse.catalog.type=glue",
                        "lakehouse.lake-root=s3://bucket/lake")))
        .isInstanceOf(LakehouseException.class)
        .satisfies(e -> assertThat(e.getMessage().lines().toList()).hasSize(4))
        .hasMessageContaining("lakehouse.lake-root (from --conf): use s3a://")
        .hasMessageContaining(
            "lakehouse.spark.shuffle-partitions (from --conf): must be at least 1")
        .hasMessageContaining("lakehouse.catalog.type (from --conf): must be one of hive, lake")
        .hasMessageContaining("lakehouse.tables.log-retention (from --conf): must be a duration");
  }

  @Test
  void missingRequiredValueIsNamedWithItsFile(@TempDir Path dir) throws Exception {
    Path custom = copyConf(dir);
    Files.writeString(
        custom.resolve("application.conf"),
        Files.readString(custom.resolve("application.conf")).replace("master = \"local[*]\"", ""));
    Files.writeString(custom.resolve("env/local.conf"), "lakehouse.spark.shuffle-partitions = 2\n");
    assertThatThrownBy(() -> LakehouseSettings.load(custom, "local", List.of()))
        .isInstanceOf(LakehouseException.class)
        .hasMessage("configuration (env local): lakehouse.spark.master: is required but missing");
  }

  @Test
  void unreadableFileIsNamed(@TempDir Path dir) throws Exception {
    Path custom = copyConf(dir);
    Files.writeString(custom.resolve("env/local.conf"), "lakehouse { spark = [ \n");
    assertThatThrownBy(() -> LakehouseSettings.load(custom, "local", List.of()))
        .isInstanceOf(LakehouseException.class)
        .hasMessageStartingWith("cannot read " + custom.resolve("env/local.conf"));
  }

  @Test
  void missingConfigurationDirectoryIsNamed(@TempDir Path dir) {
    assertThatThrownBy(() -> LakehouseSettings.load(dir.resolve("nowhere"), "local", List.of()))
        .isInstanceOf(LakehouseException.class)
        .hasMessageContaining("nowhere has no application.conf");
  }

  @Test
  void malformedOverrideIsRejected() {
    assertThatThrownBy(() -> LakehouseSettings.load(conf, "local", List.of("no-equals-sign")))
        .hasMessage("--conf 'no-equals-sign' must look like key=value");
  }

  private Path copyConf(Path dir) throws Exception {
    Path custom = dir.resolve("conf");
    Files.createDirectories(custom.resolve("env"));
    Files.copy(conf.resolve("application.conf"), custom.resolve("application.conf"));
    Files.copy(conf.resolve("env/local.conf"), custom.resolve("env/local.conf"));
    return custom;
  }
}
