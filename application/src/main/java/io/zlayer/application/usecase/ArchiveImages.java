package io.zlayer.application.usecase;

import io.zlayer.application.port.ArchiveFormat;
import io.zlayer.domain.error.ZlayerException;
import io.zlayer.domain.image.ImageReference;
import java.nio.file.Path;
import java.util.List;

/** {@code zlayer save} and {@code zlayer load}. */
public interface ArchiveImages {
  /** Saves images, named as the user wrote them (names or IDs of named images). */
  void save(List<String> names, Path file, ArchiveFormat format) throws ZlayerException;

  /** Loads an archive; returns the names it gave images. */
  List<ImageReference> load(Path file) throws ZlayerException;
}
