package io.zlayer.application.usecase;

import io.zlayer.application.event.BuildEventSink;
import io.zlayer.application.port.RegistryOptions;
import io.zlayer.domain.error.ZlayerException;
import io.zlayer.domain.image.Digest;
import io.zlayer.domain.image.ImageIndex;
import io.zlayer.domain.image.ImageReference;
import io.zlayer.domain.image.Platform;
import java.util.Optional;

/** {@code zlayer manifest create|add|push|inspect}: multi-platform image lists. */
public interface ManageManifestLists {
  /** Creates an empty list named {@code name} in the local store. */
  Digest create(ImageReference name, boolean replace) throws ZlayerException;

  /**
   * Adds a local image (name or ID) to the list; an entry for the same platform is replaced.
   * The platform comes from the image's config unless {@code platform} overrides it.
   */
  Digest add(ImageReference list, String image, Optional<Platform> platform)
      throws ZlayerException;

  /** Removes the entry with this manifest digest. */
  Digest remove(ImageReference list, Digest manifest) throws ZlayerException;

  ImageIndex inspect(ImageReference list) throws ZlayerException;

  /** Pushes the list's images and then the list itself; returns the list's digest. */
  Digest push(ImageReference list, ImageReference destination, RegistryOptions options,
      BuildEventSink events) throws ZlayerException, InterruptedException;
}
