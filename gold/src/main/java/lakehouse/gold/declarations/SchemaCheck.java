package lakehouse.gold.declarations;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import lakehouse.common.LakehouseException;
import lakehouse.common.settings.ConfigReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructType;

/**
 * Checks a feature set against its sources' schemas before any data is read: every column it names
 * exists, time columns are timestamps, aggregated columns have a type the function takes, and every
 * filter is valid SQL over the source's columns. Problems end the command with exit code 2, naming
 * file, key and line.
 */
public final class SchemaCheck {
  private SchemaCheck() {}

  /** Throws a usage error listing every problem, if any. */
  public static void check(SparkSession spark, FeatureSet set, Map<String, StructType> schemas) {
    Set<String> problems = new LinkedHashSet<>();
    for (SourceSpec source : set.sources().values()) {
      StructType schema = schemas.get(source.name());
      ConfigReader r = source.declared().reader();
      for (String key : set.entity()) {
        column(r, "table", schema, key, source, "entity key");
      }
      if (source.isScd2()) {
        timestamp(r, "valid-from", schema, source.validFrom(), source);
        timestamp(r, "valid-to", schema, source.validTo(), source);
      } else {
        timestamp(r, "time-column", schema, source.timeColumn(), source);
      }
      filter(spark, r, "filter", schema, source.filter(), source);
      problems.addAll(r.problems());
    }
    for (FeatureSpec feature : set.features()) {
      ConfigReader r = feature.declared().reader();
      if (feature instanceof FeatureSpec.Aggregate a) {
        SourceSpec source = set.source(a.source());
        StructType schema = schemas.get(a.source());
        if (a.column() != null && column(r, "column", schema, a.column(), source, "column")) {
          DataType type = schema.apply(a.column()).dataType();
          boolean numeric = type instanceof NumericType;
          boolean needsNumber =
              switch (a.function()) {
                case SUM, AVG, STDDEV -> true;
                default -> false;
              };
          if (needsNumber && !numeric) {
            r.problem(
                "column",
                a.function().word()
                    + " needs a numeric column; "
                    + source.table()
                    + "."
                    + a.column()
                    + " is "
                    + type.simpleString());
          }
        }
        filter(spark, r, "filter", schema, a.filter(), source);
      } else if (feature instanceof FeatureSpec.Recency rec) {
        filter(
            spark, r, "filter", schemas.get(rec.source()), rec.filter(), set.source(rec.source()));
      } else if (feature instanceof FeatureSpec.Attribute attr) {
        column(
            r,
            "column",
            schemas.get(attr.source()),
            attr.column(),
            set.source(attr.source()),
            "column");
      }
      problems.addAll(r.problems());
    }
    if (!problems.isEmpty()) {
      throw LakehouseException.usage(String.join("\n", problems));
    }
  }

  private static boolean column(
      ConfigReader r,
      String key,
      StructType schema,
      String column,
      SourceSpec source,
      String what) {
    if (column == null || schema == null) {
      return false;
    }
    if (Arrays.asList(schema.fieldNames()).contains(column)) {
      return true;
    }
    r.problem(
        key,
        "unknown "
            + what
            + " '"
            + column
            + "' in "
            + source.table()
            + "; columns: "
            + String.join(", ", schema.fieldNames()));
    return false;
  }

  private static void timestamp(
      ConfigReader r, String key, StructType schema, String column, SourceSpec source) {
    if (column(r, key, schema, column, source, "column")) {
      DataType type = schema.apply(column).dataType();
      if (!type.equals(DataTypes.TimestampType) && !type.equals(DataTypes.TimestampNTZType)) {
        r.problem(
            key,
            source.table() + "." + column + " must be a timestamp, it is " + type.simpleString());
      }
    }
  }

  private static void filter(
      SparkSession spark,
      ConfigReader r,
      String key,
      StructType schema,
      String filter,
      SourceSpec source) {
    if (filter == null || schema == null) {
      return;
    }
    try {
      Dataset<Row> empty = spark.createDataFrame(new ArrayList<Row>(), schema);
      DataType type = empty.select(functions.expr(filter)).schema().fields()[0].dataType();
      if (!type.equals(DataTypes.BooleanType)) {
        r.problem(
            key, "'" + filter + "' must be a condition (true/false), it is " + type.simpleString());
      }
    } catch (Exception e) { // ParseException / AnalysisException: the SQL itself is wrong
      r.problem(
          key,
          "'"
              + filter
              + "' is not a valid condition over "
              + source.table()
              + ": "
              + firstLine(e.getMessage()));
    }
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "invalid";
    }
    String line = message.strip().split("\n")[0];
    return line.length() > 200 ? line.substring(0, 200) + "..." : line;
  }
}
