package lakehouse.common.testing;

import java.io.PrintWriter;
import java.io.StringWriter;
import lakehouse.common.cli.Cli;
import picocli.CommandLine;

/** Runs a command line in-process and captures what it printed, for CLI tests. */
public record CliRun(int exitCode, String out, String err) {

  public static CliRun of(Object command, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine commandLine = Cli.commandLine(command);
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    int code = commandLine.execute(args);
    return new CliRun(code, out.toString(), err.toString());
  }
}
