package lakehouse.sample;

import java.time.LocalDate;
import java.util.List;
import java.util.Objects;

/**
 * What was written for one source: its files, the faults planted per kind and landing date, and
 * every malformed line. For each file {@code lines == goodRecords + malformed lines in it}.
 *
 * @param name the source's name, e.g. {@code orders}
 * @param format {@code csv} or {@code json} (JSON lines)
 * @param columns the columns every record carries, in file order (see the manifest's schema drift
 *     for additions)
 * @param files the files in landing-date and part order
 * @param faults one entry per fault kind planted in this source
 * @param malformedLines the malformed lines in file and line order
 */
public record SourceManifest(
    String name,
    String format,
    List<String> columns,
    List<LandingFile> files,
    List<FaultCount> faults,
    List<MalformedLine> malformedLines) {

  public SourceManifest {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(format, "format");
    columns = List.copyOf(columns);
    files = List.copyOf(files);
    faults = List.copyOf(faults);
    malformedLines = List.copyOf(malformedLines);
  }

  /** Lines over all files, not counting CSV headers. */
  public long totalLines() {
    return files.stream().mapToLong(LandingFile::lines).sum();
  }

  /** Parseable records over all files (duplicates and faulty-but-parseable records included). */
  public long totalGoodRecords() {
    return files.stream().mapToLong(LandingFile::goodRecords).sum();
  }

  /** Malformed lines over all files. */
  public long totalMalformedLines() {
    return files.stream().mapToLong(LandingFile::malformedLines).sum();
  }

  /** The files of one landing date, in part order. */
  public List<LandingFile> files(LocalDate landingDate) {
    return files.stream().filter(file -> file.landingDate().equals(landingDate)).toList();
  }

  /** The total count of a fault kind; 0 for a kind never planted in this source. */
  public long faultCount(FaultKind kind) {
    return faults.stream().filter(fault -> fault.kind() == kind).mapToLong(FaultCount::total).sum();
  }

  /**
   * The total count of a fault kind given by its manifest label, e.g. {@code exact_duplicates}.
   *
   * @throws IllegalArgumentException for an unknown label
   */
  public long faultCount(String kind) {
    return faultCount(FaultKind.fromLabel(kind));
  }

  /** The count of a fault kind on one landing date. */
  public long faultCount(FaultKind kind, LocalDate landingDate) {
    return faults.stream()
        .filter(fault -> fault.kind() == kind)
        .mapToLong(fault -> fault.on(landingDate))
        .sum();
  }

  /** The count of a fault kind, given by its manifest label, on one landing date. */
  public long faultCount(String kind, LocalDate landingDate) {
    return faultCount(FaultKind.fromLabel(kind), landingDate);
  }
}
