package lakehouse.app;

import lakehouse.bronze.BronzeCommand;
import lakehouse.gold.GoldCommand;
import lakehouse.silver.SilverCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code run LAYER ...}: runs one job of a layer, as Airflow does. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = "Run one job of a layer.",
    subcommands = {
      BronzeCommand.class,
      SilverCommand.class,
      GoldCommand.class,
    })
public final class RunCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "a layer is required");
  }
}
