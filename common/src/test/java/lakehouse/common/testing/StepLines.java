package lakehouse.common.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import lakehouse.common.ops.StepLog;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;

/**
 * Collects the progress lines ({@link StepLog}) printed while it is open, for tests: {@code try
 * (StepLines steps = StepLines.capture()) { ...; assertThat(steps.of("silver orders")) ... }}. A
 * line is kept as logged, without its seconds: {@code silver orders: contract loaded}.
 */
public final class StepLines implements AutoCloseable {
  private final List<String> lines = new ArrayList<>();
  private final AbstractAppender appender;
  private final LoggerConfig config;

  private StepLines() {
    LoggerContext context = (LoggerContext) LogManager.getContext(false);
    Configuration configuration = context.getConfiguration();
    appender =
        new AbstractAppender("steps-" + UUID.randomUUID(), null, null, true, Property.EMPTY_ARRAY) {
          @Override
          public void append(LogEvent event) {
            if (StepLog.LOGGER.equals(event.getLoggerName())) {
              synchronized (lines) {
                lines.add(
                    event.getMessage().getFormattedMessage().replaceFirst(" \\([0-9.]+ s\\)$", ""));
              }
            }
          }
        };
    appender.start();
    // The closest configured logger ("lakehouse" in the tests' settings) sees the lines.
    config = configuration.getLoggerConfig(StepLog.LOGGER);
    config.addAppender(appender, null, null);
    context.updateLoggers();
  }

  /** Starts collecting. */
  public static StepLines capture() {
    return new StepLines();
  }

  /** Every line so far, in order. */
  public List<String> all() {
    synchronized (lines) {
      return List.copyOf(lines);
    }
  }

  /**
   * The lines of one job ({@code "silver orders"}), without the prefix and without the "still on"
   * lines (which depend on timing), in order.
   */
  public List<String> of(String job) {
    String prefix = job + ": ";
    return all().stream()
        .filter(l -> l.startsWith(prefix))
        .map(l -> l.substring(prefix.length()))
        .filter(l -> !l.startsWith("still on ") && !l.equals("still working"))
        .toList();
  }

  @Override
  public void close() {
    config.removeAppender(appender.getName());
    appender.stop();
    ((LoggerContext) LogManager.getContext(false)).updateLoggers();
  }
}
