package io.zlayer.domain.image;

import io.zlayer.domain.error.ImageFormatException;
import io.zlayer.domain.json.Json;
import io.zlayer.domain.json.JsonSyntaxException;
import io.zlayer.domain.json.JsonValue;
import io.zlayer.domain.json.JsonValue.JsonArray;
import io.zlayer.domain.json.JsonValue.JsonBool;
import io.zlayer.domain.json.JsonValue.JsonNumber;
import io.zlayer.domain.json.JsonValue.JsonObject;
import io.zlayer.domain.json.JsonValue.JsonString;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Reads and writes image manifests, indexes and configs as JSON. Written members follow the
 * order of the OCI spec's Go structs and omit empty optional fields, as containers/image and
 * BuildKit do, so the output is byte-stable for a given value.
 */
public final class ImageJson {
  private ImageJson() {}

  // ---------------------------------------------------------------- manifests

  /**
   * Parses a manifest or index. The media type comes from the JSON's own {@code mediaType}, else
   * from {@code declaredType} (the Content-Type a registry sent, or the descriptor's type).
   */
  public static Manifest parseManifest(byte[] bytes, String declaredType)
      throws ImageFormatException {
    JsonObject o = object(parse(bytes, "manifest"), "manifest");
    String type = optString(o, "mediaType").orElse(declaredType == null ? "" : declaredType);
    if (type.isEmpty()) {
      type = o.get("manifests").isPresent() ? MediaTypes.OCI_INDEX : MediaTypes.OCI_MANIFEST;
    }
    if (type.equals(MediaTypes.DOCKER_SCHEMA1_MANIFEST)
        || type.equals(MediaTypes.DOCKER_SCHEMA1_SIGNED)) {
      throw new ImageFormatException(
          "Docker image manifest schema 1 is deprecated and not supported; push the image again"
              + " with a current Docker or buildah");
    }
    long schemaVersion = optLong(o, "schemaVersion").orElse(0L);
    if (schemaVersion != 2) {
      throw new ImageFormatException("unsupported manifest schemaVersion " + schemaVersion);
    }
    Map<String, String> annotations = stringMap(o, "annotations");
    if (MediaTypes.isIndex(type)) {
      List<Descriptor> manifests = new ArrayList<>();
      for (JsonValue v : array(o, "manifests")) {
        manifests.add(descriptor(v));
      }
      return new ImageIndex(type, manifests, annotations);
    }
    if (!MediaTypes.isImageManifest(type)) {
      throw new ImageFormatException("unsupported manifest media type \"" + type + "\"");
    }
    Descriptor config = descriptor(o.get("config")
        .orElseThrow(() -> new ImageFormatException("manifest has no config descriptor")));
    List<Descriptor> layers = new ArrayList<>();
    for (JsonValue v : array(o, "layers")) {
      layers.add(descriptor(v));
    }
    Optional<Descriptor> subject = Optional.empty();
    if (o.get("subject").isPresent()) {
      subject = Optional.of(descriptor(o.get("subject").get()));
    }
    return new ImageManifest(type, config, layers, annotations, subject);
  }

  public static byte[] write(ImageManifest m) {
    Map<String, JsonValue> o = new LinkedHashMap<>();
    o.put("schemaVersion", new JsonNumber("2"));
    o.put("mediaType", new JsonString(m.mediaType()));
    o.put("config", descriptorJson(m.config()));
    List<JsonValue> layers = new ArrayList<>();
    m.layers().forEach(d -> layers.add(descriptorJson(d)));
    o.put("layers", new JsonArray(layers));
    m.subject().ifPresent(s -> o.put("subject", descriptorJson(s)));
    putStringMap(o, "annotations", m.annotations());
    return bytes(new JsonObject(o));
  }

  public static byte[] write(ImageIndex index) {
    Map<String, JsonValue> o = new LinkedHashMap<>();
    o.put("schemaVersion", new JsonNumber("2"));
    o.put("mediaType", new JsonString(index.mediaType()));
    List<JsonValue> manifests = new ArrayList<>();
    index.manifests().forEach(d -> manifests.add(descriptorJson(d)));
    o.put("manifests", new JsonArray(manifests));
    putStringMap(o, "annotations", index.annotations());
    return bytes(new JsonObject(o));
  }

  public static Descriptor descriptor(JsonValue v) throws ImageFormatException {
    JsonObject o = object(v, "descriptor");
    String mediaType = optString(o, "mediaType").orElse("");
    Digest digest = Digest.parse(optString(o, "digest")
        .orElseThrow(() -> new ImageFormatException("descriptor has no digest")));
    long size = optLong(o, "size")
        .orElseThrow(() -> new ImageFormatException("descriptor has no size"));
    if (size < 0) {
      throw new ImageFormatException("descriptor of " + digest + " has a negative size");
    }
    List<String> urls = stringList(o, "urls").orElse(List.of());
    Optional<Platform> platform = Optional.empty();
    if (o.get("platform").isPresent()) {
      platform = Optional.of(platform(object(o.get("platform").get(), "platform")));
    }
    return new Descriptor(mediaType, digest, size, urls, stringMap(o, "annotations"), platform,
        optString(o, "artifactType"));
  }

