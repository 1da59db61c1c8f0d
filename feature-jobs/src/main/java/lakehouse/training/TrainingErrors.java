package lakehouse.training;

import java.time.Duration;
import java.util.List;
import lakehouse.common.LakehouseException;

/**
 * The errors of the training-set commands, each returned with its exit code ({@code throw
 * TrainingErrors.specNotFound(...)}), so every fact has one wording and one code; tests assert
 * through {@code getMessage()}. The methods that return a {@code String} word one line of a build's
 * list of problems (one usage error naming them all), a warning, or a marker the build recognises.
 * Versions that do not exist or are no longer readable are worded in {@link
 * lakehouse.common.catalog.TableVersions}, a bad duration in {@link lakehouse.common.CommonErrors}.
 */
public final class TrainingErrors {
  private TrainingErrors() {}

  public static LakehouseException noDriftGate(String name) {
    return LakehouseException.usage(
        "training set "
            + name
            + " asks for the drift gate (drift.gate = true), but no gate"
            + " is on the class path: build it with the application jar, which holds gold's");
  }

  public static LakehouseException specNotFound(String path) {
    return LakehouseException.usage("training-set spec " + path + " does not exist");
  }

  public static String unknownColumn(
      String where, String column, String table, List<String> known) {
    return where
        + ": column '"
        + column
        + "' is not in "
        + table
        + " (columns: "
        + String.join(", ", known)
        + ")";
  }

  public static String nameClash(String column, String first, String second) {
    return "output column '"
        + column
        + "' would come from both "
        + first
        + " and "
        + second
        + "; rename one of them (features[].rename { feature = new_name })";
  }

  public static LakehouseException spineQueryFails(String reason) {
    return LakehouseException.usage("spine.query cannot be run: " + reason);
  }

  public static String spineVersionNotRead(String table) {
    return "spine.versions pins " + table + ", which spine.query does not read";
  }

  public static LakehouseException spineQueryTimeTravel() {
    return LakehouseException.usage(
        "spine.query must not time travel itself (VERSION AS OF / TIMESTAMP AS OF): the build"
            + " pins every table it reads (pin them with spine.versions, --version or --as-of)");
  }

  public static LakehouseException spineQueryNotALakeTable(String name) {
    return LakehouseException.usage(
        "spine.query reads "
            + name
            + ", which is not a table of the lake; a spine query"
            + " reads lake tables by name (layer.table) so that their versions can be pinned");
  }

  /** A known-at build whose spine rows come before a feature table existed. */
  public static String beforeFirstCommit(
      String table, long before, long rows, String created, Duration delay) {
    return before
        + " of "
        + rows
        + " spine rows are from before "
        + table
        + "'s first commit ("
        + created
        + (delay.isZero() ? "" : " plus the serving delay " + delay)
        + "): in known-at mode nothing of it was known then, so their "
        + table
        + " features are null";
  }

  public static String keyTypeMismatch(
      String key, String spineType, String table, String featureType) {
    return "key column '"
        + key
        + "' is "
        + spineType
        + " in the spine but "
        + featureType
        + " in "
        + table;
  }

  public static LakehouseException badTimestamp(String option, String value) {
    return LakehouseException.usage(
        option
            + " must be a timestamp such as 2026-11-20T08:00:00Z or 2026-11-20, got '"
            + value
            + "'");
  }

  public static LakehouseException badVersionPin(String value) {
    return LakehouseException.usage(
        "--version must look like TABLE=VERSION (e.g. gold.customer_features=3), got '"
            + value
            + "'");
  }

  public static String versionPinNotRead(String table) {
    return "--version names " + table + ", which this training set does not read";
  }

  public static LakehouseException servingDelayNeedsKnownAt() {
    return LakehouseException.usage("--serving-delay only applies with --known-at");
  }

  public static String noChangeFeed(String table) {
    return "known-at mode reads the change data feed, but "
        + table
        + " was not created with delta.enableChangeDataFeed = true";
  }

  /** What a build says before a {@code TableVersions} "no longer readable" message. */
  public static String cannotReproduce(String trainingSetId) {
    return "cannot rebuild training set " + trainingSetId;
  }

