package io.zlayer.adapters.sandbox.copy;

import io.zlayer.adapters.sandbox.layer.LayerStack;
import io.zlayer.domain.dockerfile.ignore.DockerIgnore;
import java.nio.file.Path;

/** Where COPY/ADD sources are read from. */
public sealed interface SourceTree {
  /**
   * The build context: sources are confined to {@code dir} (symlinks resolved inside it) and
   * filtered by the applicable .dockerignore.
   */
  record Context(Path dir, DockerIgnore ignore) implements SourceTree {}

  /** Another stage's or an image's filesystem ({@code --from}). */
  record Filesystem(LayerStack stack) implements SourceTree {}
}
