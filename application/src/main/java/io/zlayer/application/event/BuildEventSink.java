package io.zlayer.application.event;

/**
 * Receives build events. Called from several threads at once (stages and transfers run in
 * parallel), so implementations must be thread-safe and quick.
 */
@FunctionalInterface
public interface BuildEventSink {
  BuildEventSink NONE = event -> {};

  void accept(BuildEvent event);
}
