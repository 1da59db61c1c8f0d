package lakehouse.silver.contract;

import java.util.List;
import java.util.Optional;
import lakehouse.common.catalog.TableId;

/**
 * The contract of one silver table, read from {@code conf/tables/<name>.conf}: where its rows come
 * from, what they look like once conformed, how duplicates are resolved and which quality checks
 * guard the publish.
 *
 * @param name the silver table's name ({@code silver.<name>})
 * @param source the bronze table read incrementally
 * @param history {@link History#LATEST}: one row per business key, the latest wins; {@link
 *     History#SCD2}: every version kept with {@code valid_from}, {@code valid_to}, {@code
 *     is_current}
 * @param businessKey the columns identifying an entity (or an event)
 * @param eventTime the timestamp column that orders versions of a key (the latest wins)
 * @param columns the silver columns, in order
 * @param checks the quality checks, row-level ones first in declaration order
 * @param derived columns computed from the typed columns by SQL expressions, in declaration order;
 *     written after {@code columns}
 */
public record TableContract(
    String name,
    TableId source,
    History history,
    List<String> businessKey,
    String eventTime,
    List<ColumnSpec> columns,
    List<CheckSpec> checks,
    List<DerivedSpec> derived) {

  public TableContract {
    businessKey = List.copyOf(businessKey);
    columns = List.copyOf(columns);
    checks = List.copyOf(checks);
    derived = List.copyOf(derived);
  }

  public TableContract(
      String name,
      TableId source,
      History history,
      List<String> businessKey,
      String eventTime,
      List<ColumnSpec> columns,
      List<CheckSpec> checks) {
    this(name, source, history, businessKey, eventTime, columns, checks, List.of());
  }

  /** The same contract with its derived columns' types resolved. */
  public TableContract withDerived(List<DerivedSpec> resolved) {
    return new TableContract(
        name, source, history, businessKey, eventTime, columns, checks, resolved);
  }

  /** Whether every derived column's type is known ({@link DerivedColumns#resolve}). */
  public boolean resolved() {
    return derived.stream().allMatch(d -> d.type() != null);
  }

  /** How versions of a business key are kept. */
  public enum History {
    LATEST,
    SCD2
  }

  /** The name ending of every table's metrics history ({@link #metrics()}). */
  public static final String METRICS_SUFFIX = "_quality_metrics";

  public TableId target() {
    return TableId.of("silver", name);
  }

  public TableId quarantine() {
    return TableId.of("silver", name + "_quarantine");
  }

  /**
   * The table's quality metrics history: its own table, like its quarantine, so silver jobs of
   * different tables share no write target and run side by side (on S3 too).
   */
  public TableId metrics() {
    return TableId.of("silver", name + METRICS_SUFFIX);
  }

  public Optional<ColumnSpec> column(String columnName) {
    return columns.stream().filter(c -> c.name().equals(columnName)).findFirst();
  }

  public List<CheckSpec> rowLevelChecks() {
    return checks.stream().filter(c -> c.type().rowLevel()).toList();
  }

  public List<CheckSpec> datasetChecks() {
    return checks.stream().filter(c -> !c.type().rowLevel()).toList();
  }

  public boolean hasPii() {
    return columns.stream().anyMatch(ColumnSpec::pii);
  }
}
