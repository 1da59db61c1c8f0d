package lakehouse.common;

/**
 * An error a user can cause and act on: it ends the command with one readable message and its
 * {@link ExitCode}, never with a stack trace.
 */
public class LakehouseException extends RuntimeException {
  private final ExitCode exitCode;

  public LakehouseException(ExitCode exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  public LakehouseException(ExitCode exitCode, String message, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  public ExitCode exitCode() {
    return exitCode;
  }

  /** Bad configuration, bad arguments or a missing input: exit code 2. */
  public static LakehouseException usage(String message) {
    return new LakehouseException(ExitCode.USAGE, message);
  }

  /** Input data that cannot be carried without loss: exit code 4. */
  public static LakehouseException data(String message) {
    return new LakehouseException(ExitCode.DATA_ERROR, message);
  }
}
