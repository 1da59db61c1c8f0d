package lakehouse.app;

import lakehouse.common.cli.Cli;
import lakehouse.gold.FeaturesCommand;
import lakehouse.gold.drift.TrainingSetDriftCommand;
import lakehouse.report.ReportCommand;
import lakehouse.sample.demo.DemoCommand;
import lakehouse.sample.demo.GenerateSampleCommand;
import lakehouse.timetravel.DiffCommand;
import lakehouse.timetravel.MaintenanceCommand;
import lakehouse.timetravel.RestoreCommand;
import lakehouse.training.TrainingSetCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The lakehouse command line: {@code bin/lakehouse COMMAND ...} locally, or {@code spark-submit
 * --class lakehouse.app.LakehouseCli lakehouse.jar COMMAND ...} on a cluster. Exit codes: 0 ok, 1
 * job failed, 2 usage or configuration error, 3 quality gate failed, 4 data error.
 */
@Command(
    name = "lakehouse",
    mixinStandardHelpOptions = true,
    version = "lakehouse 0.1.0",
    description =
        "Spark batch lakehouse: bronze, silver, gold and point-in-time training sets "
            + "on Delta Lake.",
    footer = {
      "",
      "Exit codes: 0 ok, 1 job failed, 2 usage or configuration error, "
          + "3 quality gate failed, 4 data error."
    },
    subcommands = {
      DemoCommand.class,
      GenerateSampleCommand.class,
      RunCommand.class,
      TablesCommand.class,
      HistoryCommand.class,
      SqlCommand.class,
      RunsCommand.class,
      ReportCommand.class,
      TrainingSetCommand.class,
      FeaturesCommand.class,
      DiffCommand.class,
      RestoreCommand.class,
      MaintenanceCommand.class,
      CommandLine.HelpCommand.class,
    })
public final class LakehouseCli implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "a command is required");
  }

  /**
   * The command line of every command. {@code training-set drift} lives in the gold module (it
   * reads gold's profiles and drift settings), which {@code feature-jobs} does not depend on, so it
   * is added to {@code training-set} here, where every module is on the classpath.
   */
  public static CommandLine commandLine() {
    CommandLine commandLine = Cli.commandLine(new LakehouseCli());
    commandLine
        .getSubcommands()
        .get("training-set")
        .addSubcommand("drift", new TrainingSetDriftCommand());
    return commandLine;
  }

  /**
   * Runs the command and exits with its code — except after a success in cluster deploy mode, where
   * the driver returns normally: YARN's ApplicationMaster takes a {@code System.exit} from user
   * code for an early exit and marks the application failed. The outcome then reaches the caller
   * through {@code --result-file} (and the application's final state).
   */
  public static void main(String[] args) {
    int code = commandLine().execute(args);
    if (code != 0 || !"cluster".equals(System.getProperty("spark.submit.deployMode"))) {
      System.exit(code);
    }
  }
}
