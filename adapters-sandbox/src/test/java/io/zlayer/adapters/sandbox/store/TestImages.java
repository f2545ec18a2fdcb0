package io.zlayer.adapters.sandbox.store;

import io.zlayer.application.port.BlobWriter;
import io.zlayer.application.port.ImageStore;
import io.zlayer.domain.image.ContainerConfig;
import io.zlayer.domain.image.Descriptor;
import io.zlayer.domain.image.Digest;
import io.zlayer.domain.image.HistoryEntry;
import io.zlayer.domain.image.ImageConfig;
import io.zlayer.domain.image.ImageIndex;
import io.zlayer.domain.image.ImageJson;
import io.zlayer.domain.image.ImageManifest;
import io.zlayer.domain.image.MediaTypes;
import io.zlayer.domain.image.Platform;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/** Small real images for tests: layer tars made with commons-compress, config, manifest. */
final class TestImages {
  private TestImages() {}

  static final Platform AMD64 = new Platform("linux", "amd64", Optional.empty(), Optional.empty());
  static final Platform ARM64 = new Platform("linux", "arm64", Optional.empty(), Optional.empty());

  /** An uncompressed layer tar holding {@code files} (path to text), directories included. */
  static byte[] layerTar(Map<String, String> files) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      List<String> dirs = new ArrayList<>();
      for (String path : new java.util.TreeSet<>(files.keySet())) {
        String[] parts = path.split("/");
        StringBuilder dir = new StringBuilder();
        for (int i = 0; i < parts.length - 1; i++) {
          dir.append(parts[i]).append('/');
          if (!dirs.contains(dir.toString())) {
            dirs.add(dir.toString());
            TarArchiveEntry d = new TarArchiveEntry(dir.toString());
            d.setMode(040755);
            d.setModTime(FileTime.fromMillis(1_700_000_000_000L));
            tar.putArchiveEntry(d);
            tar.closeArchiveEntry();
          }
        }
        byte[] content = files.get(path).getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry e = new TarArchiveEntry(path);
        e.setMode(0100644);
        e.setSize(content.length);
        e.setModTime(FileTime.fromMillis(1_700_000_000_000L));
        tar.putArchiveEntry(e);
        tar.write(content);
        tar.closeArchiveEntry();
      }
      tar.finish();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  static byte[] gzip(byte[] content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** An image stored but not named. */
  record Image(Descriptor manifest, Descriptor config, List<Descriptor> layers,
      List<Digest> diffIds) {
    List<Digest> blobs() {
      List<Digest> all = new ArrayList<>();
      all.add(manifest.digest());
      all.add(config.digest());
      layers.forEach(l -> all.add(l.digest()));
      return all;
    }
  }

  /** Stores an image whose layers hold the given files, one layer per map, gzip compressed. */
  @SafeVarargs
  static Image store(ImageStore store, Platform platform, Map<String, String>... layers)
      throws Exception {
    List<Descriptor> layerDescs = new ArrayList<>();
    ImageConfig config = ImageConfig.scratch(platform)
        .withCreated(Instant.parse("2024-01-01T00:00:00Z"))
        .withConfig(ContainerConfig.EMPTY.toBuilder()
            .cmd(Optional.of(List.of("/bin/sh"))).build());
    List<Digest> diffIds = new ArrayList<>();
    for (Map<String, String> files : layers) {
      byte[] tar = layerTar(files);
      byte[] gz = gzip(tar);
      Digest diffId = Digest.sha256(tar);
      diffIds.add(diffId);
      Digest d;
      try (BlobWriter w = store.newBlobWriter()) {
        w.stream().write(gz);
        d = w.commit(Optional.of(Digest.sha256(gz)));
      }
      layerDescs.add(Descriptor.of(MediaTypes.OCI_LAYER_GZIP, d, gz.length));
      config = config.withLayer(diffId, HistoryEntry.of(Instant.parse("2024-01-01T00:00:00Z"),
          "COPY " + files.keySet() + " /", false));
    }
    byte[] configBytes = ImageJson.write(config);
    Descriptor configDesc = Descriptor.of(MediaTypes.OCI_CONFIG, store.putBlob(configBytes),
        configBytes.length);
    byte[] manifest = ImageJson.write(new ImageManifest(MediaTypes.OCI_MANIFEST, configDesc,
        layerDescs));
    Descriptor manifestDesc = Descriptor.of(MediaTypes.OCI_MANIFEST, store.putBlob(manifest),
        manifest.length);
    return new Image(manifestDesc, configDesc, layerDescs, diffIds);
  }

  /** Stores an index over images, each descriptor given its platform. */
  static Descriptor index(ImageStore store, Map<Platform, Image> images) throws Exception {
    List<Descriptor> manifests = new ArrayList<>();
    images.forEach((p, img) -> manifests.add(img.manifest().withPlatform(p)));
    byte[] bytes = ImageJson.write(new ImageIndex(MediaTypes.OCI_INDEX, manifests, Map.of()));
    return Descriptor.of(MediaTypes.OCI_INDEX, store.putBlob(bytes), bytes.length);
  }
}
