package io.zlayer.adapters.sandbox.copy;

import io.zlayer.adapters.sandbox.layer.FileMetadata;
import java.nio.file.Path;

/**
 * One entry of a source tree.
 *
 * @param path where it is, root-relative ("" for the root)
 * @param real where its bytes are on the host (null only for the synthetic root of an empty
 *     tree)
 * @param metadata what lstat says about it
 */
record SourceEntry(String path, Path real, FileMetadata metadata) {
  String name() {
    return GoPaths.base(path);
  }

  boolean isDirectory() {
    return metadata.isDirectory();
  }
}
