package lakehouse.bronze;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import lakehouse.bronze.BatchReader.Prepared;
import lakehouse.bronze.BronzeReport.Status;
import lakehouse.bronze.BronzeTransform.Audit;
import lakehouse.bronze.IngestLog.Batch;
import lakehouse.common.LakehouseException;
import lakehouse.common.LakehouseRuntime;
import lakehouse.common.catalog.TableId;
import lakehouse.common.cli.Cli;
import lakehouse.common.ops.StepLog;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RuntimeConfig;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ingests the landed files of one source into {@code bronze.<source>} exactly once.
 *
 * <p>How exactly-once holds: new files are grouped into batches with increasing ids per source. A
 * batch is first planned — its files recorded in the source's ingested-files log in one Delta
 * commit — and then written to the bronze table and to the rejects table, each write carrying the
 * batch id as Delta's {@code txnAppId}/{@code txnVersion}, which Delta commits atomically with the
 * rows and uses to skip a write it has already committed. A file is never planned twice; a batch is
 * complete exactly when both tables carry its id. A run that dies anywhere leaves either an
 * unplanned batch (nothing happened), or a planned batch that the next run finishes with the same
 * files, run id and ingestion time before it looks for new files.
 */
public final class BronzeJob {
  /** Points between the commits of a batch, for tests that interrupt a run there. */
  enum Step {
    PLANNED,
    WRITING_DATA,
    DATA_WRITTEN,
    REJECTS_WRITTEN
  }

  private static final Logger LOG = LoggerFactory.getLogger(BronzeJob.class);
  private static final String CONCURRENT_WRITERS = "spark.sql.maxConcurrentOutputFileWriters";

  /** At most this many open files per write task (each buffers a Parquet row group). */
  private static final long MAX_OPEN_DATES = 16;

  private final LakehouseRuntime runtime;
  private final BronzeSettings settings;
  private final Clock clock;
  private final Consumer<Step> afterStep;

  BronzeJob(
      LakehouseRuntime runtime, BronzeSettings settings, Clock clock, Consumer<Step> afterStep) {
    this.runtime = runtime;
    this.settings = settings;
    this.clock = clock;
    this.afterStep = afterStep;
  }

  /**
   * What to ingest.
   *
   * @param source the source's name ({@code conf/sources/<name>.conf})
   * @param upTo the last landing date to take, or null for every landing folder
   */
  public record Request(String source, LocalDate upTo) {}

  /**
   * Ingests every file of the source not ingested before, from landing folders up to and including
   * {@code upTo} (all when null); prints nothing, adds what it read and wrote to {@link
   * LakehouseRuntime#stats()} (its run date: {@code upTo}) and returns it.
   *
   * @throws LakehouseException usage error (exit 2) for an unknown source, bad declaration or a
   *     missing landing location; data error (exit 4) for a type change that cannot be carried
   */
  public static BronzeReport run(LakehouseRuntime runtime, Request request) {
    runtime.stats().runDate(request.upTo());
    BronzeSettings settings = BronzeSettings.from(runtime.settings());
    SourceDefinition definition = SourceDefinition.load(runtime.settings(), request.source());
    return new BronzeJob(runtime, settings, Clock.systemUTC(), step -> {})
        .run(definition, Optional.ofNullable(request.upTo()));
  }

  BronzeReport run(SourceDefinition source, Optional<LocalDate> upTo) {
    Instant started = clock.instant();
    long startNanos = System.nanoTime();
    // The job's run id, so the audit columns and the files log point at its run history row.
    String runId =
        runtime.stats().runId() != null ? runtime.stats().runId() : UUID.randomUUID().toString();
    LocalDate runDate = upTo.orElse(LocalDate.ofInstant(started, ZoneOffset.UTC));
    runtime.describe("bronze " + source.name(), runDate.toString());
    String target = TableId.of("bronze", source.table()).toString();
    // For the job runner's run record and lineage events: the landing folder in (named even
    // when the run fails), the bronze table's new version out.
    runtime.stats().addTarget(target).pathRead(source.location());
    Progress progress = new Progress(StepLog.start("bronze " + source.name()));
    try {
      Status status = ingest(source, upTo, runId, started, progress);
      BronzeReport report =
          progress.report(
              source.name(),
              runId,
              runDate,
              upTo,
              started,
              status,
              elapsedMs(startNanos),
              null,
              versions(source));
      runtime
          .stats()
          .detail(target, report.details())
          .addRowsRead(report.recordsRead())
          .addRowsWritten(report.rowsWritten())
          .addRowsRejected(report.rowsRejected());
      if (report.tableVersion() != null) {
        runtime.stats().versionWritten(TableId.parse(target), report.tableVersion());
      }
      return report;
    } catch (Exception raw) { // Spark's own exceptions are checked ones, thrown unchecked
      Exception e = explain(source, raw, progress);
      BronzeReport failed =
          progress.report(
              source.name(),
              runId,
              runDate,
              upTo,
              started,
              Status.FAILED,
              elapsedMs(startNanos),
              e.getMessage(),
              new Long[] {null, null});
      runtime.stats().detail(target, failed.details());
      throw sneaky(e);
    } finally {
      progress.steps.close();
    }
  }

