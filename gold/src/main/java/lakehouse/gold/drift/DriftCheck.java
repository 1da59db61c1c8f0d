package lakehouse.gold.drift;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Compares current profiles with reference profiles, feature by feature, under a spec. */
public final class DriftCheck {
  private DriftCheck() {}

  /**
   * The drift of every feature present in both maps (by feature name), worst first: severity, then
   * the largest measure.
   */
  public static List<DriftResult> compare(
      Map<String, FeatureProfile> reference, Map<String, FeatureProfile> current, DriftSpec spec) {
    List<DriftResult> results = new ArrayList<>();
    for (Map.Entry<String, FeatureProfile> e : current.entrySet()) {
      FeatureProfile ref = reference.get(e.getKey());
      if (ref == null || !ref.kind().equals(e.getValue().kind())) {
        continue;
      }
      results.add(compare(ref, e.getValue(), spec, e.getKey()));
    }
    results.sort(
        Comparator.comparingInt(DriftResult::rank)
            .reversed()
            .thenComparing(Comparator.comparingDouble(DriftResult::score).reversed())
            .thenComparing(DriftResult::feature));
    return results;
  }

  /** The drift of one feature; {@code thresholdsOf} names the feature in the spec. */
  public static DriftResult compare(
      FeatureProfile ref, FeatureProfile cur, DriftSpec spec, String thresholdsOf) {
    double nullChange = DriftMeasures.nullRateChange(ref, cur);
    Double psi;
    Double ks = null;
    List<String> bins = new ArrayList<>();
    List<Double> refShares = new ArrayList<>();
    List<Double> curShares = new ArrayList<>();
    String direction;
    if (ref.numeric()) {
      psi = DriftMeasures.numericPsi(ref, cur);
      ks = DriftMeasures.ks(ref, cur);
      if (ref.values().length > 0 && cur.values().length > 0) {
        double[] edges = DriftMeasures.edges(ref, DriftMeasures.BINS);
        double[] r = DriftMeasures.shares(ref, edges);
        double[] c = DriftMeasures.shares(cur, edges);
        for (int i = 0; i < r.length; i++) {
          bins.add(
              i < edges.length
                  ? "<= " + number(edges[i])
                  : "> " + (edges.length == 0 ? "-inf" : number(edges[edges.length - 1])));
          refShares.add(r[i]);
          curShares.add(c[i]);
        }
      }
      direction =
          ref.mean() == null || cur.mean() == null
              ? "same"
              : cur.mean() > ref.mean() ? "up" : cur.mean() < ref.mean() ? "down" : "same";
    } else {
      psi = DriftMeasures.categoricalPsi(ref, cur);
      List<String> categories = DriftMeasures.categories(ref, cur);
      double[] r = DriftMeasures.categoryShares(ref, categories);
      double[] c = DriftMeasures.categoryShares(cur, categories);
      for (int i = 0; i < r.length; i++) {
        if (i == categories.size() && r[i] < 1e-12 && c[i] < 1e-12) {
          break;
        }
        bins.add(i < categories.size() ? categories.get(i) : "(other)");
        refShares.add(r[i]);
        curShares.add(c[i]);
      }
      direction = psi != null && psi > 0 ? "changed" : "same";
    }
    List<String> breaches = new ArrayList<>();
    String severity = DriftResult.OK;
    if (spec.ignored(thresholdsOf)) {
      severity = DriftResult.IGNORED;
    } else {
      Map<String, Double> measures = new LinkedHashMap<>();
      measures.put("psi", psi);
      measures.put("ks", ks);
      measures.put("null-rate-change", nullChange);
      for (Map.Entry<String, Double> m : measures.entrySet()) {
        DriftSpec.Threshold t = spec.threshold(thresholdsOf, m.getKey());
        if (t == null) {
          continue;
        }
        String s = t.severity(m.getValue());
        if (!DriftResult.OK.equals(s)) {
          breaches.add(
              m.getKey()
                  + " "
                  + number(m.getValue())
                  + " >= "
                  + s
                  + " "
                  + number(DriftResult.ERROR.equals(s) ? t.error() : t.warn()));
          if (DriftResult.ERROR.equals(s) || DriftResult.OK.equals(severity)) {
            severity = s;
          }
        }
      }
    }
    return new DriftResult(
        cur.feature(),
        cur.kind(),
        psi,
        ks,
        nullChange,
        ref.mean(),
        cur.mean(),
        direction,
        severity,
        breaches,
        bins,
        refShares,
        curShares,
        ref.rows(),
        cur.rows());
  }

  /** The most serious severity of the results ({@code ok} for none). */
  public static String worst(List<DriftResult> results) {
    return results.stream()
        .max(Comparator.comparingInt(DriftResult::rank))
        .map(r -> r.rank() <= 1 ? DriftResult.OK : r.severity())
        .orElse(DriftResult.OK);
  }

  static String number(Double v) {
    if (v == null) {
      return "-";
    }
    return String.format(Locale.ROOT, "%.4f", v).replaceAll("0+$", "").replaceAll("\\.$", "");
  }
}
