package io.zlayer.application.event;

import java.time.Duration;

/**
 * What happens during a build, pull or push, as it happens. Progress views (tty, plain,
 * rawjson) are drawn from these alone; they flow out through a {@link BuildEventSink}.
 */
public sealed interface BuildEvent {

  /** A build step began. {@code text} is the instruction as the user reads it. */
  record StepStarted(StepRef step, String text) implements BuildEvent {}

  /** A line the step's process printed (RUN output, buildah output). */
  record StepOutput(StepRef step, String line, boolean stderr) implements BuildEvent {}

  /** The step's result came from the cache: nothing ran. */
  record StepCached(StepRef step) implements BuildEvent {}

  record StepFinished(StepRef step, Duration elapsed) implements BuildEvent {}

  record StepFailed(StepRef step, String message, Duration elapsed) implements BuildEvent {}

  /** A blob transfer (pull, push, or a base image fetched for a build) began. */
  record TransferStarted(String id, String description, long totalBytes) implements BuildEvent {}

  record TransferProgress(String id, long bytesDone, long totalBytes) implements BuildEvent {}

  /** A transfer ended; {@code skipped} when the other side already had the blob. */
  record TransferFinished(String id, boolean skipped) implements BuildEvent {}

  /** A note for the user that belongs to no step (warnings from the front end, for example). */
  record Message(Level level, String text) implements BuildEvent {}

  enum Level {
    INFO,
    WARNING
  }
}
