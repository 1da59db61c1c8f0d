package lakehouse.common.settings;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import lakehouse.common.LakehouseException;

/**
 * The declarations of the configuration directory: every source, table contract, feature set and
 * training spec is one {@code <name>.conf} file in its kind's folder. This is the one place that
 * lists them and resolves a name to its file (an unknown name is one usage error, exit code 2,
 * worded here); each layer parses the file it is given ({@code SourceDefinition}, {@code
 * TableContracts}, {@code FeatureSetLoader}, {@code TrainingSpec}).
 *
 * <p>The command line, {@code --all-sources}, {@code --all-tables} and the demo list through it:
 *
 * <pre>{@code
 * Declarations declarations = Declarations.of(settings);
 * for (String source : declarations.names(Kind.SOURCE)) { ... }
 * Path contract = declarations.file(Kind.TABLE, "orders"); // or a usage error naming the others
 * }</pre>
 */
public final class Declarations {
  /** The setting that moves the feature sets' folder (relative to the configuration directory). */
  public static final String FEATURES_DIR = "lakehouse.gold.features-dir";

  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]*");
  private static final String SUFFIX = ".conf";

  /** The kinds of declaration, in pipeline order. */
  public enum Kind {
    /** A landing source, ingested into {@code bronze.<name>}. */
    SOURCE("source", "declared sources", "sources", true),
    /** A silver table contract, {@code silver.<name>}. */
    TABLE("silver table", "declared silver tables", "tables", true),
    /** A gold feature set, {@code gold.<name>}. */
    FEATURE_SET("feature set", "known", "features", false),
    /** A training-set spec. */
    TRAINING_SPEC("training spec", "declared training specs", "training", false);

    private final String label;
    private final String listed;
    private final String folder;
    private final boolean tableNames;

    /**
     * @param listed what precedes the declared names in an unknown-name error (each layer's
     *     wording, which its tests and users know)
     * @param tableNames whether a name must be a table name ({@code [a-z][a-z0-9_]*}): a source's
     *     and a contract's name is their table's
     */
    Kind(String label, String listed, String folder, boolean tableNames) {
      this.label = label;
      this.listed = listed;
      this.folder = folder;
      this.tableNames = tableNames;
    }

    /** How messages name one declaration of the kind, e.g. {@code feature set}. */
    public String label() {
      return label;
    }

    /** The kind's folder below the configuration directory (its default for feature sets). */
    public String folder() {
      return folder;
    }
  }

  private final Path confDir;
  private final Map<Kind, Path> dirs;

  private Declarations(Path confDir, Map<Kind, Path> dirs) {
    this.confDir = confDir;
    this.dirs = dirs;
  }

  /**
   * The declarations of the settings' configuration directory ({@value #FEATURES_DIR} included).
   */
  public static Declarations of(LakehouseSettings settings) {
    Declarations declarations = in(settings.confDir());
    if (settings.config().hasPath(FEATURES_DIR)) {
      Path features = Path.of(settings.config().getString(FEATURES_DIR));
      declarations.dirs.put(
          Kind.FEATURE_SET,
          features.isAbsolute() ? features : settings.confDir().resolve(features));
    }
    return declarations;
  }

  /** The declarations of a configuration directory, each kind in its default folder. */
  public static Declarations in(Path confDir) {
    Map<Kind, Path> dirs = new EnumMap<>(Kind.class);
    for (Kind kind : Kind.values()) {
      dirs.put(kind, confDir.resolve(kind.folder));
    }
    return new Declarations(confDir, dirs);
  }

  /** The same declarations with one kind read from another folder (tests, a loader given one). */
  public Declarations with(Kind kind, Path dir) {
    Map<Kind, Path> moved = new EnumMap<>(dirs);
    moved.put(kind, dir);
    return new Declarations(confDir, moved);
  }

  /** The folder of a kind's declarations. */
  public Path dir(Kind kind) {
    return dirs.get(kind);
  }

  /** The names of a kind's declarations, sorted; none when its folder is missing. */
  public List<String> names(Kind kind) {
    return namesIn(dir(kind));
  }

  /**
   * The file of a declaration.
   *
   * @throws LakehouseException usage error (exit code 2) when there is none, naming the declared
   *     ones
   */
  public Path file(Kind kind, String name) {
    return find(kind, name)
        .orElseThrow(
            () -> LakehouseException.usage(unknown(kind, name, where(kind, name), names(kind))));
  }

  /** The file of a declaration, if the name is one (for callers that also take a path). */
  public Optional<Path> find(Kind kind, String name) {
    boolean wellFormed =
        kind.tableNames
            ? NAME.matcher(name).matches()
            : !name.isEmpty() && !name.contains("/") && !name.contains("\\") && !name.equals("..");
    Path file = dir(kind).resolve(name + SUFFIX);
    return wellFormed && Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
  }

  /**
   * The one wording of an unknown name: {@code unknown silver table 'ordres': no tables/ordres.conf
   * in the configuration directory; declared silver tables: customers, events, labels, orders}.
   *
   * @param where the file that is missing, as {@link #file} names it
   */
  public static String unknown(Kind kind, String name, String where, List<String> known) {
    return "unknown "
        + kind.label
        + " '"
        + name
        + "': no "
        + where
        + "; "
        + kind.listed
        + ": "
        + (known.isEmpty() ? "none" : String.join(", ", known));
  }

  /** {@link #unknown} for a kind in its default folder below the configuration directory. */
  public static String unknown(Kind kind, String name, List<String> known) {
    return unknown(kind, name, defaultWhere(kind, name), known);
  }

  private String where(Kind kind, String name) {
    return dir(kind).equals(confDir.resolve(kind.folder))
        ? defaultWhere(kind, name)
        : dir(kind).resolve(name + SUFFIX).toString();
  }

  private static String defaultWhere(Kind kind, String name) {
    return kind.folder + "/" + name + SUFFIX + " in the configuration directory";
  }

  /**
   * The names of the {@code .conf} files in a folder, without the extension, sorted; none when the
   * folder is missing.
   */
  public static List<String> namesIn(Path dir) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(name -> name.endsWith(SUFFIX))
          .map(name -> name.substring(0, name.length() - SUFFIX.length()))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw LakehouseException.usage("cannot list " + dir + ": " + e.getMessage());
    }
  }
}
