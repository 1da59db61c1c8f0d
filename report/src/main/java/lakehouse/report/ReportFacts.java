package lakehouse.report;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import lakehouse.common.catalog.TableId;

/**
 * Everything the report shows, gathered with Spark by {@link ReportGatherer} and rendered with
 * plain Java by {@link ReportPage}. A section whose source table does not exist yet holds a note
 * (see {@link ReportMessages}) instead of its data.
 *
 * @param generatedAt when the report was gathered (ages are relative to it)
 * @param tables the lake's data tables (not the operational ones), by name
 * @param opsTables the operational tables (run logs, metrics, registry, manifests)
 * @param tableNotes one line per table that could not be read (the rest of the report stands)
 * @param checks every quality check's history, or null with {@code checksNote}
 * @param trainingSets the training-set builds, newest first, or null with {@code trainingNote}
 * @param registry the feature registry's current rows, or null with {@code registryNote}
 * @param runs the newest runs from {@code _ops.runs}, or null with {@code runsNote}
 * @param drift the newest drift comparison of each feature set and training set, worst first, or
 *     null with {@code driftNote}
 */
public record ReportFacts(
    String title,
    Instant generatedAt,
    String lakeRoot,
    List<TableFacts> tables,
    List<TableFacts> opsTables,
    List<String> tableNotes,
    List<CheckHistory> checks,
    String checksNote,
    List<TrainingSetFacts> trainingSets,
    String trainingNote,
    Grid registry,
    String registryNote,
    Grid runs,
    String runsNote,
    List<DriftFacts> drift,
    String driftNote) {

  /** The facts without a drift section's (a lake whose drift table is not read). */
  public ReportFacts(
      String title,
      Instant generatedAt,
      String lakeRoot,
      List<TableFacts> tables,
      List<TableFacts> opsTables,
      List<String> tableNotes,
      List<CheckHistory> checks,
      String checksNote,
      List<TrainingSetFacts> trainingSets,
      String trainingNote,
      Grid registry,
      String registryNote,
      Grid runs,
      String runsNote) {
    this(
        title,
        generatedAt,
        lakeRoot,
        tables,
        opsTables,
        tableNotes,
        checks,
        checksNote,
        trainingSets,
        trainingNote,
        registry,
        registryNote,
        runs,
        runsNote,
        null,
        DriftSection.NO_DRIFT);
  }

  /**
   * One feature of a drift comparison (see {@code lakehouse.gold.drift.DriftResult}).
   *
   * @param bins the bins' labels; {@code referenceShares}/{@code currentShares} their shares
   */
  public record DriftRow(
      String feature,
      String kind,
      String severity,
      String direction,
      Double psi,
      Double ks,
      Double nullRateChange,
      Double referenceMean,
      Double currentMean,
      List<String> breaches,
      List<String> bins,
      List<Double> referenceShares,
      List<Double> currentShares) {

    /** 3 error, 2 warn, 1 ok, 0 ignored. */
    public int rank() {
      return switch (severity) {
        case "error" -> 3;
        case "warn" -> 2;
        case "ok" -> 1;
        default -> 0;
      };
    }

    /** The largest measure. */
    public double score() {
      double s = nullRateChange == null ? 0 : Math.abs(nullRateChange);
      s = psi == null ? s : Math.max(s, psi);
      return ks == null ? s : Math.max(s, ks);
    }
  }

  /**
   * The newest drift comparison of a feature set's day or a training-set build.
   *
   * @param features the features shown, worst first
   * @param featureCount every feature compared
   */
  public record DriftFacts(
      String scope,
      String subject,
      String current,
      LocalDate currentDate,
      String reference,
      Instant checkedAt,
      List<DriftRow> features,
      int featureCount) {

    /** The worst feature's rank. */
    public int rank() {
      return features.stream().mapToInt(DriftRow::rank).max().orElse(0);
    }
  }

  /**
   * One Delta version of a table and the rows it held.
   *
   * @param rows from the log's file statistics; null when the log cannot tell (a file the version
   *     holds was written without statistics)
   */
  public record VersionCount(long version, Instant committedAt, String operation, Long rows) {}

  /** A reason rows were set aside, and how many. */
  public record ReasonCount(String reason, long rows) {}

  /** The rejects or quarantine table of a data table. */
  public record Aside(TableId table, String kind, long rows, List<ReasonCount> topReasons) {}

  /**
   * @param lastCommit the newest commit's timestamp (the table's freshness)
   * @param history newest versions, oldest first
   * @param aside its rejects/quarantine table, or null when it has none
   */
  public record TableFacts(
      TableId id,
      long version,
      Instant lastCommit,
      String lastOperation,
      long rows,
      List<VersionCount> history,
      Aside aside) {}

  /** One recorded result of a quality check. */
  public record CheckPoint(
      LocalDate runDate,
      long batchId,
      Instant recordedAt,
      Double value,
      String status,
      String batchStatus,
      String detail) {}

  /**
   * @param threshold the newest result's requirement as recorded (e.g. {@code >= 0.95})
   * @param points newest results, oldest first
   */
  public record CheckHistory(
      String table,
      String check,
      String checkType,
      String severity,
      String metric,
      String threshold,
      List<CheckPoint> points) {

    public CheckPoint latest() {
      return points.get(points.size() - 1);
    }

    public long count(String status) {
      return points.stream().filter(p -> status.equals(p.status())).count();
    }
  }

  /** One bucket of the event-time minus feature-time distribution. */
  public record LagBucket(String label, long rows, boolean flagged) {}

  /**
   * The lag of one feature table's values in a training set.
   *
   * @param buckets rows per lag bucket (empty with a note when the lag cannot be computed)
   * @param note why there is no distribution, or null
   */
  public record Lag(
      String featureTable, String featureTimeColumn, List<LagBucket> buckets, String note) {}

  /** One training-set build, as recorded in its manifest (and measured from its output). */
  public record TrainingSetFacts(
      String id,
      String name,
      Instant builtAt,
      String knowledgeMode,
      String spineSource,
      Long spineVersion,
      Map<String, Long> featureVersions,
      long rowCount,
      String contentHash,
      String outputLocation,
      Long outputVersion,
      String label,
      Map<String, Long> labelCounts,
      Map<String, Double> nullRates,
      List<Lag> lags,
      boolean detailed,
      String note) {}

  /** A table of text cells (the registry, the run history). */
  public record Grid(List<String> headers, List<List<String>> rows) {}
}
