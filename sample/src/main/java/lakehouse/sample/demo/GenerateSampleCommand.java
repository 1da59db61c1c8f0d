package lakehouse.sample.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import lakehouse.common.ExitCode;
import lakehouse.common.cli.LakehouseCommand;
import lakehouse.common.settings.LakePaths;
import lakehouse.common.settings.LakehouseSettings;
import lakehouse.sample.SampleGenerator;
import lakehouse.sample.SampleManifest;
import lakehouse.sample.SampleOptions;
import lakehouse.sample.SampleShift;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code generate-sample}: lands the seeded e-commerce sample data, faults included. */
@Command(
    name = "generate-sample",
    description =
        "Generate the deterministic e-commerce sample data (one folder per day, with "
            + "injected faults and a manifest of them) into a landing zone.")
public final class GenerateSampleCommand extends LakehouseCommand {
  @Option(
      names = "--out",
      paramLabel = "DIR",
      description =
          "Landing zone to write (local path or s3a://); default: the configured "
              + "landing root.")
  String out;

  @Mixin SampleSize size = new SampleSize();

  @Option(
      names = "--start-date",
      paramLabel = "YYYY-MM-DD",
      description = "First landing day (default: ${DEFAULT-VALUE}).")
  LocalDate startDate = SampleOptions.defaults().startDate();

  @Option(
      names = "--shift",
      paramLabel = "KIND=FACTOR@DATE",
      description =
          "Plant a distribution shift from a day on, for drift tests: "
              + "sessions=3@2026-01-15 spreads each visit's events over 3 sessions from that day, "
              + "which moves customer_features.session_count_7d up and nothing else.")
  String shift;

  @Override
  protected ExitCode run(LakehouseSettings settings) {
    String landing =
        out == null ? settings.landingRoot() : out.contains("://") ? out : LakePaths.toFileUri(out);
    SampleManifest manifest =
        generate(
            settings,
            landing,
            size.options(startDate, shift == null ? null : SampleShift.parse(shift)));
    SampleSummary.print(out(), landing, manifest);
    return ExitCode.OK;
  }

  /** Generates the sample; shared with the demo. */
  static SampleManifest generate(
      LakehouseSettings settings, String landing, SampleOptions options) {
    try {
      return new SampleGenerator(options).generate(landing, HadoopConf.of(settings));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the sample data to " + landing, e);
    }
  }
}
