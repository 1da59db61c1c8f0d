package lakehouse.sample.demo;

import java.time.LocalDate;
import lakehouse.sample.SampleOptions;
import lakehouse.sample.SampleShift;
import picocli.CommandLine.Option;

/**
 * {@code --days}, {@code --customers} and {@code --seed}: of {@code generate-sample} and {@code
 * demo}.
 */
final class SampleSize {
  @Option(names = "--days", description = "Landing days to generate (default: ${DEFAULT-VALUE}).")
  int days = SampleOptions.defaults().days();

  @Option(
      names = "--customers",
      description = "Customers on the first day (default: ${DEFAULT-VALUE}).")
  int customers = SampleOptions.defaults().customers();

  @Option(names = "--seed", description = "Random seed (default: ${DEFAULT-VALUE}).")
  long seed = SampleOptions.defaults().seed();

  /** The sample's options from the first landing day, with a planted shift or none (null). */
  SampleOptions options(LocalDate startDate, SampleShift shift) {
    return new SampleOptions(startDate, days, customers, seed, shift);
  }
}