  public static LakehouseException versionGone(String table, long version, String trainingSetId) {
    return LakehouseException.data(
        "cannot rebuild training set "
            + trainingSetId
            + ": version "
            + version
            + " of "
            + table
            + " is no longer readable (VACUUM or log cleanup removed its files); "
            + "the rows it had are gone, so the training set cannot be reproduced");
  }

  public static LakehouseException historyGone(String table, long version, String trainingSetId) {
    return LakehouseException.data(
        "cannot build training set "
            + trainingSetId
            + " in known-at mode: the change data "
            + "feed of "
            + table
            + " (versions 0 to "
            + version
            + ") is no longer complete "
            + "(VACUUM removed files it needs); build it without --known-at, or from a table whose "
            + "history is retained");
  }

  /** How an ambiguous-tie failure starts (the join raises it; the builder recognises it). */
  public static final String AMBIGUOUS_TIE = "ambiguous tie in ";

  private static final String AMBIGUOUS_TIE_END = "one row per key and feature time";

  /** The rest of the ambiguous-tie message, after the key and feature time. */
  public static String ambiguousTieRemedy(String table) {
    return " have different values, and the log cannot tell which was committed last (rows "
        + "rewritten by DELETE, UPDATE, MERGE, OPTIMIZE or RESTORE, or added before the oldest "
        + "retained log entry, in a table without row tracking); recreate "
        + table
        + " with TBLPROPERTIES (delta.enableRowTracking = true), or keep "
        + AMBIGUOUS_TIE_END;
  }

  /** The ambiguous-tie message inside a failed job's error text, or null. */
  public static String ambiguousTie(String errorText) {
    int start = errorText == null ? -1 : errorText.indexOf(AMBIGUOUS_TIE);
    int end = start < 0 ? -1 : errorText.indexOf(AMBIGUOUS_TIE_END, start);
    return end < 0 ? null : errorText.substring(start, end + AMBIGUOUS_TIE_END.length());
  }

  public static LakehouseException historyBeforeRetention(
      String table, String oldestCommit, String firstKnowledge) {
    return LakehouseException.data(
        "known-at mode needs what "
            + table
            + " held at "
            + firstKnowledge
            + " (the earliest spine event time minus the serving delay), but its log is retained "
            + "only from "
            + oldestCommit
            + " (log clean-up); build without --known-at, or drop the "
            + "spine rows before that time");
  }

  public static LakehouseException rulesChanged(
      String trainingSetId, String expected, String actual) {
    return LakehouseException.data(
        "rebuild of training set "
            + trainingSetId
            + " produced different rows (content hash "
            + actual
            + " instead of "
            + expected
            + "): it was built before the point-in-time rules were corrected (the serving delay was"
            + " added to the event time instead of subtracted, and ties on feature time followed"
            + " the data file instead of the row), and its rows were affected; build it anew with"
            + " 'training-set build'");
  }

  public static LakehouseException hashMismatch(
      String trainingSetId, String expected, String actual) {
    return LakehouseException.data(
        "rebuild of training set "
            + trainingSetId
            + " produced different rows: content hash "
            + actual
            + " instead of "
            + expected
            + " (the spine file changed, or the data behind a "
            + "pinned version was rewritten)");
  }

  public static LakehouseException badManifestFile(String path, String problem) {
    return LakehouseException.usage("cannot read training-set manifest " + path + ": " + problem);
  }

  public static String outputIsInput(String output) {
    return "--output " + output + " is one of the training set's inputs";
  }

  /** What a persisted spine's commits carry as {@code userMetadata}, before the build's id. */
  public static final String SPINE_COMMIT = "spine of training set ";

  public static LakehouseException spineTableNotASpine(String table) {
    return LakehouseException.usage(
        "spine table "
            + table
            + " exists and was not written as a training-set spine "
            + "(its latest commit is no '"
            + SPINE_COMMIT.trim()
            + " ...'); it is not overwritten: "
            + "choose another spine table");
  }

  public static LakehouseException spineTableIsInput(String table) {
    return LakehouseException.usage(
        "spine table "
            + table
            + " is also a feature table or the output of this training "
            + "set; choose another spine table");
  }

  public static LakehouseException spineNotPersisted(String table, String reason) {
    return LakehouseException.usage(
        "cannot persist the spine DataFrame as " + table + ": " + reason);
  }
}
