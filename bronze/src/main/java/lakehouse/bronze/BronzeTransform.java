package lakehouse.bronze;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.from_json;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.substring;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.when;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The pure transformations of bronze, {@code Dataset<Row> → Dataset<Row>}: landed lines to parsed
 * records with a reject reason, and parsed records to the rows of the bronze and rejects tables.
 * The run's identity and time come in as arguments; nothing here reads a clock.
 */
public final class BronzeTransform {
  static final String CORRUPT = "_corrupt_record";
  static final String RECORD = "_record";

  private BronzeTransform() {}

  /**
   * What a run stamps on every row it writes.
   *
   * @param runId the run (batch) identifier
   * @param ingestedAt when the batch was planned; the same for every row of the batch
   */
  public record Audit(String runId, Instant ingestedAt) {}

  /**
   * Parses JSON lines against the resolved data columns: the result has the line columns ({@code
   * _source_file, _landing_date, _line_number, _raw}), {@code _reason} (null for a good record) and
   * the data columns. A line that is a JSON object but has a value its column's type cannot hold is
   * a reject naming the column and the value, not a malformed line.
   */
  public static Dataset<Row> parseJson(
      Dataset<Row> lines, StructType data, Map<String, String> options) {
    Map<String, String> parseOptions = new HashMap<>(options);
    parseOptions.put("mode", "PERMISSIVE");
    parseOptions.put("columnNameOfCorruptRecord", CORRUPT);
    StructType withCorrupt = data.add(CORRUPT, DataTypes.StringType, true);
    Dataset<Row> parsed =
        lines.withColumn(
            RECORD,
            when(
                col("_error").isNull(),
                from_json(col(BronzeSchema.RAW), withCorrupt, parseOptions)));
    Column malformed = col(RECORD).isNull().or(col(RECORD + "." + CORRUPT).isNotNull());
    Column reason = coalesce(col("_error"), when(malformed, jsonProblem(data, parseOptions)));
    List<Column> columns = new ArrayList<>(lineColumns(reason));
    columns.add(reason.as(BronzeSchema.REASON));
    for (StructField field : data.fields()) {
      columns.add(col(RECORD).getField(field.name()).as(field.name()));
    }
    return parsed.select(columns.toArray(Column[]::new));
  }

  /**
   * Why a line that failed to parse is a reject; evaluated for those lines only. Spark's parser
   * carries on past a value that does not fit (partial results), so the first column whose text is
   * there but whose typed value is not is the culprit. The text comes from a second parse with
   * every column a string, which holds any JSON value; it fails only for a line that is no object.
   */
  private static Column jsonProblem(StructType data, Map<String, String> parseOptions) {
    StructType texts = new StructType();
    for (StructField field : data.fields()) {
      texts = texts.add(field.name(), DataTypes.StringType, true);
    }
    Column text =
        from_json(
            col(BronzeSchema.RAW), texts.add(CORRUPT, DataTypes.StringType, true), parseOptions);
    Column problem =
        when(
                text.isNull().or(text.getField(CORRUPT).isNotNull()),
                lit(RejectReasons.MALFORMED_JSON))
            .otherwise(lit(RejectReasons.TYPE_MISMATCH_NESTED));
    List<StructField> fields = new ArrayList<>(List.of(data.fields()));
    java.util.Collections.reverse(fields); // built inside out: the first column is tested first
    for (StructField field : fields) {
      if (field.dataType().equals(DataTypes.StringType)) {
        continue; // a string column holds any value's text
      }
      Column value = text.getField(field.name());
      problem =
          when(
                  value.isNotNull().and(col(RECORD).getField(field.name()).isNull()),
                  mismatch(field, value))
              .otherwise(problem);
    }
    return problem;
  }

  /** The reject reason for a value that does not fit {@code field}'s type, the value shortened. */
  private static Column mismatch(StructField field, Column value) {
    Column shown =
        when(length(value).gt(60), concat(substring(value, 1, 57), lit("..."))).otherwise(value);
    return concat(
        lit(RejectReasons.typeMismatchPrefix(field.name(), field.dataType().simpleString())),
        shown,
        lit("'"));
  }

