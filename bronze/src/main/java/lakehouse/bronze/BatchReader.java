package lakehouse.bronze;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.from_json;
import static org.apache.spark.sql.functions.get_json_object;
import static org.apache.spark.sql.functions.lit;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import lakehouse.bronze.BronzeSchema.Conflict;
import lakehouse.bronze.BronzeSchema.Resolution;
import lakehouse.bronze.BronzeTransform.Audit;
import lakehouse.common.LakehouseException;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Prepares one batch of files for writing: reads their lines (or parquet rows), settles the
 * batch's columns against the table's and checks that every value fits its column's type, all
 * before anything is written. A batch that cannot be carried fails here, naming the file, line and
 * column, and leaves every table as it was.
 */
final class BatchReader {
  private final SparkSession spark;

  BatchReader(SparkSession spark) {
    this.spark = spark;
  }

  /**
   * A batch ready to write.
   *
   * @param resolution how the batch's columns meet the table's
   * @param parsed the parsed lines for an audit stamp and the planned batch's id: line columns,
   *     {@code _reason}, data columns (for parquet: the bronze rows themselves); read anew from
   *     the files, each checked against the plan as it is read
   * @param lineBased whether {@code parsed} holds lines with reject reasons
   */
  record Prepared(Resolution resolution, BiFunction<Audit, Long, Dataset<Row>> parsed,
      boolean lineBased) {}

  Prepared prepare(SourceDefinition source, List<LandedFile> files, StructType tableData) {
    return switch (source.format()) {
      case JSON -> json(source, files, tableData);
      case CSV -> csv(source, files, tableData);
      case PARQUET -> parquet(source, files, tableData);
    };
  }

  private Prepared json(SourceDefinition source, List<LandedFile> files, StructType tableData) {
    Dataset<Row> lines = LineReader.read(spark, source, files, null, null);
    Dataset<String> good = lines.where(col("_error").isNull()).select(BronzeSchema.RAW)
        .as(Encoders.STRING());
    StructType inferred = new StructType();
    for (StructField field : spark.read().options(source.options()).json(good).schema().fields()) {
      if (!field.name().equals(BronzeTransform.CORRUPT)) {
        inferred = inferred.add(field);
      }
    }
    checkReserved(source, inferred);
    Resolution resolution = BronzeSchema.resolve(tableData, source.schemaHints(), inferred);
    if (!resolution.conflicts().isEmpty()) {
      throw jsonConflict(source, lines, resolution.conflicts().get(0));
    }
    return new Prepared(resolution, (audit, batchId) -> BronzeTransform.parseJson(
        LineReader.read(spark, source, files, null, batchId), resolution.data(), source.options()),
        true);
  }

  private LakehouseException jsonConflict(SourceDefinition source, Dataset<Row> lines,
      Conflict conflict) {
    String name = conflict.column();
    StructType single = new StructType().add(name, conflict.expected(), true)
        .add(BronzeTransform.CORRUPT, DataTypes.StringType, true);
    Map<String, String> options = new HashMap<>(source.options());
    options.put("mode", "PERMISSIVE");
    options.put("columnNameOfCorruptRecord", BronzeTransform.CORRUPT);
    String path = name.matches("[A-Za-z_][A-Za-z0-9_]*") ? "$." + name
        : "$['" + name.replace("'", "\\'") + "']";
    List<Row> first = lines.where(col("_error").isNull())
        .select(col(BronzeSchema.SOURCE_FILE), col(BronzeSchema.LINE_NUMBER),
            get_json_object(col(BronzeSchema.RAW), path).as("v"),
            from_json(col(BronzeSchema.RAW), single, options).getField(name).as("p"))
        .where(col("v").isNotNull().and(col("p").isNull()))
        .orderBy(BronzeSchema.SOURCE_FILE, BronzeSchema.LINE_NUMBER)
        .limit(1).collectAsList();
    String file = first.isEmpty() ? "a file of the batch" : first.get(0).getString(0);
    Long line = first.isEmpty() ? null : first.get(0).getLong(1);
    String value = first.isEmpty() ? null : shorten(first.get(0).getString(2));
    return LakehouseException.data(BronzeMessages.typeChange(source.name(), name,
        conflict.expected().simpleString(), conflict.found().simpleString(), file, line, value));
  }

  private Prepared csv(SourceDefinition source, List<LandedFile> files, StructType tableData) {
    List<String> csvColumns = LineReader.csvColumns(spark.sparkContext().hadoopConfiguration(),
        source, files);
    Map<String, DataType> fixed = new LinkedHashMap<>(source.schemaHints());
    if (tableData != null) {
      for (StructField field : tableData.fields()) {
        fixed.put(field.name(), field.dataType());
      }
    }
    StructType batch = new StructType();
    for (String column : csvColumns) {
      batch = batch.add(column, fixed.getOrDefault(column, DataTypes.StringType), true);
    }
    checkReserved(source, batch);
    Resolution resolution = BronzeSchema.resolve(tableData, source.schemaHints(), batch);
    Dataset<Row> lines = LineReader.read(spark, source, files, csvColumns, null);
    checkCasts(source, lines, resolution.data(), csvColumns);
    return new Prepared(resolution, (audit, batchId) -> BronzeTransform.parseCsv(
        LineReader.read(spark, source, files, csvColumns, batchId), resolution.data(), csvColumns),
        true);
  }

