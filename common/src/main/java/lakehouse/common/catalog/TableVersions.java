package lakehouse.common.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.delta.tables.DeltaTable;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import lakehouse.common.ExitCode;
import lakehouse.common.LakehouseException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.delta.VersionNotFoundException;
import org.apache.spark.sql.types.StructType;
import scala.collection.JavaConverters;

/**
 * The one answer to "which versions of this table exist, when was each committed, and is version V
 * still readable", for training sets, {@code history}, {@code diff}, {@code restore} and the vacuum
 * guard.
 *
 * <p>{@link #of} lists the table's {@code _delta_log} once, on the driver and without a Spark job:
 * the retained commit files ({@code <version>.json}) and the checkpoints. Commit times and
 * operations are read from a commit file's {@code commitInfo} when first asked for. The commit time
 * is the in-commit timestamp ({@code commitInfo.inCommitTimestamp}, enabled on every table of the
 * lake), else the commit file's modification time, as Delta itself does; {@code --as-of} pins,
 * known-at builds and the vacuum guard all use it, so they agree. The listing is a snapshot: after
 * a commit, call {@link #of} again.
 *
 * <p>A version is <em>in the log</em> while the log can still reconstruct it: from version 0's
 * commit, or from a checkpoint at or before it, with every later commit file present. It is
 * <em>readable</em> when, in addition, every data file it reads still exists (VACUUM has not
 * removed them). Every failure is a {@link LakehouseException} naming the table and the version;
 * all of them are worded here.
 */
public final class TableVersions {
  private static final Pattern COMMIT = Pattern.compile("(\\d{20})\\.json");

  /** Classic, multi-part ({@code .0000000001.0000000003}) and V2 ({@code .<uuid>}) checkpoints. */
  private static final Pattern CHECKPOINT =
      Pattern.compile(
          "(\\d{20})\\.checkpoint"
              + "(?:\\.(\\d{10})\\.(\\d{10})|\\.[0-9a-fA-F-]{36})?\\.(?:parquet|json)");

  private static final ObjectMapper JSON = new ObjectMapper();

  private final SparkSession spark;
  private final TableId table;
  private final String location;
  private final Configuration hadoop;
  private final FileSystem logFs;
  private final TreeMap<Long, FileStatus> commits;
  private final TreeSet<Long> checkpoints;
  private final Map<Long, JsonNode> commitInfos = new HashMap<>();
  private final Map<Long, Instant> timestamps = new HashMap<>();
  private Long oldestReconstructable;

  private TableVersions(
      SparkSession spark,
      TableId table,
      String location,
      Configuration hadoop,
      FileSystem logFs,
      TreeMap<Long, FileStatus> commits,
      TreeSet<Long> checkpoints) {
    this.spark = spark;
    this.table = table;
    this.location = location;
    this.hadoop = hadoop;
    this.logFs = logFs;
    this.commits = commits;
    this.checkpoints = checkpoints;
  }

  /**
   * Lists the log of the table at {@code catalog.location(table)}.
   *
   * @throws LakehouseException (usage, exit 2) when the location has no commits
   */
  public static TableVersions of(SparkSession spark, LakeCatalog catalog, TableId table) {
    String location = catalog.location(table);
    Path log = new Path(location, "_delta_log");
    Configuration hadoop = spark.sessionState().newHadoopConf();
    try {
      FileSystem fs = log.getFileSystem(hadoop);
      TreeMap<Long, FileStatus> commits = new TreeMap<>();
      Map<Long, Integer> checkpointParts = new HashMap<>();
      TreeSet<Long> checkpoints = new TreeSet<>();
      FileStatus[] files = fs.exists(log) ? fs.listStatus(log) : new FileStatus[0];
      for (FileStatus file : files) {
        String name = file.getPath().getName();
        Matcher commit = COMMIT.matcher(name);
        Matcher checkpoint = CHECKPOINT.matcher(name);
        if (commit.matches()) {
          commits.put(Long.parseLong(commit.group(1)), file);
        } else if (checkpoint.matches()) {
          long version = Long.parseLong(checkpoint.group(1));
          if (checkpoint.group(2) == null) {
            checkpoints.add(version);
          } else if (checkpointParts.merge(version, 1, Integer::sum)
              == Integer.parseInt(checkpoint.group(3))) {
            checkpoints.add(version); // every part of a multi-part checkpoint is there
          }
        }
      }
      if (commits.isEmpty()) {
        throw LakehouseException.usage(noCommits(table, log.toString()));
      }
      return new TableVersions(spark, table, location, hadoop, fs, commits, checkpoints);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the log of " + table, e);
    }
  }

