package lakehouse.silver;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The bronze versions a silver batch read, from the JSON offsets Delta's streaming source reports
 * in a query's progress ({@code {"reservoirVersion":12,"index":-1,...}}): the offset points at the
 * next file to read, and index -1 means "before the first file of that version".
 */
final class DeltaSourceOffset {
  private static final ObjectMapper JSON = new ObjectMapper();

  private DeltaSourceOffset() {}

  /** The last version a batch ending at {@code offset} read completely, or null. */
  static Long lastVersionRead(String offset) {
    JsonNode node = parse(offset);
    if (node == null || !node.hasNonNull("reservoirVersion")) {
      return null;
    }
    long version = node.get("reservoirVersion").asLong();
    return node.path("index").asLong(0) == -1 ? version - 1 : version;
  }

  /** The version the batch starting at {@code offset} (the previous batch's end) starts in. */
  static Long nextVersion(String offset) {
    JsonNode node = parse(offset);
    return node == null || !node.hasNonNull("reservoirVersion")
        ? null
        : node.get("reservoirVersion").asLong();
  }

  private static JsonNode parse(String offset) {
    if (offset == null) {
      return null;
    }
    try {
      return JSON.readTree(offset);
    } catch (JsonProcessingException e) {
      return null;
    }
  }
}