  private Status ingest(
      SourceDefinition source,
      Optional<LocalDate> upTo,
      String runId,
      Instant started,
      Progress progress) {
    TableId data = TableId.of("bronze", source.table());
    TableId rejects = TableId.of("bronze", source.rejectsTable());
    String appId = "lakehouse-bronze-" + source.name();
    checkHints(source, data);
    progress.steps.working("listing " + source.location());
    LandingScanner.Listing listing =
        new LandingScanner(runtime.spark().sparkContext().hadoopConfiguration())
            .list(source, runtime.settings().landingRoot(), upTo);
    List<LandedFile> found = listing.files();
    progress.filesFound = found.size();
    progress.unmatched = listing.unmatched();
    progress.step(source, found.size() + " files found");
    IngestLog log = new IngestLog(runtime, settings.filesTable(source.name()), source.name());
    BatchReader reader = new BatchReader(runtime.spark(), settings.maxLineBytes());

    progress.steps.working("checking the last batch was finished");
    long lastId = log.lastBatchId();
    Set<String> recoveredFiles = new HashSet<>();
    if (lastId > 0
        && (DeltaTxn.committed(runtime.spark(), location(data), appId) < lastId
            || DeltaTxn.committed(runtime.spark(), location(rejects), appId) < lastId)) {
      Batch batch = log.batch(lastId);
      FileCheck.verifyAll(
          runtime.spark().sparkContext().hadoopConfiguration(),
          source.name(),
          batch.id(),
          batch.files());
      write(
          source,
          batch,
          reader.prepare(source, batch.files(), tableData(data)),
          data,
          rejects,
          appId,
          progress);
      progress.recovered = batch.id();
      batch.files().forEach(f -> recoveredFiles.add(f.uri()));
    }

    progress.step(source, "recovery checked");
    progress.steps.working("reading " + log.table());
    Set<String> taken = log.takenFiles();
    List<LandedFile> fresh = new ArrayList<>();
    for (LandedFile file : found) {
      if (!taken.contains(file.uri())) {
        fresh.add(file);
      } else if (!recoveredFiles.contains(file.uri())) {
        progress.filesSkipped++;
      }
    }
    long nextId = lastId + 1;
    for (int from = 0; from < fresh.size(); from += settings.maxFilesPerBatch()) {
      List<LandedFile> files =
          fresh.subList(from, Math.min(fresh.size(), from + settings.maxFilesPerBatch()));
      // Everything is read and checked before the plan commits, so a batch that cannot be
      // carried leaves no trace.
      progress.steps.working("reading and checking a batch of " + files.size() + " files");
      Prepared prepared = reader.prepare(source, files, tableData(data));
      progress.step(
          source,
          "batch of "
              + files.size()
              + " files read and checked"
              + (prepared.inferred() ? " (schema inferred)" : ""));
      progress.steps.working("planning batch " + nextId + " in " + log.table());
      Batch batch = log.plan(nextId, runId, started, files);
      progress.step(source, "batch " + batch.id() + " planned");
      afterStep.accept(Step.PLANNED);
      if (!batch.files().equals(files)) { // another process planned this batch id first
        prepared = reader.prepare(source, batch.files(), tableData(data));
      }
      write(source, batch, prepared, data, rejects, appId, progress);
      nextId++;
    }
    return progress.batchIds.isEmpty() ? Status.NOTHING_NEW : Status.INGESTED;
  }

  private void write(
      SourceDefinition source,
      Batch batch,
      Prepared prepared,
      TableId data,
      TableId rejects,
      String appId,
      Progress progress) {
    try {
      writeChecked(source, batch, prepared, data, rejects, appId, progress);
    } catch (Exception e) {
      // A file gone or changed since the plan explains a failed read: say so, not the trace.
      if (Cli.findKnown(e) == null && concurrentModification(e) == null) {
        try {
          FileCheck.verifyAll(
              runtime.spark().sparkContext().hadoopConfiguration(),
              source.name(),
              batch.id(),
              batch.files());
        } catch (LakehouseException fileProblem) {
          fileProblem.addSuppressed(e);
          throw fileProblem;
        }
      }
      throw sneaky(e);
    }
  }

