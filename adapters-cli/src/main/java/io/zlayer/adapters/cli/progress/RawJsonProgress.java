package io.zlayer.adapters.cli.progress;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zlayer.application.event.BuildEvent;
import io.zlayer.application.event.StepRef;
import io.zlayer.domain.image.ImageReference;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code --progress=rawjson}: one JSON object per line per event, for tools. The format is
 * documented in {@code docs/progress-json.md}; fields are only ever added, never renamed.
 * Transfer progress is sent at most every 100 ms per transfer.
 */
public final class RawJsonProgress implements ProgressRenderer {
  static final Duration PROGRESS_INTERVAL = Duration.ofMillis(100);
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT)
          .withZone(ZoneOffset.UTC);

  private final PrintWriter out;
  private final Clock clock;
  private final ObjectMapper json = new ObjectMapper();
  private final Map<String, Instant> progressSentAt = new HashMap<>();
  private boolean closed;

  public RawJsonProgress(PrintWriter out, Clock clock) {
    this.out = out;
    this.clock = clock;
  }

  @Override
  public synchronized void accept(BuildEvent event) {
    if (closed) {
      return;
    }
    Instant now = clock.instant();
    ObjectNode o;
    if (event instanceof BuildEvent.StepStarted e) {
      o = stepEvent("step.started", now, e.step());
      o.put("text", e.text());
    } else if (event instanceof BuildEvent.StepOutput e) {
      o = stepEvent("step.output", now, e.step());
      o.put("text", e.line());
      o.put("stream", e.stderr() ? "stderr" : "stdout");
    } else if (event instanceof BuildEvent.StepCached e) {
      o = stepEvent("step.cached", now, e.step());
    } else if (event instanceof BuildEvent.StepFinished e) {
      o = stepEvent("step.finished", now, e.step());
      o.put("elapsedMs", e.elapsed().toMillis());
    } else if (event instanceof BuildEvent.StepFailed e) {
      o = stepEvent("step.failed", now, e.step());
      o.put("text", e.message());
      o.put("elapsedMs", e.elapsed().toMillis());
    } else if (event instanceof BuildEvent.TransferStarted e) {
      progressSentAt.remove(e.id());
      o = base("transfer.started", now);
      o.put("transfer", e.id());
      o.put("text", e.description());
      o.put("total", e.totalBytes());
    } else if (event instanceof BuildEvent.TransferProgress e) {
      Instant last = progressSentAt.get(e.id());
      if (last != null && now.isBefore(last.plus(PROGRESS_INTERVAL))) {
        return;
      }
      progressSentAt.put(e.id(), now);
      o = base("transfer.progress", now);
      o.put("transfer", e.id());
      o.put("bytes", e.bytesDone());
      o.put("total", e.totalBytes());
    } else if (event instanceof BuildEvent.TransferFinished e) {
      progressSentAt.remove(e.id());
      o = base("transfer.finished", now);
      o.put("transfer", e.id());
      o.put("skipped", e.skipped());
    } else if (event instanceof BuildEvent.Message e) {
      o = base("message", now);
      o.put("level", e.level().name().toLowerCase(Locale.ROOT));
      o.put("text", e.text());
    } else {
      return;
    }
    write(o);
  }

  private ObjectNode base(String type, Instant now) {
    ObjectNode o = json.createObjectNode();
    o.put("type", type);
    o.put("time", TIME.format(now));
    return o;
  }

  private ObjectNode stepEvent(String type, Instant now, StepRef step) {
    ObjectNode o = base(type, now);
    ObjectNode s = o.putObject("step");
    s.put("id", step.id());
    s.put("stage", step.stage());
    s.put("stageIndex", step.stageIndex());
    s.put("stages", step.stageCount());
    s.put("step", step.step());
    s.put("steps", step.stepCount());
    s.put("line", step.line());
    return o;
  }

  private void write(ObjectNode o) {
    try {
      out.println(json.writeValueAsString(o));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a progress event as JSON", e);
    }
    out.flush();
  }

  @Override
  public synchronized void summary(BuildSummary summary) {
    if (closed) {
      return;
    }
    ObjectNode o = base("build.summary", clock.instant());
    o.put("imageId", summary.imageId().toString());
    summary.manifestDigest().ifPresent(d -> o.put("digest", d.toString()));
    ArrayNode tags = o.putArray("tags");
    for (ImageReference tag : summary.tags()) {
      tags.add(tag.toString());
    }
    o.put("size", summary.size());
    o.put("elapsedMs", summary.elapsed().toMillis());
    o.put("cachedSteps", summary.cachedSteps());
    o.put("steps", summary.totalSteps());
    write(o);
  }

  /**
   * The command's failure as the stream's last event ({@code type} {@code error}), so a tool
   * reading the stream sees only JSON. Written even after {@link #close()}.
   */
  public synchronized void error(String message, Optional<String> hint) {
    ObjectNode o = base("error", clock.instant());
    o.put("text", message);
    hint.ifPresent(h -> o.put("hint", h));
    write(o);
  }

  @Override
  public synchronized void close() {
    closed = true;
    out.flush();
  }
}
