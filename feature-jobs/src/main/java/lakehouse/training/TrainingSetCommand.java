package lakehouse.training;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import lakehouse.common.ExitCode;
import lakehouse.common.LakehouseException;
import lakehouse.common.LakehouseRuntime;
import lakehouse.common.catalog.TableId;
import lakehouse.common.cli.DeclaredJob;
import lakehouse.common.cli.LakehouseCommand;
import lakehouse.common.cli.OptionValues;
import lakehouse.common.cli.TablePrinter;
import lakehouse.common.ops.Job;
import lakehouse.common.settings.Declarations;
import lakehouse.common.settings.LakehouseSettings;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code lakehouse training-set build|rebuild|list|show}: point-in-time training sets over the gold
 * feature tables, pinned to Delta versions and recorded in {@code gold._training_sets}. {@code
 * build} and {@code rebuild} are job runs: each, failed ones included, is recorded in {@code
 * _ops.runs} and emits OpenLineage events naming the spine and feature tables read and the training
 * set and manifest table written.
 */
@Command(
    name = "training-set",
    mixinStandardHelpOptions = true,
    description = "Build, rebuild and inspect point-in-time training sets.",
    subcommands = {
      TrainingSetCommand.Build.class,
      TrainingSetCommand.Rebuild.class,
      TrainingSetCommand.ListCommand.class,
      TrainingSetCommand.Show.class
    })
public final class TrainingSetCommand {
  /** Label values 'show' lists, most frequent first; the rest are summed in one line. */
  static final int LABELS_SHOWN = 20;

  /** {@code training-set build}. */
  @Command(
      name = "build",
      description = "Build a training set from a spec (conf/training/NAME.conf).")
  public static final class Build extends LakehouseCommand
      implements DeclaredJob<TrainingSetBuilder.Request, TrainingSetManifest> {
    @Option(
        names = "--spec",
        required = true,
        paramLabel = "FILE_OR_NAME",
        description = "Spec file, or a name in <conf-dir>/training/.")
    String spec;

    @Option(
        names = "--as-of",
        paramLabel = "TIMESTAMP",
        description = "Read every input at its version committed at or before this time.")
    String asOf;

    @Option(
        names = "--version",
        paramLabel = "TABLE=V",
        description = "Read TABLE at Delta version V (repeatable; wins over --as-of).")
    List<String> versions = new ArrayList<>();

    @Option(
        names = "--known-at",
        description =
            "Only feature values already servable at each event time: committed at or "
                + "before event time minus the serving delay.")
    boolean knownAt;

    @Option(
        names = "--serving-delay",
        paramLabel = "DURATION",
        description =
            "With --known-at: how long a commit takes to reach serving, e.g. 15m; a row "
                + "committed at c counts for an event at t only when c + delay <= t.")
    String servingDelay;

    @Option(
        names = "--output",
        paramLabel = "TABLE_OR_PATH",
        description = "Where to write the rows (default: the spec's output).")
    String output;

    @Override
    protected ExitCode run(LakehouseSettings settings) {
      TrainingSpec parsed = TrainingSpec.load(specFile(settings, spec));
      BuildOptions options = options();
      return runJob(
          settings,
          parsed.name(),
          runtime -> {
            DeclaredJob.print(
                TrainingSetBuilder.run(runtime, new TrainingSetBuilder.Request(parsed, options)),
                out());
            return ExitCode.OK;
          });
    }

    @Override
    public Declarations.Kind kind() {
      return Declarations.Kind.TRAINING_SPEC;
    }

    /** The spec's name (a spec may name itself other than its file). */
    @Override
    public String target(LakehouseRuntime runtime, String spec) {
      return declared(runtime, spec).name();
    }

    @Override
    public Job<TrainingSetBuilder.Request, TrainingSetManifest> job() {
      return TrainingSetBuilder::run;
    }

    /** A declared spec with the default options. */
    @Override
    public TrainingSetBuilder.Request request(
        LakehouseRuntime runtime, String spec, LocalDate from, LocalDate to) {
      return new TrainingSetBuilder.Request(declared(runtime, spec), BuildOptions.defaults());
    }

    private static TrainingSpec declared(LakehouseRuntime runtime, String spec) {
      return TrainingSpec.load(
          Declarations.of(runtime.settings()).file(Declarations.Kind.TRAINING_SPEC, spec));
    }

    BuildOptions options() {
      return TrainingSetCommand.options(asOf, versions, knownAt, servingDelay, output);
    }
  }

