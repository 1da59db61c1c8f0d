package lakehouse.common.ops;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import lakehouse.common.ExitCode;
import lakehouse.common.settings.LakehouseSettings;
import lakehouse.common.spark.SparkSessions;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A command's outcome as one JSON document at a location its caller chose ({@code --result-file}):
 * for callers that cannot see the driver's exit code, as {@code spark-submit} in cluster deploy
 * mode, where it reports the application's final state instead. Fields: {@code status} ({@code
 * succeeded} or {@code failed}), {@code exit_code} and {@code exit_class} (the documented exit code
 * and its name, e.g. {@code quality_gate}), {@code message} (the error's one line, or null), {@code
 * command}, {@code run_id} (the job's id in the run history; null when no job started), {@code
 * finished_at}, and {@code written} (each table or path the command wrote, with the Delta version
 * written). The file is written once, at the end; a caller that finds none must treat the run as
 * failed.
 */
public final class ResultFile {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ResultFile() {}

  /**
   * Writes the result; a failure to write is printed as a warning and never changes the exit code
   * (the caller then finds no result and treats the run as failed).
   *
   * @param settings the command's settings, for the S3 options of an {@code s3a://} location; null
   *     when they could not be loaded
   */
  public static void write(
      String location,
      String command,
      String runId,
      ExitCode outcome,
      String message,
      Map<String, Long> written,
      LakehouseSettings settings,
      java.io.PrintWriter warnings) {
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("status", outcome == ExitCode.OK ? "succeeded" : "failed");
    result.put("exit_code", outcome.code());
    result.put("exit_class", outcome.name().toLowerCase(Locale.ROOT));
    result.put("message", message);
    result.put("command", command);
    result.put("run_id", runId);
    result.put("finished_at", Instant.now().toString());
    result.put("written", written == null ? Map.of() : written);
    try {
      Path path = new Path(location);
      FileSystem fs = path.getFileSystem(hadoopConf(settings));
      try (OutputStream out = fs.create(path, true)) {
        out.write(JSON.writeValueAsString(result).getBytes(StandardCharsets.UTF_8));
      }
    } catch (IOException | RuntimeException e) {
      warnings.println("warning: could not write the result file " + location + ": " + e);
      warnings.flush();
    }
  }

  private static Configuration hadoopConf(LakehouseSettings settings) {
    Configuration conf = new Configuration();
    if (settings != null) {
      SparkSessions.defaults(settings)
          .forEach(
              (key, value) -> {
                if (key.startsWith("spark.hadoop.")) {
                  conf.set(key.substring("spark.hadoop.".length()), value);
                }
              });
    }
    return conf;
  }
}
