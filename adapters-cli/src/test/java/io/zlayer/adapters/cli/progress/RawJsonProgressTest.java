package io.zlayer.adapters.cli.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zlayer.application.event.BuildEvent;
import io.zlayer.domain.image.Digest;
import io.zlayer.domain.image.ImageReference;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RawJsonProgressTest {
  private final ManualClock clock = new ManualClock();
  private final StringWriter text = new StringWriter();
  private final RawJsonProgress json = new RawJsonProgress(new PrintWriter(text), clock);

  @Test
  void scriptedBuild() {
    ScriptedBuild.firstHalf(json, clock);
    ScriptedBuild.secondHalf(json, clock);
    json.close();
    String base1 = "\"step\":{\"id\":\"0.1\",\"stage\":\"base\",\"stageIndex\":0,\"stages\":2,"
        + "\"step\":1,\"steps\":2,\"line\":1}";
    String base2 = "\"step\":{\"id\":\"0.2\",\"stage\":\"base\",\"stageIndex\":0,\"stages\":2,"
        + "\"step\":2,\"steps\":2,\"line\":2}";
    String build1 = "\"step\":{\"id\":\"1.1\",\"stage\":\"build\",\"stageIndex\":1,\"stages\":2,"
        + "\"step\":1,\"steps\":3,\"line\":4}";
    assertEquals(String.join("\n",
        "{\"type\":\"step.started\",\"time\":\"2026-01-02T03:04:05.000Z\"," + base1
            + ",\"text\":\"FROM docker.io/library/alpine:3.20\"}",
        "{\"type\":\"transfer.started\",\"time\":\"2026-01-02T03:04:05.000Z\","
            + "\"transfer\":\"9c8d7e6f5a4b\",\"text\":\"exists 9c8d7e6f5a4b\",\"total\":1024}",
        "{\"type\":\"transfer.finished\",\"time\":\"2026-01-02T03:04:05.000Z\","
            + "\"transfer\":\"9c8d7e6f5a4b\",\"skipped\":true}",
        "{\"type\":\"transfer.started\",\"time\":\"2026-01-02T03:04:05.000Z\","
            + "\"transfer\":\"3f2a1b2c3d4e\",\"text\":\"pulling 3f2a1b2c3d4e\",\"total\":45000000}",
        "{\"type\":\"transfer.progress\",\"time\":\"2026-01-02T03:04:05.400Z\","
            + "\"transfer\":\"3f2a1b2c3d4e\",\"bytes\":12300000,\"total\":45000000}",
        "{\"type\":\"transfer.progress\",\"time\":\"2026-01-02T03:04:05.700Z\","
            + "\"transfer\":\"3f2a1b2c3d4e\",\"bytes\":16000000,\"total\":45000000}",
        "{\"type\":\"transfer.progress\",\"time\":\"2026-01-02T03:04:06.500Z\","
            + "\"transfer\":\"3f2a1b2c3d4e\",\"bytes\":28000000,\"total\":45000000}",
        "{\"type\":\"transfer.finished\",\"time\":\"2026-01-02T03:04:06.600Z\","
            + "\"transfer\":\"3f2a1b2c3d4e\",\"skipped\":false}",
        "{\"type\":\"step.finished\",\"time\":\"2026-01-02T03:04:06.600Z\"," + base1
            + ",\"elapsedMs\":1600}",
        "{\"type\":\"step.started\",\"time\":\"2026-01-02T03:04:06.600Z\"," + base2
            + ",\"text\":\"RUN apk add --no-cache make\"}",
        "{\"type\":\"step.cached\",\"time\":\"2026-01-02T03:04:06.600Z\"," + base2 + "}",
        "{\"type\":\"step.started\",\"time\":\"2026-01-02T03:04:06.600Z\"," + build1
            + ",\"text\":\"RUN make\"}",
        "{\"type\":\"step.output\",\"time\":\"2026-01-02T03:04:07.012Z\"," + build1
            + ",\"text\":\"cc -o app main.c\",\"stream\":\"stdout\"}",
        "{\"type\":\"message\",\"time\":\"2026-01-02T03:04:07.012Z\",\"level\":\"warning\","
            + "\"text\":\"FromAsCasing: 'as' and 'FROM' keywords' casing do not match (line 3)\"}",
        "{\"type\":\"step.output\",\"time\":\"2026-01-02T03:04:07.512Z\"," + build1
            + ",\"text\":\"main.c:3: error: expected ';'\",\"stream\":\"stderr\"}",
        "{\"type\":\"step.failed\",\"time\":\"2026-01-02T03:04:07.512Z\"," + build1
            + ",\"text\":\"process \\\"/bin/sh -c make\\\" did not complete successfully: exit"
            + " code: 2\",\"elapsedMs\":912}",
        ""), text.toString());
  }

  @Test
  void everyLineIsOneJsonObjectWithTypeAndRfc3339Time() throws Exception {
    ScriptedBuild.firstHalf(json, clock);
    ScriptedBuild.secondHalf(json, clock);
    ObjectMapper mapper = new ObjectMapper();
    for (String line : text.toString().split("\n")) {
      JsonNode node = mapper.readTree(line);
      assertTrue(node.isObject(), line);
      assertTrue(node.get("type").isTextual(), line);
      OffsetDateTime.parse(node.get("time").asText());
    }
  }

  @Test
  void progressIsThrottledPerTransfer() {
    json.accept(new BuildEvent.TransferProgress("a", 1, 10));
    json.accept(new BuildEvent.TransferProgress("b", 1, 10));
    clock.advanceMillis(99);
    json.accept(new BuildEvent.TransferProgress("a", 2, 10));
    clock.advanceMillis(1);
    json.accept(new BuildEvent.TransferProgress("a", 3, 10));
    String[] lines = text.toString().split("\n");
    assertEquals(3, lines.length, text.toString());
    assertTrue(lines[2].contains("\"bytes\":3"), lines[2]);
  }

  @Test
  void summaryAndControlCharactersEscaped() throws Exception {
    Digest id = Digest.sha256("config".getBytes());
    json.accept(new BuildEvent.StepOutput(ScriptedBuild.BUILD_1, "tab\there \u001b[31mred", true));
    json.summary(new BuildSummary(id, Optional.empty(), List.of(ImageReference.parse("app")),
        1234, Duration.ofSeconds(2), 0, 1));
    String[] lines = text.toString().split("\n");
    assertTrue(lines[0].contains("\"text\":\"tab\\there \\u001B[31mred\""), lines[0]);
    assertEquals("{\"type\":\"build.summary\",\"time\":\"2026-01-02T03:04:05.000Z\",\"imageId\":\""
        + id + "\",\"tags\":[\"docker.io/library/app:latest\"],\"size\":1234,\"elapsedMs\":2000,"
        + "\"cachedSteps\":0,\"steps\":1}", lines[1]);
  }
}
