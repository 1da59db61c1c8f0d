package lakehouse.timetravel;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code maintenance optimize|vacuum [--table T]}: compaction and guarded file cleanup. */
@Command(
    name = "maintenance",
    mixinStandardHelpOptions = true,
    description =
        "Table maintenance: compact small files (optimize) and remove files no "
            + "longer needed (vacuum, guarded so recorded training sets stay rebuildable).",
    subcommands = {OptimizeCommand.class, VacuumCommand.class})
public final class MaintenanceCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(
        spec.commandLine(), "a subcommand is required: optimize or vacuum");
  }
}
