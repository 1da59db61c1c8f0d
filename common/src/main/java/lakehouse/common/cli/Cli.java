package lakehouse.common.cli;

import java.io.PrintWriter;
import lakehouse.common.ExitCode;
import lakehouse.common.LakehouseException;
import picocli.CommandLine;

/**
 * Builds command lines whose errors end as one readable message and a documented exit code: usage
 * errors exit 2, {@link LakehouseException}s with their own code, anything else exits 1 with the
 * stack trace (a bug or an infrastructure failure, worth the detail).
 */
public final class Cli {
  private Cli() {}

  /** A command line for the given top-level command with the project's error handling. */
  public static CommandLine commandLine(Object command) {
    CommandLine commandLine = new CommandLine(command);
    commandLine.setParameterExceptionHandler(
        (e, args) -> {
          PrintWriter err = e.getCommandLine().getErr();
          err.println(
              "error: "
                  + e.getMessage()
                  + " (see '"
                  + e.getCommandLine().getCommandSpec().qualifiedName(" ")
                  + " --help')");
          err.flush();
          return ExitCode.USAGE.code();
        });
    commandLine.setExecutionExceptionHandler(
        (e, cmd, parseResult) -> {
          PrintWriter err = cmd.getErr();
          LakehouseException known = findKnown(e);
          if (known != null) {
            err.println("error: " + known.getMessage());
            err.flush();
            return known.exitCode().code();
          }
          err.println("error: job failed: " + e);
          e.printStackTrace(err);
          err.flush();
          return ExitCode.JOB_FAILED.code();
        });
    return commandLine;
  }

  /** The exit code a failure ends with: a user error's own, else {@link ExitCode#JOB_FAILED}. */
  public static ExitCode exitCode(Throwable e) {
    LakehouseException known = findKnown(e);
    return known != null ? known.exitCode() : ExitCode.JOB_FAILED;
  }

  /** What a failure's record says: a user error's one line, else the exception itself. */
  public static String message(Throwable e) {
    LakehouseException known = findKnown(e);
    return known != null ? known.getMessage() : String.valueOf(e);
  }

  /** A user error may arrive wrapped by Spark or a thread pool; find it (null if none). */
  public static LakehouseException findKnown(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof LakehouseException known) {
        return known;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return null;
  }
}
