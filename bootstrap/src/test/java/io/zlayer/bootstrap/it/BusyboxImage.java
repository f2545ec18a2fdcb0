package io.zlayer.bootstrap.it;

import io.zlayer.adapters.sandbox.layer.LayerBlob;
import io.zlayer.adapters.sandbox.layer.LayerTarOptions;
import io.zlayer.adapters.sandbox.layer.LayerTarWriter;
import io.zlayer.adapters.sandbox.store.OciLayoutStore;
import io.zlayer.application.port.BlobWriter;
import io.zlayer.application.testing.RealParts;
import io.zlayer.domain.image.ContainerConfig;
import io.zlayer.domain.image.Descriptor;
import io.zlayer.domain.image.Digest;
import io.zlayer.domain.image.HistoryEntry;
import io.zlayer.domain.image.ImageConfig;
import io.zlayer.domain.image.ImageFormat;
import io.zlayer.domain.image.ImageJson;
import io.zlayer.domain.image.ImageManifest;
import io.zlayer.domain.image.ImageReference;
import io.zlayer.domain.image.LayerCompression;
import io.zlayer.domain.image.MediaTypes;
import io.zlayer.domain.image.Platform;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A small base image made here, never downloaded: Debian's static busybox with a symlink for
 * every applet, /etc/passwd and /etc/group with root and an {@code app} user (1000:1000), and
 * the usual directories. Written into a zlayer store under a name, ready to be pushed.
 */
final class BusyboxImage {
  private BusyboxImage() {}

  static Descriptor writeInto(OciLayoutStore store, ImageReference name, Path workDir)
      throws Exception {
    Path busybox = RealParts.require("busybox");
    Path rootfs = Files.createDirectories(workDir.resolve("busybox-rootfs"));
    for (String dir : List.of("bin", "sbin", "usr/bin", "usr/sbin", "usr/local/bin", "etc",
        "root", "home/app", "var", "dev", "proc", "sys")) {
      Files.createDirectories(rootfs.resolve(dir));
    }
    Path tmp = Files.createDirectories(rootfs.resolve("tmp"));
    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxrwxrwx"));
    Files.setAttribute(tmp, "unix:mode", 01777);
    Files.copy(busybox, rootfs.resolve("bin/busybox"));
    Files.setPosixFilePermissions(rootfs.resolve("bin/busybox"),
        PosixFilePermissions.fromString("rwxr-xr-x"));
    String applets = RealParts.run(null, busybox.toString(), "--list");
    for (String applet : applets.lines().map(String::trim).filter(s -> !s.isEmpty()).toList()) {
      Path link = rootfs.resolve("bin").resolve(applet);
      if (!applet.equals("busybox") && !Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        Files.createSymbolicLink(link, Path.of("busybox"));
      }
    }
    Files.writeString(rootfs.resolve("etc/passwd"),
        "root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000:app:/home/app:/bin/sh\n"
            + "nobody:x:65534:65534:nobody:/nonexistent:/bin/false\n", StandardCharsets.UTF_8);
    Files.writeString(rootfs.resolve("etc/group"),
        "root:x:0:\napp:x:1000:\nnogroup:x:65534:\n", StandardCharsets.UTF_8);
    if ("root".equals(System.getProperty("user.name"))) {
      Files.setAttribute(rootfs.resolve("home/app"), "unix:uid", 1000);
      Files.setAttribute(rootfs.resolve("home/app"), "unix:gid", 1000);
    }
    Instant epoch = Instant.parse("2024-01-01T00:00:00Z");
    LayerBlob layer;
    try (BlobWriter w = store.newBlobWriter()) {
      layer = new LayerTarWriter().write(rootfs, w.stream(),
          LayerTarOptions.of(LayerCompression.GZIP).withSourceDateEpoch(epoch));
      w.commit(Optional.of(layer.digest()));
    }
    ContainerConfig cc = ContainerConfig.EMPTY.toBuilder()
        .env(List.of("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"))
        .cmd(Optional.of(List.of("sh")))
        .build();
    Platform host = Platform.host();
    ImageConfig config = new ImageConfig(Optional.of(epoch), Optional.empty(),
        host.architecture(), host.os(), host.variant(), Optional.empty(), cc,
        List.of(layer.diffId()),
        List.of(HistoryEntry.of(epoch, "ADD busybox rootfs / # zlayer test fixture", false)));
    byte[] configBytes = ImageJson.write(config);
    Digest configDigest = store.putBlob(configBytes);
    ImageManifest manifest = new ImageManifest(MediaTypes.OCI_MANIFEST,
        Descriptor.of(MediaTypes.OCI_CONFIG, configDigest, configBytes.length),
        List.of(layer.descriptor(ImageFormat.OCI)));
    byte[] manifestBytes = ImageJson.write(manifest);
    Digest manifestDigest = store.putBlob(manifestBytes);
    Descriptor root = Descriptor.of(MediaTypes.OCI_MANIFEST, manifestDigest,
        manifestBytes.length);
    store.tag(name, root);
    return root;
  }
}
