package lakehouse.sample;

import java.time.LocalDate;
import java.util.Objects;

/**
 * A column that a source starts to carry part-way through the sample.
 *
 * @param source the source's name, e.g. {@code orders}
 * @param column the added column, e.g. {@code coupon_code}
 * @param firstLandingDate the first landing date whose records carry the column; all later ones do
 *     too
 */
public record SchemaDrift(String source, String column, LocalDate firstLandingDate) {
  public SchemaDrift {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(column, "column");
    Objects.requireNonNull(firstLandingDate, "firstLandingDate");
  }
}