  public static JsonObject descriptorJson(Descriptor d) {
    Map<String, JsonValue> o = new LinkedHashMap<>();
    o.put("mediaType", new JsonString(d.mediaType()));
    o.put("digest", new JsonString(d.digest().toString()));
    o.put("size", new JsonNumber(Long.toString(d.size())));
    if (!d.urls().isEmpty()) {
      o.put("urls", strings(d.urls()));
    }
    putStringMap(o, "annotations", d.annotations());
    d.platform().ifPresent(p -> o.put("platform", platformJson(p)));
    d.artifactType().ifPresent(t -> o.put("artifactType", new JsonString(t)));
    return new JsonObject(o);
  }

  private static Platform platform(JsonObject o) throws ImageFormatException {
    return new Platform(optString(o, "os").orElse(""), optString(o, "architecture").orElse(""),
        optString(o, "variant").filter(s -> !s.isEmpty()),
        optString(o, "os.version").filter(s -> !s.isEmpty()));
  }

  private static JsonObject platformJson(Platform p) {
    Map<String, JsonValue> o = new LinkedHashMap<>();
    o.put("architecture", new JsonString(p.architecture()));
    o.put("os", new JsonString(p.os()));
    p.osVersion().ifPresent(v -> o.put("os.version", new JsonString(v)));
    p.variant().ifPresent(v -> o.put("variant", new JsonString(v)));
    return new JsonObject(o);
  }

  // ---------------------------------------------------------------- config

  public static ImageConfig parseConfig(byte[] bytes) throws ImageFormatException {
    JsonObject o = object(parse(bytes, "image config"), "image config");
    ContainerConfig config = ContainerConfig.EMPTY;
    Optional<JsonValue> cfg = o.get("config").filter(v -> !(v instanceof JsonValue.JsonNull));
    if (cfg.isPresent()) {
      config = containerConfig(object(cfg.get(), "config"));
    }
    List<Digest> diffIds = new ArrayList<>();
    Optional<JsonValue> rootfs = o.get("rootfs").filter(v -> !(v instanceof JsonValue.JsonNull));
    if (rootfs.isPresent()) {
      JsonObject r = object(rootfs.get(), "rootfs");
      for (String id : stringList(r, "diff_ids").orElse(List.of())) {
        diffIds.add(Digest.parse(id));
      }
    }
    List<HistoryEntry> history = new ArrayList<>();
    Optional<JsonValue> hist = o.get("history").filter(v -> !(v instanceof JsonValue.JsonNull));
    if (hist.isPresent()) {
      if (!(hist.get() instanceof JsonArray ha)) {
        throw new ImageFormatException("image config: history is not an array");
      }
      for (JsonValue hv : ha.items()) {
        JsonObject h = object(hv, "history entry");
        history.add(new HistoryEntry(optTime(h, "created"), optString(h, "created_by"),
            optString(h, "author"), optString(h, "comment"),
            optBool(h, "empty_layer").orElse(false)));
      }
    }
    return new ImageConfig(optTime(o, "created"), optString(o, "author").filter(s -> !s.isEmpty()),
        optString(o, "architecture").orElse(""), optString(o, "os").orElse(""),
        optString(o, "variant").filter(s -> !s.isEmpty()),
        optString(o, "os.version").filter(s -> !s.isEmpty()), config, diffIds, history);
  }

  private static ContainerConfig containerConfig(JsonObject c) throws ImageFormatException {
    Optional<HealthConfig> health = Optional.empty();
    Optional<JsonValue> hc = c.get("Healthcheck").filter(v -> !(v instanceof JsonValue.JsonNull));
    if (hc.isPresent()) {
      JsonObject h = object(hc.get(), "Healthcheck");
      health = Optional.of(new HealthConfig(stringList(h, "Test").orElse(List.of()),
          optLong(h, "Interval").orElse(0L), optLong(h, "Timeout").orElse(0L),
          optLong(h, "StartPeriod").orElse(0L), optLong(h, "StartInterval").orElse(0L),
          optLong(h, "Retries").orElse(0L).intValue()));
    }
    SortedMap<String, String> labels = new TreeMap<>(stringMap(c, "Labels"));
    return new ContainerConfig(
        optString(c, "User").filter(s -> !s.isEmpty()),
        new TreeSet<>(objectKeys(c, "ExposedPorts")),
        stringList(c, "Env").orElse(List.of()),
        stringList(c, "Entrypoint"),
        stringList(c, "Cmd"),
        new TreeSet<>(objectKeys(c, "Volumes")),
        optString(c, "WorkingDir").filter(s -> !s.isEmpty()),
        labels,
        optString(c, "StopSignal").filter(s -> !s.isEmpty()),
        health,
        stringList(c, "OnBuild").orElse(List.of()),
        stringList(c, "Shell"),
        optBool(c, "ArgsEscaped").orElse(false));
  }

