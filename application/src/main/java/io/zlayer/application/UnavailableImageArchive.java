package io.zlayer.application;

import io.zlayer.application.port.ArchiveFormat;
import io.zlayer.application.port.ImageArchive;
import io.zlayer.domain.error.StoreException;
import io.zlayer.domain.image.ImageReference;
import java.nio.file.Path;
import java.util.List;

/** The archive port of a {@link Zlayer} made without one: every use says so. */
final class UnavailableImageArchive implements ImageArchive {
  private static final String MESSAGE = "image archives are not available: this zlayer was "
      + "set up without an ImageArchive";

  @Override
  public void save(List<ImageReference> refs, Path file, ArchiveFormat format)
      throws StoreException {
    throw new StoreException(MESSAGE + " (cannot write " + file + ")");
  }

  @Override
  public List<ImageReference> load(Path file) throws StoreException {
    throw new StoreException(MESSAGE + " (cannot read " + file + ")");
  }
}
