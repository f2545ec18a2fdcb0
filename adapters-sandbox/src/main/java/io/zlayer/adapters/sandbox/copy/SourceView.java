package io.zlayer.adapters.sandbox.copy;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * A read-only tree that COPY reads from: the build context (as filtered by its ignore file), a
 * stage's or image's layer stack, or a directory zlayer prepared (a download, a git checkout).
 * Paths are root-relative and clean; callers resolve symlinks among the parents themselves.
 */
interface SourceView {
  /** The entry at {@code path} (lstat semantics), empty when it does not exist or is hidden. */
  Optional<SourceEntry> stat(String path) throws IOException;

  /** The target of a symlink entry. */
  String readLink(SourceEntry link) throws IOException;

  /** The visible children of a directory, sorted by the bytes of their names. */
  List<SourceEntry> list(SourceEntry directory) throws IOException;

  /** Whether content hashes of this tree's files may be kept in the persistent stat cache. */
  boolean stableFiles();
}