  /**
   * The build options of {@code training-set build}'s flags, checked the same way for every caller
   * (the CLI, the Python package): {@code --as-of}, {@code --version TABLE=V} pins, {@code
   * --known-at}, {@code --serving-delay} (only with known-at) and {@code --output}; each may be
   * null (or false, or empty). A bad value is a usage error (exit 2).
   */
  public static BuildOptions options(
      String asOf, List<String> versions, boolean knownAt, String servingDelay, String output) {
    BuildOptions options = BuildOptions.defaults();
    if (asOf != null) {
      options = options.withAsOf(parseInstant("--as-of", asOf));
    }
    for (String pin : versions == null ? List.<String>of() : versions) {
      int eq = pin.indexOf('=');
      if (eq <= 0) {
        throw TrainingErrors.badVersionPin(pin);
      }
      try {
        options =
            options.withVersion(
                TableId.parse(pin.substring(0, eq)), Long.parseLong(pin.substring(eq + 1).trim()));
      } catch (NumberFormatException e) {
        throw TrainingErrors.badVersionPin(pin);
      }
    }
    Duration delay =
        servingDelay == null ? null : OptionValues.duration("--serving-delay", servingDelay);
    if (delay != null && !knownAt) {
      throw TrainingErrors.servingDelayNeedsKnownAt();
    }
    if (knownAt) {
      options = options.withKnownAt(true, delay);
    }
    return output == null ? options : options.withOutput(output);
  }

  /** {@code training-set rebuild}. */
  @Command(
      name = "rebuild",
      description = "Rebuild a recorded training set: the same rows (same hash) or a clear error.")
  public static final class Rebuild extends LakehouseCommand {
    @Parameters(
        paramLabel = "ID_OR_MANIFEST",
        description = "A training set id (or unique prefix) or a manifest JSON file.")
    String idOrManifest;

    @Option(
        names = "--output",
        paramLabel = "TABLE_OR_PATH",
        description = "Where to write (default: <lake>/gold/_training_rebuilds/NAME/ID).")
    String output;

    @Override
    protected ExitCode run(LakehouseSettings settings) {
      // The spec's name is in the manifest, known once the run has read it.
      return runJob(
          settings,
          null,
          runtime -> {
            Path file = Path.of(idOrManifest);
            TrainingSetManifest original =
                Files.isRegularFile(file)
                    ? ManifestFiles.read(file)
                    : new TrainingSetManifests(runtime.spark(), runtime.catalog())
                        .find(idOrManifest);
            TrainingSetManifest rebuilt = TrainingSetBuilder.rebuild(runtime, original, output);
            out()
                .println(
                    "rebuilt training set "
                        + original.trainingSetId()
                        + " as "
                        + rebuilt.trainingSetId()
                        + ": "
                        + rebuilt.rowCount()
                        + " rows -> "
                        + rebuilt.outputLocation());
            out().println("content hash: " + rebuilt.contentHash() + " (matches)");
            out().flush();
            return ExitCode.OK;
          });
    }
  }

  /** {@code training-set list}. */
  @Command(name = "list", description = "List recorded training-set builds, newest first.")
  public static final class ListCommand extends LakehouseCommand {
    @Option(names = "--name", paramLabel = "NAME", description = "Only builds of this spec.")
    String name;

    @Option(
        names = "--format",
        paramLabel = "FORMAT",
        defaultValue = "table",
        description = "table, csv or json.")
    String format;

    @Option(names = "--limit", defaultValue = "50", description = "At most this many rows.")
    int limit;

    @Override
    protected ExitCode run(LakehouseSettings settings) {
      TablePrinter.Format parsed = TablePrinter.Format.parse(format);
      return withRuntime(
          settings,
          runtime -> {
            Dataset<Row> rows =
                new TrainingSetManifests(runtime.spark(), runtime.catalog()).table();
            if (name != null) {
              rows = rows.where(rows.col("name").equalTo(name));
            }
            TablePrinter.print(
                out(),
                rows.select(
                    "training_set_id",
                    "name",
                    "built_at",
                    "knowledge_mode",
                    "as_of",
                    "feature_versions",
                    "row_count",
                    "content_hash",
                    "rebuilt_from"),
                parsed,
                limit);
            return ExitCode.OK;
          });
    }
  }

  /** {@code training-set show}. */
  @Command(
      name = "show",
      description = "Show a build: spec, versions read, counts, hash, null rates, label balance.")
  public static final class Show extends LakehouseCommand {
    @Parameters(paramLabel = "ID", description = "A training set id or unique prefix.")
    String id;

    @Option(
        names = "--format",
        paramLabel = "FORMAT",
        defaultValue = "text",
        description = "text, or json (a manifest file 'rebuild' accepts).")
    String format;

