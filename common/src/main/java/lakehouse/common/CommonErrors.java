package lakehouse.common;

/**
 * The errors every layer can raise about a command's options, each returned with its exit code
 * ({@code throw CommonErrors.reversedRange(...)}), so one fact has one wording whichever command
 * meets it. What is said about table versions (no such version, no longer readable) is worded once
 * in {@link lakehouse.common.catalog.TableVersions}; an unknown declaration name in {@link
 * lakehouse.common.settings.Declarations}.
 */
public final class CommonErrors {
  private CommonErrors() {}

  /** An option that is no duration, or a negative one: exit code 2. */
  public static LakehouseException badDuration(String option, String value) {
    return LakehouseException.usage(
        option + " must be a duration such as '7 days', '168 hours' or '0h', got '" + value + "'");
  }

  /**
   * {@code --from} after {@code --to}: exit code 2.
   *
   * @param what what the two options name, e.g. {@code version} or {@code date}
   */
  public static LakehouseException reversedRange(Object from, Object to, String what) {
    return LakehouseException.usage(
        "--from " + from + " is after --to " + to + ": give the older " + what + " as --from");
  }
}
