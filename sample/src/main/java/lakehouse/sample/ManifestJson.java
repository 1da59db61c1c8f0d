package lakehouse.sample;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import lakehouse.common.LakehouseException;

/**
 * Maps the manifest records to JSON and back through Jackson's tree model: explicit field names and
 * order keep the file stable across Jackson versions and need no java.time module.
 */
final class ManifestJson {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  // Jackson's default indenter uses the platform line separator; the manifest must be byte-stable.
  private static final DefaultIndenter INDENTER = new DefaultIndenter("  ", "\n");
  private static final ObjectWriter WRITER =
      MAPPER.writer(
          new DefaultPrettyPrinter().withObjectIndenter(INDENTER).withArrayIndenter(INDENTER));

  private ManifestJson() {}

  static String write(SampleManifest manifest) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("format_version", manifest.formatVersion());
    SampleOptions options = manifest.options();
    ObjectNode optionsNode = root.putObject("options");
    optionsNode.put("start_date", options.startDate().toString());
    optionsNode.put("days", options.days());
    optionsNode.put("customers", options.customers());
    optionsNode.put("seed", options.seed());
    if (options.shift() != null) {
      optionsNode.put("shift", options.shift().toString());
    }
    ArrayNode dates = root.putArray("landing_dates");
    manifest.landingDates().forEach(date -> dates.add(date.toString()));
    ArrayNode sources = root.putArray("sources");
    for (SourceManifest source : manifest.sources()) {
      writeSource(sources.addObject(), source);
    }
    ArrayNode drifts = root.putArray("schema_drift");
    for (SchemaDrift drift : manifest.schemaDrift()) {
      ObjectNode node = drifts.addObject();
      node.put("source", drift.source());
      node.put("column", drift.column());
      node.put("first_landing_date", drift.firstLandingDate().toString());
    }
    try {
      return WRITER.writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("A JSON tree built in memory could not be written", e);
    }
  }

  private static void writeSource(ObjectNode node, SourceManifest source) {
    node.put("name", source.name());
    node.put("format", source.format());
    ArrayNode columns = node.putArray("columns");
    source.columns().forEach(columns::add);
    // Totals are derived in Java but written for readers of the raw JSON.
    node.put("total_lines", source.totalLines());
    node.put("total_good_records", source.totalGoodRecords());
    node.put("total_malformed_lines", source.totalMalformedLines());
    ArrayNode files = node.putArray("files");
    for (LandingFile file : source.files()) {
      ObjectNode fileNode = files.addObject();
      fileNode.put("path", file.path());
      fileNode.put("landing_date", file.landingDate().toString());
      fileNode.put("lines", file.lines());
      fileNode.put("good_records", file.goodRecords());
      fileNode.put("malformed_lines", file.malformedLines());
    }
    ObjectNode faults = node.putObject("faults");
    for (FaultCount fault : source.faults()) {
      ObjectNode faultNode = faults.putObject(fault.kind().label());
      faultNode.put("total", fault.total());
      ObjectNode perDate = faultNode.putObject("per_landing_date");
      fault.perLandingDate().forEach((date, count) -> perDate.put(date.toString(), count));
    }
    ArrayNode malformed = node.putArray("malformed");
    for (MalformedLine line : source.malformedLines()) {
      ObjectNode lineNode = malformed.addObject();
      lineNode.put("file", line.file());
      lineNode.put("line", line.lineNumber());
      lineNode.put("kind", line.kind().label());
    }
  }

  static SampleManifest read(String json) {
    try {
      JsonNode root = MAPPER.readTree(json);
      if (root == null || !root.isObject()) {
        throw new IllegalArgumentException("the text is not a JSON object");
      }
      int version = required(root, "format_version").asInt();
      if (version != SampleManifest.FORMAT_VERSION) {
        throw new IllegalArgumentException(
            "format_version " + version + " is not the supported " + SampleManifest.FORMAT_VERSION);
      }
      JsonNode optionsNode = required(root, "options");
      SampleOptions options =
          new SampleOptions(
              date(required(optionsNode, "start_date")),
              required(optionsNode, "days").asInt(),
              required(optionsNode, "customers").asInt(),
              required(optionsNode, "seed").asLong(),
              optionsNode.hasNonNull("shift")
                  ? SampleShift.parse(optionsNode.get("shift").asText())
                  : null);
      List<LocalDate> dates = new ArrayList<>();
      required(root, "landing_dates").forEach(node -> dates.add(date(node)));
      List<SourceManifest> sources = new ArrayList<>();
      required(root, "sources").forEach(node -> sources.add(readSource(node)));
      List<SchemaDrift> drifts = new ArrayList<>();
      for (JsonNode node : required(root, "schema_drift")) {
        drifts.add(
            new SchemaDrift(
                required(node, "source").asText(),
                required(node, "column").asText(),
                date(required(node, "first_landing_date"))));
      }
      return new SampleManifest(version, options, dates, sources, drifts);
    } catch (JsonProcessingException | IllegalArgumentException | DateTimeParseException e) {
      throw LakehouseException.data("The sample manifest cannot be read: " + e.getMessage());
    }
  }

  private static SourceManifest readSource(JsonNode node) {
    List<String> columns = new ArrayList<>();
    required(node, "columns").forEach(column -> columns.add(column.asText()));
    List<LandingFile> files = new ArrayList<>();
    for (JsonNode file : required(node, "files")) {
      files.add(
          new LandingFile(
              required(file, "path").asText(),
              date(required(file, "landing_date")),
              required(file, "lines").asLong(),
              required(file, "good_records").asLong()));
    }
    List<FaultCount> faults = new ArrayList<>();
    Iterator<Map.Entry<String, JsonNode>> faultNodes = required(node, "faults").fields();
    while (faultNodes.hasNext()) {
      Map.Entry<String, JsonNode> fault = faultNodes.next();
      TreeMap<LocalDate, Long> perDate = new TreeMap<>();
      Iterator<Map.Entry<String, JsonNode>> counts =
          required(fault.getValue(), "per_landing_date").fields();
      while (counts.hasNext()) {
        Map.Entry<String, JsonNode> count = counts.next();
        perDate.put(LocalDate.parse(count.getKey()), count.getValue().asLong());
      }
      faults.add(new FaultCount(FaultKind.fromLabel(fault.getKey()), perDate));
    }
    List<MalformedLine> malformed = new ArrayList<>();
    for (JsonNode line : required(node, "malformed")) {
      malformed.add(
          new MalformedLine(
              required(line, "file").asText(),
              required(line, "line").asLong(),
              MalformedKind.fromLabel(required(line, "kind").asText())));
    }
    return new SourceManifest(
        required(node, "name").asText(),
        required(node, "format").asText(),
        columns,
        files,
        faults,
        malformed);
  }

  private static JsonNode required(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      throw new IllegalArgumentException("field '" + field + "' is missing");
    }
    return value;
  }

  private static LocalDate date(JsonNode node) {
    return LocalDate.parse(node.asText());
  }
}
