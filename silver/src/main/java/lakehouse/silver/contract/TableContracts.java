package lakehouse.silver.contract;

import com.typesafe.config.Config;
import java.nio.file.Files;
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
import lakehouse.silver.SilverMessages;
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
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]*");

  private TableContracts() {}

  /** The names of every declared table, sorted. */
  public static List<String> names(Path confDir) {
    return ConfigLoader.declarationNames(confDir.resolve("tables"));
  }

  /** Loads the contract of one table, naming the declared tables when there is no such file. */
  public static TableContract load(Path confDir, String name) {
    String bare = name.startsWith("silver.") ? name.substring("silver.".length()) : name;
    Path file = confDir.resolve("tables").resolve(bare + ".conf");
    if (!NAME.matcher(bare).matches() || !Files.isRegularFile(file)) {
      throw LakehouseException.usage(SilverMessages.unknownTable(name, names(confDir)));
    }
    return parse(ConfigLoader.parse(file).resolve(), bare, "conf/tables/" + bare + ".conf");
  }

  /** Reads a contract from parsed configuration (tests build it from strings). */
  public static TableContract parse(Config config, String name, String where) {
    ConfigReader reader = new ConfigReader(config, where);
    List<ConfigReader> nested = new ArrayList<>();

    TableId source = null;
    String sourceName = reader.string("source");
    if (sourceName != null) {
      try {
        source = TableId.parse(sourceName);
      } catch (LakehouseException e) {
        reader.problem("source", e.getMessage());
      }
    }
    String historyName = reader.has("history")
        ? reader.oneOf("history", Set.of("latest", "scd2")) : "latest";
    History history = historyName == null ? History.LATEST
        : History.valueOf(historyName.toUpperCase(Locale.ROOT));
    List<String> businessKey = reader.strings("business-key");
    String eventTime = reader.string("event-time");

    List<ColumnSpec> columns = new ArrayList<>();
    List<? extends Config> columnConfigs = reader.objects("columns");
    if (columnConfigs != null) {
      for (int i = 0; i < columnConfigs.size(); i++) {
        ConfigReader col = new ConfigReader(columnConfigs.get(i), where + " columns[" + i + "]");
        nested.add(col);
        ColumnSpec spec = column(col);
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
    if (columnConfigs != null && columns.isEmpty() && nested.stream().allMatch(r -> r.problems().isEmpty())) {
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
        reader.problem("event-time", "column '" + eventTime
            + "' must be declared with type = timestamp and required = true");
      }
    }
    if (history == History.SCD2) {
      for (String reserved : List.of("valid_from", "valid_to", "is_current")) {
        if (byName.containsKey(reserved)) {
          reader.problem("columns", "'" + reserved + "' is added by history = scd2; do not declare it");
        }
      }
    }

    List<CheckSpec> checks = new ArrayList<>();
    if (reader.has("checks")) {
      List<? extends Config> checkConfigs = reader.objects("checks");
      if (checkConfigs != null) {
        Set<String> names = new HashSet<>();
        for (int i = 0; i < checkConfigs.size(); i++) {
          ConfigReader chk = new ConfigReader(checkConfigs.get(i), where + " checks[" + i + "]");
          nested.add(chk);
          CheckSpec spec = check(chk, byName);
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
    List<CheckSpec> ordered = new ArrayList<>(checks.stream().filter(c -> c.type().rowLevel()).toList());
    ordered.addAll(checks.stream().filter(c -> !c.type().rowLevel()).toList());
    return new TableContract(name, source, history, businessKey, eventTime, columns, ordered);
  }

  private static ColumnSpec column(ConfigReader col) {
    String name = col.string("name");
    String typeName = col.string("type");
    DataType type = null;
    if (typeName != null) {
      try {
        type = DataType.fromDDL(typeName);
      } catch (Exception e) { // Spark's ParseException is a checked AnalysisException
        col.problem("type", "'" + typeName + "' is not a Spark SQL type (e.g. string, int, "
            + "double, decimal(12,2), date, timestamp, boolean)");
      }
    }
    if (name != null && !NAME.matcher(name).matches()) {
      col.problem("name", "'" + name + "' must be lower case letters, digits and underscores");
      name = null;
    }
    String letterCase = col.has("case") ? col.oneOf("case", CASES) : "none";
    Map<String, String> mapping = col.stringMap("map");
    boolean pii = col.bool("pii", false);
    if (pii && type != null && !type.equals(DataTypes.StringType)) {
      col.problem("pii", "pii columns must have type = string (the hash is a string)");
    }
    if (name == null || type == null || letterCase == null) {
      return null;
    }
    return new ColumnSpec(name, type, col.bool("required", false), col.bool("trim", true),
        letterCase, mapping, pii);
  }

  private static CheckSpec check(ConfigReader chk, Map<String, ColumnSpec> columns) {
    String typeName = chk.string("type");
    CheckType type = typeName == null ? null : CheckType.fromLabel(typeName);
    if (typeName != null && type == null) {
      chk.problem("type", "unknown check type '" + typeName + "'; known: "
          + String.join(", ", CheckType.labels()));
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
    boolean needsColumn = switch (type) {
      case ROW_COUNT, ROW_COUNT_ANOMALY, QUARANTINE_RATE -> false;
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
    double minFraction = chk.has("min-fraction") ? orElse(chk.number("min-fraction"), 0.0)
        : defaultFraction;
    Double maxFraction = chk.has("max-fraction") ? chk.number("max-fraction") : null;
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
          chk.problem("column", "a range check needs a numeric column; '" + c.name() + "' is "
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
          chk.problem("max-increase", "a row-count-anomaly check needs max-increase and/or "
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
      default -> {
      }
    }
    String defaultName = type.label().replace('-', '_')
        + (checkColumns.isEmpty() ? "" : "_" + String.join("_", checkColumns));
    String name = chk.string("name", defaultName);
    return new CheckSpec(name, type, severity, checkColumns, min, max, values, pattern,
        minFraction, maxFraction, maxAge, maxIncrease, maxDecrease, minHistory);
  }

  private static double orElse(Double value, double fallback) {
    return value == null ? fallback : value;
  }
}
