package lakehouse.bronze;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import lakehouse.bronze.BronzeSchema.Conflict;
import lakehouse.bronze.BronzeSchema.Resolution;
import lakehouse.bronze.BronzeTransform.Audit;
import lakehouse.common.LakehouseException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Prepares one batch of files for writing: reads their lines (or parquet rows) and settles the
 * batch's columns against the table's, all before anything is written. A value that does not fit
 * its column's fixed type (schema hint or table) makes its line a reject with the reason, not the
 * batch a failure; only what has no lines to reject (a parquet file's column type, a landed column
 * named like an audit column) fails the batch, naming the file, and leaves every table as it was.
 */
final class BatchReader {
  private final SparkSession spark;
  private final int maxLineBytes;

  BatchReader(SparkSession spark, int maxLineBytes) {
    this.spark = spark;
    this.maxLineBytes = maxLineBytes;
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
    Dataset<Row> lines = LineReader.read(spark, source, files, maxLineBytes, null);
    Dataset<String> good = lines.where(col("_error").isNull()).select(BronzeSchema.RAW)
        .as(Encoders.STRING());
    StructType inferred = new StructType();
    for (StructField field : spark.read().options(source.options()).json(good).schema().fields()) {
      if (!field.name().equals(BronzeTransform.CORRUPT)) {
        inferred = inferred.add(field);
      }
    }
    checkReserved(source, inferred);
    // Conflicts keep the fixed type; the lines whose values it cannot hold become rejects
    // (BronzeTransform.parseJson says which column and value).
    Resolution resolution = BronzeSchema.resolve(tableData, source.schemaHints(), inferred);
    return new Prepared(resolution, (audit, batchId) -> BronzeTransform.parseJson(
        LineReader.read(spark, source, files, maxLineBytes, batchId), resolution.data(),
        source.options()), true);
  }

  private Prepared csv(SourceDefinition source, List<LandedFile> files, StructType tableData) {
    List<String> csvColumns = source.columns();
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
    // A value that does not cast to its column's type makes its line a reject (parseCsv).
    return new Prepared(resolution, (audit, batchId) -> BronzeTransform.parseCsv(
        LineReader.read(spark, source, files, maxLineBytes, batchId), resolution.data(),
        csvColumns), true);
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
          conflict.expected().simpleString(), conflict.found().simpleString(), culprit,
          tableData != null && tableData.getFieldIndex(conflict.column()).isDefined()));
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

}
