package lakehouse.common.ops;

import java.util.List;
import java.util.ServiceLoader;
import lakehouse.common.LakehouseRuntime;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * A check a training-set build runs on its joined rows before it writes anything: gold's drift gate
 * (training/serving skew against the latest feature snapshots). The training module finds the
 * implementations with {@link ServiceLoader}, so it and gold stay two layers that depend on {@code
 * common} only; the application jar holds both.
 */
public interface TrainingSetGate {

  /**
   * Checks build {@code buildId} of training set {@code name} before it is published.
   *
   * @param spec the build's spec as the manifest stores it (JSON, valid HOCON)
   * @param rows the rows the build is about to write (cached by the caller)
   * @throws lakehouse.common.LakehouseException to stop the build (exit 3 for a breach); warnings
   *     go to {@code runtime.stats()}
   */
  void check(
      LakehouseRuntime runtime,
      String name,
      String buildId,
      String spec,
      Dataset<Row> rows,
      StepLog steps);

  /** The gates on the class path. */
  static List<TrainingSetGate> available() {
    return ServiceLoader.load(TrainingSetGate.class).stream()
        .map(ServiceLoader.Provider::get)
        .toList();
  }
}
