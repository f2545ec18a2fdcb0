package io.zlayer.adapters.sandbox.layer;

import java.nio.file.Path;

/**
 * An entry as a {@link LayerStack} shows it: its root-relative {@code path}, where it really is
 * ({@code realPath} inside layer number {@code layer}, 0 being the top) and its metadata. For a
 * merged directory these are the top-most layer's, as overlayfs shows them.
 */
public record StackEntry(String path, Path realPath, int layer, FileMetadata metadata) {
  public String name() {
    return PathNames.base(path);
  }
}