  public static byte[] write(ImageConfig cfg) {
    Map<String, JsonValue> o = new LinkedHashMap<>();
    cfg.created().ifPresent(t -> o.put("created", new JsonString(GoTime.format(t))));
    cfg.author().ifPresent(a -> o.put("author", new JsonString(a)));
    o.put("architecture", new JsonString(cfg.architecture()));
    o.put("os", new JsonString(cfg.os()));
    cfg.osVersion().ifPresent(v -> o.put("os.version", new JsonString(v)));
    cfg.variant().ifPresent(v -> o.put("variant", new JsonString(v)));
    o.put("config", containerConfigJson(cfg.config()));
    Map<String, JsonValue> rootfs = new LinkedHashMap<>();
    rootfs.put("type", new JsonString("layers"));
    rootfs.put("diff_ids", strings(cfg.diffIds().stream().map(Digest::toString).toList()));
    o.put("rootfs", new JsonObject(rootfs));
    if (!cfg.history().isEmpty()) {
      List<JsonValue> hist = new ArrayList<>();
      for (HistoryEntry h : cfg.history()) {
        Map<String, JsonValue> e = new LinkedHashMap<>();
        h.created().ifPresent(t -> e.put("created", new JsonString(GoTime.format(t))));
        h.createdBy().ifPresent(s -> e.put("created_by", new JsonString(s)));
        h.author().ifPresent(s -> e.put("author", new JsonString(s)));
        h.comment().ifPresent(s -> e.put("comment", new JsonString(s)));
        if (h.emptyLayer()) {
          e.put("empty_layer", new JsonBool(true));
        }
        hist.add(new JsonObject(e));
      }
      o.put("history", new JsonArray(hist));
    }
    return bytes(new JsonObject(o));
  }

  private static JsonObject containerConfigJson(ContainerConfig c) {
    Map<String, JsonValue> o = new LinkedHashMap<>();
    c.user().ifPresent(u -> o.put("User", new JsonString(u)));
    if (!c.exposedPorts().isEmpty()) {
      o.put("ExposedPorts", emptyObjects(c.exposedPorts()));
    }
    if (!c.env().isEmpty()) {
      o.put("Env", strings(c.env()));
    }
    c.entrypoint().ifPresent(e -> o.put("Entrypoint", strings(e)));
    c.cmd().ifPresent(e -> o.put("Cmd", strings(e)));
    if (!c.volumes().isEmpty()) {
      o.put("Volumes", emptyObjects(c.volumes()));
    }
    c.workingDir().ifPresent(w -> o.put("WorkingDir", new JsonString(w)));
    putStringMap(o, "Labels", c.labels());
    c.stopSignal().ifPresent(s -> o.put("StopSignal", new JsonString(s)));
    if (c.argsEscaped()) {
      o.put("ArgsEscaped", new JsonBool(true));
    }
    c.healthcheck().ifPresent(h -> {
      Map<String, JsonValue> hm = new LinkedHashMap<>();
      hm.put("Test", strings(h.test()));
      putNonZero(hm, "Interval", h.intervalNanos());
      putNonZero(hm, "Timeout", h.timeoutNanos());
      putNonZero(hm, "StartPeriod", h.startPeriodNanos());
      putNonZero(hm, "StartInterval", h.startIntervalNanos());
      putNonZero(hm, "Retries", h.retries());
      o.put("Healthcheck", new JsonObject(hm));
    });
    if (!c.onBuild().isEmpty()) {
      o.put("OnBuild", strings(c.onBuild()));
    }
    c.shell().ifPresent(s -> o.put("Shell", strings(s)));
    return new JsonObject(o);
  }

  // ---------------------------------------------------------------- helpers

  private static void putNonZero(Map<String, JsonValue> o, String key, long v) {
    if (v != 0) {
      o.put(key, new JsonNumber(Long.toString(v)));
    }
  }

  private static JsonObject emptyObjects(SortedSet<String> keys) {
    Map<String, JsonValue> m = new LinkedHashMap<>();
    keys.forEach(k -> m.put(k, new JsonObject(Map.of())));
    return new JsonObject(m);
  }

  private static void putStringMap(Map<String, JsonValue> o, String key, Map<String, String> m) {
    if (m.isEmpty()) {
      return;
    }
    Map<String, JsonValue> sorted = new LinkedHashMap<>();
    new TreeMap<>(m).forEach((k, v) -> sorted.put(k, new JsonString(v)));
    o.put(key, new JsonObject(sorted));
  }

