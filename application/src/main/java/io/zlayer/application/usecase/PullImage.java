package io.zlayer.application.usecase;

import io.zlayer.application.event.BuildEventSink;
import io.zlayer.application.image.LocalImage;
import io.zlayer.application.port.RegistryOptions;
import io.zlayer.domain.error.ZlayerException;
import io.zlayer.domain.image.ImageReference;
import io.zlayer.domain.image.Platform;

/** {@code zlayer pull}: brings an image from its registry into the local store. */
public interface PullImage {
  LocalImage pull(Command command) throws ZlayerException, InterruptedException;

  /**
   * @param platform the platform to pick from a manifest list (normally the host's)
   */
  record Command(ImageReference reference, Platform platform, RegistryOptions registryOptions,
      BuildEventSink events) {}
}