  private void writeChecked(
      SourceDefinition source,
      Batch batch,
      Prepared prepared,
      TableId data,
      TableId rejects,
      String appId,
      Progress progress) {
    Audit audit = new Audit(batch.runId(), batch.plannedAt());
    // Nothing is cached between the writes: the bronze write notes which lines are rejects, and
    // the rejects write reads and parses only those lines again; the counts come from the commits.
    RejectedLines noted = null;
    progress.steps.working("writing batch " + batch.id() + " to " + data);
    if (DeltaTxn.committed(runtime.spark(), location(data), appId) < batch.id()) {
      afterStep.accept(Step.WRITING_DATA);
      Dataset<Row> parsed = prepared.parsed().read(audit, batch.id(), null);
      Dataset<Row> good;
      if (prepared.lineBased()) {
        noted = RejectedLines.register(runtime.spark());
        good =
            BronzeTransform.bronzeRows(noted.noting(parsed), prepared.resolution().data(), audit);
      } else {
        good = parsed;
      }
      append(
          data,
          batch,
          () ->
              good.write()
                  .format("delta")
                  .mode("append")
                  .option("mergeSchema", "true")
                  .option("txnAppId", appId)
                  .option("txnVersion", batch.id())
                  .partitionBy(BronzeSchema.LANDING_DATE)
                  .save(location(data)));
      progress.wrote = true;
      runtime.catalog().register(data);
    }
    progress.step(source, "batch " + batch.id() + " written to " + data);
    afterStep.accept(Step.DATA_WRITTEN);
    progress.steps.working("writing batch " + batch.id() + " to " + rejects);
    if (DeltaTxn.committed(runtime.spark(), location(rejects), appId) < batch.id()) {
      // Without the bronze write's note (it was committed by an earlier run), every line.
      RejectedLines.Selection rejectedLines = noted == null ? null : noted.value();
      Dataset<Row> bad =
          prepared.lineBased()
              ? BronzeTransform.rejectRows(
                  prepared.parsed().read(audit, batch.id(), rejectedLines), audit)
              : prepared.rejects() != null
                  ? prepared.rejects().apply(audit, batch.id())
                  : runtime.spark().createDataFrame(List.of(), BronzeSchema.REJECTS);
      append(
          rejects,
          batch,
          () ->
              bad.write()
                  .format("delta")
                  .mode("append")
                  .option("txnAppId", appId)
                  .option("txnVersion", batch.id())
                  .partitionBy(BronzeSchema.LANDING_DATE)
                  .save(location(rejects)));
      progress.wrote = true;
      runtime.catalog().register(rejects);
    }
    progress.step(source, "batch " + batch.id() + " written to " + rejects);
    afterStep.accept(Step.REJECTS_WRITTEN);
    // Every record read is either written or rejected (parquet: a set-aside file's rows are
    // rejected), so the two commits' row counts give all three.
    long written = DeltaTxn.rowsCommitted(runtime.spark(), location(data), appId, batch.id());
    long rejected = DeltaTxn.rowsCommitted(runtime.spark(), location(rejects), appId, batch.id());
    progress.step(source, "batch " + batch.id() + " counted");
    progress.recordsRead += written + rejected;
    progress.rowsRejected += rejected;
    progress.rowsWritten += written;
    progress.filesIngested += batch.files().size();
    progress.batchIds.add(batch.id());
    progress.added.addAll(prepared.resolution().added());
    progress.missing.addAll(prepared.resolution().missing());
  }

  /** Wall-clock duration; the injected clock gives the run's identity time, not its length. */
  private static long elapsedMs(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }

  private void checkHints(SourceDefinition source, TableId data) {
    StructType table = tableData(data);
    if (table == null) {
      return;
    }
    source
        .schemaHints()
        .forEach(
            (column, type) -> {
              scala.Option<Object> index = table.getFieldIndex(column);
              if (index.isDefined()) {
                var existing = table.fields()[(Integer) index.get()].dataType();
                if (!existing.equals(type)) {
                  throw BronzeErrors.hintDisagrees(
                      source.name(), column, type.simpleString(), existing.simpleString());
                }
              }
            });
  }

  /**
   * One write of a batch to a table, partitioned by landing date. A failed first write (the table
   * had no commit) leaves nothing half made: a table folder still without a commit afterwards is
   * removed.
   */
  private void append(TableId table, Batch batch, Runnable write) {
    boolean isNew = !runtime.catalog().exists(table);
    try {
      withWriterPerLandingDate(batch, write);
    } catch (Exception e) {
      if (isNew) {
        try {
          if (runtime.catalog().removeUncommitted(table)) {
            LOG.info("removed {} after its failed first write", location(table));
          }
        } catch (RuntimeException cleanup) {
          e.addSuppressed(cleanup);
        }
      }
      throw sneaky(e);
    }
  }

