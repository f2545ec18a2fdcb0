package io.zlayer.domain.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zlayer.domain.json.JsonValue.JsonArray;
import io.zlayer.domain.json.JsonValue.JsonNumber;
import io.zlayer.domain.json.JsonValue.JsonObject;
import io.zlayer.domain.json.JsonValue.JsonString;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class JsonTest {
  @Test
  void roundTripsKeepingMemberOrderAndNumberLiterals() throws Exception {
    String text = "{\"b\":1,\"a\":[true,false,null,\"x\"],\"n\":12345678901234567890,\"f\":1.50}";
    JsonValue v = Json.parse(text);
    assertEquals(text, Json.write(v));
    JsonObject o = (JsonObject) v;
    assertEquals(new JsonNumber("12345678901234567890"), o.get("n").orElseThrow());
    assertEquals(4, ((JsonArray) o.get("a").orElseThrow()).items().size());
  }

  @Test
  void decodesEscapesAndWritesThemLikeGo() throws Exception {
    JsonValue v = Json.parse("\"a\\u00e9\\n\\t\\\"<&>\\/\"");
    assertEquals(new JsonString("a\u00e9\n\t\"<&>/"), v);
    assertEquals("\"a\u00e9\\n\\t\\\"\\u003c\\u0026\\u003e/\"", Json.write(v));
  }

  @Test
  void toleratesWhitespace() throws Exception {
    assertTrue(Json.parse(" {\n \"a\" : [ 1 , 2 ] }\n") instanceof JsonObject);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "{", "[1,]", "{\"a\":1,}", "01", "1.", "-", "\"\\x\"", "tru",
      "{\"a\" 1}", "[1 2]", "\"unterminated", "{\"a\":1}x", "{\"a\":1,\"a\":2}", "\"\u0001\"",
      "\"\\u12\""})
  void rejectsMalformedInput(String text) {
    assertThrows(JsonSyntaxException.class, () -> Json.parse(text));
  }

  @Test
  void rejectsExcessiveNestingWithoutStackOverflow() {
    String deep = "[".repeat(100_000);
    assertThrows(JsonSyntaxException.class, () -> Json.parse(deep));
  }
}
