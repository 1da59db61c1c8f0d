package lakehouse.sample.demo;

import java.io.PrintWriter;
import lakehouse.common.LakehouseRuntime;
import lakehouse.common.catalog.TableId;
import lakehouse.common.settings.Declarations;
import lakehouse.training.TrainingSetCommand;
import lakehouse.training.TrainingSetManifest;
import lakehouse.training.TrainingSetManifests;
import lakehouse.training.TrainingSpec;

/**
 * The demo's training-set step around {@code training-set build}: whether a declared spec's inputs
 * exist on this lake ({@link #skipReason}), and the build it made ({@link #show}).
 */
final class TrainingStep {
  private TrainingStep() {}

  /** Why the spec cannot be built on this lake (a missing input), or null when it can. */
  static String skipReason(LakehouseRuntime runtime, String name) {
    TrainingSpec spec =
        TrainingSpec.load(
            Declarations.of(runtime.settings()).file(Declarations.Kind.TRAINING_SPEC, name));
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

  /** Prints the newest build of the training set {@code name}: its manifest and how to rebuild. */
  static void show(LakehouseRuntime runtime, String name, PrintWriter out) {
    TrainingSetManifest manifest =
        new TrainingSetManifests(runtime.spark(), runtime.catalog())
            .all().stream()
                .filter(m -> m.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no build of " + name + " recorded"));
    out.println();
    out.println("Training set (bin/lakehouse training-set show " + manifest.trainingSetId() + "):");
    out.println(TrainingSetCommand.describe(manifest));
    out.println(
        "Rebuild it bit for bit: bin/lakehouse training-set rebuild " + manifest.trainingSetId());
    out.flush();
  }
}
