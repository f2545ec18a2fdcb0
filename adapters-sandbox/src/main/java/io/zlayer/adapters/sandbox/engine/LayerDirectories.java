package io.zlayer.adapters.sandbox.engine;

import io.zlayer.adapters.sandbox.run.ScratchFiles;
import io.zlayer.adapters.sandbox.layer.LayerStack;
import io.zlayer.adapters.sandbox.layer.LayerUnpacker;
import io.zlayer.application.port.Blob;
import io.zlayer.application.port.ImageStore;
import io.zlayer.domain.error.BuildException;
import io.zlayer.domain.error.ImageFormatException;
import io.zlayer.domain.error.ZlayerException;
import io.zlayer.domain.image.Descriptor;
import io.zlayer.domain.image.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.function.Consumer;

/**
 * The unpacked layers, {@code layers/<diff_id hex>}, each in overlay format and shared by every
 * build and image. A layer directory appears by a rename of a complete directory, never in part;
 * the per-layer lock file makes two builds (threads or processes) that need the same layer
 * unpack it once.
 */
final class LayerDirectories {
  private final Path layers;
  private final Path locks;
  private final LockFiles lockFiles;

  LayerDirectories(SandboxEngineSettings settings, LockFiles lockFiles) {
    this.layers = settings.layersDir();
    this.locks = settings.locksDir().resolve("layers");
    this.lockFiles = lockFiles;
  }

  Path dir(Digest diffId) {
    return layers.resolve(diffId.hex());
  }

  boolean exists(Digest diffId) {
    return Files.isDirectory(dir(diffId), LinkOption.NOFOLLOW_LINKS);
  }

  /**
   * Makes sure the base image layer {@code blob} is unpacked as {@code diffId}, on top of
   * {@code lowers} (the image's layers below it, top first). The blob is verified against its
   * digest while read and the tar against {@code diffId}. Returns whether it had to be unpacked.
   */
  boolean ensureUnpacked(Digest diffId, ImageStore store, Descriptor blob, LayerStack lowers,
      BuildScratch scratch, Consumer<String> warnings)
      throws ZlayerException, InterruptedException {
    if (exists(diffId)) {
      return false;
    }
    try (LockFiles.Held held = lockFiles.exclusive(lockFile(diffId))) {
      if (exists(diffId)) {
        return false; // someone unpacked it while we waited
      }
      Path temp = null;
      try {
        temp = scratch.newRootDirectory("unpack-");
        Blob content = store.blob(blob.digest());
        LayerUnpacker.Result result;
        String source = "layer " + blob.digest();
        try (InputStream in = new InterruptibleInputStream(content.open())) {
          result = new LayerUnpacker().unpack(in, source, temp, lowers);
        }
        if (!result.diffId().equals(diffId)) {
          throw new ImageFormatException(source + " unpacks to diff_id " + result.diffId()
              + ", but the image config says " + diffId);
        }
        result.warnings().forEach(warnings);
        Files.createDirectories(layers);
        Files.move(temp, dir(diffId), StandardCopyOption.ATOMIC_MOVE);
        return true;
      } catch (InterruptedIOException e) {
        throw interrupted(e);
      } catch (IOException e) {
        if (Thread.currentThread().isInterrupted()) {
          throw interrupted(e);
        }
        throw new BuildException("cannot unpack layer " + blob.digest() + " into "
            + dir(diffId) + ": " + e.getMessage(), e);
      } finally {
        if (temp != null) {
          ScratchFiles.deleteQuietly(temp);
        }
      }
    } catch (IOException e) {
      throw new BuildException("cannot lock layer " + diffId + ": " + e.getMessage(), e);
    }
  }

  /**
   * Makes the finished upper directory {@code upper} the layer {@code diffId} by renaming it,
   * or discards it when that layer exists already (same content). Returns the layer directory.
   */
  Path adopt(Path upper, Digest diffId) throws IOException, InterruptedException {
    try (LockFiles.Held held = lockFiles.exclusive(lockFile(diffId))) {
      Path target = dir(diffId);
      if (exists(diffId)) {
        ScratchFiles.delete(upper);
        return target;
      }
      Files.createDirectories(layers);
      Files.move(upper, target, StandardCopyOption.ATOMIC_MOVE);
      return target;
    }
  }

  private Path lockFile(Digest diffId) {
    return locks.resolve(diffId.hex() + ".lock");
  }

  private static InterruptedException interrupted(IOException cause) {
    Thread.interrupted();
    InterruptedException e = new InterruptedException("interrupted while unpacking a layer");
    e.initCause(cause);
    return e;
  }
}
