package lakehouse.gold.declarations;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import lakehouse.common.catalog.TableId;

/**
 * A validated feature set declaration ({@code conf/features/<name>.conf}): which silver tables it
 * reads, which entity its rows describe and which features it computes. The output table is {@code
 * gold.<name>}, one row per entity and snapshot day.
 *
 * @param name the feature set and output table name
 * @param file the declaration file, for messages
 * @param description free text
 * @param owner who answers questions about it
 * @param entity the entity key column(s), present in every source
 * @param entitiesFrom the source whose entities get a row every day (an SCD2 source: every entity
 *     that exists at the snapshot time); null: every entity active in an events source within the
 *     set's horizon
 * @param sources the sources by name, in declaration order
 * @param features the output features in column order
 */
public record FeatureSet(
    String name,
    String file,
    String description,
    String owner,
    List<String> entity,
    String entitiesFrom,
    Map<String, SourceSpec> sources,
    List<FeatureSpec> features) {

  /** The gold table the set writes. */
  public TableId table() {
    return TableId.of("gold", name);
  }

  public FeatureSpec feature(String featureName) {
    return features.stream().filter(f -> f.name().equals(featureName)).findFirst().orElse(null);
  }

  public SourceSpec source(String sourceName) {
    return sources.get(sourceName);
  }

  /**
   * The longest look-back of any feature, in days: the snapshot of day D reads events of the days
   * {@code D-horizon+1 .. D} only, and a change to events of day X can alter the snapshots of
   * {@code X .. X+horizon-1} only.
   */
  public int horizonDays() {
    int horizon = 1;
    for (FeatureSpec feature : features) {
      if (feature instanceof FeatureSpec.Aggregate a) {
        horizon = Math.max(horizon, a.windowDays());
      } else if (feature instanceof FeatureSpec.Recency r) {
        horizon = Math.max(horizon, r.lookbackDays());
      }
    }
    return horizon;
  }

  /** The look-back in days that a given events source needs (0 if no feature reads it). */
  public int horizonDays(String sourceName) {
    int horizon = 0;
    for (FeatureSpec feature : features) {
      if (feature instanceof FeatureSpec.Aggregate a && a.source().equals(sourceName)) {
        horizon = Math.max(horizon, a.windowDays());
      } else if (feature instanceof FeatureSpec.Recency r && r.source().equals(sourceName)) {
        horizon = Math.max(horizon, r.lookbackDays());
      }
    }
    return horizon;
  }

  /** The silver tables a feature reads, directly or through the features it derives from. */
  public List<String> sourceTables(FeatureSpec feature) {
    Set<String> tables = new LinkedHashSet<>();
    collectSources(feature, tables);
    return new ArrayList<>(tables);
  }

  private void collectSources(FeatureSpec feature, Set<String> tables) {
    if (feature instanceof FeatureSpec.Aggregate a) {
      tables.add(sources.get(a.source()).table().toString());
    } else if (feature instanceof FeatureSpec.Recency r) {
      tables.add(sources.get(r.source()).table().toString());
    } else if (feature instanceof FeatureSpec.Attribute a) {
      tables.add(sources.get(a.source()).table().toString());
    }
    for (String input : feature.inputs()) {
      collectSources(feature(input), tables);
    }
  }

  /**
   * The canonical text of everything that determines a feature's values: its own declaration, its
   * sources' declarations, the entity and, for derived features, their inputs' definitions. Free
   * text (description, owner) is not part of it.
   */
  public String definition(FeatureSpec feature) {
    String entityText = "entity=" + String.join(",", entity);
    String own;
    if (feature instanceof FeatureSpec.Aggregate a) {
      own =
          "aggregate "
              + a.function().word()
              + " column="
              + a.column()
              + " filter="
              + a.filter()
              + " window="
              + a.windowDays()
              + " source="
              + sources.get(a.source()).definition();
    } else if (feature instanceof FeatureSpec.Recency r) {
      own =
          "recency filter="
              + r.filter()
              + " lookback="
              + r.lookbackDays()
              + " source="
              + sources.get(r.source()).definition();
    } else if (feature instanceof FeatureSpec.Attribute a) {
      own = "attribute column=" + a.column() + " source=" + sources.get(a.source()).definition();
    } else if (feature instanceof FeatureSpec.Ratio r) {
      own =
          "ratio ("
              + definition(feature(r.numerator()))
              + ") / ("
              + definition(feature(r.denominator()))
              + ")";
    } else {
      FeatureSpec.Trend t = (FeatureSpec.Trend) feature;
      own =
          "trend ("
              + definition(feature(t.shortFeature()))
              + ") vs ("
              + definition(feature(t.longFeature()))
              + ")";
    }
    return entityText + " " + own;
  }

  /** SHA-256 of {@link #definition}, hex: equal hashes mean equal values for equal inputs. */
  public String definitionHash(FeatureSpec feature) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(definition(feature).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JVM", e);
    }
  }

  /** The definition hash of every feature, by name, in column order. */
  public Map<String, String> definitionHashes() {
    Map<String, String> hashes = new LinkedHashMap<>();
    features.forEach(f -> hashes.put(f.name(), definitionHash(f)));
    return hashes;
  }
}
