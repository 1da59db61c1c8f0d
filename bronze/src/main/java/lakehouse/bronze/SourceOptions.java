package lakehouse.bronze;

import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import lakehouse.common.settings.ConfigReader;

/**
 * The reader options a source declaration may give, per format. Spark's readers ignore an option
 * they do not know, and bronze reads CSV and JSON lines itself, so an option it does not honour
 * would be ignored silently ({@code options { nullValue = "NA" }} for a reader that never looks at
 * it): every option is checked here, by Spark's name (case does not matter, as in Spark), and
 * anything bronze does not honour is a declaration error naming the option and its line.
 */
final class SourceOptions {
  /** CSV options bronze's own CSV reader honours (canonical spelling). */
  static final List<String> CSV = List.of("delimiter", "quote", "nullValue");

  /** Options of Spark's JSON reader that bronze passes on (parsing and inference). */
  static final List<String> JSON =
      List.of(
          "allowBackslashEscapingAnyCharacter",
          "allowComments",
          "allowNonNumericNumbers",
          "allowNumericLeadingZeros",
          "allowSingleQuotes",
          "allowUnquotedControlChars",
          "allowUnquotedFieldNames",
          "dateFormat",
          "dropFieldIfAllNull",
          "enableDateTimeParsingFallback",
          "inferTimestamp",
          "locale",
          "prefersDecimal",
          "primitivesAsString",
          "samplingRatio",
          "timeZone",
          "timestampFormat",
          "timestampNTZFormat");

  /** Options of Spark's parquet reader that bronze passes on. */
  static final List<String> PARQUET = List.of("datetimeRebaseMode", "int96RebaseMode");

  /** Options of Spark's readers that bronze cannot honour, with the reason a user needs. */
  private static final Map<String, String> UNSUPPORTED = new LinkedHashMap<>();

  static {
    String lines = "bronze reads the files itself, one record per line";
    String fileListing = "bronze lists the landing folders itself; use file-pattern";
    for (String option : List.of("multiLine", "lineSep")) {
      UNSUPPORTED.put(option, lines);
    }
    for (String option : List.of("encoding", "charset")) {
      UNSUPPORTED.put(option, "bronze reads UTF-8 and rejects lines that are not valid UTF-8");
    }
    for (String option : List.of("mode", "columnNameOfCorruptRecord")) {
      UNSUPPORTED.put(
          option,
          "bronze keeps every line that is no record in the rejects table," + " with its reason");
    }
    UNSUPPORTED.put(
        "compression",
        "files are decompressed by the codec their extension names" + " (.gz, .bz2, ...)");
    for (String option :
        List.of(
            "pathGlobFilter",
            "recursiveFileLookup",
            "modifiedBefore",
            "modifiedAfter",
            "ignoreMissingFiles",
            "ignoreCorruptFiles")) {
      UNSUPPORTED.put(option, fileListing);
    }
    for (String option :
        List.of(
            "pretty",
            "ignoreNullFields",
            "writeNonAsciiCharacterAsCodePoint",
            "quoteAll",
            "escapeQuotes")) {
      UNSUPPORTED.put(option, "it is an option for writing files");
    }
    UNSUPPORTED.put(
        "nullValue",
        "JSON and parquet files have nulls of their own; map text"
            + " markers such as \"NA\" to null in the silver table contract (null-values)");
    UNSUPPORTED.put("mergeSchema", "bronze merges the schemas of a batch's parquet files itself");
  }

  /** CSV options of Spark's reader that have a declaration key of their own instead. */
  private static final Map<String, String> CSV_INSTEAD =
      Map.of(
          "header", "use the declaration's own key: header = true | false",
          "inferSchema", "CSV columns are strings unless schema-hints types them",
          "enforceSchema", "a CSV header is always checked against the declared columns",
          "emptyValue",
              "an empty unquoted field is null, a quoted empty field (\"\") is the empty"
                  + " string");

  private SourceOptions() {}

  /** What a declaration's {@code options} hold, checked. */
  record Checked(Map<String, String> options, List<String> nullValues) {}

