package lakehouse.bronze;

import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.delta.DeltaLog;
import org.apache.spark.sql.delta.Snapshot;
import org.apache.spark.sql.delta.actions.Action;
import org.apache.spark.sql.delta.actions.AddFile;
import org.apache.spark.sql.delta.actions.CommitInfo;
import org.apache.spark.sql.delta.actions.SetTransaction;
import scala.Option;
import scala.Tuple2;
import scala.collection.JavaConverters;

/**
 * Reads the idempotent-write progress Delta keeps in a table's snapshot: for an application id, the
 * highest {@code txnVersion} committed together with data ({@code SetTransaction} actions). Because
 * that number is part of the same atomic commit as the rows, it says exactly which batches a table
 * holds, and that commit says how many rows the batch added.
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

  /**
   * How many rows the commit carrying the application's {@code txnVersion} added: its {@code
   * numOutputRows} operation metric, else (metrics turned off) the record counts of its files'
   * statistics. Read from the log, so a batch's rows are counted without reading them.
   *
   * @throws IllegalStateException when no commit carries it, or neither source of the count is
   *     there
   */
  static long rowsCommitted(SparkSession spark, String location, String appId, long txnVersion) {
    Tuple2<DeltaLog, Snapshot> table = DeltaLog.forTableWithSnapshot(spark, location);
    for (long version = table._2().version(); version >= 0; version--) {
      var changes = table._1().getChanges(version, version, true);
      List<Action> actions =
          changes.hasNext() ? JavaConverters.seqAsJavaList(changes.next()._2()) : List.<Action>of();
      Long found = null;
      for (Action action : actions) {
        if (action instanceof SetTransaction txn && txn.appId().equals(appId)) {
          if (txn.version() < txnVersion) {
            break; // an earlier batch: the one asked for is not in the table
          }
          if (txn.version() == txnVersion) {
            found = rowsAdded(actions, location, version);
          }
        }
      }
      if (found != null) {
        return found;
      }
      if (actions.stream()
          .anyMatch(a -> a instanceof SetTransaction t && t.appId().equals(appId))) {
        break;
      }
    }
    throw new IllegalStateException(
        "no commit of " + location + " carries " + appId + " batch " + txnVersion);
  }

  private static long rowsAdded(List<Action> actions, String location, long version) {
    for (Action action : actions) {
      if (action instanceof CommitInfo info && info.operationMetrics().isDefined()) {
        Option<String> rows = info.operationMetrics().get().get("numOutputRows");
        if (rows.isDefined()) {
          return Long.parseLong(rows.get());
        }
      }
    }
    long fromStats = 0;
    for (Action action : actions) {
      if (action instanceof AddFile add && add.dataChange()) {
        Option<Object> records = add.numLogicalRecords();
        if (records.isEmpty()) {
          throw new IllegalStateException(
              "version " + version + " of " + location + " has neither row metrics nor stats");
        }
        fromStats += (Long) records.get();
      }
    }
    return fromStats;
  }
}
