package io.zlayer.domain.json;

/** A JSON value. Object members keep their order, so re-serialising is deterministic. */
public sealed interface JsonValue
    permits JsonValue.JsonObject, JsonValue.JsonArray, JsonValue.JsonString,
        JsonValue.JsonNumber, JsonValue.JsonBool, JsonValue.JsonNull {

  record JsonObject(java.util.Map<String, JsonValue> members) implements JsonValue {
    public JsonObject {
      members = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(members));
    }

    public java.util.Optional<JsonValue> get(String name) {
      return java.util.Optional.ofNullable(members.get(name));
    }
  }

  record JsonArray(java.util.List<JsonValue> items) implements JsonValue {
    public JsonArray {
      items = java.util.List.copyOf(items);
    }
  }

  record JsonString(String value) implements JsonValue {
    public JsonString {
      java.util.Objects.requireNonNull(value);
    }
  }

  /** A number kept as its literal text, so large integers and exact decimals survive. */
  record JsonNumber(String literal) implements JsonValue {
    public long longValue() {
      return new java.math.BigDecimal(literal).longValueExact();
    }
  }

  record JsonBool(boolean value) implements JsonValue {}

  record JsonNull() implements JsonValue {
    public static final JsonNull INSTANCE = new JsonNull();
  }
}