  /** The table the log belongs to. */
  public TableId table() {
    return table;
  }

  /** Where the table lives ({@link LakeCatalog#location}). */
  public String location() {
    return location;
  }

  // ---- which versions exist -------------------------------------------------------------------

  /** The versions whose commit file the log still has, oldest first. */
  public List<Long> versions() {
    return List.copyOf(commits.keySet());
  }

  /** The oldest version whose commit file the log still has. */
  public long oldest() {
    return commits.firstKey();
  }

  /** The latest committed version. */
  public long latest() {
    return Math.max(commits.lastKey(), checkpoints.isEmpty() ? -1 : checkpoints.last());
  }

  /** Whether the log has a (complete) checkpoint. */
  public boolean hasCheckpoint() {
    return !checkpoints.isEmpty();
  }

  /** Whether the log still has the commit file of the version (so its time is known). */
  public boolean hasCommit(long version) {
    return commits.containsKey(version);
  }

  /**
   * The oldest version the log can reconstruct: 0 while every commit file is there, else the oldest
   * checkpoint after the last gap in the commit files (log clean-up removes commit files only below
   * a checkpoint).
   *
   * @throws LakehouseException (data, exit 4) when a commit file is missing with no checkpoint
   *     after it, so no version can be read
   */
  public long oldestReconstructable() {
    if (oldestReconstructable == null) {
      oldestReconstructable = findOldestReconstructable();
    }
    return oldestReconstructable;
  }

  /** Whether the log can still reconstruct the version (its data files are not checked). */
  public boolean inLog(long version) {
    return version >= 0 && version <= latest() && version >= oldestReconstructable();
  }

  // ---- when each was committed ----------------------------------------------------------------

  /**
   * When the version was committed: its in-commit timestamp, else its commit file's modification
   * time.
   *
   * @throws LakehouseException usage (exit 2) for a version the table never had, data (exit 4) for
   *     one whose commit file log clean-up removed
   */
  public Instant timestamp(long version) {
    requireCommit(version);
    return timestamps.computeIfAbsent(
        version,
        v -> {
          JsonNode ict = commitInfo(v).get("inCommitTimestamp");
          return ict != null && ict.canConvertToLong()
              ? Instant.ofEpochMilli(ict.asLong())
              : Instant.ofEpochMilli(commits.get(v).getModificationTime());
        });
  }

  /**
   * The latest version the log can reconstruct that was committed at or before the instant (commit
   * times only grow, so it bisects, reading a few commit files).
   *
   * @throws LakehouseException (usage, exit 2) when the oldest such version is younger
   */
  public long atOrBefore(Instant instant) {
    List<Long> candidates =
        new ArrayList<>(commits.tailMap(oldestReconstructable(), true).keySet());
    int low = 0;
    int high = candidates.size() - 1;
    Long found = null;
    while (low <= high) {
      int mid = (low + high) >>> 1;
      if (timestamp(candidates.get(mid)).isAfter(instant)) {
        high = mid - 1;
      } else {
        found = candidates.get(mid);
        low = mid + 1;
      }
    }
    if (found == null) {
      throw LakehouseException.usage(
          noVersionAtTime(
              table.toString(), instant.toString(), timestamp(candidates.get(0)).toString()));
    }
    return found;
  }

  /**
   * Version → commit time in microseconds since the epoch, for every version up to {@code last}
   * whose commit file the log has: rows of {@code (long version, long micros)}, oldest first.
   */
  public List<Row> commitMicros(long last) {
    List<Row> rows = new ArrayList<>();
    for (long version : commits.headMap(last, true).keySet()) {
      Instant at = timestamp(version);
      rows.add(RowFactory.create(version, at.getEpochSecond() * 1_000_000L + at.getNano() / 1000));
    }
    return rows;
  }

