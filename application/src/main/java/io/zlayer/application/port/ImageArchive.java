package io.zlayer.application.port;

import io.zlayer.domain.error.ImageFormatException;
import io.zlayer.domain.error.StoreException;
import io.zlayer.domain.image.ImageReference;
import java.nio.file.Path;
import java.util.List;

/** Image archive files: {@code zlayer save} and {@code zlayer load}. */
public interface ImageArchive {
  /**
   * Writes the named images of the local store to {@code file} (replaced atomically when it is a
   * regular file). {@code refs} must not be empty; an image not in the store is a not-found
   * {@link StoreException}.
   */
  void save(List<ImageReference> refs, Path file, ArchiveFormat format) throws StoreException;

  /**
   * Imports an archive of either format (recognised by its content, possibly gzip, bzip2 or zstd
   * compressed) into the local store and returns the names it tagged. Images the archive does
   * not name are recorded as unnamed roots.
   */
  List<ImageReference> load(Path file) throws StoreException, ImageFormatException;
}
