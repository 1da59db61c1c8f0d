package lakehouse.sample;

import java.io.ByteArrayOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;
import lakehouse.common.LakehouseException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Everything a test needs to reconcile what the sample generator wrote: the options used, per
 * source its files, planted faults and malformed lines, and the schema drift. Written as {@value
 * #FILE_NAME} at the landing root; its leading underscore keeps Spark's file sources from reading
 * it as data.
 *
 * @param formatVersion the version of the JSON shape, {@value #FORMAT_VERSION} for this code
 * @param options the options the sample was generated with
 * @param landingDates every landing date generated, ascending
 * @param sources one entry per {@link SampleSource}, in declaration order
 * @param schemaDrift the columns added part-way through; empty for a one-day sample
 */
public record SampleManifest(
    int formatVersion,
    SampleOptions options,
    List<LocalDate> landingDates,
    List<SourceManifest> sources,
    List<SchemaDrift> schemaDrift) {

  public static final String FILE_NAME = "_manifest.json";
  public static final int FORMAT_VERSION = 1;

  public SampleManifest {
    Objects.requireNonNull(options, "options");
    landingDates = List.copyOf(landingDates);
    sources = List.copyOf(sources);
    schemaDrift = List.copyOf(schemaDrift);
  }

  /**
   * The entry of one source by name, e.g. {@code orders}.
   *
   * @throws IllegalArgumentException if the manifest has no such source
   */
  public SourceManifest source(String name) {
    return sources.stream()
        .filter(source -> source.name().equals(name))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "The sample manifest has no source '"
                        + name
                        + "'; it has "
                        + sources.stream().map(SourceManifest::name).toList()));
  }

  /** The entry of one source. */
  public SourceManifest source(SampleSource source) {
    return source(source.sourceName());
  }

  /**
   * The manifest as pretty-printed JSON with {@code \n} line endings and snake_case field names.
   */
  public String toJson() {
    return ManifestJson.write(this);
  }

  /**
   * Parses what {@link #toJson()} wrote.
   *
   * @throws LakehouseException (data error) if the text is not a sample manifest
   */
  public static SampleManifest fromJson(String json) {
    return ManifestJson.read(json);
  }

  /**
   * Reads {@value #FILE_NAME} from a landing root (a local path, a {@code file:} URI or an {@code
   * s3a://} URI).
   *
   * @throws LakehouseException (usage) if there is no manifest there
   */
  public static SampleManifest read(String landingRoot, Configuration hadoopConf)
      throws IOException {
    Path manifestPath = new Path(new Path(landingRoot), FILE_NAME);
    // The cached instance is shared with everything else in the JVM (Spark included), so it stays
    // open.
    FileSystem fs = FileSystem.get(manifestPath.toUri(), hadoopConf);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (InputStream in = fs.open(manifestPath)) {
      in.transferTo(bytes);
    } catch (FileNotFoundException e) {
      throw LakehouseException.usage(
          "No sample manifest at "
              + manifestPath
              + "; generate the sample data into "
              + landingRoot
              + " first.");
    }
    return fromJson(bytes.toString(StandardCharsets.UTF_8));
  }
}