  /**
   * Reads and checks {@code options}: the options under their canonical names, and for CSV the null
   * markers of {@code nullValue} (one string, as Spark has it, or a list of them); problems go to
   * {@code reader}.
   *
   * @param format the source's format (null when the declaration's format is itself wrong: the
   *     options are then not checked)
   */
  static Checked read(ConfigReader reader, SourceFormat format) {
    Map<String, String> result = new LinkedHashMap<>();
    List<String> nullValues = new java.util.ArrayList<>();
    Map<String, String> pathOf = new java.util.HashMap<>();
    if (!reader.has("options")) {
      return new Checked(result, nullValues);
    }
    com.typesafe.config.Config options = reader.at("options").config();
    if (!reader.problems().isEmpty() && options.isEmpty()) {
      return new Checked(result, nullValues); // "options must be an object" is reported
    }
    List<String> known =
        format == null
            ? List.of()
            : switch (format) {
              case CSV -> CSV;
              case JSON -> JSON;
              case PARQUET -> PARQUET;
            };
    String formatName = format == null ? "" : format.name().toLowerCase(Locale.ROOT);
    for (Map.Entry<String, ConfigValue> entry : options.root().entrySet()) {
      String option = entry.getKey();
      String path = "options." + ConfigUtil.joinPath(option);
      ConfigValue value = entry.getValue();
      String canonical = canonical(option, known);
      if (canonical == null && format == SourceFormat.CSV && option.equalsIgnoreCase("sep")) {
        canonical = "delimiter"; // Spark's other name for it
      }
      if (format == null) {
        continue;
      }
      if (canonical == null) {
        String reason = reasonNotSupported(option, format == SourceFormat.CSV);
        String takes =
            "a "
                + formatName
                + " source takes "
                + String.join(", ", known)
                + (format == SourceFormat.CSV ? " (sep for delimiter)" : "");
        reader.problem(
            path,
            reason != null
                ? "is not supported by bronze: " + reason + "; " + takes
                : "is not an option bronze honours for " + formatName + " sources; " + takes);
        continue;
      }
      if (result.containsKey(canonical)) {
        reader.problem(
            path,
            "sets "
                + canonical
                + " a second time (option names are compared"
                + " without case"
                + (format == SourceFormat.CSV ? "; sep is delimiter)" : ")"));
        continue;
      }
      if (canonical.equals("nullValue") && value.valueType() == ConfigValueType.LIST) {
        List<String> markers = reader.strings(path);
        if (markers != null) {
          nullValues.addAll(markers);
          result.put(canonical, String.join(",", markers));
        }
        continue;
      }
      if (value.valueType() == ConfigValueType.LIST
          || value.valueType() == ConfigValueType.OBJECT
          || value.valueType() == ConfigValueType.NULL) {
        reader.problem(
            path,
            "must be a single value, got "
                + value.render(com.typesafe.config.ConfigRenderOptions.concise()));
        continue;
      }
      String text = String.valueOf(value.unwrapped());
      result.put(canonical, text);
      pathOf.put(canonical, path);
      if (canonical.equals("nullValue")) {
        nullValues.add(text);
      }
    }
    if (format == SourceFormat.CSV) {
      for (String key : List.of("delimiter", "quote")) {
        String text = result.get(key);
        if (text != null && text.length() != 1) {
          reader.problem(pathOf.get(key), "must be a single character, got '" + text + "'");
        }
      }
    }
    return new Checked(result, List.copyOf(new java.util.LinkedHashSet<>(nullValues)));
  }

  private static String canonical(String option, List<String> known) {
    for (String name : known) {
      if (name.equalsIgnoreCase(option)) {
        return name;
      }
    }
    return null;
  }

  private static String reasonNotSupported(String option, boolean csv) {
    Map<String, String> reasons = new LinkedHashMap<>(UNSUPPORTED);
    if (csv) {
      reasons.putAll(CSV_INSTEAD);
    }
    for (Map.Entry<String, String> entry : reasons.entrySet()) {
      if (entry.getKey().equalsIgnoreCase(option)) {
        return entry.getValue();
      }
    }
    return null;
  }
}
