package lakehouse.gold.drift;

import java.time.Instant;
import java.util.UUID;
import lakehouse.common.ExitCode;
import lakehouse.common.catalog.TableId;
import lakehouse.common.cli.LakehouseCommand;
import lakehouse.common.ops.StepLog;
import lakehouse.common.settings.LakehouseSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code training-set drift ID [--against latest|DATE]}: training/serving skew of a recorded build
 * against a snapshot day of its feature tables (the latest by default). Registered below {@code
 * training-set} by the application's CLI.
 */
@Command(
    name = "drift",
    description =
        "Training/serving skew: the features of a training-set build (the reference) "
            + "against a snapshot day of the gold feature tables they came from (--against latest, "
            + "the default, or a day): PSI, KS distance and null-rate change per feature, worst "
            + "first. Exit codes: 0 no error-severity breach, 2 unknown id or no snapshot, 3 a "
            + "feature breaches an error threshold of its feature set.")
public final class TrainingSetDriftCommand extends LakehouseCommand {
  @Parameters(index = "0", paramLabel = "ID", description = "Build id or a unique prefix.")
  String id;

  @Option(
      names = "--against",
      paramLabel = "latest|DATE",
      description = "The snapshot day compared with (default: ${DEFAULT-VALUE}).")
  String against = "latest";

  @Option(names = "--format", description = "table or json (default: ${DEFAULT-VALUE}).")
  String format = "table";

  @Override
  protected ExitCode run(LakehouseSettings settings) {
    String chosen = DriftOutput.format(format);
    DriftSpec defaults = DriftSpec.defaults(settings);
    return withRuntime(
        settings,
        runtime -> {
          try (StepLog steps = StepLog.start("training-set drift " + id)) {
            steps.working("profiling the build's features and the snapshot they are served from");
            DriftComparison comparison = TrainingSetDrift.compare(runtime, id, against);
            steps.step(
                comparison.current()
                    + " against "
                    + comparison.reference()
                    + ": "
                    + comparison.results().size()
                    + " features, "
                    + comparison.flagged().size()
                    + " flagged");
            TableId table = defaults.trainingDriftTable(comparison.subject());
            steps.working("recording the comparison in " + table);
            new DriftStore(runtime.spark(), runtime.catalog(), table)
                .append(UUID.randomUUID().toString(), Instant.now(), comparison);
            steps.step("comparison recorded in " + table);
            DriftOutput.print(out(), comparison, chosen);
            return DriftOutput.exitCode(comparison);
          }
        });
  }
}
