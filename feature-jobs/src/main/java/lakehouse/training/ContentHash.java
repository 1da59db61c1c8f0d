package lakehouse.training;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.hash;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.xxhash64;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;

/**
 * An order-independent fingerprint of a Dataset's rows and schema: SHA-256 over the schema, the row
 * count and the sums of two independent 64- and 32-bit row hashes. Equal multisets of rows give
 * equal hashes whatever the partitioning or file layout; one changed, added or removed row changes
 * it. Each value is hashed with its null flag, so moving a null between columns counts.
 */
public final class ContentHash {
  private ContentHash() {}

  public static String of(Dataset<Row> rows) {
    List<Column> parts = new ArrayList<>();
    for (String column : rows.columns()) {
      parts.add(col("`" + column + "`"));
      parts.add(col("`" + column + "`").isNull());
    }
    Column[] values = parts.toArray(Column[]::new);
    Row totals =
        rows.agg(
                count(lit(1)),
                sum(xxhash64(values).cast(DataTypes.createDecimalType(38, 0))),
                sum(hash(values).cast(DataTypes.LongType)))
            .first();
    String text =
        rows.schema().json() + "|" + totals.getLong(0) + "|" + totals.get(1) + "|" + totals.get(2);
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JVM", e);
    }
  }
}
