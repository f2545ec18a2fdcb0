package io.zlayer.application.usecase;

import io.zlayer.application.event.BuildEventSink;
import io.zlayer.application.port.RegistryOptions;
import io.zlayer.domain.error.ZlayerException;
import io.zlayer.domain.image.Digest;
import io.zlayer.domain.image.ImageReference;
import java.util.Optional;

/** {@code zlayer push}: sends an image (or manifest list) from the local store to a registry. */
public interface PushImage {
  /** Pushes and returns the digest the registry stored the manifest under. */
  Digest push(Command command) throws ZlayerException, InterruptedException;

  /**
   * @param source the local name or ID of the image
   * @param destination where to push; defaults to the source's own name
   */
  record Command(String source, Optional<ImageReference> destination,
      RegistryOptions registryOptions, BuildEventSink events) {}
}
