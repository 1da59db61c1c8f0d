package lakehouse.training;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import lakehouse.common.LakehouseException;
import lakehouse.common.catalog.LakeCatalog;
import lakehouse.common.catalog.TableId;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;

/**
 * A Delta table's commits read straight from its log on the driver (no Spark job, so spec
 * validation stays job-free): which versions exist and when each was committed. The commit time
 * is the in-commit timestamp (enabled on every table), falling back to the commit file's
 * modification time as Delta itself does. {@code --as-of} and known-at mode both use it, so they
 * agree.
 */
final class TableVersions {
  private static final Pattern COMMIT = Pattern.compile("(\\d{20})\\.json");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final TableId table;
  private final FileSystem fs;
  private final TreeMap<Long, FileStatus> commits;
  private final TreeMap<Long, Instant> timestamps = new TreeMap<>();

  private TableVersions(TableId table, FileSystem fs, TreeMap<Long, FileStatus> commits) {
    this.table = table;
    this.fs = fs;
    this.commits = commits;
  }

  static TableVersions of(SparkSession spark, LakeCatalog catalog, TableId table) {
    Path log = new Path(catalog.location(table), "_delta_log");
    try {
      FileSystem fs = log.getFileSystem(spark.sparkContext().hadoopConfiguration());
      TreeMap<Long, FileStatus> commits = new TreeMap<>();
      for (FileStatus file : fs.listStatus(log)) {
        Matcher matcher = COMMIT.matcher(file.getPath().getName());
        if (matcher.matches()) {
          commits.put(Long.parseLong(matcher.group(1)), file);
        }
      }
      if (commits.isEmpty()) {
        throw LakehouseException.usage("table " + table + " has no commits in " + log);
      }
      return new TableVersions(table, fs, commits);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the log of " + table, e);
    }
  }

  long latest() {
    return commits.lastKey();
  }

  /** The version committed at or before the instant (commit times only grow, so bisect). */
  long atOrBefore(Instant instant) {
    List<Long> versions = new ArrayList<>(commits.keySet());
    int low = 0;
    int high = versions.size() - 1;
    Long found = null;
    while (low <= high) {
      int mid = (low + high) >>> 1;
      if (timestamp(versions.get(mid)).isAfter(instant)) {
        high = mid - 1;
      } else {
        found = versions.get(mid);
        low = mid + 1;
      }
    }
    if (found == null) {
      throw LakehouseException.usage(TrainingMessages.noVersionAtTime(table.toString(),
          instant.toString(), timestamp(commits.firstKey()).toString()));
    }
    return found;
  }

  /** When a version was committed. */
  Instant timestamp(long version) {
    return timestamps.computeIfAbsent(version, this::readTimestamp);
  }

  /** Version → commit timestamp in microseconds, for every available version up to {@code last}. */
  List<Row> commitMicros(long last) {
    List<Row> rows = new ArrayList<>();
    for (long version : commits.headMap(last, true).keySet()) {
      Instant at = timestamp(version);
      rows.add(RowFactory.create(version, at.getEpochSecond() * 1_000_000L + at.getNano() / 1000));
    }
    return rows;
  }

  private Instant readTimestamp(long version) {
    FileStatus file = commits.get(version);
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(
        fs.open(file.getPath()), StandardCharsets.UTF_8))) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        JsonNode commitInfo = JSON.readTree(line).get("commitInfo");
        if (commitInfo != null) {
          JsonNode ict = commitInfo.get("inCommitTimestamp");
          if (ict != null && ict.canConvertToLong()) {
            return Instant.ofEpochMilli(ict.asLong());
          }
          break;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read commit " + version + " of " + table, e);
    }
    return Instant.ofEpochMilli(file.getModificationTime());
  }
}
