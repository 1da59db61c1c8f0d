package lakehouse.common.cli;

import java.io.PrintWriter;
import java.time.LocalDate;
import lakehouse.common.LakehouseRuntime;
import lakehouse.common.settings.Declarations;

/**
 * A command that runs one job per declaration of a kind ({@code run bronze}, {@code run silver},
 * {@code run gold}, {@code training-set build}): {@link #runOne} is the entry point its own command
 * line and the demo share. The demo finds these commands among the program's and runs every
 * declaration of {@link Declarations}, kind after kind, one recorded job run each.
 */
public interface DeclaredJob {
  /** The kind of declaration the command runs. */
  Declarations.Kind kind();

  /** The job run's target for a declaration, as the command records it (e.g. {@code bronze.x}). */
  String target(LakehouseRuntime runtime, String name);

  /**
   * Runs the job of one declaration on a runtime the caller holds (and records, see {@code
   * JobRun}), printing what the command prints.
   *
   * @param from the first landing day the run covers
   * @param to the run date, the last landing day it covers
   */
  void runOne(LakehouseRuntime runtime, String name, LocalDate from, LocalDate to, PrintWriter out);
}