  /**
   * Lays CSV fields out as the resolved data columns, cast to their types (strings unless a hint or
   * the table says otherwise). {@code csvColumns} is the order of {@code _fields}. A field that
   * does not cast to its column's type makes the line a reject naming the column and the value.
   */
  public static Dataset<Row> parseCsv(
      Dataset<Row> lines, StructType data, List<String> csvColumns) {
    Column problem = lit(null).cast(DataTypes.StringType);
    List<StructField> fields = new ArrayList<>(List.of(data.fields()));
    java.util.Collections.reverse(fields); // built inside out: the first column is tested first
    for (StructField field : fields) {
      int index = csvColumns.indexOf(field.name());
      if (index < 0 || field.dataType().equals(DataTypes.StringType)) {
        continue;
      }
      Column text = col("_fields").getItem(index);
      problem =
          when(text.isNotNull().and(csvField(csvColumns, field).isNull()), mismatch(field, text))
              .otherwise(problem);
    }
    Column reason = coalesce(col("_error"), problem);
    List<Column> columns = new ArrayList<>(lineColumns(reason));
    columns.add(reason.as(BronzeSchema.REASON));
    for (StructField field : data.fields()) {
      columns.add(csvField(csvColumns, field).as(field.name()));
    }
    return lines.select(columns.toArray(Column[]::new));
  }

  static Column csvField(List<String> csvColumns, StructField field) {
    int index = csvColumns.indexOf(field.name());
    Column value = index < 0 ? lit(null).cast(DataTypes.StringType) : col("_fields").getItem(index);
    return field.dataType().equals(DataTypes.StringType) ? value : value.cast(field.dataType());
  }

  /** The good records with the audit columns: the rows of {@code bronze.<source>}. */
  public static Dataset<Row> bronzeRows(Dataset<Row> parsed, StructType data, Audit audit) {
    List<Column> columns = new ArrayList<>();
    for (StructField field : data.fields()) {
      columns.add(quoted(field.name()));
    }
    columns.add(lit(Timestamp.from(audit.ingestedAt())).as(BronzeSchema.INGESTED_AT));
    columns.add(col(BronzeSchema.SOURCE_FILE));
    columns.add(lit(audit.runId()).as(BronzeSchema.RUN_ID));
    columns.add(col(BronzeSchema.LANDING_DATE));
    return parsed.where(col(BronzeSchema.REASON).isNull()).select(columns.toArray(Column[]::new));
  }

  /**
   * The lines that are no record, with their reason: the rows of {@code bronze.<source>_rejects}.
   */
  public static Dataset<Row> rejectRows(Dataset<Row> parsed, Audit audit) {
    return parsed
        .where(col(BronzeSchema.REASON).isNotNull())
        .select(
            col(BronzeSchema.RAW),
            col(BronzeSchema.REASON),
            col(BronzeSchema.SOURCE_FILE),
            col(BronzeSchema.LINE_NUMBER),
            lit(audit.runId()).as(BronzeSchema.RUN_ID),
            lit(Timestamp.from(audit.ingestedAt())).as(BronzeSchema.INGESTED_AT),
            col(BronzeSchema.LANDING_DATE));
  }

  /**
   * Adds the audit columns to rows read from parquet files (which have no lines to reject); {@code
   * files} carries {@code _file_path} and {@code _landing_date}.
   */
  public static Dataset<Row> parquetRows(Dataset<Row> files, StructType data, Audit audit) {
    List<Column> columns = new ArrayList<>();
    for (StructField field : data.fields()) {
      boolean present = files.schema().getFieldIndex(field.name()).isDefined();
      columns.add(
          (present ? quoted(field.name()) : lit(null)).cast(field.dataType()).as(field.name()));
    }
    columns.add(lit(Timestamp.from(audit.ingestedAt())).as(BronzeSchema.INGESTED_AT));
    columns.add(col("_file_path").as(BronzeSchema.SOURCE_FILE));
    columns.add(lit(audit.runId()).as(BronzeSchema.RUN_ID));
    columns.add(col(BronzeSchema.LANDING_DATE));
    return files.select(columns.toArray(Column[]::new));
  }

  /** The schema of {@code bronze.<source>} rows: the data columns, then the audit columns. */
  static StructType bronzeSchema(StructType data) {
    StructType schema = data;
    for (StructField field : BronzeSchema.AUDIT.fields()) {
      schema = schema.add(field);
    }
    return schema;
  }

  /** A column by its exact name, dots and all. */
  static Column quoted(String name) {
    return col("`" + name.replace("`", "``") + "`");
  }

  /**
   * The line columns of a parsed batch. The raw text is kept only where a reject needs it: the
   * parsed batch is cached between the writes, and the text of good lines would double its size.
   */
  private static List<Column> lineColumns(Column reason) {
    return List.of(
        col(BronzeSchema.SOURCE_FILE),
        to_date(col(BronzeSchema.LANDING_DATE)).as(BronzeSchema.LANDING_DATE),
        col(BronzeSchema.LINE_NUMBER),
        when(reason.isNotNull(), col(BronzeSchema.RAW)).as(BronzeSchema.RAW));
  }
}
