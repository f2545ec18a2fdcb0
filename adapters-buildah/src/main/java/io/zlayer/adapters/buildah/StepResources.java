package io.zlayer.adapters.buildah;

import io.zlayer.application.port.BuildOptions;
import io.zlayer.domain.build.FileSource;
import io.zlayer.domain.error.ZlayerException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/** What preparing a RUN or COPY step needs from the build it belongs to. */
interface StepResources {
  Path contextDir();

  /** The ignore file for the context: {@code <Dockerfile>.dockerignore}, else the context's. */
  Optional<Path> ignoreFile();

  BuildOptions options();

  String isolation();

  Path cacheRoot();

  boolean root();

  /** A new private directory for this step's files. */
  Path newDirectory(String purpose) throws IOException;

  /**
   * The buildah image holding a stage's or an image's filesystem, or empty when that filesystem
   * is empty (scratch, or a stage from scratch that made no layers).
   */
  Optional<String> imageFor(FileSource source)
      throws ZlayerException, CommandFailure, InterruptedException;

  /**
   * A throw-away writable copy of an image's filesystem on the host (a working container's
   * mount point), for read-write bind mounts: binding the image itself read-write with {@code
   * from=} would let the step write into the image's stored layers.
   */
  Path writableFilesystem(String image) throws CommandFailure, InterruptedException;
}
