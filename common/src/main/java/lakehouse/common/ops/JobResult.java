package lakehouse.common.ops;

import java.util.List;
import java.util.Map;

/**
 * What one run of a {@link Job} did, the one result type of the layer jobs ({@code BronzeReport},
 * {@code SilverReport}, {@code GoldReport}, {@code TrainingSetManifest}): each is a record whose
 * fields tests and callers read, and each says the same two things the same way.
 */
public interface JobResult {
  /** What the run's command prints for people, one line each. */
  List<String> lines();

  /**
   * The run's facts as its record in the run history keeps them ({@code details[target]} of its row
   * in {@code _ops.runs}, given to {@link RunStats#detail}); the row itself has the row counts and
   * the versions read and written. A null value leaves its key out.
   */
  Map<String, Object> details();
}
