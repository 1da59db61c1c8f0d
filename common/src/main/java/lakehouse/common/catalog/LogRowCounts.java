package lakehouse.common.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;

/**
 * The row count of each of a table's versions, from its Delta log alone: on the driver, without a
 * Spark job and without reading a data file. It replays the log's file actions the way Delta builds
 * a snapshot: the newest classic checkpoint at or before the first version asked for (its {@code
 * add} actions), then every commit after it, removes before adds. A version's rows are the sum,
 * over the files it holds, of {@code numRecords} from each {@code add} action's statistics minus
 * the rows its deletion vector ({@code deletionVector.cardinality}) marks deleted.
 *
 * <p>The cost grows with the versions replayed (at most those asked for plus a checkpoint
 * interval), not with rows. When a file a version holds was written without statistics ({@code
 * spark.databricks.delta.stats.collect=false}, some external writers) the log cannot tell that
 * version's rows: its count is null, never a guess.
 *
 * <p>{@link TableVersions} lists the log (versions, what is reconstructable); this class reads only
 * what it does not: the file actions and their statistics.
 */
public final class LogRowCounts {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern CHECKPOINT =
      Pattern.compile("(\\d{20})\\.checkpoint(?:\\.(\\d{10})\\.(\\d{10}))?\\.parquet");

  /** Rows of each file the replayed version holds; null for a file without statistics. */
  private final Map<String, Long> live = new HashMap<>();

  private long knownRows;
  private int filesWithoutStats;

  private LogRowCounts() {}

  /**
   * Rows of every version from {@code first} to the latest, oldest first; a version's value is null
   * when the log cannot tell: a file it holds has no statistics, or the log has neither every
   * commit from version 0 nor a classic parquet checkpoint to start from (only a V2 or JSON
   * checkpoint, which this class does not read).
   *
   * @param first a version the log can still reconstruct ({@link TableVersions#inLog})
   */
  public static TreeMap<Long, Long> rows(TableVersions versions, Configuration hadoop, long first) {
    Path log = new Path(versions.location(), "_delta_log");
    try {
      FileSystem fs = log.getFileSystem(hadoop);
      LogRowCounts replay = new LogRowCounts();
      TreeMap<Long, Long> rows = new TreeMap<>();
      long start;
      List<Path> checkpoint = newestCheckpoint(fs, log, versions, first);
      if (!checkpoint.isEmpty()) {
        for (Path part : checkpoint) {
          replay.readCheckpoint(part, hadoop);
        }
        long checkpointed = version(checkpoint.get(0));
        if (checkpointed == first) {
          rows.put(first, replay.rowsNow());
        }
        start = checkpointed + 1;
      } else if (versions.oldestReconstructable() == 0 && versions.hasCommit(0)) {
        start = 0;
      } else { // neither a classic checkpoint nor the whole log: no figure
        for (long v = first; v <= versions.latest(); v++) {
          rows.put(v, null);
        }
        return rows;
      }
      for (long v = start; v <= versions.latest(); v++) {
        replay.readCommit(fs, new Path(log, String.format("%020d.json", v)));
        if (v >= first) {
          rows.put(v, replay.rowsNow());
        }
      }
      return rows;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the log of " + versions.table(), e);
    }
  }

  /** The rows of the version replayed so far, or null when a file it holds has no statistics. */
  private Long rowsNow() {
    return filesWithoutStats == 0 ? knownRows : null;
  }

  /**
   * The parts of the newest complete classic checkpoint at or before {@code first} from which the
   * log is complete, or an empty list.
   */
  private static List<Path> newestCheckpoint(
      FileSystem fs, Path log, TableVersions versions, long first) throws IOException {
    TreeMap<Long, List<Path>> parts = new TreeMap<>();
    Map<Long, Integer> expected = new HashMap<>();
    FileStatus[] files = fs.globStatus(new Path(log, "*.checkpoint*.parquet"));
    for (FileStatus file : files == null ? new FileStatus[0] : files) {
      Matcher m = CHECKPOINT.matcher(file.getPath().getName());
      if (m.matches()) {
        long version = Long.parseLong(m.group(1));
        parts.computeIfAbsent(version, k -> new ArrayList<>()).add(file.getPath());
        expected.put(version, m.group(3) == null ? 1 : Integer.parseInt(m.group(3)));
      }
    }
    for (Map.Entry<Long, List<Path>> c : parts.headMap(first, true).descendingMap().entrySet()) {
      if (c.getKey() >= versions.oldestReconstructable()
          && c.getValue().size() == expected.get(c.getKey())) {
        c.getValue().sort(null);
        return c.getValue();
      }
    }
    return List.of();
  }

  private static long version(Path checkpoint) {
    return Long.parseLong(checkpoint.getName().substring(0, 20));
  }

  /** The {@code add} actions of one checkpoint part (read with parquet on the driver). */
  private void readCheckpoint(Path part, Configuration hadoop) throws IOException {
    try (ParquetReader<Group> reader =
        ParquetReader.builder(new GroupReadSupport(), part).withConf(hadoop).build()) {
      for (Group action = reader.read(); action != null; action = reader.read()) {
        if (action.getType().containsField("add") && action.getFieldRepetitionCount("add") > 0) {
          Group add = action.getGroup("add", 0);
          String stats = present(add, "stats") ? add.getString("stats", 0) : null;
          long deleted = 0;
          if (present(add, "deletionVector")) {
            Group dv = add.getGroup("deletionVector", 0);
            deleted = present(dv, "cardinality") ? dv.getLong("cardinality", 0) : 0;
          }
          add(add.getString("path", 0), rows(stats, deleted));
        }
      }
    }
  }

  private static boolean present(Group group, String field) {
    return group.getType().containsField(field) && group.getFieldRepetitionCount(field) > 0;
  }

  /** One commit: its removes, then its adds (a deletion-vector update removes and re-adds). */
  private void readCommit(FileSystem fs, Path commit) throws IOException {
    List<JsonNode> adds = new ArrayList<>();
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(fs.open(commit), StandardCharsets.UTF_8))) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode action = JSON.readTree(line);
        if (action.hasNonNull("remove")) {
          remove(action.get("remove").get("path").asText());
        } else if (action.hasNonNull("add")) {
          adds.add(action.get("add"));
        }
      }
    }
    for (JsonNode add : adds) {
      JsonNode stats = add.get("stats");
      JsonNode cardinality = add.path("deletionVector").get("cardinality");
      add(
          add.get("path").asText(),
          rows(
              stats == null || stats.isNull() ? null : stats.asText(),
              cardinality == null ? 0 : cardinality.asLong()));
    }
  }

  /** A file's live rows from its statistics, or null when they have no {@code numRecords}. */
  private static Long rows(String stats, long deleted) throws IOException {
    if (stats == null || stats.isBlank()) {
      return null;
    }
    JsonNode numRecords = JSON.readTree(stats).get("numRecords");
    return numRecords == null || !numRecords.canConvertToLong()
        ? null
        : numRecords.asLong() - deleted;
  }

  private void add(String path, Long rows) {
    remove(path); // an add of a path already present replaces it
    live.put(path, rows);
    if (rows == null) {
      filesWithoutStats++;
    } else {
      knownRows += rows;
    }
  }

  private void remove(String path) {
    if (!live.containsKey(path)) {
      return;
    }
    Long rows = live.remove(path);
    if (rows == null) {
      filesWithoutStats--;
    } else {
      knownRows -= rows;
    }
  }
}