  // ---- what each commit did -------------------------------------------------------------------

  /** The version's operation ({@code commitInfo.operation}, e.g. WRITE, MERGE), or null. */
  public String operation(long version) {
    JsonNode operation = commitInfo(requireCommit(version)).get("operation");
    return operation == null || operation.isNull() ? null : operation.asText();
  }

  /** The version's {@code commitInfo.operationParameters}, in the log's order. */
  public Map<String, String> operationParameters(long version) {
    return textMap(commitInfo(requireCommit(version)).get("operationParameters"));
  }

  /** The version's {@code commitInfo.operationMetrics} (rows and files written...). */
  public Map<String, String> operationMetrics(long version) {
    return textMap(commitInfo(requireCommit(version)).get("operationMetrics"));
  }

  // ---- is version V still readable ------------------------------------------------------------

  /**
   * Insists that {@code version} is a version of the table the log can still reconstruct and
   * returns its schema. The data files are not checked (see {@link #requireReadable}).
   *
   * @param option the option that named the version, for the message (e.g. {@code --from})
   * @throws LakehouseException usage (exit 2) for a negative or future version, data (exit 4) for
   *     one the log no longer has
   */
  public StructType requireVersion(long version, String option) {
    if (version < 0) {
      throw LakehouseException.usage(negativeVersion(option, version));
    }
    requireInLog(version, null);
    return read(version, null, Dataset::schema);
  }

  /**
   * Insists that the version can be read in full: the log can reconstruct it and every data file it
   * reads still exists.
   *
   * @param purpose what the caller was doing, put before the message (e.g. {@code cannot rebuild
   *     training set 3f2a}), or null
   * @throws LakehouseException usage (exit 2) for a version the table never had, data (exit 4,
   *     {@link #notReadable}) for one that is no longer readable
   */
  public void requireReadable(long version, String purpose) {
    requireInLog(version, purpose);
    List<String> files = files(version, purpose);
    List<String> missing = missingFiles(files);
    if (!missing.isEmpty()) {
      throw LakehouseException.data(
          notReadable(
              purpose,
              table,
              version,
              filesRemoved(
                  missing.size(), files.size(), new Path(URI.create(missing.get(0))).getName())));
    }
  }

  /** The data files the version reads, as fully qualified paths. */
  public List<String> files(long version) {
    requireInLog(version, null);
    return files(version, null);
  }

  /** The data files of the version that are gone from storage (VACUUM removed them). */
  public List<String> missingFiles(long version) {
    return missingFiles(files(version));
  }

  /** The table's current properties ({@code delta.*}, {@code lakehouse.key}...). */
  public Map<String, String> properties() {
    Row detail = DeltaTable.forPath(spark, location).detail().first();
    scala.collection.Map<String, String> properties =
        detail.getMap(detail.fieldIndex("properties"));
    return JavaConverters.mapAsJavaMap(properties);
  }

  // ---- messages: every wording about versions, in one place ------------------------------------

  /** The one wording of "version V of TABLE is no longer readable: REASON". */
  public static String notReadable(String purpose, TableId table, long version, String reason) {
    return prefix(purpose)
        + "version "
        + version
        + " of table "
        + table
        + " is no longer readable: "
        + reason;
  }

  /** Reason for {@link #notReadable}: VACUUM removed data files of the version. */
  public static String filesRemoved(int missing, int total, String example) {
    return missing + " of its " + total + " data files were removed (by VACUUM), e.g. " + example;
  }

  /** Reason for {@link #notReadable}: log clean-up removed the entries the version needs. */
  public static String logCleanedUp(long oldestKept) {
    return "the Delta log no longer has it (log clean-up removed the entries before version "
        + oldestKept
        + ")";
  }

  /** A version the table never had (usage error). */
  public static String unknownVersion(TableId table, long version, long latest) {
    return "table "
        + table
        + " has no version "
        + version
        + " (its versions are 0 to "
        + latest
        + "; see 'history "
        + table
        + "')";
  }

  /** A version option given a negative number (usage error). */
  public static String negativeVersion(String option, long version) {
    return option + " must be a version number (0 or more), got " + version;
  }

