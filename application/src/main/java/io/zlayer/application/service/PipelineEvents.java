package io.zlayer.application.service;

import io.zlayer.application.event.BuildEvent;
import io.zlayer.application.event.BuildEventSink;
import io.zlayer.application.event.StepRef;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The events of several builds running at once, made distinct for one progress view: stages
 * are named {@code image/stage} and numbered across the pipeline, transfers carry the image.
 */
final class PipelineEvents {
  private final BuildEventSink sink;
  private final Map<String, Integer> stageNumbers = new ConcurrentHashMap<>();
  private final AtomicInteger nextStage = new AtomicInteger();

  PipelineEvents(BuildEventSink sink) {
    this.sink = sink;
  }

  void message(String text) {
    sink.accept(new BuildEvent.Message(BuildEvent.Level.INFO, text));
  }

  void warning(String text) {
    sink.accept(new BuildEvent.Message(BuildEvent.Level.WARNING, text));
  }

  /** A sink for one build, labelled {@code label} ({@code app}, {@code app linux/arm64}). */
  BuildEventSink forBuild(String label) {
    return event -> sink.accept(relabel(label, event));
  }

  private BuildEvent relabel(String label, BuildEvent event) {
    if (event instanceof BuildEvent.StepStarted e) {
      return new BuildEvent.StepStarted(step(label, e.step()), e.text());
    }
    if (event instanceof BuildEvent.StepOutput e) {
      return new BuildEvent.StepOutput(step(label, e.step()), e.line(), e.stderr());
    }
    if (event instanceof BuildEvent.StepCached e) {
      return new BuildEvent.StepCached(step(label, e.step()));
    }
    if (event instanceof BuildEvent.StepFinished e) {
      return new BuildEvent.StepFinished(step(label, e.step()), e.elapsed());
    }
    if (event instanceof BuildEvent.StepFailed e) {
      return new BuildEvent.StepFailed(step(label, e.step()), e.message(), e.elapsed());
    }
    if (event instanceof BuildEvent.TransferStarted e) {
      return new BuildEvent.TransferStarted(label + "/" + e.id(), e.description(),
          e.totalBytes());
    }
    if (event instanceof BuildEvent.TransferProgress e) {
      return new BuildEvent.TransferProgress(label + "/" + e.id(), e.bytesDone(), e.totalBytes());
    }
    if (event instanceof BuildEvent.TransferFinished e) {
      return new BuildEvent.TransferFinished(label + "/" + e.id(), e.skipped());
    }
    BuildEvent.Message m = (BuildEvent.Message) event;
    return new BuildEvent.Message(m.level(), label + ": " + m.text());
  }

  private StepRef step(String label, StepRef ref) {
    int number = stageNumbers.computeIfAbsent(label + "\u0000" + ref.stageIndex(),
        k -> nextStage.getAndIncrement());
    return new StepRef(label + "/" + ref.stage(), number, ref.stageCount(), ref.step(),
        ref.stepCount(), ref.line());
  }
}
