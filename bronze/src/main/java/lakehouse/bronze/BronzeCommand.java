package lakehouse.bronze;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import lakehouse.common.ExitCode;
import lakehouse.common.LakehouseRuntime;
import lakehouse.common.cli.DeclaredJob;
import lakehouse.common.cli.LakehouseCommand;
import lakehouse.common.ops.Job;
import lakehouse.common.settings.Declarations;
import lakehouse.common.settings.Declarations.Kind;
import lakehouse.common.settings.LakehouseSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code run bronze --source NAME [--date YYYY-MM-DD]}: ingests the source's new landed files into
 * {@code bronze.<source>}, prints the run's summary and records it in the runs table. Exit codes: 0
 * (ingested, or nothing new), 2 (unknown source, bad declaration, missing landing location), 4 (an
 * unreadable parquet file, a landed file gone or changed since it was listed), 5 (another run was
 * writing the same table; this run wrote nothing), 1 (anything unexpected). With {@code
 * --all-sources} every declared source runs whatever happens to the others; the failures are listed
 * at the end, one line each (an unexpected one's stack trace is printed when it happens), and the
 * command exits with the most serious code ({@link ExitCode#mostSerious}: 1 > 4 > 3 > 5 > 2).
 */
@Command(
    name = "bronze",
    description = "Ingest new landed files of a source into bronze.<source>, exactly once.")
public final class BronzeCommand extends LakehouseCommand
    implements DeclaredJob<BronzeJob.Request, BronzeReport> {
  @Option(
      names = "--source",
      paramLabel = "NAME",
      description = "The source to ingest, declared in conf/sources/NAME.conf.")
  String source;

  @Option(names = "--all-sources", description = "Ingest every declared source, one after another.")
  boolean allSources;

  @Option(
      names = "--date",
      paramLabel = "YYYY-MM-DD",
      description = "Take landing folders up to and including this date (default: all).")
  LocalDate date;

  @Override
  protected ExitCode run(LakehouseSettings settings) {
    if (allSources == (source != null)) {
      throw allSources ? BronzeErrors.sourceAndAll() : BronzeErrors.sourceRequired();
    }
    List<String> sources = new ArrayList<>();
    if (allSources) {
      sources.addAll(Declarations.of(settings).names(Kind.SOURCE));
    } else {
      SourceDefinition.load(settings, source); // a bad name fails before Spark starts
      sources.add(source);
    }
    BronzeSettings.from(settings);
    // A source's table is named after it (SourceDefinition.table()); loading every declaration
    // here would stop --all-sources at the first bad one.
    String target = String.join(",", sources.stream().map(s -> "bronze." + s).toList());
    return runJob(
        settings,
        target,
        runtime -> {
          runtime.stats().runDate(date);
          return runEach(
              "bronze",
              "sources",
              sources,
              allSources,
              name -> runOne(runtime, name, null, date, out()));
        });
  }

  @Override
  public Kind kind() {
    return Kind.SOURCE;
  }

  @Override
  public String target(LakehouseRuntime runtime, String source) {
    return "bronze." + source;
  }

  @Override
  public Job<BronzeJob.Request, BronzeReport> job() {
    return BronzeJob::run;
  }

  /** Ingests one source's files landed up to {@code to} (all when null). */
  @Override
  public BronzeJob.Request request(
      LakehouseRuntime runtime, String source, LocalDate from, LocalDate to) {
    return new BronzeJob.Request(source, to);
  }
}
