package io.zlayer.application.port;

import io.zlayer.domain.image.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Optional;

/** Content that can be read (again) as a stream, with a known digest and size. */
public interface Blob {
  Digest digest();

  long size();

  /**
   * Opens the content. Stores return a stream that verifies the digest as it is read and fails
   * with an {@link IOException} at the end when the content does not match.
   */
  InputStream open() throws IOException;

  /** The file holding exactly this content, when there is one (lets uploads stream a file). */
  default Optional<Path> file() {
    return Optional.empty();
  }
}
