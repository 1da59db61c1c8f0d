package lakehouse.training;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The known-at pass: one sweep per key through knowledge time. Rows arrive partitioned by key and
 * sorted by (key, knowledge time, operation): change-feed row versions becoming current ({@link
 * #INSERT}) or ending ({@link #DELETE}) at their commit's timestamp, and spine rows ({@link
 * #QUERY}) at event time minus serving delay. Per key and feature table, the sweep keeps the row
 * versions current at that moment in a map ordered by (feature time, commit version, value hash); a
 * spine row takes the greatest entry with feature time at or before its event time. Deletes sort
 * before inserts and both before queries at the same instant, so a version committed exactly at a
 * spine row's knowledge time counts, and one replaced then does not. Where a pick depends on a
 * commit order the log cannot tell ({@link TieGroup}), the spine row is marked so the build fails.
 *
 * <p>State is the current row versions of one key, so memory grows with a key's live rows, never
 * with its history. Hot keys are not spread over tasks in this mode.
 */
final class KnownAtSweep {
  static final int DELETE = 0;
  static final int INSERT = 1;
  static final int QUERY = 2;
  static final String SOURCE = "__src";
  static final String TIME_MICROS = "__tm";

  private KnownAtSweep() {}

  static Dataset<Row> run(Dataset<Row> sorted, int keyCount, List<DataType> payloadTypes) {
    StructType in = sorted.schema();
    StructType out =
        new StructType()
            .add(PointInTimeJoin.TIME, DataTypes.TimestampType)
            .add(PointInTimeJoin.SPINE, in.apply(PointInTimeJoin.SPINE).dataType());
    for (int i = 0; i < payloadTypes.size(); i++) {
      out = out.add(PointInTimeJoin.pick(i), payloadTypes.get(i));
    }
    for (int i = 0; i < payloadTypes.size(); i++) {
      out = out.add(PointInTimeJoin.ambiguous(i), DataTypes.BooleanType);
    }
    Layout layout = new Layout(in, keyCount, payloadTypes.size());
    MapPartitionsFunction<Row, Row> sweep = rows -> new Sweep(rows, layout);
    return sorted.mapPartitions(sweep, Encoders.row(out));
  }

  /** Column positions, resolved once on the driver. */
  private record Layout(
      int[] keys,
      int time,
      int timeMicros,
      int spine,
      int commit,
      int exact,
      int tie,
      int op,
      int source,
      int knownAt,
      int[] payloads)
      implements java.io.Serializable {
    Layout(StructType schema, int keyCount, int sources) {
      this(
          indices(schema, keyCount, PointInTimeJoin::key),
          schema.fieldIndex(PointInTimeJoin.TIME),
          schema.fieldIndex(TIME_MICROS),
          schema.fieldIndex(PointInTimeJoin.SPINE),
          schema.fieldIndex(FeatureInput.COMMIT),
          schema.fieldIndex(FeatureInput.EXACT),
          schema.fieldIndex(PointInTimeJoin.TIE),
          schema.fieldIndex(FeatureInput.OP),
          schema.fieldIndex(SOURCE),
          schema.fieldIndex(FeatureInput.KNOWN_AT),
          indices(schema, sources, PointInTimeJoin::payload));
    }

    private static int[] indices(
        StructType schema, int count, java.util.function.IntFunction<String> name) {
      int[] result = new int[count];
      for (int i = 0; i < count; i++) {
        result[i] = schema.fieldIndex(name.apply(i));
      }
      return result;
    }
  }

  /** A row version's place in the order: feature time, then commit version, then value hash. */
  private record Position(long featureTime, long commit, long tie) implements Comparable<Position> {
    @Override
    public int compareTo(Position o) {
      int c = Long.compare(featureTime, o.featureTime);
      if (c == 0) {
        c = Long.compare(commit, o.commit);
      }
      return c != 0 ? c : Long.compare(tie, o.tie);
    }
  }

  /** A row version's identity: its feature time and values (the key is the sweep's). */
  private record Content(long featureTime, long tie) {}

  private static final class Live {
    final Row payload;
    final boolean exact;
    int copies;

    Live(Row payload, boolean exact) {
      this.payload = payload;
      this.exact = exact;
    }
  }

  /** The current row versions of one feature table for the key being swept. */
  private static final class State {
    final TreeMap<Position, Live> byPosition = new TreeMap<>();
    final Map<Content, ArrayDeque<Long>> commits = new HashMap<>();

    private final TieGroup group = new TieGroup();

    void insert(long featureTime, long commit, boolean exact, long tie, Row payload) {
      Position position = new Position(featureTime, commit, tie);
      byPosition.computeIfAbsent(position, p -> new Live(payload, exact)).copies++;
      commits
          .computeIfAbsent(new Content(featureTime, tie), c -> new ArrayDeque<>())
          .addLast(commit);
    }

    /** Ends one current copy of this content; which copy does not matter, they are equal. */
    void delete(long featureTime, long tie) {
      ArrayDeque<Long> versions = commits.get(new Content(featureTime, tie));
      if (versions == null || versions.isEmpty()) {
        return; // became current before the history read; nothing of it is live here
      }
      Position position = new Position(featureTime, versions.pollFirst(), tie);
      Live live = byPosition.get(position);
      if (live != null && --live.copies == 0) {
        byPosition.remove(position);
      }
    }

    Map.Entry<Position, Live> latestAtOrBefore(long eventTime) {
      return byPosition.floorEntry(new Position(eventTime, Long.MAX_VALUE, Long.MAX_VALUE));
    }

    /** Whether the pick {@code latest} depends on a commit order the log cannot tell. */
    boolean ambiguous(Map.Entry<Position, Live> latest) {
      group.clear();
      long featureTime = latest.getKey().featureTime();
      for (Map.Entry<Position, Live> entry :
          byPosition.headMap(latest.getKey(), true).descendingMap().entrySet()) {
        if (entry.getKey().featureTime() != featureTime) {
          break;
        }
        group.add(entry.getKey().commit(), entry.getValue().exact, entry.getKey().tie());
      }
      return group.ambiguous();
    }
  }

  private static final class Sweep extends PartitionSweep {
    private final Layout layout;
    private final State[] states;
    private List<Object> currentKey;

    Sweep(Iterator<Row> rows, Layout layout) {
      super(rows);
      this.layout = layout;
      this.states = new State[layout.payloads().length];
      reset();
    }

    private void reset() {
      for (int i = 0; i < states.length; i++) {
        states[i] = new State();
      }
    }

    @Override
    protected Row consume(Row row) {
      List<Object> key = new ArrayList<>(layout.keys().length);
      for (int index : layout.keys()) {
        key.add(row.get(index));
      }
      if (!Objects.equals(key, currentKey)) {
        currentKey = key;
        reset();
      }
      int op = row.getInt(layout.op());
      if (op == QUERY) {
        Object[] values = new Object[2 + 2 * states.length];
        values[0] = row.get(layout.time());
        values[1] = row.get(layout.spine());
        for (int i = 0; i < states.length; i++) {
          var latest =
              row.isNullAt(layout.timeMicros())
                  ? null
                  : states[i].latestAtOrBefore(row.getLong(layout.timeMicros()));
          values[2 + i] = latest == null ? null : latest.getValue().payload;
          values[2 + states.length + i] = latest != null && states[i].ambiguous(latest);
        }
        return RowFactory.create(values);
      }
      int source = row.getInt(layout.source());
      long featureTime = row.getLong(layout.timeMicros());
      long tie = row.getLong(layout.tie());
      if (op == INSERT) {
        states[source].insert(
            featureTime,
            row.getLong(layout.commit()),
            row.getBoolean(layout.exact()),
            tie,
            row.getStruct(layout.payloads()[source]));
      } else {
        states[source].delete(featureTime, tie);
      }
      return null;
    }
  }
}
