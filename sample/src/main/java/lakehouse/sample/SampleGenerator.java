package lakehouse.sample;

import java.io.IOException;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;
import lakehouse.common.LakehouseException;
import org.apache.hadoop.conf.Configuration;

/**
 * Generates a deterministic e-commerce landing zone — customers (CSV), orders (JSON lines), events
 * (JSON lines) and churn labels (CSV) — with faults planted on purpose and counted exactly in a
 * {@link SampleManifest}. The same options always produce byte-identical files.
 *
 * <p>Layout: {@code <landingRoot>/<source>/<yyyy-MM-dd>/<source>-<yyyy-MM-dd>-<part>.<ext>}, one
 * folder per source and landing day, parts of at most {@value #MAX_LINES_PER_FILE} lines, and
 * {@code <landingRoot>/_manifest.json}. Day folders being generated are replaced as a whole, so a
 * rerun is idempotent; other days' folders are left alone.
 */
public final class SampleGenerator {
  public static final int MAX_LINES_PER_FILE = 200_000;

  private final SampleOptions options;
  private final int maxLinesPerFile;

  public SampleGenerator(SampleOptions options) {
    this(options, MAX_LINES_PER_FILE);
  }

  /** Smaller parts let tests cover multi-part days with little data. */
  SampleGenerator(SampleOptions options, int maxLinesPerFile) {
    if (options == null) {
      throw LakehouseException.usage("Sample options are missing.");
    }
    if (maxLinesPerFile < 1) {
      throw new IllegalArgumentException(
          "maxLinesPerFile must be positive, got " + maxLinesPerFile);
    }
    this.options = options;
    this.maxLinesPerFile = maxLinesPerFile;
  }

  public SampleOptions options() {
    return options;
  }

  /**
   * Writes the landing files under {@code landingRoot} and returns (and writes) the manifest.
   *
   * @param landingRoot a local path, a {@code file:} URI or an {@code s3a://bucket/prefix} URI
   * @param hadoopConf the Hadoop configuration that resolves the root's file system (S3 endpoint,
   *     credentials)
   */
  public SampleManifest generate(String landingRoot, Configuration hadoopConf) throws IOException {
    if (landingRoot == null || landingRoot.isBlank()) {
      throw LakehouseException.usage("The landing root for the sample data is missing.");
    }
    Objects.requireNonNull(hadoopConf, "hadoopConf");
    // Customers land first each day: the other feeds read the population it has just grown.
    CustomerBase customers = new CustomerBase(options.days());
    List<DailyFeed> feeds =
        List.of(
            new CustomersFeed(options, customers),
            new OrdersFeed(options, customers),
            new EventsFeed(options, customers),
            new LabelsFeed(options, customers));
    ManifestBuilder manifest = new ManifestBuilder(options);
    try (LandingWriter writer = LandingWriter.open(landingRoot, hadoopConf, maxLinesPerFile)) {
      writer.deleteManifest();
      for (int day = 0; day < options.days(); day++) {
        LocalDate landingDate = options.landingDate(day);
        for (DailyFeed feed : feeds) {
          DayBatch batch = feed.land(day);
          manifest.add(
              feed.source(), landingDate, batch, writer.write(feed.source(), landingDate, batch));
        }
      }
      SampleManifest result = manifest.build();
      writer.writeManifest(result.toJson());
      return result;
    }
  }
}
