package io.zlayer.bootstrap.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fields of an image config's {@code config} object that the equivalence tests compare,
 * read as JSON by Jackson (not by zlayer's codec). A missing field, {@code null} and an empty
 * value ({@code ""}, {@code []}, {@code {}}) are the same: these are Go zero values in Docker's
 * config struct, all meaning "not set" (Docker itself writes {@code "WorkingDir": ""} and {@code
 * "Entrypoint": null}; buildah's Docker-format config writes {@code []} and {@code {}}). Anything
 * else, including the order in lists, counts.
 */
final class ConfigFields {
  static final List<String> NAMES = List.of("Env", "Cmd", "Entrypoint", "WorkingDir", "User",
      "Labels", "ExposedPorts", "Volumes", "StopSignal", "Healthcheck", "OnBuild", "Shell");
  static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, JsonNode> fields;

  private ConfigFields(Map<String, JsonNode> fields) {
    this.fields = fields;
  }

  static ConfigFields of(byte[] imageConfig) throws IOException {
    JsonNode config = JSON.readTree(imageConfig).path("config");
    Map<String, JsonNode> fields = new LinkedHashMap<>();
    for (String name : NAMES) {
      JsonNode v = config.path(name);
      fields.put(name, isUnset(v) ? MissingNode.getInstance() : v);
    }
    return new ConfigFields(fields);
  }

  private static boolean isUnset(JsonNode v) {
    return v.isNull() || v.isMissingNode() || (v.isTextual() && v.asText().isEmpty())
        || (v.isContainerNode() && v.isEmpty());
  }

  JsonNode get(String name) {
    return fields.get(name);
  }

  /** The value of one label, or a missing node. */
  JsonNode label(String key) {
    return fields.get("Labels").path(key);
  }

  ConfigFields with(String name, JsonNode value) {
    Map<String, JsonNode> copy = new LinkedHashMap<>(fields);
    copy.put(name, value);
    return new ConfigFields(copy);
  }

  /** These fields with one label set to {@code value} (removed when it is missing). */
  ConfigFields withLabel(String key, JsonNode value) {
    JsonNode labels = fields.get("Labels");
    ObjectNode copy = labels.isObject() ? ((ObjectNode) labels).deepCopy()
        : JSON.createObjectNode();
    if (value.isMissingNode()) {
      copy.remove(key);
    } else {
      copy.set(key, value);
    }
    // bud's Labels held only the label it adds: without it there are none, as in Docker
    return with("Labels", copy.isEmpty() ? MissingNode.getInstance() : copy);
  }

  /** The fields that differ, {@code Field: left | right} ({@code -} for a missing one). */
  static List<String> differences(ConfigFields left, ConfigFields right) {
    List<String> out = new ArrayList<>();
    for (String name : NAMES) {
      JsonNode l = left.get(name);
      JsonNode r = right.get(name);
      if (!l.equals(r)) {
        out.add(name + ": " + show(l) + " | " + show(r));
      }
    }
    return out;
  }

  static String show(JsonNode v) {
    return v.isMissingNode() ? "-" : v.toString();
  }
}
