package io.zlayer.adapters.sandbox.copy;

import io.zlayer.adapters.sandbox.layer.FileMetadata;
import io.zlayer.adapters.sandbox.layer.FileType;
import io.zlayer.adapters.sandbox.layer.LayerStack;
import io.zlayer.adapters.sandbox.layer.StackEntry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A stage's or image's filesystem ({@code COPY --from}): the merged view of its layers. */
final class StackView implements SourceView {
  private static final FileMetadata EMPTY_ROOT = new FileMetadata(FileType.DIRECTORY, 0755, 0, 0,
      0, FileTime.fromMillis(0), FileTime.fromMillis(0), 0, 0, 1, 0);

  private final LayerStack stack;

  StackView(LayerStack stack) {
    this.stack = stack;
  }

  @Override
  public Optional<SourceEntry> stat(String path) throws IOException {
    if (stack.layers().isEmpty()) {
      return path.isEmpty() ? Optional.of(new SourceEntry("", null, EMPTY_ROOT))
          : Optional.empty();
    }
    return stack.lookup(path).map(StackView::entry);
  }

  @Override
  public String readLink(SourceEntry link) throws IOException {
    return Files.readSymbolicLink(link.real()).toString();
  }

  @Override
  public List<SourceEntry> list(SourceEntry directory) throws IOException {
    if (directory.real() == null) {
      return List.of();
    }
    List<SourceEntry> children = new ArrayList<>();
    for (StackEntry e : stack.list(directory.path())) {
      children.add(entry(e));
    }
    return children;
  }

  @Override
  public boolean stableFiles() {
    return true; // layer directories never change once made
  }

  private static SourceEntry entry(StackEntry e) {
    return new SourceEntry(e.path(), e.realPath(), e.metadata());
  }
}