  /** No version the log can reconstruct was committed at or before the instant (usage error). */
  public static String noVersionAtTime(String table, String timestamp, String firstCommit) {
    return table
        + " has no version committed at or before "
        + timestamp
        + " (its oldest available commit is at "
        + firstCommit
        + ")";
  }

  private static String prefix(String purpose) {
    return purpose == null || purpose.isBlank() ? "" : purpose + ": ";
  }

  static String noCommits(TableId table, String log) {
    return "table " + table + " has no commits in " + log;
  }

  static String logIncomplete(TableId table, long missingCommit) {
    return "the Delta log of "
        + table
        + " is incomplete: commit "
        + missingCommit
        + " is missing and no checkpoint follows it";
  }

  // ---- internals ------------------------------------------------------------------------------

  private long findOldestReconstructable() {
    long gap = -1;
    for (long v = latest(); v >= 0; v--) {
      if (!commits.containsKey(v)) {
        gap = v;
        break;
      }
    }
    if (gap < 0) {
      return 0;
    }
    Long checkpoint = checkpoints.ceiling(gap);
    if (checkpoint == null) {
      throw LakehouseException.data(logIncomplete(table, gap));
    }
    return checkpoint;
  }

  /** Usage error for a version the table never had (with the purpose, if any). */
  private void requireExists(long version, String purpose) {
    if (version < 0 || version > latest()) {
      throw LakehouseException.usage(prefix(purpose) + unknownVersion(table, version, latest()));
    }
  }

  private void requireInLog(long version, String purpose) {
    requireExists(version, purpose);
    long oldest = oldestReconstructable();
    if (version < oldest) {
      throw LakehouseException.data(notReadable(purpose, table, version, logCleanedUp(oldest)));
    }
  }

  /** Insists that the log still has the version's commit file (for its time and operation). */
  private long requireCommit(long version) {
    requireExists(version, null);
    if (!commits.containsKey(version)) {
      Long kept = commits.higherKey(version);
      throw LakehouseException.data(
          notReadable(null, table, version, logCleanedUp(kept == null ? latest() : kept)));
    }
    return version;
  }

  /** Reads the version with Spark; Delta's "version not found" becomes the one message. */
  private <T> T read(long version, String purpose, Function<Dataset<Row>, T> what) {
    try {
      return what.apply(spark.read().format("delta").option("versionAsOf", version).load(location));
    } catch (Exception e) { // Scala throws the checked AnalysisException undeclared
      if (e instanceof VersionNotFoundException notFound) {
        throw new LakehouseException(
            ExitCode.DATA_ERROR,
            notReadable(purpose, table, version, logCleanedUp(notFound.earliest())),
            e);
      }
      throw e instanceof RuntimeException runtime ? runtime : new IllegalStateException(e);
    }
  }

  private List<String> files(long version, String purpose) {
    return read(version, purpose, data -> Arrays.asList(data.inputFiles()));
  }

  private List<String> missingFiles(List<String> files) {
    List<String> missing = new ArrayList<>();
    try {
      for (String file : files) {
        Path path = new Path(URI.create(file));
        if (!path.getFileSystem(hadoop).exists(path)) {
          missing.add(file);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot check the data files of " + table, e);
    }
    return missing;
  }

  /** The version's {@code commitInfo} action (an empty object when the commit has none). */
  private JsonNode commitInfo(long version) {
    return commitInfos.computeIfAbsent(
        version,
        v -> {
          try (BufferedReader reader =
              new BufferedReader(
                  new InputStreamReader(
                      logFs.open(commits.get(v).getPath()), StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
              JsonNode commitInfo = JSON.readTree(line).get("commitInfo");
              if (commitInfo != null) {
                return commitInfo;
              }
            }
            return JSON.createObjectNode();
          } catch (IOException e) {
            throw new UncheckedIOException("cannot read commit " + v + " of " + table, e);
          }
        });
  }

  private static Map<String, String> textMap(JsonNode node) {
    Map<String, String> result = new LinkedHashMap<>();
    if (node != null && node.isObject()) {
      node.fields()
          .forEachRemaining(
              field ->
                  result.put(
                      field.getKey(),
                      field.getValue().isTextual()
                          ? field.getValue().asText()
                          : field.getValue().toString()));
    }
    return result;
  }
}
