package lakehouse.sample.demo;

import java.io.PrintWriter;
import lakehouse.sample.FaultCount;
import lakehouse.sample.SampleManifest;
import lakehouse.sample.SourceManifest;

/** Prints what the generator landed, per source, with the faults it injected. */
final class SampleSummary {
  private SampleSummary() {}

  static void print(PrintWriter out, String landing, SampleManifest manifest) {
    out.printf(
        "Sample data landed in %s (%d days from %s, manifest %s)%n",
        landing,
        manifest.landingDates().size(),
        manifest.landingDates().get(0),
        SampleManifest.FILE_NAME);
    for (SourceManifest source : manifest.sources()) {
      StringBuilder faults = new StringBuilder();
      for (FaultCount fault : source.faults()) {
        if (fault.total() > 0) {
          faults
              .append(faults.length() == 0 ? "" : ", ")
              .append(fault.kind().label())
              .append('=')
              .append(fault.total());
        }
      }
      out.printf(
          "  %-10s %2d files %8d records %5d malformed  faults: %s%n",
          source.name(),
          source.files().size(),
          source.totalGoodRecords(),
          source.totalMalformedLines(),
          faults.length() == 0 ? "none" : faults);
    }
    out.flush();
  }
}
