package lakehouse.common.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import lakehouse.common.ExitCode;
import lakehouse.common.LakehouseException;
import lakehouse.common.settings.Declarations.Kind;
import lakehouse.common.testing.TestLake;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeclarationsTest {
  private final Path conf = TestLake.confDir();

  @Test
  void listsEachKindFromItsFolder() {
    Declarations declarations = Declarations.of(LakehouseSettings.load(conf, "local", List.of()));
    assertThat(declarations.names(Kind.SOURCE))
        .containsExactly("customers", "events", "labels", "orders");
    assertThat(declarations.names(Kind.TABLE))
        .containsExactly("customers", "events", "labels", "orders");
    assertThat(declarations.names(Kind.FEATURE_SET)).contains("customer_features");
    assertThat(declarations.names(Kind.TRAINING_SPEC)).contains("churn");
    assertThat(declarations.file(Kind.TABLE, "orders"))
        .isEqualTo(conf.resolve("tables").resolve("orders.conf"));
  }

  @Test
  void anUnknownNameIsOneUsageErrorNamingTheDeclaredOnes() {
    Declarations declarations = Declarations.in(conf);
    assertThatThrownBy(() -> declarations.file(Kind.SOURCE, "ordres"))
        .isInstanceOfSatisfying(
            LakehouseException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE))
        .hasMessage(
            "unknown source 'ordres': no sources/ordres.conf in the configuration directory;"
                + " declared sources: customers, events, labels, orders");
    assertThat(declarations.find(Kind.SOURCE, "../tables/orders")).isEmpty();
    assertThat(declarations.find(Kind.TABLE, "Orders")).isEmpty();
  }

  @Test
  void theFeatureSetsFolderIsASetting(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("visits.conf"), "");
    LakehouseSettings settings =
        LakehouseSettings.load(conf, "local", List.of("lakehouse.gold.features-dir=" + dir));
    Declarations declarations = Declarations.of(settings);
    assertThat(declarations.names(Kind.FEATURE_SET)).containsExactly("visits");
    assertThatThrownBy(() -> declarations.file(Kind.FEATURE_SET, "nope"))
        .hasMessage(
            "unknown feature set 'nope': no " + dir.resolve("nope.conf") + "; known: visits");
  }
}
