package lakehouse.common;

/**
 * The documented exit codes of every command and job. Airflow and scripts branch on these, so
 * their numbers never change.
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

  private final int code;

  ExitCode(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }
}