  private static JsonArray strings(List<String> values) {
    return new JsonArray(values.stream().map(s -> (JsonValue) new JsonString(s)).toList());
  }

  public static byte[] bytes(JsonValue v) {
    return Json.write(v).getBytes(StandardCharsets.UTF_8);
  }

  private static JsonValue parse(byte[] bytes, String what) throws ImageFormatException {
    try {
      return Json.parse(new String(bytes, StandardCharsets.UTF_8));
    } catch (JsonSyntaxException e) {
      throw new ImageFormatException("malformed " + what + " JSON: " + e.getMessage());
    }
  }

  private static JsonObject object(JsonValue v, String what) throws ImageFormatException {
    if (v instanceof JsonObject o) {
      return o;
    }
    throw new ImageFormatException(what + " is not a JSON object");
  }

  private static List<JsonValue> array(JsonObject o, String key) throws ImageFormatException {
    Optional<JsonValue> v = o.get(key);
    if (v.isEmpty() || v.get() instanceof JsonValue.JsonNull) {
      return List.of();
    }
    if (v.get() instanceof JsonArray a) {
      return a.items();
    }
    throw new ImageFormatException("\"" + key + "\" is not an array");
  }

  private static Optional<String> optString(JsonObject o, String key)
      throws ImageFormatException {
    Optional<JsonValue> v = o.get(key);
    if (v.isEmpty() || v.get() instanceof JsonValue.JsonNull) {
      return Optional.empty();
    }
    if (v.get() instanceof JsonString s) {
      return Optional.of(s.value());
    }
    throw new ImageFormatException("\"" + key + "\" is not a string");
  }

  private static Optional<Long> optLong(JsonObject o, String key) throws ImageFormatException {
    Optional<JsonValue> v = o.get(key);
    if (v.isEmpty() || v.get() instanceof JsonValue.JsonNull) {
      return Optional.empty();
    }
    if (v.get() instanceof JsonNumber n) {
      try {
        return Optional.of(n.longValue());
      } catch (ArithmeticException | NumberFormatException e) {
        throw new ImageFormatException("\"" + key + "\" is not an integer: " + n.literal());
      }
    }
    throw new ImageFormatException("\"" + key + "\" is not a number");
  }

  private static Optional<Boolean> optBool(JsonObject o, String key)
      throws ImageFormatException {
    Optional<JsonValue> v = o.get(key);
    if (v.isEmpty() || v.get() instanceof JsonValue.JsonNull) {
      return Optional.empty();
    }
    if (v.get() instanceof JsonBool b) {
      return Optional.of(b.value());
    }
    throw new ImageFormatException("\"" + key + "\" is not a boolean");
  }

  private static Optional<Instant> optTime(JsonObject o, String key)
      throws ImageFormatException {
    Optional<String> s = optString(o, key);
    if (s.isEmpty() || s.get().isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(GoTime.parse(s.get()));
    } catch (DateTimeParseException e) {
      throw new ImageFormatException("\"" + key + "\" is not an RFC 3339 time: " + s.get());
    }
  }

  private static Optional<List<String>> stringList(JsonObject o, String key)
      throws ImageFormatException {
    Optional<JsonValue> v = o.get(key);
    if (v.isEmpty() || v.get() instanceof JsonValue.JsonNull) {
      return Optional.empty();
    }
    if (!(v.get() instanceof JsonArray a)) {
      throw new ImageFormatException("\"" + key + "\" is not an array of strings");
    }
    List<String> out = new ArrayList<>();
    for (JsonValue item : a.items()) {
      if (!(item instanceof JsonString s)) {
        throw new ImageFormatException("\"" + key + "\" is not an array of strings");
      }
      out.add(s.value());
    }
    return Optional.of(out);
  }

  private static Map<String, String> stringMap(JsonObject o, String key)
      throws ImageFormatException {
    Optional<JsonValue> v = o.get(key);
    if (v.isEmpty() || v.get() instanceof JsonValue.JsonNull) {
      return Map.of();
    }
    JsonObject m = object(v.get(), "\"" + key + "\"");
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, JsonValue> e : m.members().entrySet()) {
      if (!(e.getValue() instanceof JsonString s)) {
        throw new ImageFormatException("\"" + key + "\" values must be strings");
      }
      out.put(e.getKey(), s.value());
    }
    return out;
  }

  private static List<String> objectKeys(JsonObject o, String key) throws ImageFormatException {
    Optional<JsonValue> v = o.get(key);
    if (v.isEmpty() || v.get() instanceof JsonValue.JsonNull) {
      return List.of();
    }
    return new ArrayList<>(object(v.get(), "\"" + key + "\"").members().keySet());
  }
}
