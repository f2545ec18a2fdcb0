package io.zlayer.adapters.sandbox.store;

import io.zlayer.application.port.Blob;
import io.zlayer.domain.image.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** A blob file of the layout; {@link #open()} verifies the content as it is read. */
record LayoutBlob(Digest digest, long size, Path path, String where) implements Blob {
  @Override
  public InputStream open() throws IOException {
    return new VerifyingInputStream(Files.newInputStream(path), digest, size, where);
  }

  @Override
  public Optional<Path> file() {
    return Optional.of(path);
  }
}
