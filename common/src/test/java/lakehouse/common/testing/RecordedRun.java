package lakehouse.common.testing;

import java.io.PrintWriter;
import java.util.function.Function;
import lakehouse.common.ExitCode;
import lakehouse.common.LakehouseRuntime;
import lakehouse.common.ops.JobRun;

/** Runs a layer's job in a test as the CLI does: through {@link JobRun}, so it is recorded. */
public final class RecordedRun {
  private RecordedRun() {}

  /** The work's result; its exception, if any, is rethrown after the run was recorded. */
  public static <T> T of(LakehouseRuntime runtime, String job, Function<LakehouseRuntime, T> work) {
    Object[] result = new Object[1];
    JobRun.run(
        runtime,
        job,
        JobRun.newRunId(),
        null,
        new PrintWriter(System.err, true),
        recorded -> {
          result[0] = work.apply(recorded);
          return ExitCode.OK;
        });
    @SuppressWarnings("unchecked")
    T typed = (T) result[0];
    return typed;
  }
}