  /** A typed CSV column's text must cast; a null cast of a non-null text is a type change. */
  private void checkCasts(SourceDefinition source, Dataset<Row> lines, StructType data,
      List<String> csvColumns) {
    List<StructField> typed = new ArrayList<>();
    Column any = lit(false);
    for (StructField field : data.fields()) {
      if (!field.dataType().equals(DataTypes.StringType) && csvColumns.contains(field.name())) {
        typed.add(field);
        Column text = col("_fields").getItem(csvColumns.indexOf(field.name()));
        any = any.or(text.isNotNull().and(BronzeTransform.csvField(csvColumns, field).isNull()));
      }
    }
    if (typed.isEmpty()) {
      return;
    }
    List<Row> first = lines.where(col("_error").isNull().and(any))
        .orderBy(BronzeSchema.SOURCE_FILE, BronzeSchema.LINE_NUMBER).limit(1).collectAsList();
    if (first.isEmpty()) {
      return;
    }
    Row row = first.get(0);
    List<String> fields = row.getList(row.fieldIndex("_fields"));
    for (StructField field : typed) {
      String text = fields.get(csvColumns.indexOf(field.name()));
      Object cast = text == null ? null : spark.sql("SELECT CAST(" + sqlString(text) + " AS "
          + field.dataType().sql() + ")").first().get(0);
      if (text != null && cast == null) {
        throw LakehouseException.data(BronzeMessages.typeChange(source.name(), field.name(),
            field.dataType().simpleString(), "string", row.getString(0), row.getLong(2),
            shorten(text)));
      }
    }
  }

  private Prepared parquet(SourceDefinition source, List<LandedFile> files, StructType tableData) {
    Map<LocalDate, List<String>> byDate = new LinkedHashMap<>();
    for (LandedFile file : files) {
      byDate.computeIfAbsent(file.landingDate(), d -> new ArrayList<>()).add(file.uri());
    }
    Dataset<Row> all = null;
    for (Map.Entry<LocalDate, List<String>> entry : byDate.entrySet()) {
      Dataset<Row> part;
      try {
        part = spark.read().options(source.options()).option("mergeSchema", "true")
            .parquet(entry.getValue().toArray(String[]::new));
      } catch (Exception e) {
        throw LakehouseException.data(BronzeMessages.unreadableParquet(source.name(),
            String.join(", ", entry.getValue()), String.valueOf(e.getMessage())));
      }
      part = part.select(col("*"), col("_metadata.file_path").as("_file_path"),
          lit(java.sql.Date.valueOf(entry.getKey())).as(BronzeSchema.LANDING_DATE));
      all = all == null ? part : all.unionByName(part, true);
    }
    StructType batch = new StructType();
    for (StructField field : all.schema().fields()) {
      if (!field.name().equals(BronzeSchema.LANDING_DATE) && !field.name().equals("_file_path")) {
        batch = batch.add(field);
      }
    }
    checkReserved(source, batch);
    Resolution resolution = BronzeSchema.resolve(tableData, source.schemaHints(), batch);
    if (!resolution.conflicts().isEmpty()) {
      Conflict conflict = resolution.conflicts().get(0);
      String culprit = "a file of the batch";
      for (LandedFile file : files) {
        StructType schema = spark.read().parquet(file.uri()).schema();
        scala.Option<Object> index = schema.getFieldIndex(conflict.column());
        if (index.isDefined() && BronzeSchema.merge(conflict.expected(),
            schema.fields()[(Integer) index.get()].dataType()) == null) {
          culprit = file.uri();
          break;
        }
      }
      throw LakehouseException.data(BronzeMessages.typeChange(source.name(), conflict.column(),
          conflict.expected().simpleString(), conflict.found().simpleString(), culprit, null,
          null));
    }
    Dataset<Row> rows = all;
    // Spark's parquet reader reads the files; they are checked against the plan just before.
    return new Prepared(resolution, (audit, batchId) -> {
      FileCheck.verifyAll(spark.sparkContext().hadoopConfiguration(), source.name(), batchId, files);
      return BronzeTransform.parquetRows(rows, resolution.data(), audit);
    }, false);
  }

  private static void checkReserved(SourceDefinition source, StructType batch) {
    for (StructField field : batch.fields()) {
      if (BronzeSchema.RESERVED.contains(field.name())) {
        throw LakehouseException.data(BronzeMessages.reservedColumn(source.name(), field.name(),
            "the batch's files"));
      }
    }
  }

  private static String sqlString(String text) {
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }

  private static String shorten(String value) {
    if (value == null) {
      return null;
    }
    return value.length() > 60 ? value.substring(0, 57) + "..." : value;
  }
}
