package lakehouse.silver.contract;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import lakehouse.common.LakehouseException;
import lakehouse.common.catalog.TableId;
import lakehouse.common.settings.ConfigLoader;
import lakehouse.common.settings.ConfigReader;
import lakehouse.common.settings.Declarations;
import lakehouse.common.settings.Declarations.Kind;
import lakehouse.silver.SilverErrors;
import lakehouse.silver.contract.CheckSpec.CheckType;
import lakehouse.silver.contract.CheckSpec.Severity;
import lakehouse.silver.contract.TableContract.History;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;

/**
 * Reads table contracts from {@code <confDir>/tables/<name>.conf}. Every problem of a file is
 * reported at once, with file and line, as a usage error (exit code 2) before any Spark work.
 */
public final class TableContracts {
  private static final Set<String> CASES = Set.of("none", "lower", "upper");

  /** The keys a contract may have; any other is reported (a typo is never ignored). */
  static final List<String> KEYS =
      List.of(
          "source",
          "history",
          "business-key",
          "event-time",
          "columns",
          "null-values",
          "derived",
          "checks");

  /** The keys of one column. */
  static final List<String> COLUMN_KEYS =
      List.of("name", "type", "required", "trim", "case", "map", "null-values", "pii");

  /** The keys every check has. */
  static final List<String> CHECK_KEYS = List.of("type", "name", "severity");

  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]*");

  private TableContracts() {}

  /**
   * Loads the contract of one table ({@code orders} or {@code silver.orders}), resolved by the
   * {@link Declarations} registry, naming the declared tables when there is no such file.
   */
  public static TableContract load(Path confDir, String name) {
    String bare = name.startsWith("silver.") ? name.substring("silver.".length()) : name;
    Declarations declarations = Declarations.in(confDir);
    Path file =
        declarations
            .find(Kind.TABLE, bare)
            .orElseThrow(() -> SilverErrors.unknownTable(name, declarations.names(Kind.TABLE)));
    return parse(ConfigLoader.parse(file).resolve(), bare, "conf/tables/" + bare + ".conf");
  }

  /** Reads a contract from parsed configuration (tests build it from strings). */
  public static TableContract parse(Config config, String name, String where) {
    ConfigReader reader = new ConfigReader(config, where);
    List<ConfigReader> nested = new ArrayList<>();
    reader.onlyKeys(KEYS, "a table contract");
    List<String> tableNullValues = nullValues(reader, List.of());

    TableId source = null;
    String sourceName = reader.string("source");
    if (sourceName != null) {
      try {
        source = TableId.parse(sourceName);
      } catch (LakehouseException e) {
        reader.problem("source", e.getMessage());
      }
    }
    String historyName =
        reader.has("history") ? reader.oneOf("history", Set.of("latest", "scd2")) : "latest";
    History history =
        historyName == null
            ? History.LATEST
            : History.valueOf(historyName.toUpperCase(Locale.ROOT));
    List<String> businessKey = reader.strings("business-key");
    String eventTime = reader.string("event-time");

    List<ColumnSpec> columns = new ArrayList<>();
    List<? extends Config> columnConfigs = reader.objects("columns");
    if (columnConfigs != null) {
      for (int i = 0; i < columnConfigs.size(); i++) {
        ConfigReader col = new ConfigReader(columnConfigs.get(i), where + " columns[" + i + "]");
        nested.add(col);
        ColumnSpec spec = column(col, tableNullValues);
        if (spec != null) {
          columns.add(spec);
        }
      }
    }
    Map<String, ColumnSpec> byName = new LinkedHashMap<>();
    for (ColumnSpec c : columns) {
      if (byName.put(c.name(), c) != null) {
        reader.problem("columns", "column '" + c.name() + "' is declared twice");
      }
    }
    if (columnConfigs != null
        && columns.isEmpty()
        && nested.stream().allMatch(r -> r.problems().isEmpty())) {
      reader.problem("columns", "must declare at least one column");
    }
    if (businessKey != null) {
      if (businessKey.isEmpty()) {
        reader.problem("business-key", "must name at least one column");
      }
      for (String key : businessKey) {
        ColumnSpec c = byName.get(key);
        if (c == null) {
          reader.problem("business-key", "names '" + key + "', which is not a declared column");
        } else if (!c.required()) {
          reader.problem("business-key", "column '" + key + "' must be declared required = true");
        } else if (c.pii()) {
          reader.problem("business-key", "column '" + key + "' cannot be both a key and pii");
        }
      }
    }
    if (eventTime != null) {
      ColumnSpec c = byName.get(eventTime);
      if (c == null) {
        reader.problem("event-time", "names '" + eventTime + "', which is not a declared column");
      } else if (!c.type().equals(DataTypes.TimestampType) || !c.required()) {
        reader.problem(
            "event-time",
            "column '"
                + eventTime
                + "' must be declared with type = timestamp and required = true");
      }
    }
    if (history == History.SCD2) {
      for (String reserved : List.of("valid_from", "valid_to", "is_current")) {
        if (byName.containsKey(reserved)) {
          reader.problem(
              "columns", "'" + reserved + "' is added by history = scd2; do not declare it");
        }
      }
    }

    List<DerivedSpec> derived = derived(reader, byName, history);
    Map<String, ColumnSpec> checkable = new LinkedHashMap<>(byName);
    for (DerivedSpec d : derived) {
      // A derived column's type is known once resolved against Spark; checks may name it.
      checkable.put(d.name(), null);
    }

    List<CheckSpec> checks = new ArrayList<>();
    if (reader.has("checks")) {
      List<? extends Config> checkConfigs = reader.objects("checks");
      if (checkConfigs != null) {
        Set<String> names = new HashSet<>();
        for (int i = 0; i < checkConfigs.size(); i++) {
          ConfigReader chk = new ConfigReader(checkConfigs.get(i), where + " checks[" + i + "]");
          nested.add(chk);
          CheckSpec spec = check(chk, checkable);
          if (spec != null) {
            if (!names.add(spec.name())) {
              chk.problem("name", "check name '" + spec.name() + "' is used twice; set name = ...");
            } else {
              checks.add(spec);
            }
          }
        }
      }
    }

    List<String> problems = new ArrayList<>(reader.problems());
    nested.forEach(r -> problems.addAll(r.problems()));
    if (!problems.isEmpty()) {
      throw LakehouseException.usage(String.join("\n", problems));
    }
    List<CheckSpec> ordered =
        new ArrayList<>(checks.stream().filter(c -> c.type().rowLevel()).toList());
    ordered.addAll(checks.stream().filter(c -> !c.type().rowLevel()).toList());
    return new TableContract(
        name, source, history, businessKey, eventTime, columns, ordered, derived);
  }

  private static ColumnSpec column(ConfigReader col, List<String> tableNullValues) {
    col.onlyKeys(COLUMN_KEYS, "a column");
    String name = col.string("name");
    String typeName = col.string("type");
    DataType type = null;
    if (typeName != null) {
      try {
        type = DataType.fromDDL(typeName);
      } catch (Exception e) { // Spark's ParseException is a checked AnalysisException
        col.problem(
            "type",
            "'"
                + typeName
                + "' is not a Spark SQL type (e.g. string, int, "
                + "double, decimal(12,2), date, timestamp, boolean)");
      }
    }
    if (name != null && !NAME.matcher(name).matches()) {
      col.problem("name", "'" + name + "' must be lower case letters, digits and underscores");
      name = null;
    }
    String letterCase = col.has("case") ? col.oneOf("case", CASES) : "none";
    Map<String, String> mapping = mapping(col);
    List<String> nullValues = nullValues(col, tableNullValues);
    boolean pii = col.bool("pii", false);
    if (pii && type != null && !type.equals(DataTypes.StringType)) {
      col.problem("pii", "pii columns must have type = string (the hash is a string)");
    }
    if (name == null || type == null || letterCase == null) {
      return null;
    }
    return new ColumnSpec(
        name,
        type,
        col.bool("required", false),
        col.bool("trim", true),
        letterCase,
        mapping,
        pii,
        nullValues);
  }

  private static CheckSpec check(ConfigReader chk, Map<String, ColumnSpec> columns) {
    String typeName = chk.string("type");
    CheckType type = typeName == null ? null : CheckType.fromLabel(typeName);
    if (typeName != null && type == null) {
      chk.problem(
          "type",
          "unknown check type '" + typeName + "'; known: " + String.join(", ", CheckType.labels()));
    }
    if (type != null) {
      List<String> fields = new ArrayList<>(CHECK_KEYS);
      fields.addAll(CHECK_FIELDS.get(type));
      for (String key : chk.config().root().keySet()) {
        // column(s) on a table-wide check has its own message below.
        if (!fields.contains(key) && !key.equals("column") && !key.equals("columns")) {
          chk.problem(
              ConfigUtil.joinPath(key),
              "is not a field of a "
                  + type.label()
                  + " check; its fields: "
                  + String.join(", ", fields));
        }
      }
    }
    String severityName = chk.oneOf("severity", Set.of("error", "warn"));
    if (type == null || severityName == null) {
      return null;
    }
    Severity severity = Severity.valueOf(severityName.toUpperCase(Locale.ROOT));
    List<String> checkColumns = new ArrayList<>();
    if (chk.has("column")) {
      checkColumns.add(chk.string("column"));
    } else if (chk.has("columns")) {
      checkColumns.addAll(chk.strings("columns"));
    }
    boolean needsColumn =
        switch (type) {
          case ROW_COUNT, ROW_COUNT_ANOMALY, QUARANTINE_RATE, CONFLICTING_DUPLICATES -> false;
          default -> true;
        };
    if (needsColumn && checkColumns.isEmpty()) {
      chk.problem("column", "a " + type.label() + " check needs column = <name>");
    }
    if (!needsColumn && !checkColumns.isEmpty()) {
      chk.problem("column", "a " + type.label() + " check is table-wide and takes no column");
    }
    if (checkColumns.size() > 1 && type != CheckType.UNIQUENESS) {
      chk.problem("columns", "only uniqueness checks take several columns");
    }
    for (String c : checkColumns) {
      if (c != null && !columns.containsKey(c)) {
        chk.problem("column", "names '" + c + "', which is not a declared column");
      }
    }
    Double min = chk.has("min") ? chk.number("min") : null;
    Double max = chk.has("max") ? chk.number("max") : null;
    List<String> values = chk.has("values") ? chk.strings("values") : List.of();
    String pattern = chk.has("pattern") ? chk.string("pattern") : null;
    // Row-level error checks quarantine their rows and gate only when asked to; row-level warn
    // checks publish their rows and warn on any violation; table checks want everything.
    double defaultFraction = type.rowLevel() && severity == Severity.ERROR ? 0.0 : 1.0;
    double minFraction =
        chk.has("min-fraction") ? orElse(chk.number("min-fraction"), 0.0) : defaultFraction;
    Double maxFraction =
        chk.has("max-fraction")
            ? chk.number("max-fraction")
            : type == CheckType.CONFLICTING_DUPLICATES ? Double.valueOf(0.0) : null;
    if (maxFraction != null && (maxFraction < 0 || maxFraction > 1)) {
      chk.problem("max-fraction", "must lie between 0 and 1, got " + maxFraction);
    }
    Duration maxAge = chk.has("max-age") ? chk.duration("max-age") : null;
    Double maxIncrease = chk.has("max-increase") ? chk.number("max-increase") : null;
    Double maxDecrease = chk.has("max-decrease") ? chk.number("max-decrease") : null;
    int minHistory = chk.integer("min-history", 1);
    if (minFraction < 0 || minFraction > 1) {
      chk.problem("min-fraction", "must lie between 0 and 1, got " + minFraction);
    }
    switch (type) {
      case RANGE -> {
        if (min == null && max == null) {
          chk.problem("min", "a range check needs min and/or max");
        }
        ColumnSpec c = columns.get(checkColumns.isEmpty() ? "" : checkColumns.get(0));
        if (c != null && !(c.type() instanceof org.apache.spark.sql.types.NumericType)) {
          chk.problem(
              "column",
              "a range check needs a numeric column; '"
                  + c.name()
                  + "' is "
                  + c.type().simpleString());
        }
      }
      case ALLOWED_VALUES -> {
        if (values.isEmpty()) {
          chk.problem("values", "an allowed-values check needs values = [...]");
        }
      }
      case PATTERN -> {
        if (pattern == null) {
          chk.problem("pattern", "a pattern check needs pattern = \"<regex>\"");
        } else {
          try {
            Pattern.compile(pattern);
          } catch (PatternSyntaxException e) {
            chk.problem("pattern", "is not a regular expression: " + e.getDescription());
          }
        }
      }
      case ROW_COUNT -> {
        if (min == null && max == null) {
          chk.problem("min", "a row-count check needs min and/or max");
        }
      }
      case FRESHNESS -> {
        if (maxAge == null && !chk.has("max-age")) {
          chk.problem("max-age", "a freshness check needs max-age, e.g. 2 days");
        }
        ColumnSpec c = columns.get(checkColumns.isEmpty() ? "" : checkColumns.get(0));
        if (c != null && !c.type().equals(DataTypes.TimestampType)) {
          chk.problem("column", "a freshness check needs a timestamp column");
        }
      }
      case ROW_COUNT_ANOMALY -> {
        if (maxIncrease == null && maxDecrease == null) {
          chk.problem(
              "max-increase",
              "a row-count-anomaly check needs max-increase and/or "
                  + "max-decrease (relative change against the previous run, e.g. 0.5 = 50%)");
        }
        if (minHistory < 1) {
          chk.problem("min-history", "must be at least 1");
        }
      }
      case QUARANTINE_RATE -> {
        if (maxFraction == null) {
          chk.problem("max-fraction", "a quarantine-rate check needs max-fraction, e.g. 0.05");
        }
      }
      default -> {}
    }
    String defaultName =
        type.label().replace('-', '_')
            + (checkColumns.isEmpty() ? "" : "_" + String.join("_", checkColumns));
    String name = chk.string("name", defaultName);
    return new CheckSpec(
        name,
        type,
        severity,
        checkColumns,
        min,
        max,
        values,
        pattern,
        minFraction,
        maxFraction,
        maxAge,
        maxIncrease,
        maxDecrease,
        minHistory);
  }

  /** The fields each check type takes besides type, name and severity. */
  private static final Map<CheckType, List<String>> CHECK_FIELDS =
      new java.util.EnumMap<>(
          Map.of(
              CheckType.RANGE, List.of("column", "columns", "min", "max", "min-fraction"),
              CheckType.ALLOWED_VALUES, List.of("column", "columns", "values", "min-fraction"),
              CheckType.PATTERN, List.of("column", "columns", "pattern", "min-fraction"),
              CheckType.COMPLETENESS, List.of("column", "columns", "min-fraction"),
              CheckType.UNIQUENESS, List.of("column", "columns", "min-fraction"),
              CheckType.ROW_COUNT, List.of("min", "max"),
              CheckType.FRESHNESS, List.of("column", "columns", "max-age"),
              CheckType.ROW_COUNT_ANOMALY, List.of("max-increase", "max-decrease", "min-history"),
              CheckType.QUARANTINE_RATE, List.of("max-fraction"),
              CheckType.CONFLICTING_DUPLICATES, List.of("max-fraction")));

  /**
   * {@code null-values}: the landed text values that stand for null, a list of strings (one string
   * is taken as a list of one); {@code fallback} when absent.
   */
  private static List<String> nullValues(ConfigReader reader, List<String> fallback) {
    if (!reader.has("null-values")) {
      return fallback;
    }
    ConfigValue value = reader.config().getValue("null-values");
    if (value.valueType() == ConfigValueType.STRING) {
      return List.of((String) value.unwrapped());
    }
    List<String> markers = reader.strings("null-values");
    return markers == null ? fallback : List.copyOf(new java.util.LinkedHashSet<>(markers));
  }

  /**
   * {@code map { raw = value }}: read from the object itself, because {@code Config} drops keys
   * whose value is null and {@code map { NA = null }} means "NA becomes null".
   */
  private static Map<String, String> mapping(ConfigReader col) {
    Map<String, String> mapping = new LinkedHashMap<>();
    if (!col.has("map") && !col.config().hasPathOrNull("map")) {
      return mapping;
    }
    ConfigValue value = col.config().root().get("map");
    if (value == null || value.valueType() != ConfigValueType.OBJECT) {
      col.problem(
          "map",
          "must be an object of raw value = replacement, e.g. map { canceled ="
              + " cancelled, NA = null }");
      return mapping;
    }
    for (Map.Entry<String, ConfigValue> entry : ((ConfigObject) value).entrySet()) {
      ConfigValueType kind = entry.getValue().valueType();
      if (kind == ConfigValueType.NULL) {
        mapping.put(entry.getKey(), null);
      } else if (kind == ConfigValueType.OBJECT || kind == ConfigValueType.LIST) {
        col.problem(
            "map." + ConfigUtil.joinPath(entry.getKey()),
            "must be a single value or"
                + " null, got "
                + entry.getValue().render(ConfigRenderOptions.concise()));
      } else {
        mapping.put(entry.getKey(), String.valueOf(entry.getValue().unwrapped()));
      }
    }
    return mapping;
  }

  /**
   * {@code derived { name = "SQL expression" }}, in the order of their lines (a derived column may
   * use the ones declared before it). Names and syntax are checked here; whether an expression
   * resolves against the typed columns is checked with Spark ({@link DerivedColumns#resolve}).
   */
  private static List<DerivedSpec> derived(
      ConfigReader reader, Map<String, ColumnSpec> columns, History history) {
    if (!reader.has("derived")) {
      return List.of();
    }
    ConfigValue value = reader.config().getValue("derived");
    if (value.valueType() != ConfigValueType.OBJECT) {
      reader.problem(
          "derived",
          "must be an object of column name = \"SQL expression\", e.g."
              + " derived { late = \"arr_delay > 15\" }");
      return List.of();
    }
    List<Map.Entry<String, ConfigValue>> entries =
        new ArrayList<>(((ConfigObject) value).entrySet());
    entries.sort(
        java.util.Comparator.comparingInt(
                (Map.Entry<String, ConfigValue> e) -> e.getValue().origin().lineNumber())
            .thenComparing(Map.Entry::getKey));
    List<DerivedSpec> derived = new ArrayList<>();
    for (Map.Entry<String, ConfigValue> entry : entries) {
      String name = entry.getKey();
      String path = "derived." + ConfigUtil.joinPath(name);
      String where = reader.where() + ": " + path + origin(entry.getValue());
      if (!NAME.matcher(name).matches()) {
        reader.problem(path, "'" + name + "' must be lower case letters, digits and underscores");
        continue;
      }
      if (columns.containsKey(name)) {
        reader.problem(
            path,
            "'" + name + "' is a declared column; a derived column needs a" + " name of its own");
        continue;
      }
      if (history == History.SCD2
          && List.of("valid_from", "valid_to", "is_current").contains(name)) {
        reader.problem(path, "'" + name + "' is added by history = scd2; choose another name");
        continue;
      }
      if (entry.getValue().valueType() != ConfigValueType.STRING
          || ((String) entry.getValue().unwrapped()).isBlank()) {
        reader.problem(
            path,
            "must be a Spark SQL expression in a string, e.g. \"arr_delay >"
                + " 15\", got "
                + entry.getValue().render(ConfigRenderOptions.concise()));
        continue;
      }
      String expression = (String) entry.getValue().unwrapped();
      String syntax = DerivedColumns.syntaxProblem(expression);
      if (syntax != null) {
        reader.problem(path, "is not a Spark SQL expression: " + syntax);
        continue;
      }
      derived.add(new DerivedSpec(name, expression, where, null));
    }
    return derived;
  }

  /** " (conf/tables/t.conf:12)", as {@link ConfigReader} names a value's place. */
  private static String origin(ConfigValue value) {
    var origin = value.origin();
    if (origin == null || origin.filename() == null) {
      return "";
    }
    String file = origin.filename();
    int conf = file.lastIndexOf("/conf/");
    return " (" + (conf >= 0 ? file.substring(conf + 1) : file) + ":" + origin.lineNumber() + ")";
  }

  private static double orElse(Double value, double fallback) {
    return value == null ? fallback : value;
  }
}
