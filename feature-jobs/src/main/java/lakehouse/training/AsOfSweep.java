package lakehouse.training;

import java.util.Arrays;
import java.util.Iterator;
import java.util.Objects;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The as-of pass of latest and as-of mode: one sweep per (key, time bucket) through time. Rows
 * arrive partitioned by (key, bucket) and sorted by (key, bucket, time, feature rows before spine
 * rows, commit version, value hash), so the last feature row seen of each table is the one a spine
 * row takes: the latest at or before its event time, the row committed last on a tie of feature
 * time. The state is one row per feature table, whatever the length of a key's history.
 *
 * <p>Emits one row per spine row: the key columns, the bucket, the event time, the spine struct,
 * the picked payload of each feature table (null when none was seen) and, per table, whether that
 * pick depends on a commit order the log cannot tell ({@link TieGroup}; only tracked when some
 * table has commits that are upper bounds, else false).
 */
final class AsOfSweep {
  private AsOfSweep() {}

  static Dataset<Row> run(Dataset<Row> sorted, int keyCount, int sources, boolean checkTies) {
    StructType in = sorted.schema();
    StructType out = new StructType();
    int[] group = new int[keyCount + 1];
    for (int j = 0; j < keyCount; j++) {
      group[j] = in.fieldIndex(PointInTimeJoin.key(j));
      out = out.add(in.apply(group[j]));
    }
    group[keyCount] = in.fieldIndex(PointInTimeJoin.BUCKET);
    out =
        out.add(in.apply(group[keyCount]))
            .add(PointInTimeJoin.TIME, DataTypes.TimestampType)
            .add(in.apply(PointInTimeJoin.SPINE));
    int[] payloads = new int[sources];
    for (int i = 0; i < sources; i++) {
      payloads[i] = in.fieldIndex(PointInTimeJoin.payload(i));
      out = out.add(PointInTimeJoin.pick(i), in.apply(payloads[i]).dataType());
    }
    for (int i = 0; i < sources; i++) {
      out = out.add(PointInTimeJoin.ambiguous(i), DataTypes.BooleanType);
    }
    Layout layout =
        new Layout(
            group,
            in.fieldIndex(PointInTimeJoin.TIME),
            in.fieldIndex(PointInTimeJoin.KIND),
            in.fieldIndex(PointInTimeJoin.SPINE),
            payloads,
            checkTies,
            in.fieldIndex(FeatureInput.COMMIT),
            in.fieldIndex(FeatureInput.EXACT),
            in.fieldIndex(PointInTimeJoin.TIE));
    MapPartitionsFunction<Row, Row> sweep = rows -> new Sweep(rows, layout);
    return sorted.mapPartitions(sweep, Encoders.row(out));
  }

  /** Column positions, resolved once on the driver. */
  private record Layout(
      int[] group,
      int time,
      int kind,
      int spine,
      int[] payloads,
      boolean checkTies,
      int commit,
      int exact,
      int tie)
      implements java.io.Serializable {}

  private static final class Sweep extends PartitionSweep {
    private final Layout layout;
    private final Object[] currentGroup;
    private final Row[] latest;
    private final Object[] latestTime;
    private final TieGroup[] ties;
    private boolean started;

    Sweep(Iterator<Row> rows, Layout layout) {
      super(rows);
      this.layout = layout;
      this.currentGroup = new Object[layout.group().length];
      this.latest = new Row[layout.payloads().length];
      this.latestTime = new Object[latest.length];
      this.ties = new TieGroup[latest.length];
      for (int i = 0; i < ties.length; i++) {
        ties[i] = new TieGroup();
      }
    }

    @Override
    protected Row consume(Row row) {
      enterGroup(row);
      if (row.getInt(layout.kind()) == PointInTimeJoin.FEATURE_ROW) {
        for (int i = 0; i < latest.length; i++) {
          if (!row.isNullAt(layout.payloads()[i])) {
            latest[i] = row.getStruct(layout.payloads()[i]);
            if (layout.checkTies()) {
              track(i, row);
            }
          }
        }
        return null;
      }
      int[] group = layout.group();
      int first = group.length + 2;
      Object[] values = new Object[first + 2 * latest.length];
      for (int j = 0; j < group.length; j++) {
        values[j] = currentGroup[j];
      }
      values[group.length] = row.get(layout.time());
      values[group.length + 1] = row.get(layout.spine());
      System.arraycopy(latest, 0, values, first, latest.length);
      for (int i = 0; i < latest.length; i++) {
        values[first + latest.length + i] = latest[i] != null && ties[i].ambiguous();
      }
      return RowFactory.create(values);
    }

    /** Keeps the rows tied with table i's latest on feature time (a new time starts anew). */
    private void track(int i, Row row) {
      Object time = row.get(layout.time());
      if (!time.equals(latestTime[i])) {
        ties[i].clear();
        latestTime[i] = time;
      }
      ties[i].add(
          row.getLong(layout.commit()), row.getBoolean(layout.exact()), row.getLong(layout.tie()));
    }

    /** Forgets the previous (key, bucket)'s rows when this row starts a new one. */
    private void enterGroup(Row row) {
      int[] group = layout.group();
      boolean same = started;
      for (int j = 0; j < group.length && same; j++) {
        same = Objects.equals(currentGroup[j], row.get(group[j]));
      }
      if (same) {
        return;
      }
      started = true;
      for (int j = 0; j < group.length; j++) {
        currentGroup[j] = row.get(group[j]);
      }
      Arrays.fill(latest, null);
      Arrays.fill(latestTime, null);
      for (TieGroup tie : ties) {
        tie.clear();
      }
    }
  }
}
