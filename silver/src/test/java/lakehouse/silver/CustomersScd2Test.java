package lakehouse.silver;

import static lakehouse.silver.BronzeFixture.row;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.List;
import lakehouse.common.LakehouseRuntime;
import lakehouse.common.catalog.LakeCatalog;
import lakehouse.common.catalog.TableId;
import lakehouse.common.testing.TestLake;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** silver.customers keeps every profile version as SCD type 2, over several runs. */
class CustomersScd2Test {
  @TempDir Path dir;

  static Object[] profile(String id, String email, String segment, String updatedAt) {
    return row(id, " Ann Example ", email, "de", segment, "2024-01-01T00:00:00Z", updatedAt);
  }

  /** customer_id|segment|valid_from|valid_to|is_current, in key and time order. */
  static List<String> history(LakehouseRuntime runtime) {
    return runtime
        .catalog()
        .read(TableId.of("silver", "customers"))
        .filter("customer_id IN ('c1', 'c2')")
        .orderBy("customer_id", "valid_from")
        .collectAsList()
        .stream()
        .map(
            r ->
                r.getAs("customer_id")
                    + "|"
                    + r.getAs("segment")
                    + "|"
                    + r.<java.sql.Timestamp>getAs("valid_from").toInstant()
                    + "|"
                    + (r.isNullAt(r.fieldIndex("valid_to"))
                        ? "-"
                        : r.<java.sql.Timestamp>getAs("valid_to").toInstant())
                    + "|"
                    + r.getAs("is_current"))
        .toList();
  }

  /** The table's declared row key (the lakehouse.key property). */
  static String keyProperty(LakehouseRuntime runtime, TableId table) {
    return runtime
        .spark()
        .sql(
            "SHOW TBLPROPERTIES delta.`"
                + runtime.catalog().location(table)
                + "` ('"
                + LakeCatalog.KEY_PROPERTY
                + "')")
        .first()
        .getString(1);
  }

  static long[] counts(SilverReport r) {
    return new long[] {
      r.rowsRead(), r.inserted(), r.updated(), r.duplicatesDiscarded(), r.quarantined()
    };
  }

  @Test
  void profileVersionsBuildAHistoryIncludingLateOnes() throws Exception {
    TestLake lake = TestLake.create(dir, "lakehouse.silver.pii-salt=pepper");
    BronzeFixture bronze = new BronzeFixture(lake);
    LakehouseRuntime runtime = lake.runtime();

    List<Object[]> day1 =
        new java.util.ArrayList<>(
            List.<Object[]>of(
                profile("c1", " Ann@Example.com", "Gold", "2024-03-01T00:00:00Z"),
                profile("c1", " Ann@Example.com", "Gold", "2024-03-01T00:00:00Z"),
                profile("c2", "bob@example.com", "silver", "2024-03-01T02:00:00+02:00"),
                profile(null, "x@example.com", "silver", "2024-03-01T00:00:00Z")));
    for (int i = 3; i <= 10; i++) {
      day1.add(profile("c" + i, "c" + i + "@example.com", "bronze", "2024-03-01T00:00:00Z"));
    }
    bronze.append("customers", BronzeFixture.CUSTOMERS, "2024-03-01", "2024-03-01T06:00:00Z", day1);
    SilverReport first =
        SilverJob.run(
            runtime, SilverJob.Request.load(runtime, "customers", LocalDate.parse("2024-03-01")));
    assertThat(counts(first)).containsExactly(12, 10, 0, 1, 1);
    assertThat(keyProperty(runtime, TableId.of("silver", "customers")))
        .as("the row key diff pairs versions by: business key and valid_from")
        .isEqualTo("customer_id,valid_from");
    assertThat(
            runtime
                .catalog()
                .read(TableId.of("silver", "customers_quarantine"))
                .first()
                .<String>getList(0))
        .containsExactly("required:customer_id");

    bronze.append(
        "customers",
        BronzeFixture.CUSTOMERS,
        "2024-03-05",
        "2024-03-05T06:00:00Z",
        List.<Object[]>of(profile("c1", "ann@example.com", "platinum", "2024-03-05T00:00:00Z")));
    SilverReport second =
        SilverJob.run(
            runtime, SilverJob.Request.load(runtime, "customers", LocalDate.parse("2024-03-05")));
    assertThat(counts(second)).containsExactly(1, 0, 1, 0, 0);
    assertThat(second.versionsClosed()).isEqualTo(1);
    assertThat(history(runtime))
        .containsExactly(
            "c1|gold|2024-03-01T00:00:00Z|2024-03-05T00:00:00Z|false",
            "c1|platinum|2024-03-05T00:00:00Z|-|true",
            "c2|silver|2024-03-01T00:00:00Z|-|true");

    // A late version (03-03) lands between two known ones; a re-sent 03-05 is a duplicate.
    bronze.append(
        "customers",
        BronzeFixture.CUSTOMERS,
        "2024-03-06",
        "2024-03-06T06:00:00Z",
        List.<Object[]>of(
            profile("c1", "ann@example.com", "silver", "2024-03-03T00:00:00Z"),
            profile("c1", "ann@example.com", "platinum", "2024-03-05T00:00:00Z")));
    SilverReport third =
        SilverJob.run(
            runtime, SilverJob.Request.load(runtime, "customers", LocalDate.parse("2024-03-06")));
    assertThat(counts(third)).containsExactly(2, 0, 1, 1, 0);
    assertThat(third.versionsClosed()).as("the current version stays current").isZero();
    assertThat(history(runtime))
        .containsExactly(
            "c1|gold|2024-03-01T00:00:00Z|2024-03-03T00:00:00Z|false",
            "c1|silver|2024-03-03T00:00:00Z|2024-03-05T00:00:00Z|false",
            "c1|platinum|2024-03-05T00:00:00Z|-|true",
            "c2|silver|2024-03-01T00:00:00Z|-|true");

    Row asOf =
        lake.spark()
            .sql(
                "SELECT segment FROM silver.customers WHERE customer_id = 'c1' "
                    + "AND valid_from <= TIMESTAMP'2024-03-04 00:00:00' AND (valid_to IS NULL OR "
                    + "valid_to > TIMESTAMP'2024-03-04 00:00:00')")
            .first();
    assertThat(asOf.getString(0)).as("attributes as of a time").isEqualTo("silver");

    Row current =
        runtime
            .catalog()
            .read(TableId.of("silver", "customers"))
            .filter("customer_id = 'c1' AND is_current")
            .first();
    String expectedEmail =
        HexFormat.of()
            .formatHex(
                MessageDigest.getInstance("SHA-256")
                    .digest("pepperann@example.com".getBytes(StandardCharsets.UTF_8)));
    assertThat((String) current.getAs("email"))
        .as("PII hashed with the configured salt")
        .isEqualTo(expectedEmail);
    assertThat((String) current.getAs("name")).hasSize(64).doesNotContain("Ann");
    assertThat((String) current.getAs("country")).isEqualTo("DE");
  }
}
