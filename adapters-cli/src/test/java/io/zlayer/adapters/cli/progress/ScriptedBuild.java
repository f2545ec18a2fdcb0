package io.zlayer.adapters.cli.progress;

import io.zlayer.application.event.BuildEvent;
import io.zlayer.application.event.BuildEventSink;
import io.zlayer.application.event.StepRef;
import java.time.Duration;

/**
 * A small two-stage build as events, with the clock moved between them: a base image pulled
 * (one layer downloaded, one already present), a cached step, a step with output that fails,
 * and a warning.
 */
final class ScriptedBuild {
  static final StepRef BASE_1 = new StepRef("base", 0, 2, 1, 2, 1);
  static final StepRef BASE_2 = new StepRef("base", 0, 2, 2, 2, 2);
  static final StepRef BUILD_1 = new StepRef("build", 1, 2, 1, 3, 4);
  static final String LAYER = "3f2a1b2c3d4e";
  static final String PRESENT = "9c8d7e6f5a4b";

  private ScriptedBuild() {}

  /** Plays the first part: FROM running, a layer half downloaded. */
  static void firstHalf(BuildEventSink sink, ManualClock clock) {
    sink.accept(new BuildEvent.StepStarted(BASE_1, "FROM docker.io/library/alpine:3.20"));
    sink.accept(new BuildEvent.TransferStarted(PRESENT, "exists " + PRESENT, 1_024));
    sink.accept(new BuildEvent.TransferFinished(PRESENT, true));
    sink.accept(new BuildEvent.TransferStarted(LAYER, "pulling " + LAYER, 45_000_000));
    clock.advanceMillis(400);
    sink.accept(new BuildEvent.TransferProgress(LAYER, 12_300_000, 45_000_000));
    clock.advanceMillis(300);
    sink.accept(new BuildEvent.TransferProgress(LAYER, 16_000_000, 45_000_000));
    clock.advanceMillis(800);
    sink.accept(new BuildEvent.TransferProgress(LAYER, 28_000_000, 45_000_000));
  }

  /** Plays the rest: the layer done, a cached step, a failing RUN with output, a warning. */
  static void secondHalf(BuildEventSink sink, ManualClock clock) {
    clock.advanceMillis(100);
    sink.accept(new BuildEvent.TransferFinished(LAYER, false));
    sink.accept(new BuildEvent.StepFinished(BASE_1, Duration.ofMillis(1600)));
    sink.accept(new BuildEvent.StepStarted(BASE_2, "RUN apk add --no-cache make"));
    sink.accept(new BuildEvent.StepCached(BASE_2));
    sink.accept(new BuildEvent.StepStarted(BUILD_1, "RUN make"));
    clock.advanceMillis(412);
    sink.accept(new BuildEvent.StepOutput(BUILD_1, "cc -o app main.c", false));
    sink.accept(new BuildEvent.Message(BuildEvent.Level.WARNING,
        "FromAsCasing: 'as' and 'FROM' keywords' casing do not match (line 3)"));
    clock.advanceMillis(500);
    sink.accept(new BuildEvent.StepOutput(BUILD_1, "main.c:3: error: expected ';'", true));
    sink.accept(new BuildEvent.StepFailed(BUILD_1,
        "process \"/bin/sh -c make\" did not complete successfully: exit code: 2",
        Duration.ofMillis(912)));
  }
}