  /**
   * Runs a write with an open file per landing date in each task (Spark's concurrent output
   * writers) instead of Spark's default of first sorting every row of the batch by the partition
   * column: a task reads whole files, so it sees only the few dates of its files. Past {@link
   * #MAX_OPEN_DATES} dates in a task, Spark sorts the rest. An explicit setting is kept.
   */
  private void withWriterPerLandingDate(Batch batch, Runnable write) {
    RuntimeConfig conf = runtime.spark().conf();
    if (conf.get(CONCURRENT_WRITERS, "0").equals("0")) {
      long dates = batch.files().stream().map(LandedFile::landingDate).distinct().count();
      conf.set(CONCURRENT_WRITERS, Math.min(dates, MAX_OPEN_DATES));
      try {
        write.run();
      } finally {
        conf.unset(CONCURRENT_WRITERS);
      }
    } else {
      write.run();
    }
  }

  /** Rethrows any exception as it is; Spark (Scala) throws checked exceptions undeclared. */
  @SuppressWarnings("unchecked")
  static <E extends Exception> RuntimeException sneaky(Exception e) throws E {
    throw (E) e;
  }

  /**
   * What a failure means for the user: a known error as it is; Delta's report of another process
   * committing to a table this run writes as one line with its own exit code.
   */
  private Exception explain(SourceDefinition source, Exception e, Progress progress) {
    LakehouseException known = Cli.findKnown(e);
    if (known != null) {
      return known;
    }
    Throwable conflict = concurrentModification(e);
    if (conflict != null) {
      return BronzeErrors.concurrentWriter(
          source.name(), "bronze." + source.table(), !progress.wrote, e);
    }
    Throwable io = deepestIo(e);
    if (io != null) {
      String cause = String.valueOf(io.getMessage()).split("\n", 2)[0];
      return BronzeErrors.storageFailed(
          source.name(), cause.length() > 300 ? cause.substring(0, 300) + "..." : cause, e);
    }
    return e;
  }

  /** The innermost I/O failure of a cause chain (a storage that stopped answering), or null. */
  private static Throwable deepestIo(Throwable e) {
    Throwable found = null;
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof java.io.IOException || t instanceof java.io.UncheckedIOException) {
        found = t;
      }
    }
    return found;
  }

  /** Delta's optimistic-concurrency conflicts all extend ConcurrentModificationException. */
  private static Throwable concurrentModification(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof java.util.ConcurrentModificationException) {
        return t;
      }
    }
    return null;
  }

  private StructType tableData(TableId table) {
    return runtime.catalog().exists(table)
        ? BronzeSchema.dataColumns(runtime.catalog().read(table).schema())
        : null;
  }

  private String location(TableId table) {
    return runtime.catalog().location(table);
  }

  private Long[] versions(SourceDefinition source) {
    TableId data = TableId.of("bronze", source.table());
    TableId rejects = TableId.of("bronze", source.rejectsTable());
    return new Long[] {
      runtime.catalog().exists(data) ? runtime.catalog().currentVersion(data) : null,
      runtime.catalog().exists(rejects) ? runtime.catalog().currentVersion(rejects) : null
    };
  }

  /** What a run has done so far; a failed run reports it too. */
  private static final class Progress {
    final StepLog steps;
    long filesFound;
    long filesIngested;
    long filesSkipped;
    List<String> unmatched = List.of();
    long recordsRead;
    long rowsWritten;
    long rowsRejected;
    Long recovered;
    boolean wrote; // whether this run committed rows to the bronze or rejects table
    final List<Long> batchIds = new ArrayList<>();
    final Set<String> added = new LinkedHashSet<>();
    final Set<String> missing = new LinkedHashSet<>();

    Progress(StepLog steps) {
      this.steps = steps;
    }

    /** One progress line: a step done, and the seconds the run has taken up to it. */
    void step(SourceDefinition source, String what) {
      steps.step(what);
    }

    BronzeReport report(
        String source,
        String runId,
        LocalDate runDate,
        Optional<LocalDate> upTo,
        Instant started,
        Status status,
        long durationMs,
        String message,
        Long[] versions) {
      return new BronzeReport(
          source,
          runId,
          runDate,
          upTo.orElse(null),
          started,
          status,
          filesFound,
          filesIngested,
          filesSkipped,
          unmatched,
          recordsRead,
          rowsWritten,
          rowsRejected,
          List.copyOf(added),
          List.copyOf(missing),
          List.copyOf(batchIds),
          recovered,
          versions[0],
          versions[1],
          durationMs,
          message);
    }
  }
}
