package lakehouse.gold.drift;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import lakehouse.common.ExitCode;
import lakehouse.common.LakehouseException;
import lakehouse.common.cli.TablePrinter;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/** Prints a comparison as a table or as JSON, and turns an error-severity breach into exit 3. */
public final class DriftOutput {
  private static final String[] COLUMNS = {
    "feature",
    "kind",
    "severity",
    "direction",
    "psi",
    "ks",
    "null_rate_change",
    "reference_mean",
    "current_mean",
    "breaches"
  };

  private DriftOutput() {}

  /** {@code table} or {@code json}, else exit 2. */
  public static String format(String format) {
    String f = format == null ? "table" : format.toLowerCase(java.util.Locale.ROOT);
    if (!f.equals("table") && !f.equals("json")) {
      throw LakehouseException.usage("--format must be table or json, got '" + format + "'");
    }
    return f;
  }

  /** Prints the comparison in {@code format} ({@code table} or {@code json}). */
  public static void print(PrintWriter out, DriftComparison c, String format) {
    if ("json".equals(format)) {
      out.println(json(c));
    } else {
      out.println(
          c.subject()
              + " "
              + c.current()
              + " against "
              + c.reference()
              + ": "
              + c.worst()
              + " ("
              + c.errors().size()
              + " error, "
              + (c.flagged().size() - c.errors().size())
              + " warn, "
              + c.results().size()
              + " features)");
      List<Row> rows = new ArrayList<>();
      for (DriftResult r : c.results()) {
        rows.add(
            RowFactory.create(
                r.feature(),
                r.kind(),
                r.severity(),
                r.direction(),
                DriftCheck.number(r.psi()),
                DriftCheck.number(r.ks()),
                DriftCheck.number(r.nullRateChange()),
                DriftCheck.number(r.referenceMean()),
                DriftCheck.number(r.currentMean()),
                String.join("; ", r.breaches())));
      }
      TablePrinter.printTable(out, COLUMNS, rows);
    }
    out.flush();
  }

  /** Exit 3 (after the output) when a feature breaches an error threshold. */
  public static ExitCode exitCode(DriftComparison c) {
    if (!c.errors().isEmpty()) {
      throw DriftErrors.driftError(c.subject(), c.current(), c.reference(), c.errors());
    }
    return ExitCode.OK;
  }

  /** The comparison as one JSON object. */
  public static String json(DriftComparison c) {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("scope", c.scope());
    root.put("subject", c.subject());
    root.put("current", c.current());
    root.put("reference", c.reference());
    root.put("worst", c.worst());
    List<Map<String, Object>> features = new ArrayList<>();
    for (DriftResult r : c.results()) {
      Map<String, Object> f = new LinkedHashMap<>();
      f.put("feature", r.feature());
      f.put("kind", r.kind());
      f.put("severity", r.severity());
      f.put("direction", r.direction());
      f.put("psi", r.psi());
      f.put("ks", r.ks());
      f.put("null_rate_change", r.nullRateChange());
      f.put("reference_mean", r.referenceMean());
      f.put("current_mean", r.currentMean());
      f.put("breaches", r.breaches());
      f.put("bins", r.bins());
      f.put("reference_shares", r.referenceShares());
      f.put("current_shares", r.currentShares());
      f.put("reference_rows", r.referenceRows());
      f.put("current_rows", r.currentRows());
      features.add(f);
    }
    root.put("features", features);
    try {
      return new ObjectMapper()
          .disable(SerializationFeature.INDENT_OUTPUT)
          .writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
