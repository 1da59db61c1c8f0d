package lakehouse.gold.declarations;

import lakehouse.common.catalog.TableId;

/**
 * A silver table a feature set reads.
 *
 * @param name the name features refer to it by
 * @param table the Delta table
 * @param type {@code EVENTS}: one row per event at {@code timeColumn}; {@code SCD2}: one row per
 *     version of an entity, valid from {@code validFrom} (inclusive) to {@code validTo} (exclusive,
 *     null while current)
 * @param timeColumn the event time of an events source (null for SCD2)
 * @param filter an optional SQL condition every row must meet (e.g. {@code status <> 'test'})
 * @param validFrom SCD2 only
 * @param validTo SCD2 only
 * @param declared where it was declared
 */
public record SourceSpec(
    String name,
    TableId table,
    Type type,
    String timeColumn,
    String filter,
    String validFrom,
    String validTo,
    Declared declared) {

  /** What the rows of a source are. */
  public enum Type {
    EVENTS,
    SCD2
  }

  public boolean isScd2() {
    return type == Type.SCD2;
  }

  /** The canonical text of what the source is, part of every feature's definition hash. */
  public String definition() {
    return isScd2()
        ? "scd2 "
            + table
            + " valid-from="
            + validFrom
            + " valid-to="
            + validTo
            + (filter == null ? "" : " filter=" + filter)
        : "events " + table + " time=" + timeColumn + (filter == null ? "" : " filter=" + filter);
  }
}
