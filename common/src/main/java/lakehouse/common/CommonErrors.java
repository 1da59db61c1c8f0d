package lakehouse.common;

import java.util.List;

/**
 * The errors every layer can raise about a command's options, each returned with its exit code
 * ({@code throw CommonErrors.reversedRange(...)}), so one fact has one wording whichever command
 * meets it. What is said about table versions (no such version, no longer readable) is worded once
 * in {@link lakehouse.common.catalog.TableVersions}; an unknown declaration name in {@link
 * lakehouse.common.settings.Declarations}.
 */
public final class CommonErrors {
  private CommonErrors() {}

  /** No recorded training-set build has this id or id prefix: exit code 2. */
  public static LakehouseException unknownTrainingSet(String id) {
    return LakehouseException.usage("unknown training set '" + id + "' (see 'training-set list')");
  }

  /** An id prefix that matches several recorded builds: exit code 2. */
  public static LakehouseException ambiguousTrainingSet(String prefix, List<String> ids) {
    return LakehouseException.usage(
        "training set id prefix '" + prefix + "' matches " + String.join(", ", ids));
  }

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
