package lakehouse.training;

import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.spark.sql.Row;

/**
 * One pass over a sorted partition: every input row goes through {@link #consume}, which either
 * updates the sweep's state (and returns null) or answers with an output row. Lazy, so a partition
 * is never held in memory.
 */
abstract class PartitionSweep implements Iterator<Row> {
  private final Iterator<Row> rows;
  private Row next;

  PartitionSweep(Iterator<Row> rows) {
    this.rows = rows;
  }

  /** Takes the next input row; returns the output row it answers, or null. */
  protected abstract Row consume(Row row);

  @Override
  public final boolean hasNext() {
    while (next == null && rows.hasNext()) {
      next = consume(rows.next());
    }
    return next != null;
  }

  @Override
  public final Row next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    Row result = next;
    next = null;
    return result;
  }
}
