package lakehouse.sample;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Accumulates what the writer produced, source by source and day by day, into a {@link
 * SampleManifest}.
 */
final class ManifestBuilder {
  private final SampleOptions options;
  private final Map<SampleSource, List<LandingFile>> files = new EnumMap<>(SampleSource.class);
  private final Map<SampleSource, List<MalformedLine>> malformed =
      new EnumMap<>(SampleSource.class);
  private final Map<SampleSource, Map<FaultKind, TreeMap<LocalDate, Long>>> faults =
      new EnumMap<>(SampleSource.class);

  ManifestBuilder(SampleOptions options) {
    this.options = options;
    for (SampleSource source : SampleSource.values()) {
      files.put(source, new ArrayList<>());
      malformed.put(source, new ArrayList<>());
      Map<FaultKind, TreeMap<LocalDate, Long>> counts = new EnumMap<>(FaultKind.class);
      for (FaultKind kind : source.faultKinds()) {
        counts.put(kind, new TreeMap<>());
      }
      faults.put(source, counts);
    }
  }

  void add(
      SampleSource source,
      LocalDate landingDate,
      DayBatch batch,
      LandingWriter.WrittenDay written) {
    files.get(source).addAll(written.files());
    malformed.get(source).addAll(written.malformedLines());
    faults
        .get(source)
        .forEach((kind, perDate) -> perDate.put(landingDate, (long) batch.faultCount(kind)));
  }

  SampleManifest build() {
    List<LocalDate> dates = new ArrayList<>();
    for (int day = 0; day < options.days(); day++) {
      dates.add(options.landingDate(day));
    }
    List<SourceManifest> sources = new ArrayList<>();
    for (SampleSource source : SampleSource.values()) {
      List<FaultCount> counts = new ArrayList<>();
      faults.get(source).forEach((kind, perDate) -> counts.add(new FaultCount(kind, perDate)));
      sources.add(
          new SourceManifest(
              source.sourceName(),
              source.format(),
              source.columns(),
              files.get(source),
              counts,
              malformed.get(source)));
    }
    List<SchemaDrift> drifts = new ArrayList<>();
    int driftDay = OrdersFeed.driftDay(options);
    if (driftDay >= 0) {
      drifts.add(
          new SchemaDrift(
              SampleSource.ORDERS.sourceName(),
              OrdersFeed.DRIFT_COLUMN,
              options.landingDate(driftDay)));
    }
    return new SampleManifest(SampleManifest.FORMAT_VERSION, options, dates, sources, drifts);
  }
}
