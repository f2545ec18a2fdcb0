package io.zlayer.application.service;

import io.zlayer.application.image.StoredImageReader;
import io.zlayer.application.port.ArchiveFormat;
import io.zlayer.application.port.ImageArchive;
import io.zlayer.application.port.ImageStore;
import io.zlayer.application.usecase.ArchiveImages;
import io.zlayer.domain.error.UsageException;
import io.zlayer.domain.error.ZlayerException;
import io.zlayer.domain.image.ImageReference;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Resolves the user's names against the store, then hands the work to the archive port. */
public final class ArchiveImagesService implements ArchiveImages {
  private final ImageStore store;
  private final ImageArchive archive;

  public ArchiveImagesService(ImageStore store, ImageArchive archive) {
    this.store = store;
    this.archive = archive;
  }

  @Override
  public void save(List<String> names, Path file, ArchiveFormat format) throws ZlayerException {
    if (names.isEmpty()) {
      throw new UsageException("save needs at least one image");
    }
    StoredImageReader reader = new StoredImageReader(store);
    List<ImageReference> refs = new ArrayList<>();
    for (String name : names) {
      StoredImageReader.Root root = reader.findRoot(name);
      refs.add(root.name().orElseThrow(() -> new UsageException("image " + name
          + " has no name; tag it first (zlayer tag " + name + " NAME:TAG)")));
    }
    archive.save(refs, file, format);
  }

  @Override
  public List<ImageReference> load(Path file) throws ZlayerException {
    return archive.load(file);
  }
}
