package lakehouse.gold.drift;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import lakehouse.common.LakehouseRuntime;
import lakehouse.common.catalog.TableId;
import lakehouse.common.ops.StepLog;
import lakehouse.common.ops.TrainingSetGate;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The drift gate of a training-set build ({@code drift { gate = true }} in its spec): the rows
 * about to be written against the latest snapshot of each gold feature set they came from, as
 * {@code training-set drift} compares a recorded build. An error-severity breach records the
 * comparison in the training set's drift table and stops the build with exit 3 before anything is
 * written; a warn-severity one is a warning of the run. Found by the training-set builder through
 * {@link java.util.ServiceLoader} ({@code META-INF/services}).
 */
public final class TrainingSetDriftGate implements TrainingSetGate {

  @Override
  public void check(
      LakehouseRuntime runtime,
      String name,
      String buildId,
      String spec,
      Dataset<Row> rows,
      StepLog steps) {
    steps.working("drift gate: profiling the features and their latest snapshots");
    DriftComparison comparison = TrainingSetDrift.compareRows(runtime, name, buildId, spec, rows);
    List<DriftResult> errors = comparison.errors();
    if (!errors.isEmpty()) {
      TableId table = DriftSpec.defaults(runtime.settings()).trainingDriftTable(name);
      new DriftStore(runtime.spark(), runtime.catalog(), table)
          .append(UUID.randomUUID().toString(), Instant.now(), comparison);
      throw DriftErrors.gateFailed(
          "training set " + name,
          "build " + buildId,
          comparison.current(),
          errors,
          table.toString());
    }
    for (DriftResult r : comparison.flagged()) {
      runtime
          .stats()
          .warn(
              "drift "
                  + name
                  + "."
                  + r.feature()
                  + " against "
                  + comparison.current()
                  + ": "
                  + r.direction()
                  + "; "
                  + String.join(", ", r.breaches()));
    }
    steps.step(
        "drift gate passed: "
            + comparison.results().size()
            + " features against "
            + comparison.current()
            + ", "
            + comparison.flagged().size()
            + " flagged");
  }
}
