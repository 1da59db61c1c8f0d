package lakehouse.bronze;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.catalyst.json.JSONOptions;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructType;
import scala.collection.JavaConverters;

/**
 * Whether a batch's JSON records bring anything the table's columns do not have, found without
 * inferring a schema: every key of every record is looked up, at every depth, in the columns' types
 * (a struct's fields, an array's elements). When no record has an unknown key, the batch's columns
 * are the known columns it carries, with the types the table and the hints fix, which is exactly
 * what inference followed by {@link BronzeSchema#resolve} gives then; a key the columns do not have
 * (a new column, a new field of a struct) sends the batch to Spark's inference, as for a new table.
 *
 * <p>Records are tokenized by the factory Spark's JSON reader builds from the same options, so a
 * line is read here as Spark reads it. A line that is no JSON object, or not valid JSON, counts for
 * nothing: the parse makes it a reject. (Inference would take the keys of a line that is an array
 * of objects as columns, null in every written row; here they add none.)
 */
final class JsonKeys {
  /** Stands for "a record has a key the columns do not have"; no column can be named so. */
  static final String UNKNOWN = "\u0000";

  private JsonKeys() {}

  /**
   * The known top-level columns the records carry; empty when some record has a key {@code columns}
   * do not have (then the batch's columns must be inferred).
   */
  static Optional<Set<String>> knownColumns(
      Dataset<String> records, StructType columns, Map<String, String> options) {
    // Each partition sends at most one name per column: no shuffle to make them distinct.
    Set<String> found =
        new HashSet<>(
            records
                .mapPartitions(new Scan(columns, new HashMap<>(options)), Encoders.STRING())
                .collectAsList());
    return found.contains(UNKNOWN) ? Optional.empty() : Optional.of(found);
  }

  /** One partition's records: the known top-level columns they carry, or only {@link #UNKNOWN}. */
  static final class Scan implements MapPartitionsFunction<String, String> {
    private final StructType columns;
    private final HashMap<String, String> options;

    Scan(StructType columns, HashMap<String, String> options) {
      this.columns = columns;
      this.options = options;
    }

    @Override
    public Iterator<String> call(Iterator<String> records) {
      // The factory Spark's JSON reader uses for these options (comments, quotes and so on).
      JsonFactory factory = sparkOptions(options).buildJsonFactory();
      Set<String> seen = new HashSet<>();
      Set<String> record = new HashSet<>();
      while (records.hasNext()) {
        record.clear();
        try (JsonParser parser = factory.createParser(records.next())) {
          if (parser.nextToken() != JsonToken.START_OBJECT) {
            continue;
          }
          while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            DataType type = typeOf(columns, name);
            parser.nextToken();
            if (type == null || !fits(parser, type)) {
              return List.of(UNKNOWN).iterator();
            }
            record.add(name);
          }
          seen.addAll(record);
        } catch (IOException notJson) {
          // not a record: the parse rejects the line
        }
      }
      return seen.iterator();
    }
  }

  /**
   * Reads the value at the parser's current token to its end; false when it holds a key that {@code
   * type} has no field for. A value of another shape than the type's (an object for a number) adds
   * no key: the parse rejects its line, or a string column keeps its text.
   */
  static boolean fits(JsonParser parser, DataType type) throws IOException {
    JsonToken token = parser.currentToken();
    if (token == JsonToken.START_OBJECT && type instanceof StructType struct) {
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        DataType field = typeOf(struct, parser.currentName());
        parser.nextToken();
        if (field == null || !fits(parser, field)) {
          return false;
        }
      }
      return true;
    }
    if (token == JsonToken.START_ARRAY && type instanceof ArrayType array) {
      while (parser.nextToken() != JsonToken.END_ARRAY) {
        if (!fits(parser, array.elementType())) {
          return false;
        }
      }
      return true;
    }
    parser.skipChildren();
    return true;
  }

  private static DataType typeOf(StructType struct, String name) {
    scala.Option<Object> index = struct.getFieldIndex(name);
    return index.isDefined() ? struct.fields()[(Integer) index.get()].dataType() : null;
  }

  /** The source's options as Spark's JSON reader reads them (names in any case, as in Spark). */
  static JSONOptions sparkOptions(Map<String, String> options) {
    scala.collection.immutable.Map<String, String> parameters =
        JavaConverters.mapAsScalaMap(options).toMap(scala.Predef.$conforms());
    return new JSONOptions(parameters, "UTC", "");
  }
}
