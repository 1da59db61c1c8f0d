package lakehouse.gold.drift;

import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;
import lakehouse.common.ExitCode;
import lakehouse.common.cli.LakehouseCommand;
import lakehouse.common.ops.StepLog;
import lakehouse.common.settings.LakehouseSettings;
import lakehouse.gold.GoldSettings;
import lakehouse.gold.declarations.FeatureSet;
import lakehouse.gold.declarations.FeatureSetLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code features drift --feature-set S --date D [--reference D1..D2]}: compares the profiles of a
 * snapshot day with those of a reference window (default: the set's {@code reference-days} days
 * before D), prints every feature's measures worst first, records the comparison in the drift
 * table, and exits 3 when a feature breaches an error threshold.
 */
@Command(
    name = "drift",
    description =
        "Drift of a feature set's snapshot day against a reference window: PSI, KS "
            + "distance and null-rate change per feature, worst first. Days without a profile are "
            + "profiled from gold.<set> first. Exit codes: 0 no error-severity breach, 2 bad "
            + "arguments or no snapshot, 3 a feature breaches an error threshold.")
public final class FeaturesDriftCommand extends LakehouseCommand {
  @Option(
      names = "--feature-set",
      required = true,
      paramLabel = "NAME",
      description = "The feature set.")
  String featureSet;

  @Option(
      names = "--date",
      required = true,
      paramLabel = "DATE",
      description = "The snapshot day checked (yyyy-MM-dd).")
  LocalDate date;

  @Option(
      names = "--reference",
      paramLabel = "DAY|FROM..TO",
      description =
          "The reference: a day or a range of days (default: the reference-days days "
              + "before --date).")
  String reference;

  @Option(names = "--format", description = "table or json (default: ${DEFAULT-VALUE}).")
  String format = "table";

  @Override
  protected ExitCode run(LakehouseSettings settings) {
    String chosen = DriftOutput.format(format);
    GoldSettings gold = GoldSettings.from(settings);
    FeatureSet set = new FeatureSetLoader(gold.featuresDir(), gold).load(featureSet);
    DriftSpec spec = DriftSpec.forFeatureSet(settings, gold.featuresDir(), set.name());
    FeatureSetDrift.Window window =
        FeatureSetDrift.Window.parse(reference, date, spec.referenceDays());
    return withRuntime(
        settings,
        runtime -> {
          try (StepLog steps = StepLog.start("features drift " + set.name())) {
            ProfileStore store =
                new ProfileStore(runtime.spark(), runtime.catalog(), spec.profileTable(set.name()));
            // Days without a profile are profiled from gold.<set> first: the long part.
            steps.working(
                "reading (or making) the profiles of "
                    + date
                    + " and "
                    + window
                    + " in "
                    + spec.profileTable(set.name()));
            DriftComparison comparison =
                FeatureSetDrift.compare(runtime, spec, set, store, date, window, null, steps);
            steps.step(
                date
                    + " compared with "
                    + window
                    + ": "
                    + comparison.results().size()
                    + " features, "
                    + comparison.flagged().size()
                    + " flagged");
            steps.working("recording the comparison in " + spec.driftTable(set.name()));
            new DriftStore(runtime.spark(), runtime.catalog(), spec.driftTable(set.name()))
                .append(UUID.randomUUID().toString(), Instant.now(), comparison);
            steps.step("comparison recorded in " + spec.driftTable(set.name()));
            DriftOutput.print(out(), comparison, chosen);
            return DriftOutput.exitCode(comparison);
          }
        });
  }
}
