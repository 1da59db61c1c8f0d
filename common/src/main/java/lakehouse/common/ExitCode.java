package lakehouse.common;

/**
 * The documented exit codes of every command and job. Airflow and scripts branch on these, so their
 * numbers never change.
 */
public enum ExitCode {
  /** The command did what it was asked. */
  OK(0),
  /** An unexpected failure inside a job (a bug, a lost executor, an I/O error). */
  JOB_FAILED(1),
  /** Bad command line, bad configuration or a missing input named by the user. */
  USAGE(2),
  /** A quality check of severity {@code error} failed; the target table was not changed. */
  QUALITY_GATE(3),
  /** Input data that cannot be carried without loss (incompatible schema, vacuumed version). */
  DATA_ERROR(4),
  /**
   * Another process was committing to a table this job writes (Delta's optimistic concurrency);
   * this run stopped without leaving anything half-written. Retrying once the other run is done
   * succeeds.
   */
  CONCURRENT_WRITER(5);

  /**
   * Most serious first, for {@link #mostSerious}: 1 (unexpected: a bug or broken infrastructure,
   * nothing is known about its effect), 4 (input that cannot be carried: a person must look at it),
   * 3 (a quality gate held a table back), 5 (another writer: a retry fixes it, so it comes before 2
   * and a retrying scheduler reruns the batch), 2 (usage or configuration of one item; reported
   * again by every rerun), 0.
   */
  private static final java.util.List<ExitCode> BY_SERIOUSNESS =
      java.util.List.of(JOB_FAILED, DATA_ERROR, QUALITY_GATE, CONCURRENT_WRITER, USAGE, OK);

  private final int code;

  ExitCode(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  /**
   * The exit code of a command that ran several items ({@code run bronze --all-sources}, {@code run
   * silver --all-tables}): the most serious of theirs, in the order 1 > 4 > 3 > 5 > 2 > 0; {@link
   * #OK} when there are none.
   */
  public static ExitCode mostSerious(Iterable<ExitCode> outcomes) {
    ExitCode worst = OK;
    for (ExitCode outcome : outcomes) {
      if (BY_SERIOUSNESS.indexOf(outcome) < BY_SERIOUSNESS.indexOf(worst)) {
        worst = outcome;
      }
    }
    return worst;
  }
}
