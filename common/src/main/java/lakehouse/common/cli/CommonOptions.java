package lakehouse.common.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import lakehouse.common.settings.ConfigLoader;
import lakehouse.common.settings.LakehouseSettings;
import picocli.CommandLine.Option;

/** The options every command takes to find and override its configuration. */
public final class CommonOptions {
  @Option(
      names = "--env",
      paramLabel = "ENV",
      description = "Environment overlay conf/env/ENV.conf (default: $LAKEHOUSE_ENV or local).")
  String env;

  @Option(
      names = "--conf",
      paramLabel = "KEY=VALUE",
      description =
          "Override any setting, e.g. --conf lakehouse.spark.shuffle-partitions=16 "
              + "(repeatable).")
  List<String> overrides = new ArrayList<>();

  @Option(
      names = "--conf-dir",
      paramLabel = "DIR",
      description = "Configuration directory (default: $LAKEHOUSE_CONF_DIR or ./conf).")
  Path confDir;

  @Option(
      names = "--result-file",
      paramLabel = "URI",
      description =
          "Also write the outcome (status, exit code, message, tables written) as JSON "
              + "to this local path or s3a:// URI, for callers that cannot see the exit code "
              + "(spark-submit in cluster deploy mode).")
  String resultFile;

  @Option(
      names = "--run-id",
      paramLabel = "ID",
      description =
          "The job's id in the run history (_ops.runs) and its result file; a new "
              + "one for every run (letters, digits, '.', '_', '-'). Default: a random UUID.")
  String runId;

  private LakehouseSettings settings;

  /**
   * The configuration options given ({@code --env}, {@code --conf-dir}, {@code --conf}), as
   * arguments for another command run on the same configuration.
   */
  public List<String> arguments() {
    List<String> args = new ArrayList<>();
    if (env != null) {
      args.addAll(List.of("--env", env));
    }
    if (confDir != null) {
      args.addAll(List.of("--conf-dir", confDir.toString()));
    }
    overrides.forEach(override -> args.addAll(List.of("--conf", override)));
    return args;
  }

  /** Where to write the command's result file ({@code ResultFile}), or null. */
  public String resultFile() {
    return resultFile;
  }

  /** The run id the caller chose, or null. */
  public String runId() {
    return runId;
  }

  /** The settings if they loaded, else null (for writing a result after a settings error). */
  public LakehouseSettings loadedSettings() {
    return settings;
  }

  /** Loads and validates the settings once per command. */
  public LakehouseSettings settings() {
    if (settings == null) {
      Path dir = confDir != null ? confDir : ConfigLoader.defaultConfDir();
      settings =
          LakehouseSettings.load(dir, env != null ? env : ConfigLoader.defaultEnv(), overrides);
    }
    return settings;
  }
}
