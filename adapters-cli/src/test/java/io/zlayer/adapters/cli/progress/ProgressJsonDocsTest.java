package io.zlayer.adapters.cli.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zlayer.domain.image.Digest;
import io.zlayer.domain.image.ImageReference;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docs/progress-json.md documents every event type and field the rawjson renderer writes. */
class ProgressJsonDocsTest {
  private static final Path DOC = Path.of("..", "docs", "progress-json.md");

  @Test
  void everyTypeAndFieldIsDocumented() throws Exception {
    String doc = Files.readString(DOC);
    ManualClock clock = new ManualClock();
    StringWriter text = new StringWriter();
    RawJsonProgress json = new RawJsonProgress(new PrintWriter(text), clock);
    ScriptedBuild.firstHalf(json, clock);
    ScriptedBuild.secondHalf(json, clock);
    json.summary(new BuildSummary(Digest.sha256(new byte[0]),
        Optional.of(Digest.sha256(new byte[1])), List.of(ImageReference.parse("app")), 1,
        Duration.ZERO, 0, 0));
    json.error("boom", Optional.of("fix it"));
    Set<String> types = new TreeSet<>();
    ObjectMapper mapper = new ObjectMapper();
    for (String line : text.toString().split("\n")) {
      JsonNode node = mapper.readTree(line);
      String type = node.get("type").asText();
      types.add(type);
      assertTrue(doc.contains("### `" + type + "`"), "undocumented event type " + type);
      for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
        String field = it.next();
        assertTrue(doc.contains("`" + field + "`"), "undocumented field " + field + " of " + type);
      }
    }
    Set<String> documented = new TreeSet<>();
    Matcher m = Pattern.compile("(?m)^### `([a-z.]+)`$").matcher(doc);
    while (m.find()) {
      documented.add(m.group(1));
    }
    assertEquals(documented, types);
  }

  @Test
  void theDocumentsExamplesAreValidJson() throws Exception {
    String doc = Files.readString(DOC);
    Matcher m = Pattern.compile("(?s)```json\n(.*?)\n```").matcher(doc);
    int examples = 0;
    ObjectMapper mapper = new ObjectMapper();
    while (m.find()) {
      JsonNode node = mapper.readTree(m.group(1));
      assertTrue(node.has("type") && node.has("time"), m.group(1));
      examples++;
    }
    assertEquals(11, examples);
  }
}
