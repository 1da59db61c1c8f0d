package lakehouse.bronze;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.NullType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The schemas of bronze: audit and reject columns, and how a batch's columns meet the table's. A
 * column's type is fixed by its schema hint, else by the bronze table once it exists, else by the
 * first batch that carries it. A later batch may add columns (schema evolution), leave some out
 * (they are null) or carry values the fixed type can hold (an integer in a double column, any value
 * in a string column); anything else is a conflict.
 */
public final class BronzeSchema {
  public static final String INGESTED_AT = "_ingested_at";
  public static final String SOURCE_FILE = "_source_file";
  public static final String RUN_ID = "_run_id";
  public static final String LANDING_DATE = "_landing_date";
  public static final String LINE_NUMBER = "_line_number";
  public static final String RAW = "_raw";
  public static final String REASON = "_reason";

  /** The audit columns every bronze table ends with. */
  public static final StructType AUDIT =
      new StructType()
          .add(INGESTED_AT, DataTypes.TimestampType, false)
          .add(SOURCE_FILE, DataTypes.StringType, false)
          .add(RUN_ID, DataTypes.StringType, false)
          .add(LANDING_DATE, DataTypes.DateType, false);

  /** The columns of every {@code bronze.<source>_rejects} table. */
  public static final StructType REJECTS =
      new StructType()
          .add(RAW, DataTypes.StringType, true)
          .add(REASON, DataTypes.StringType, false)
          .add(SOURCE_FILE, DataTypes.StringType, false)
          .add(LINE_NUMBER, DataTypes.LongType, true)
          .add(RUN_ID, DataTypes.StringType, false)
          .add(INGESTED_AT, DataTypes.TimestampType, false)
          .add(LANDING_DATE, DataTypes.DateType, false);

  /** Names a landed column may not have. */
  public static final Set<String> RESERVED =
      Set.of(
          INGESTED_AT,
          SOURCE_FILE,
          RUN_ID,
          LANDING_DATE,
          LINE_NUMBER,
          RAW,
          REASON,
          "_error",
          "_fields",
          "_record",
          "_corrupt_record");

  private BronzeSchema() {}

  /** A column whose landed values its fixed type cannot hold. */
  public record Conflict(String column, DataType expected, DataType found) {}

  /**
   * How a batch's columns meet the table's.
   *
   * @param data the data columns to write, in order: the table's, then hinted ones, then new ones
   * @param added columns the table did not have yet (empty when the table is new)
   * @param missing columns of the table (or hints) that this batch does not carry: null
   * @param conflicts columns whose batch type the fixed type cannot hold
   */
  public record Resolution(
      StructType data, List<String> added, List<String> missing, List<Conflict> conflicts) {}

  /**
   * Resolves a batch's (inferred) columns against the table's data columns (null when the table
   * does not exist yet) and the source's hints.
   */
  public static Resolution resolve(
      StructType table, Map<String, DataType> hints, StructType batch) {
    Map<String, DataType> fixed = new LinkedHashMap<>();
    if (table != null) {
      for (StructField field : table.fields()) {
        if (!AUDIT.getFieldIndex(field.name()).isDefined()) {
          fixed.put(field.name(), field.dataType());
        }
      }
    }
    hints.forEach(fixed::putIfAbsent);
    Map<String, DataType> result = new LinkedHashMap<>(fixed);
    List<Conflict> conflicts = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    for (String column : fixed.keySet()) {
      if (!batch.getFieldIndex(column).isDefined()) {
        missing.add(column);
      }
    }
    for (StructField field : batch.fields()) {
      DataType expected = fixed.get(field.name());
      if (expected == null) {
        result.put(field.name(), storable(field.dataType()));
        continue;
      }
      DataType merged = merge(expected, field.dataType());
      if (merged == null) {
        conflicts.add(new Conflict(field.name(), expected, field.dataType()));
      } else {
        result.put(field.name(), merged);
      }
    }
    List<String> added = new ArrayList<>();
    if (table != null) {
      for (String column : result.keySet()) {
        if (!table.getFieldIndex(column).isDefined()) {
          added.add(column);
        }
      }
    }
    StructType data = new StructType();
    for (Map.Entry<String, DataType> entry : result.entrySet()) {
      data = data.add(entry.getKey(), entry.getValue(), true);
    }
    return new Resolution(data, List.copyOf(added), List.copyOf(missing), List.copyOf(conflicts));
  }

  /**
   * The type that holds both, keeping {@code expected} for what it already has (nested structs may
   * gain fields); null when {@code found}'s values cannot be held.
   */
  static DataType merge(DataType expected, DataType found) {
    if (expected.equals(found) || found instanceof NullType) {
      return expected;
    }
    if (expected.equals(DataTypes.StringType)) {
      return expected; // Spark's JSON reader keeps any value's text in a string column
    }
    if (integral(found)
        && (expected.equals(DataTypes.DoubleType)
            || expected.equals(DataTypes.FloatType)
            || expected instanceof DecimalType
            || (expected.equals(DataTypes.LongType) && !found.equals(DataTypes.LongType)))) {
      return expected;
    }
    if (expected instanceof StructType e && found instanceof StructType f) {
      StructType merged = e;
      for (StructField field : f.fields()) {
        scala.Option<Object> index = e.getFieldIndex(field.name());
        if (index.isEmpty()) {
          merged = merged.add(field.name(), storable(field.dataType()), true);
          continue;
        }
        DataType inner = merge(e.fields()[(Integer) index.get()].dataType(), field.dataType());
        if (inner == null) {
          return null;
        }
        if (!inner.equals(e.fields()[(Integer) index.get()].dataType())) {
          StructField[] fields = merged.fields().clone();
          fields[(Integer) index.get()] =
              new StructField(field.name(), inner, true, fields[(Integer) index.get()].metadata());
          merged = new StructType(fields);
        }
      }
      return merged;
    }
    if (expected instanceof ArrayType e && found instanceof ArrayType f) {
      DataType element = merge(e.elementType(), f.elementType());
      return element == null ? null : DataTypes.createArrayType(element, true);
    }
    return null;
  }

  /** Inference gives null-only columns no type; Delta needs one, and string holds anything. */
  static DataType storable(DataType type) {
    if (type instanceof NullType) {
      return DataTypes.StringType;
    }
    if (type instanceof StructType struct) {
      StructType result = new StructType();
      for (StructField field : struct.fields()) {
        result = result.add(field.name(), storable(field.dataType()), true);
      }
      return result;
    }
    if (type instanceof ArrayType array) {
      return DataTypes.createArrayType(storable(array.elementType()), true);
    }
    return type;
  }

  private static boolean integral(DataType type) {
    return type.equals(DataTypes.LongType)
        || type.equals(DataTypes.IntegerType)
        || type.equals(DataTypes.ShortType)
        || type.equals(DataTypes.ByteType);
  }

  /** The data columns of a bronze table's schema (without the audit columns). */
  public static StructType dataColumns(StructType tableSchema) {
    StructType result = new StructType();
    for (StructField field : tableSchema.fields()) {
      if (!AUDIT.getFieldIndex(field.name()).isDefined()) {
        result = result.add(field);
      }
    }
    return result;
  }
}
