package io.zlayer.adapters.cli.progress;

import io.zlayer.application.event.BuildEvent;

/** {@code --progress=quiet}: shows nothing. */
public final class QuietProgress implements ProgressRenderer {
  public static final QuietProgress INSTANCE = new QuietProgress();

  private QuietProgress() {}

  @Override
  public void accept(BuildEvent event) {}

  @Override
  public void summary(BuildSummary summary) {}

  @Override
  public void close() {}
}
