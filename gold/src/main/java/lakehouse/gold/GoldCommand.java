package lakehouse.gold;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import lakehouse.common.ExitCode;
import lakehouse.common.LakehouseRuntime;
import lakehouse.common.cli.DeclaredJob;
import lakehouse.common.cli.LakehouseCommand;
import lakehouse.common.ops.Job;
import lakehouse.common.settings.Declarations.Kind;
import lakehouse.common.settings.LakehouseSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code run gold --feature-set NAME (--date D | --from D1 --to D2) [--changed]}: computes the
 * daily snapshots of a feature set into {@code gold.<NAME>}; {@code --changed} (alone or with a
 * range) also recomputes the days whose source data changed since the last watermark. Each run,
 * failed ones included, is recorded in {@code _ops.runs} and emits OpenLineage events (silver
 * tables at their versions in, the feature table at its new version out).
 */
@Command(
    name = "gold",
    description =
        "Compute a feature set's daily snapshots into gold.<feature set>, replacing the days"
            + " computed (idempotent); --changed also recomputes days whose silver data changed"
            + " since the last run (late data). Exit codes: 0 ok, 1 failure, 2 bad arguments or"
            + " declaration, 4 source history unreadable.")
public final class GoldCommand extends LakehouseCommand
    implements DeclaredJob<GoldJob.Request, GoldReport> {
  @Option(
      names = "--feature-set",
      required = true,
      paramLabel = "NAME",
      description = "The feature set, conf/features/NAME.conf.")
  String featureSet;

  @Option(names = "--date", paramLabel = "D", description = "Compute the snapshot of day D (UTC).")
  String date;

  @Option(names = "--from", paramLabel = "D1", description = "First day of a backfill.")
  String from;

  @Option(names = "--to", paramLabel = "D2", description = "Last day of a backfill (inclusive).")
  String to;

  @Option(
      names = "--changed",
      description =
          "Recompute the computed days whose source data changed since the last "
              + "--changed run (or the first run), found from the silver change data feeds.")
  boolean changed;

  @Override
  protected ExitCode run(LakehouseSettings settings) {
    GoldJob.Request request = request();
    return runJob(
        settings,
        "gold." + request.featureSet(),
        runtime -> {
          DeclaredJob.print(GoldJob.run(runtime, request), out());
          return ExitCode.OK;
        });
  }

  @Override
  public Kind kind() {
    return Kind.FEATURE_SET;
  }

  @Override
  public String target(LakehouseRuntime runtime, String featureSet) {
    return "gold." + featureSet;
  }

  @Override
  public Job<GoldJob.Request, GoldReport> job() {
    return GoldJob::run;
  }

  /** Computes the days {@code from .. to} of one feature set. */
  @Override
  public GoldJob.Request request(
      LakehouseRuntime runtime, String featureSet, LocalDate from, LocalDate to) {
    return GoldJob.Request.days(featureSet, from, to);
  }

  GoldJob.Request request() {
    if (date != null && (from != null || to != null)) {
      throw GoldErrors.dateOptions();
    }
    if (date != null) {
      LocalDate day = parse("--date", date);
      return new GoldJob.Request(featureSet, day, day, changed);
    }
    if ((from == null) != (to == null)) {
      throw GoldErrors.fromWithoutTo();
    }
    if (from == null && !changed) {
      throw GoldErrors.dateOptions();
    }
    return new GoldJob.Request(
        featureSet,
        from == null ? null : parse("--from", from),
        to == null ? null : parse("--to", to),
        changed);
  }

  private static LocalDate parse(String option, String value) {
    try {
      return LocalDate.parse(value.trim());
    } catch (DateTimeParseException e) {
      throw GoldErrors.badDate(option, value);
    }
  }
}
