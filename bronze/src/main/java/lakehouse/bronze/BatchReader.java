package lakehouse.bronze;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
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
   * @param parsed the parsed lines for an audit stamp, the planned batch's id and the lines to read
   *     (all when null): line columns, {@code _reason}, data columns (for parquet: the bronze rows
   *     themselves, every row); read anew from the files, each checked against the plan as it is
   *     read
   * @param lineBased whether {@code parsed} holds lines with reject reasons
   * @param rejects parquet only: the rows of {@code bronze.<source>_rejects} (files whose column
   *     types cannot be carried, row by row), or null when there are none
   * @param inferred JSON only: whether the batch's columns were inferred from its records (a new
   *     table or new keys), not taken from the table's
   */
  record Prepared(
      Resolution resolution,
      ParsedBatch parsed,
      boolean lineBased,
      BiFunction<Audit, Long, Dataset<Row>> rejects,
      boolean inferred) {
    Prepared(Resolution resolution, ParsedBatch parsed, boolean lineBased) {
      this(resolution, parsed, lineBased, null, false);
    }
  }

  /** Reads and parses a planned batch's files, or only some of their lines. */
  @FunctionalInterface
  interface ParsedBatch {
    Dataset<Row> read(Audit audit, long batchId, RejectedLines.Selection only);
  }

  Prepared prepare(SourceDefinition source, List<LandedFile> files, StructType tableData) {
    return switch (source.format()) {
      case JSON -> json(source, files, tableData);
      case CSV -> csv(source, files, tableData);
      case PARQUET -> parquet(source, files, tableData);
    };
  }

  private Prepared json(SourceDefinition source, List<LandedFile> files, StructType tableData) {
    Dataset<Row> lines = LineReader.read(spark, source, files, maxLineBytes, null);
    Dataset<String> good =
        lines.where(col("_error").isNull()).select(BronzeSchema.RAW).as(Encoders.STRING());
    StructType columns = knownColumns(source, tableData, good);
    boolean inferred = columns == null;
    if (inferred) {
      columns = new StructType();
      for (StructField field :
          spark.read().options(source.options()).json(good).schema().fields()) {
        if (!field.name().equals(BronzeTransform.CORRUPT)) {
          columns = columns.add(field);
        }
      }
      checkReserved(source, columns);
    }
    // Conflicts keep the fixed type; the lines whose values it cannot hold become rejects
    // (BronzeTransform.parseJson says which column and value).
    Resolution resolution = BronzeSchema.resolve(tableData, source.schemaHints(), columns);
    return new Prepared(
        resolution,
        (audit, batchId, only) ->
            BronzeTransform.parseJson(
                LineReader.read(spark, source, files, maxLineBytes, batchId, only),
                resolution.data(),
                source.options()),
        true,
        null,
        inferred);
  }

  /**
   * The batch's columns when the table exists and no record has a key its columns (and the hints)
   * do not have: the known columns the records carry, with their fixed types. Null when the schema
   * must be inferred: a new table, a new key, or {@code dropFieldIfAllNull} (a column of nulls only
   * then counts as not carried, which only inference can tell). A batch with a new key is read
   * twice, by the key check (each task stops at its first unknown key) and by inference.
   */
  private static StructType knownColumns(
      SourceDefinition source, StructType tableData, Dataset<String> records) {
    if (tableData == null || JsonKeys.sparkOptions(source.options()).dropFieldIfAllNull()) {
      return null;
    }
    StructType fixed =
        BronzeSchema.resolve(tableData, source.schemaHints(), new StructType()).data();
    return JsonKeys.knownColumns(records, fixed, source.options())
        .map(
            carried -> {
              StructType batch = new StructType();
              for (StructField field : fixed.fields()) {
                if (carried.contains(field.name())) {
                  batch = batch.add(field);
                }
              }
              return batch;
            })
        .orElse(null);
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
    return new Prepared(
        resolution,
        (audit, batchId, only) ->
            BronzeTransform.parseCsv(
                LineReader.read(spark, source, files, maxLineBytes, batchId, only),
                resolution.data(),
                csvColumns),
        true);
  }

  /**
   * Parquet files have no lines: a file with a column whose type the fixed one (table, hint, or an
   * earlier file of the batch) cannot hold is set aside row by row — each row as JSON in {@code
   * _raw}, with the reason — and the other files are written.
   */
  private Prepared parquet(SourceDefinition source, List<LandedFile> files, StructType tableData) {
    // The usual case costs one schema merge per landing date; only a batch whose types clash
    // (or whose files Spark cannot merge) is looked at file by file, which names the file.
    Dataset<Row> all;
    try {
      all = readParquet(source, files);
    } catch (LakehouseException unreadable) {
      return parquetByFile(source, files, tableData);
    }
    StructType batch = parquetColumns(all);
    checkReserved(source, batch);
    Resolution resolution = BronzeSchema.resolve(tableData, source.schemaHints(), batch);
    return resolution.conflicts().isEmpty()
        ? parquetPrepared(source, files, all, resolution, Map.of())
        : parquetByFile(source, files, tableData);
  }

  private Prepared parquetByFile(
      SourceDefinition source, List<LandedFile> files, StructType tableData) {
    Map<String, DataType> fixed = new LinkedHashMap<>();
    Map<String, String> pinnedBy = new HashMap<>();
    if (tableData != null) {
      for (StructField field : tableData.fields()) {
        fixed.put(field.name(), field.dataType());
        pinnedBy.put(field.name(), "bronze." + source.table() + " has");
      }
    }
    source
        .schemaHints()
        .forEach(
            (column, type) -> {
              if (fixed.putIfAbsent(column, type) == null) {
                pinnedBy.put(column, "the schema hint pins");
              }
            });
    List<LandedFile> good = new ArrayList<>();
    Map<LandedFile, String> bad = new LinkedHashMap<>();
    for (LandedFile file : files) {
      StructType schema = parquetSchema(source, file);
      checkReserved(source, schema);
      String problem = null;
      for (StructField field : schema.fields()) {
        DataType expected = fixed.get(field.name());
        if (expected != null && BronzeSchema.merge(expected, field.dataType()) == null) {
          problem =
              RejectReasons.parquetTypeMismatch(
                  field.name(),
                  field.dataType().simpleString(),
                  pinnedBy.get(field.name()),
                  expected.simpleString());
          break;
        }
      }
      if (problem != null) {
        bad.put(file, problem);
        continue;
      }
      good.add(file);
      for (StructField field : schema.fields()) {
        if (fixed.putIfAbsent(field.name(), BronzeSchema.storable(field.dataType())) == null) {
          pinnedBy.put(field.name(), "an earlier file of the batch has");
        }
      }
    }
    // File by file: Spark's schema merge refuses types that bronze carries (string and double).
    Dataset<Row> all = null;
    for (LandedFile file : good) {
      Dataset<Row> one = readParquet(source, List.of(file));
      all = all == null ? one : all.unionByName(one, true);
    }
    Resolution resolution =
        BronzeSchema.resolve(tableData, source.schemaHints(), parquetColumns(all));
    if (!resolution.conflicts().isEmpty()) { // the per-file check above keeps these out
      throw new IllegalStateException("unexpected conflicts " + resolution.conflicts());
    }
    return parquetPrepared(source, files, all, resolution, bad);
  }

  /** The landed columns of the rows {@link #readParquet} read (none for no files). */
  private static StructType parquetColumns(Dataset<Row> all) {
    StructType batch = new StructType();
    for (StructField field : all == null ? new StructField[0] : all.schema().fields()) {
      if (!field.name().equals(BronzeSchema.LANDING_DATE) && !field.name().equals("_file_path")) {
        batch = batch.add(field);
      }
    }
    return batch;
  }

  private Prepared parquetPrepared(
      SourceDefinition source,
      List<LandedFile> files,
      Dataset<Row> rows,
      Resolution resolution,
      Map<LandedFile, String> bad) {
    // Spark's parquet reader reads the files; they are checked against the plan just before.
    return new Prepared(
        resolution,
        (audit, batchId, only) -> {
          FileCheck.verifyAll(
              spark.sparkContext().hadoopConfiguration(), source.name(), batchId, files);
          return rows == null
              ? spark.createDataFrame(List.of(), BronzeTransform.bronzeSchema(resolution.data()))
              : BronzeTransform.parquetRows(rows, resolution.data(), audit);
        },
        false,
        bad.isEmpty() ? null : (audit, batchId) -> parquetRejects(source, bad, audit),
        false);
  }

  private StructType parquetSchema(SourceDefinition source, LandedFile file) {
    try {
      return spark.read().options(source.options()).parquet(file.uri()).schema();
    } catch (Exception e) { // Spark's AnalysisException is checked, thrown unchecked
      throw BronzeErrors.unreadableParquet(
          source.name(), file.uri(), String.valueOf(e.getMessage()));
    }
  }

  /** The files' rows with {@code _file_path} and {@code _landing_date}; null for no files. */
  private Dataset<Row> readParquet(SourceDefinition source, List<LandedFile> files) {
    Map<LocalDate, List<String>> byDate = new LinkedHashMap<>();
    for (LandedFile file : files) {
      byDate.computeIfAbsent(file.landingDate(), d -> new ArrayList<>()).add(file.uri());
    }
    Dataset<Row> all = null;
    for (Map.Entry<LocalDate, List<String>> entry : byDate.entrySet()) {
      Dataset<Row> part;
      try {
        part =
            spark
                .read()
                .options(source.options())
                .option("mergeSchema", "true")
                .parquet(entry.getValue().toArray(String[]::new));
      } catch (Exception e) {
        throw BronzeErrors.unreadableParquet(
            source.name(), String.join(", ", entry.getValue()), String.valueOf(e.getMessage()));
      }
      part =
          part.select(
              col("*"),
              col("_metadata.file_path").as("_file_path"),
              lit(java.sql.Date.valueOf(entry.getKey())).as(BronzeSchema.LANDING_DATE));
      all = all == null ? part : all.unionByName(part, true);
    }
    return all;
  }

  /** Every row of the set-aside files as a reject: the row as JSON, the file's reason. */
  private Dataset<Row> parquetRejects(
      SourceDefinition source, Map<LandedFile, String> bad, Audit audit) {
    Dataset<Row> all = null;
    for (Map.Entry<LandedFile, String> entry : bad.entrySet()) {
      Dataset<Row> file = spark.read().options(source.options()).parquet(entry.getKey().uri());
      Column[] columns =
          java.util.Arrays.stream(file.columns())
              .map(BronzeTransform::quoted)
              .toArray(Column[]::new);
      Dataset<Row> rejects =
          file.select(
              to_json(struct(columns)).as(BronzeSchema.RAW),
              lit(entry.getValue()).as(BronzeSchema.REASON),
              col("_metadata.file_path").as(BronzeSchema.SOURCE_FILE),
              lit(null).cast(DataTypes.LongType).as(BronzeSchema.LINE_NUMBER),
              lit(audit.runId()).as(BronzeSchema.RUN_ID),
              lit(java.sql.Timestamp.from(audit.ingestedAt())).as(BronzeSchema.INGESTED_AT),
              lit(java.sql.Date.valueOf(entry.getKey().landingDate()))
                  .as(BronzeSchema.LANDING_DATE));
      all = all == null ? rejects : all.union(rejects);
    }
    return all;
  }

  private static void checkReserved(SourceDefinition source, StructType batch) {
    for (StructField field : batch.fields()) {
      if (BronzeSchema.RESERVED.contains(field.name())) {
        throw BronzeErrors.reservedColumn(source.name(), field.name(), "the batch's files");
      }
    }
  }
}