    @Override
    protected ExitCode run(LakehouseSettings settings) {
      if (!format.equals("text") && !format.equals("json")) {
        throw LakehouseException.usage("--format must be text or json, got '" + format + "'");
      }
      return withRuntime(
          settings,
          runtime -> {
            TrainingSetManifest m =
                new TrainingSetManifests(runtime.spark(), runtime.catalog()).find(id);
            out().println(format.equals("json") ? ManifestFiles.toJson(m) : describe(m));
            out().flush();
            return ExitCode.OK;
          });
    }
  }

  /** The human-readable form of a manifest. */
  public static String describe(TrainingSetManifest m) {
    StringBuilder text = new StringBuilder();
    line(text, "training set", m.trainingSetId());
    line(text, "name", m.name());
    line(text, "built at", m.builtAt().toInstant().toString());
    line(
        text,
        "knowledge",
        m.knowledgeMode()
            + (m.asOf() == null ? "" : " (as of " + m.asOf() + ")")
            + (m.servingDelay() == null ? "" : " (serving delay " + m.servingDelay() + ")"));
    line(
        text,
        "spine",
        m.spineSource()
            + (m.spineVersion() == null ? " (file)" : " @ version " + m.spineVersion()));
    line(text, "features read", versions(m));
    line(
        text,
        "output",
        m.outputLocation()
            + (m.outputTable() == null ? "" : " (" + m.outputTable() + ")")
            + (m.outputVersion() == null ? "" : " @ version " + m.outputVersion()));
    line(text, "rows", String.valueOf(m.rowCount()));
    line(text, "content hash", m.contentHash());
    if (m.rebuiltFrom() != null) {
      line(text, "rebuilt from", m.rebuiltFrom());
    }
    text.append("null rate per feature:\n");
    m.featureNullRates()
        .forEach(
            (feature, rate) ->
                text.append(String.format("  %-40s %6.2f%%%n", feature, rate * 100)));
    if (!m.labelCounts().isEmpty()) {
      long total = m.labelCounts().values().stream().mapToLong(Long::longValue).sum();
      text.append("label balance:\n");
      List<Map.Entry<String, Long>> largest =
          m.labelCounts().entrySet().stream()
              .sorted(
                  Map.Entry.<String, Long>comparingByValue()
                      .reversed()
                      .thenComparing(Map.Entry.comparingByKey()))
              .toList();
      largest.stream()
          .limit(LABELS_SHOWN)
          .forEach(
              e ->
                  text.append(
                      String.format(
                          "  %-40s %8d (%.1f%%)%n",
                          e.getKey(),
                          e.getValue(),
                          total == 0 ? 0.0 : 100.0 * e.getValue() / total)));
      if (largest.size() > LABELS_SHOWN) {
        long rest = largest.stream().skip(LABELS_SHOWN).mapToLong(Map.Entry::getValue).sum();
        text.append(
            String.format(
                "  %-40s %8d (%.1f%%)%n",
                "(" + (largest.size() - LABELS_SHOWN) + " more values)",
                rest,
                total == 0 ? 0.0 : 100.0 * rest / total));
      }
    }
    text.append("spec:\n").append(m.spec().indent(2));
    return text.toString().stripTrailing();
  }

  private static void line(StringBuilder text, String label, String value) {
    text.append(String.format("%-14s %s%n", label + ":", value));
  }

  static String versions(TrainingSetManifest m) {
    List<String> parts = new ArrayList<>();
    for (Map.Entry<String, Long> entry : m.featureVersions().entrySet()) {
      parts.add(entry.getKey() + "@" + entry.getValue());
    }
    return String.join(", ", parts);
  }

  /**
   * A spec given as a file, or as a bare name resolved by the {@link Declarations} registry ({@code
   * <conf-dir>/training/<name>.conf}); a name that is neither is left as a path, which {@link
   * TrainingSpec#load} reports as missing.
   */
  public static Path specFile(LakehouseSettings settings, String spec) {
    Path file = Path.of(spec);
    if (!Files.exists(file) && !spec.contains("/") && !spec.endsWith(".conf")) {
      return Declarations.of(settings).find(Declarations.Kind.TRAINING_SPEC, spec).orElse(file);
    }
    return file;
  }

  /** ISO-8601 instant, offset date-time, local date-time (UTC) or date (midnight UTC). */
  public static Instant parseInstant(String option, String value) {
    String v = value.trim();
    try {
      return Instant.parse(v);
    } catch (DateTimeParseException notInstant) {
      try {
        return OffsetDateTime.parse(v).toInstant();
      } catch (DateTimeParseException notOffset) {
        try {
          return LocalDateTime.parse(v.replace(' ', 'T')).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException notLocal) {
          try {
            return LocalDate.parse(v).atStartOfDay(ZoneOffset.UTC).toInstant();
          } catch (DateTimeParseException e) {
            throw TrainingErrors.badTimestamp(option, value);
          }
        }
      }
    }
  }
}
