package lakehouse.training;

import java.io.PrintWriter;
import java.nio.file.Path;
import lakehouse.common.LakehouseRuntime;
import lakehouse.common.catalog.TableId;

/**
 * The demo's training-set step: builds the churn training set from {@code
 * conf/training/churn.conf}. The demo runs {@link #run} as a {@code training-set build} job run
 * (recorded in {@code _ops.runs}, with lineage), after {@link #skipReason} found its inputs.
 */
public final class TrainingDemo {
  private TrainingDemo() {}

  /** Why the churn set cannot be built on this lake (a missing input), or null when it can. */
  public static String skipReason(LakehouseRuntime runtime) {
    TrainingSpec spec = spec(runtime);
    for (TrainingSpec.FeatureRef ref : spec.features()) {
      if (!runtime.catalog().exists(ref.table())) {
        return "training-set: skipped, " + ref.table() + " does not exist (run gold first)";
      }
    }
    TableId spine = spec.spine().table();
    if (spine != null && !runtime.catalog().exists(spine)) {
      return "training-set: skipped, " + spine + " does not exist (run silver first)";
    }
    return null;
  }

  /** Builds the sample's churn training set, prints its manifest and returns it. */
  public static TrainingSetManifest run(LakehouseRuntime runtime, PrintWriter out) {
    TrainingSetManifest manifest =
        TrainingSetBuilder.build(runtime, spec(runtime), BuildOptions.defaults());
    out.println();
    out.println("Training set (bin/lakehouse training-set show " + manifest.trainingSetId() + "):");
    out.println(TrainingSetCommand.describe(manifest));
    out.println(
        "Rebuild it bit for bit: bin/lakehouse training-set rebuild " + manifest.trainingSetId());
    out.flush();
    return manifest;
  }

  private static TrainingSpec spec(LakehouseRuntime runtime) {
    Path specFile = runtime.settings().confDir().resolve("training").resolve("churn.conf");
    return TrainingSpec.load(specFile);
  }
}
