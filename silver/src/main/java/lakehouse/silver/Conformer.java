package lakehouse.silver;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.array_compact;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.sha2;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.upper;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import lakehouse.silver.contract.ColumnSpec;
import lakehouse.silver.contract.DerivedSpec;
import lakehouse.silver.contract.TableContract;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;

/**
 * Turns bronze rows (landed values, strings for CSV, mixed-offset timestamps) into the typed,
 * standardised columns of a table contract. Nothing is dropped: a row whose cast fails or whose
 * required column is empty keeps its place with the failed rule(s) in {@value #FAILED_RULES}, and
 * every row carries its raw values as JSON in {@value #RAW} for the quarantine.
 */
public final class Conformer {
  /** The rules a row failed: {@code cast:<column>}, {@code required:<column>}, check names. */
  public static final String FAILED_RULES = "_failed_rules";

  /** The row's raw bronze values as JSON (PII values already hashed). */
  public static final String RAW = "_raw";

  public static final String INGESTED_AT = "_ingested_at";
  public static final String SOURCE_FILE = "_source_file";
  public static final String BRONZE_RUN_ID = "_run_id";

  /** Bronze's audit columns, carried for lineage but never part of the raw values. */
  public static final Set<String> AUDIT =
      Set.of(INGESTED_AT, SOURCE_FILE, BRONZE_RUN_ID, "_landing_date");

  private Conformer() {}

  /** Declared required columns that the bronze schema lacks (a data error for the job). */
  public static List<String> missingRequired(Dataset<Row> bronze, TableContract contract) {
    Set<String> present = Set.of(bronze.columns());
    List<String> missing = new ArrayList<>();
    contract.columns().stream()
        .filter(ColumnSpec::required)
        .filter(c -> !present.contains(c.name()))
        .forEach(c -> missing.add(c.name()));
    for (String audit : List.of(INGESTED_AT, SOURCE_FILE)) {
      if (!present.contains(audit)) {
        missing.add(audit);
      }
    }
    return missing;
  }

  /**
   * Conforms bronze rows: one output row per input row, with the contract's columns in order, its
   * derived columns, {@code _ingested_at}, {@code _source_file}, {@value #FAILED_RULES} and {@value
   * #RAW}. Optional columns absent from bronze (e.g. before a schema drift) are null.
   *
   * @param salt the salt of PII hashes
   */
  public static Dataset<Row> conform(Dataset<Row> bronze, TableContract contract, String salt) {
    Set<String> present = Set.of(bronze.columns());
    List<Column> output = new ArrayList<>();
    List<Column> failures = new ArrayList<>();
    for (ColumnSpec spec : contract.columns()) {
      Column standard = standardise(bronze, spec, present);
      Column typed;
      if (spec.pii()) {
        typed = when(standard.isNotNull(), sha2(concat(lit(salt), standard), 256));
      } else if (spec.type().equals(DataTypes.StringType)) {
        typed = standard.cast(DataTypes.StringType);
      } else {
        typed = tryCast(standard, spec);
      }
      output.add(typed.as(spec.name()));
      failures.add(when(standard.isNotNull().and(typed.isNull()), lit("cast:" + spec.name())));
      if (spec.required()) {
        failures.add(when(standard.isNull(), lit("required:" + spec.name())));
      }
    }
    output.add(col(INGESTED_AT).cast(DataTypes.TimestampType).as(INGESTED_AT));
    output.add(col(SOURCE_FILE).cast(DataTypes.StringType).as(SOURCE_FILE));
    output.add(array_compact(array(failures.toArray(Column[]::new))).as(FAILED_RULES));
    output.add(rawJson(bronze, contract, salt).as(RAW));
    return derive(bronze.select(output.toArray(Column[]::new)), contract);
  }

  /**
   * Adds the derived columns, computed from the typed values (each may use the ones before it), and
   * puts them after the declared columns.
   */
  static Dataset<Row> derive(Dataset<Row> typed, TableContract contract) {
    if (contract.derived().isEmpty()) {
      return typed;
    }
    Dataset<Row> derived = typed;
    for (DerivedSpec d : contract.derived()) {
      derived = derived.withColumn(d.name(), expr(d.expression()));
    }
    return derived.select(
        columns(contract).stream().map(c -> col("`" + c + "`")).toArray(Column[]::new));
  }

  /** Trim, case and declared mappings on string values; other landed types pass unchanged. */
  static Column standardise(Dataset<Row> bronze, ColumnSpec spec, Set<String> present) {
    if (!present.contains(spec.name())) {
      return lit(null).cast(DataTypes.StringType);
    }
    StructField field = bronze.schema().apply(spec.name());
    Column value = col(spec.name());
    if (!field.dataType().equals(DataTypes.StringType)) {
      return value;
    }
    if (spec.trim()) {
      Column trimmed = trim(value);
      value = when(trimmed.notEqual(lit("")), trimmed);
    }
    if (!spec.nullValues().isEmpty()) {
      // A declared missing-value marker (NA) is null before anything else looks at the value.
      value = when(not(value.isin(spec.nullValues().toArray())), value);
    }
    value =
        switch (spec.letterCase()) {
          case "lower" -> lower(value);
          case "upper" -> upper(value);
          default -> value;
        };
    if (!spec.mapping().isEmpty()) {
      Column mapped = null;
      for (Map.Entry<String, String> entry : spec.mapping().entrySet()) {
        Column condition = value.equalTo(lit(entry.getKey()));
        Column target = lit(entry.getValue()).cast(DataTypes.StringType); // null: map to null
        mapped = mapped == null ? when(condition, target) : mapped.when(condition, target);
      }
      value = mapped.otherwise(value);
    }
    return value;
  }

  private static Column tryCast(Column standard, ColumnSpec spec) {
    // try_cast, unlike cast under ANSI mode, turns a value that does not fit into null, which
    // the caller reports as a cast failure instead of failing the whole batch.
    return new Column(
        new org.apache.spark.sql.catalyst.expressions.Cast(
            standard.expr(),
            spec.type(),
            scala.Option.apply("UTC"),
            org.apache.spark.sql.catalyst.expressions.EvalMode.TRY()));
  }

  private static Column rawJson(Dataset<Row> bronze, TableContract contract, String salt) {
    List<Column> fields = new ArrayList<>();
    for (String name : bronze.columns()) {
      if (AUDIT.contains(name)) {
        continue;
      }
      boolean pii = contract.column(name).map(ColumnSpec::pii).orElse(false);
      Column value = col(name);
      if (pii) {
        value = when(value.isNotNull(), sha2(concat(lit(salt), value.cast("string")), 256));
      }
      fields.add(value.as(name));
    }
    return fields.isEmpty()
        ? lit("{}")
        : to_json(struct(fields.toArray(Column[]::new)), Map.of("ignoreNullFields", "false"));
  }

  /** Column names of the conformed rows, in order. */
  public static List<String> columns(TableContract contract) {
    List<String> names =
        new ArrayList<>(contract.columns().stream().map(ColumnSpec::name).toList());
    contract.derived().forEach(d -> names.add(d.name()));
    names.addAll(Arrays.asList(INGESTED_AT, SOURCE_FILE, FAILED_RULES, RAW));
    return names;
  }
}
