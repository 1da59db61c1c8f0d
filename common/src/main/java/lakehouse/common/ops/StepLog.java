package lakehouse.common.ops;

import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Progress lines of a long command: one line per step done, {@code <job>: <what> (<seconds> s)}
 * with the seconds since the command's log started, e.g. {@code silver orders: 25 rows read from
 * bronze.orders (3.2 s)}; and while a step takes longer than {@value #QUIET_SECONDS} s, a line
 * every {@value #QUIET_SECONDS} s that names the step still under way ({@code silver orders: still
 * on merging into silver.orders (10.0 s)}), so no command stays silent for long.
 *
 * <p>The lines go to the logger {@value #LOGGER} at INFO, which the project's log4j2 settings send
 * to stderr: stdout holds only a command's results ({@code --format json|csv} stays parseable).
 * {@code logger.progress.name = lakehouse.progress} with a level of {@code warn} silences them.
 *
 * <pre>{@code
 * try (StepLog steps = StepLog.start("training-set churn")) {
 *   steps.working("reading the spine");     // named by the "still on" lines until the next step
 *   ...
 *   steps.step("spine read (27 rows)");     // one line
 * }
 * }</pre>
 *
 * <p>Safe to call from any thread (Spark's streaming batches run on their own).
 */
public final class StepLog implements AutoCloseable {
  /** The logger every progress line goes to. */
  public static final String LOGGER = "lakehouse.progress";

  /** Seconds without a line after which the step under way is named again. */
  public static final int QUIET_SECONDS = 5;

  private static final Logger LOG = LoggerFactory.getLogger(LOGGER);
  private static final long QUIET_NANOS = TimeUnit.SECONDS.toNanos(QUIET_SECONDS);

  private final String job;
  private final long startNanos;
  private final ScheduledExecutorService heartbeat;
  private volatile long lastLineNanos;
  private volatile String current;

  private StepLog(String job) {
    this.job = job;
    this.startNanos = System.nanoTime();
    this.lastLineNanos = startNanos;
    this.heartbeat =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, "progress " + job);
              thread.setDaemon(true);
              return thread;
            });
    this.heartbeat.scheduleAtFixedRate(this::stillWorking, 1, 1, TimeUnit.SECONDS);
  }

  /**
   * Starts the log of a command; {@code job} prefixes every line ({@code "silver orders"}, {@code
   * "report"}). Close it when the command ends: that stops the "still on" lines.
   */
  public static StepLog start(String job) {
    return new StepLog(job);
  }

  /** The prefix of this log's lines. */
  public String job() {
    return job;
  }

  /** Prints one line: a step is done. Until {@link #working} names the next, none is under way. */
  public void step(String done) {
    current = null;
    line(done);
  }

  /** Names the step under way (no line): the "still on" lines name it until the next step. */
  public void working(String what) {
    current = what;
  }

  /** Seconds since the log started, one decimal. */
  public String elapsed() {
    return seconds(System.nanoTime());
  }

  @Override
  public void close() {
    heartbeat.shutdownNow();
  }

  private void stillWorking() {
    if (System.nanoTime() - lastLineNanos >= QUIET_NANOS) {
      String what = current;
      line(what == null ? "still working" : "still on " + what);
    }
  }

  private synchronized void line(String what) {
    long now = System.nanoTime();
    lastLineNanos = now;
    LOG.info("{}: {} ({} s)", job, what, seconds(now));
  }

  private String seconds(long now) {
    return String.format(Locale.ROOT, "%.1f", (now - startNanos) / 1e9);
  }
}
