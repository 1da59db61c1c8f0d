package lakehouse.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import lakehouse.common.ExitCode;
import lakehouse.common.LakehouseRuntime;
import lakehouse.common.cli.LakehouseCommand;
import lakehouse.common.ops.StepLog;
import lakehouse.common.settings.LakehouseSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code report --out DIR}: writes {@code DIR/index.html}, a static one-page report of the whole
 * lake (tables, quality checks, training sets, feature registry, recent runs). The page has no
 * script and no external asset: it opens offline. Exit codes: 0 written, 2 bad {@code --out} or
 * settings, 1 unexpected failure.
 */
@Command(
    name = "report",
    description =
        "Write a static HTML report of the lake: per table freshness, version, rows over versions,"
            + " rejects/quarantine and reasons; per quality check its history and trend; per"
            + " training set its pins, label balance, null rates and lag; the feature registry;"
            + " recent runs.")
public final class ReportCommand extends LakehouseCommand {
  /** The report's file name inside {@code --out}. */
  public static final String FILE = "index.html";

  @Option(
      names = "--out",
      required = true,
      paramLabel = "DIR",
      description = "Folder to write " + FILE + " into (created when missing).")
  Path out;

  @Override
  protected ExitCode run(LakehouseSettings settings) {
    ReportSettings reportSettings = ReportSettings.from(settings);
    if (Files.exists(out) && !Files.isDirectory(out)) {
      throw ReportErrors.outNotDirectory(out.toString());
    }
    return withRuntime(
        settings,
        runtime -> {
          out().println(writeReport(runtime, reportSettings, out));
          return ExitCode.OK;
        });
  }

  /**
   * Gathers, renders and writes the report into {@code dir} (the Java API behind the command, for
   * the demo and DAG-side callers); returns the line the command prints.
   */
  public static String writeReport(LakehouseRuntime runtime, ReportSettings settings, Path dir) {
    ReportFacts facts;
    Path file;
    try (StepLog steps = StepLog.start("report")) {
      facts = new ReportGatherer(runtime, settings).gather(Instant.now(), steps);
      steps.working("rendering the page");
      String html = ReportPage.render(facts);
      steps.step("page rendered (" + (html.length() + 1023) / 1024 + " KiB)");
      steps.working("writing " + dir.resolve(FILE));
      file = write(dir, html);
      steps.step("written to " + file);
    }
    return ReportMessages.written(
        file.toString(),
        facts.tables().size(),
        facts.checks() == null ? 0 : facts.checks().size(),
        facts.trainingSets() == null ? 0 : facts.trainingSets().size());
  }

  /** Writes the page through a temporary file, so a reader never sees half a report. */
  static Path write(Path dir, String html) {
    try {
      Files.createDirectories(dir);
      Path file = dir.resolve(FILE);
      Path partial = Files.createTempFile(dir, ".index-", ".html.tmp");
      if (partial.getFileSystem().supportedFileAttributeViews().contains("posix")) {
        // A temporary file is private to its owner; the page is for everyone who may read dir.
        Files.setPosixFilePermissions(partial, PosixFilePermissions.fromString("rw-r--r--"));
      }
      Files.writeString(partial, html, StandardCharsets.UTF_8);
      Files.move(
          partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return file;
    } catch (IOException e) {
      throw ReportErrors.cannotWrite(dir.toString(), e.toString());
    }
  }
}
