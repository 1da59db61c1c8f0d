package lakehouse.bronze;

import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.delta.DeltaLog;
import org.apache.spark.sql.delta.Snapshot;
import scala.Option;
import scala.Tuple2;

/**
 * Reads the idempotent-write progress Delta keeps in a table's snapshot: for an application id, the
 * highest {@code txnVersion} committed together with data ({@code SetTransaction} actions). Because
 * that number is part of the same atomic commit as the rows, it says exactly which batches a table
 * holds.
 */
final class DeltaTxn {
  private DeltaTxn() {}

  /** The last committed version for the application id; 0 when none (or no table). */
  static long committed(SparkSession spark, String location, String appId) {
    Tuple2<DeltaLog, Snapshot> table = DeltaLog.forTableWithSnapshot(spark, location);
    if (table._2().version() < 0) {
      return 0;
    }
    Option<Object> version = table._2().transactions().get(appId);
    return version.isDefined() ? (Long) version.get() : 0L;
  }
}
