package io.zlayer.application.port;

import io.zlayer.domain.error.ZlayerException;

/**
 * Something that builds a planned Dockerfile into an image in the {@link ImageStore}: zlayer's
 * own sandbox engine, or buildah. The Dockerfile's meaning (expansion, ARG scoping, config
 * changes) comes from {@code io.zlayer.domain.build}, so every engine agrees; an engine does the
 * filesystem work, caching and layer making.
 */
public interface BuildEngine {
  /** {@code sandbox} or {@code buildah}, as users select it with {@code --backend}. */
  String name();

  /** Whether this engine can run on this machine, and if not, why and how to fix it. */
  EngineAvailability availability();

  /**
   * True when this engine knows it is usable without probing the machine (which may mean
   * starting processes), so that choosing it costs nothing; false means "ask
   * {@link #availability()}".
   */
  default boolean knownUsable() {
    return false;
  }

  /**
   * Builds the job's target stage. The base images the plan names are already in the image
   * store. On return the image (config, layers, manifest) is in the store but not yet named.
   * Interruption stops the build, cleaning up temporary containers, mounts and files.
   */
  BuiltImage build(BuildJob job) throws ZlayerException, InterruptedException;
}
