package lakehouse.training;

import java.io.PrintWriter;
import java.nio.file.Path;
import lakehouse.common.LakehouseRuntime;
import lakehouse.common.catalog.TableId;

/** The demo's last step: builds the churn training set from {@code conf/training/churn.conf}. */
public final class TrainingDemo {
  private TrainingDemo() {}

  /** Builds the sample's churn training set and prints its manifest; returns it (null if skipped). */
  public static TrainingSetManifest run(LakehouseRuntime runtime, PrintWriter out) {
    Path specFile = runtime.settings().confDir().resolve("training").resolve("churn.conf");
    TrainingSpec spec = TrainingSpec.load(specFile);
    for (TrainingSpec.FeatureRef ref : spec.features()) {
      if (!runtime.catalog().exists(ref.table())) {
        out.println("training-set: skipped, " + ref.table() + " does not exist (run gold first)");
        return null;
      }
    }
    TableId spine = spec.spine().table();
    if (spine != null && !runtime.catalog().exists(spine)) {
      out.println("training-set: skipped, " + spine + " does not exist (run silver first)");
      return null;
    }
    TrainingSetManifest manifest = TrainingSetBuilder.build(runtime, spec,
        BuildOptions.defaults());
    out.println();
    out.println("Training set (bin/lakehouse training-set show " + manifest.trainingSetId() + "):");
    out.println(TrainingSetCommand.describe(manifest));
    out.println("Rebuild it bit for bit: bin/lakehouse training-set rebuild "
        + manifest.trainingSetId());
    out.flush();
    return manifest;
  }
}
