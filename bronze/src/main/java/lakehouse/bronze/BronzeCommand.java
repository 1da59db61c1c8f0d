package lakehouse.bronze;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import lakehouse.common.ExitCode;
import lakehouse.common.LakehouseException;
import lakehouse.common.cli.LakehouseCommand;
import lakehouse.common.settings.LakehouseSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code run bronze --source NAME [--date YYYY-MM-DD]}: ingests the source's new landed files
 * into {@code bronze.<source>}, prints the run's summary and records it in the runs table.
 * Exit codes: 0 (ingested, or nothing new), 2 (unknown source, bad declaration, missing landing
 * location), 4 (a type change that cannot be carried, a landed file gone or changed since it was
 * listed), 5 (another run was writing the same table; this run wrote nothing), 1 (anything
 * unexpected).
 */
@Command(name = "bronze",
    description = "Ingest new landed files of a source into bronze.<source>, exactly once.")
public final class BronzeCommand extends LakehouseCommand {
  @Option(names = "--source", paramLabel = "NAME",
      description = "The source to ingest, declared in conf/sources/NAME.conf.")
  String source;

  @Option(names = "--all-sources", description = "Ingest every declared source, one after another.")
  boolean allSources;

  @Option(names = "--date", paramLabel = "YYYY-MM-DD",
      description = "Take landing folders up to and including this date (default: all).")
  LocalDate date;

  @Override
  protected ExitCode run(LakehouseSettings settings) {
    if (allSources == (source != null)) {
      throw LakehouseException.usage(allSources ? BronzeMessages.sourceAndAll()
          : BronzeMessages.sourceRequired());
    }
    List<String> sources = new ArrayList<>();
    if (allSources) {
      sources.addAll(SourceDefinition.declared(settings));
    } else {
      SourceDefinition.load(settings, source); // a bad name fails before Spark starts
      sources.add(source);
    }
    BronzeSettings.from(settings);
    return runJob(settings, runtime -> {
      runtime.stats().target(sources.size() == 1 ? "bronze." + sources.get(0) : "bronze.*")
          .runDate(date);
      for (String name : sources) {
        BronzeReport report = BronzeJob.ingest(runtime, name, Optional.ofNullable(date));
        out().println(report.summary());
        out().flush();
      }
      return ExitCode.OK;
    });
  }
}
