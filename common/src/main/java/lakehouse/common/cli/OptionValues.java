package lakehouse.common.cli;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.Map;
import lakehouse.common.CommonErrors;
import lakehouse.common.LakehouseException;

/** Option values every command reads the same way. */
public final class OptionValues {
  private OptionValues() {}

  /**
   * Parses a duration option as HOCON writes durations ({@code 15m}, {@code 1h}, {@code 7 days},
   * {@code 168 hours}, {@code 0h}).
   *
   * @throws LakehouseException {@link CommonErrors#badDuration} for anything else, or a negative
   *     duration
   */
  public static Duration duration(String option, String value) {
    try {
      Duration duration = ConfigFactory.parseMap(Map.of("d", value)).getDuration("d");
      if (duration.isNegative()) {
        throw CommonErrors.badDuration(option, value);
      }
      return duration;
    } catch (ConfigException e) {
      throw CommonErrors.badDuration(option, value);
    }
  }
}
