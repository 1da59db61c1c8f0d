package lakehouse.bronze;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import lakehouse.common.LakehouseException;
import lakehouse.common.settings.ConfigLoader;
import lakehouse.common.settings.ConfigReader;
import lakehouse.common.settings.Declarations;
import lakehouse.common.settings.Declarations.Kind;
import lakehouse.common.settings.LakePaths;
import lakehouse.common.settings.LakehouseSettings;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * A landing source as declared in {@code conf/sources/<name>.conf}: its format, where its files
 * land, reader options and schema hints. Files land in date folders: {@code
 * <location>/<yyyy-MM-dd>/<file-pattern>}.
 *
 * @param name the source's name, the file name of its declaration; bronze table {@code
 *     bronze.<name>}
 * @param format how the files are written
 * @param location URI of the folder holding the date folders ({@code file:}, {@code s3a://}, ...)
 * @param filePattern glob of the data files inside a date folder
 * @param options reader options under their canonical names, checked ({@link SourceOptions}): for
 *     CSV {@code delimiter}, {@code quote} and {@code nullValue}; for JSON the parsing and
 *     inference options of Spark's JSON reader (e.g. {@code allowComments})
 * @param schemaHints column name to Spark SQL type, in declaration order, pinning the types
 *     inference would guess (declared as DDL, {@code "order_id STRING, amount DOUBLE"}, as Auto
 *     Loader's {@code schemaHints}); hinted columns come first in the bronze table
 * @param header CSV: whether every file starts with a header line naming its columns
 * @param columns CSV: the declared columns, in order (the order of the fields when there is no
 *     header); a header must name only these, each once. Empty for other formats
 * @param nullValues CSV: field values that stand for null ({@code options.nullValue}, one string or
 *     a list), compared with the field as read (unquoted, not trimmed), as Spark's CSV reader does;
 *     empty for other formats
 */
public record SourceDefinition(
    String name,
    SourceFormat format,
    String location,
    String filePattern,
    Map<String, String> options,
    Map<String, DataType> schemaHints,
    boolean header,
    List<String> columns,
    List<String> nullValues) {

  /**
   * The keys a declaration may have; any other is a mistake (a typo like {@code heder = false}
   * would otherwise be ignored silently) and is reported with its file and line.
   */
  static final List<String> KEYS =
      List.of("format", "location", "file-pattern", "options", "schema-hints", "header", "columns");

  private static final Pattern SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]+:.*");

  /**
   * Loads and validates one declaration, resolved by the {@link Declarations} registry (an unknown
   * name is its usage error); every problem is reported at once (exit code 2).
   */
  public static SourceDefinition load(LakehouseSettings settings, String name) {
    return load(settings, name, Declarations.of(settings).file(Kind.SOURCE, name));
  }

  /** Loads and validates the declaration of source {@code name} in {@code file}. */
  public static SourceDefinition load(LakehouseSettings settings, String name, Path file) {
    Config own;
    Config config;
    try {
      own = ConfigLoader.parse(file);
      // Resolved against the whole configuration so a location can say ${lakehouse.landing-root}.
      config = own.withFallback(settings.config()).resolve();
    } catch (ConfigException e) {
      throw LakehouseException.usage("cannot read " + file + ": " + e.getMessage());
    }
    ConfigReader reader = new ConfigReader(config, "conf/sources/" + name + ".conf");
    // The declaration's own keys only: the fallback adds the whole configuration (lakehouse.*).
    for (String key : own.root().keySet()) {
      if (!KEYS.contains(key)) {
        reader.problem(
            key, "is not a key of a source declaration; known keys: " + String.join(", ", KEYS));
      }
    }
    return from(reader, name, settings.landingRoot());
  }

  static SourceDefinition from(ConfigReader reader, String name, String landingRoot) {
    String formatName = reader.oneOf("format", SourceFormat.names());
    SourceFormat format =
        formatName == null ? null : SourceFormat.valueOf(formatName.toUpperCase());
    String location = location(reader.string("location", name), landingRoot);
    String defaultPattern = format == null ? "*" : "*." + format.name().toLowerCase();
    String filePattern = reader.string("file-pattern", defaultPattern);
    SourceOptions.Checked checked = SourceOptions.read(reader, format);
    Map<String, String> options = checked.options();
    Map<String, DataType> hints = new LinkedHashMap<>();
    String ddl = reader.string("schema-hints", "");
    if (ddl != null && !ddl.isBlank()) {
      try {
        for (StructField field : StructType.fromDDL(ddl).fields()) {
          hints.put(field.name(), field.dataType());
        }
      } catch (Exception e) { // Spark's ParseException is a checked exception, thrown unchecked
        reader.problem(
            "schema-hints",
            "must be column types in Spark SQL DDL, e.g. "
                + "\"order_id STRING, amount DOUBLE\", got '"
                + ddl
                + "'"
                + parserReason(e));
      }
    }
    boolean header = reader.bool("header", true);
    List<String> columns = List.of();
    if (format == SourceFormat.CSV) {
      columns = csvColumns(reader);
    } else {
      for (String key : List.of("header", "columns")) {
        if (reader.has(key)) {
          reader.problem(key, "applies to csv sources only");
        }
      }
    }
    reader.throwIfProblems();
    return new SourceDefinition(
        name,
        format,
        location,
        filePattern,
        Map.copyOf(options),
        java.util.Collections.unmodifiableMap(hints),
        header,
        columns,
        checked.nullValues());
  }

  /**
   * A CSV source's declared columns: required, because a file's first line cannot tell by itself
   * whether it is a header or a record — a file landed without its header would otherwise turn its
   * first record into column names.
   */
  private static List<String> csvColumns(ConfigReader reader) {
    if (!reader.has("columns")) {
      reader.problem(
          "columns",
          "is required for a csv source: the column names, in order, e.g."
              + " columns = [customer_id, label_ts, churned] (and header = false when the files"
              + " have no header line)");
      return List.of();
    }
    List<String> columns = reader.strings("columns");
    if (columns == null) {
      return List.of();
    }
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (String column : columns) {
      if (column.isBlank() || !seen.add(column)) {
        reader.problem(
            "columns",
            column.isBlank() ? "has an empty column name" : "names column '" + column + "' twice");
      }
    }
    if (columns.isEmpty()) {
      reader.problem("columns", "must name at least one column");
    }
    return List.copyOf(columns);
  }

  /** The first line of Spark's parse error, without its error class: " (unsupported ...)". */
  private static String parserReason(Exception e) {
    String message = e.getMessage();
    if (message == null || message.isBlank()) {
      return "";
    }
    String first =
        message
            .strip()
            .lines()
            .findFirst()
            .orElse("")
            .replaceFirst("^\\[[A-Z_.]+\\]\\s*", "")
            .strip();
    return first.isEmpty() ? "" : " (" + first + ")";
  }

  /** A relative location lies under the landing root; a URI or absolute path is taken as is. */
  static String location(String value, String landingRoot) {
    String trimmed =
        value.endsWith("/") && value.length() > 1 ? value.substring(0, value.length() - 1) : value;
    if (SCHEME.matcher(trimmed).matches()) {
      return trimmed;
    }
    if (trimmed.startsWith("/")) {
      return LakePaths.toFileUri(trimmed);
    }
    return LakePaths.join(landingRoot, trimmed);
  }

  /** The bronze table's name. */
  public String table() {
    return name;
  }

  /** The rejects table's name. */
  public String rejectsTable() {
    return name + "_rejects";
  }

  /** A single-character CSV option, or its default. */
  char csvChar(String key, char fallback) {
    String value = options.get(key);
    return value == null || value.isEmpty() ? fallback : value.charAt(0);
  }
}
