package io.zlayer.adapters.sandbox.engine;

import io.zlayer.adapters.sandbox.layer.LayerBlob;
import io.zlayer.adapters.sandbox.layer.LayerTarOptions;
import io.zlayer.adapters.sandbox.layer.LayerTarWriter;
import io.zlayer.application.port.BlobWriter;
import io.zlayer.application.port.ImageStore;
import io.zlayer.application.testing.RealParts;
import io.zlayer.domain.image.ContainerConfig;
import io.zlayer.domain.image.Descriptor;
import io.zlayer.domain.image.HistoryEntry;
import io.zlayer.domain.image.ImageConfig;
import io.zlayer.domain.image.ImageFormat;
import io.zlayer.domain.image.ImageJson;
import io.zlayer.domain.image.ImageManifest;
import io.zlayer.domain.image.ImageReference;
import io.zlayer.domain.image.LayerCompression;
import io.zlayer.domain.image.MediaTypes;
import io.zlayer.domain.image.Platform;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A small base image made in the test, as a pull would leave it in the store: Debian's static
 * busybox with applet symlinks, {@code /etc/passwd} with {@code root} and {@code app} (1000),
 * {@code /etc/group} with {@code app} in {@code wheel} and {@code staff}, in one gzip layer, named
 * {@code docker.io/library/busybox:latest} so that {@code FROM busybox} finds it.
 */
final class BusyboxBase {
  static final String NAME = "docker.io/library/busybox:latest";
  static final Instant CREATED = Instant.parse("2024-01-01T00:00:00Z");
  static final List<String> APPLETS = List.of("sh", "echo", "id", "ls", "cat", "rm", "mkdir",
      "touch", "sleep", "env", "pwd", "grep", "wc", "seq", "printf", "head", "tail", "true",
      "false", "test", "[", "chmod", "ln", "mv", "cp", "tr", "sed", "ip", "mount", "sort", "stat",
      "find", "date", "uname", "awk", "cut");

  private BusyboxBase() {}

  /** Writes the image into {@code store} under {@link #NAME}; {@code work} is scratch space. */
  static Descriptor store(ImageStore store, Path work) throws Exception {
    return store(store, work, NAME, ImageFormat.OCI);
  }

  static Descriptor store(ImageStore store, Path work, String name, ImageFormat format)
      throws Exception {
    Path rootfs = rootfs(Files.createDirectories(work.resolve("busybox-rootfs")));
    LayerBlob blob;
    try (BlobWriter writer = store.newBlobWriter()) {
      blob = new LayerTarWriter().write(rootfs, writer.stream(),
          LayerTarOptions.of(LayerCompression.GZIP));
      writer.commit(Optional.of(blob.digest()));
    }
    Platform host = Platform.host();
    ImageConfig config = ImageConfig.scratch(host)
        .withCreated(CREATED)
        .withConfig(ContainerConfig.EMPTY.toBuilder()
            .env(List.of("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"))
            .cmd(Optional.of(List.of("sh"))).build())
        .withLayer(blob.diffId(), HistoryEntry.of(CREATED, "ADD busybox / # test", false));
    byte[] configBytes = ImageJson.write(config);
    Descriptor configDesc = Descriptor.of(format.configType(), store.putBlob(configBytes),
        configBytes.length);
    Descriptor layer = Descriptor.of(MediaTypes.layerType(format, LayerCompression.GZIP),
        blob.digest(), blob.size());
    byte[] manifest = ImageJson.write(new ImageManifest(format.manifestType(), configDesc,
        List.of(layer)));
    Descriptor manifestDesc = Descriptor.of(format.manifestType(), store.putBlob(manifest),
        manifest.length);
    store.tag(ImageReference.parse(name), manifestDesc);
    return manifestDesc;
  }

  private static Path rootfs(Path dir) throws IOException {
    Path busybox = RealParts.require("busybox").toRealPath();
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Files.copy(busybox, bin.resolve("busybox"));
    Files.setPosixFilePermissions(bin.resolve("busybox"),
        PosixFilePermissions.fromString("rwxr-xr-x"));
    for (String applet : APPLETS) {
      Files.createSymbolicLink(bin.resolve(applet), Path.of("busybox"));
    }
    Path etc = Files.createDirectories(dir.resolve("etc"));
    Files.writeString(etc.resolve("passwd"), "root:x:0:0:root:/root:/bin/sh\n"
        + "app:x:1000:1000:App:/home/app:/bin/sh\n");
    Files.writeString(etc.resolve("group"), "root:x:0:\nwheel:x:10:app\nstaff:x:50:app\n"
        + "app:x:1000:\n");
    Files.writeString(etc.resolve("motd"), "welcome\n");
    Path home = Files.createDirectories(dir.resolve("home/app"));
    Files.setAttribute(home, "unix:uid", 1000);
    Files.setAttribute(home, "unix:gid", 1000);
    Path tmp = Files.createDirectories(dir.resolve("tmp"));
    Files.setAttribute(tmp, "unix:mode", 01777);
    Files.createDirectories(dir.resolve("root"));
    Files.createDirectories(dir.resolve("var"));
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) all::iterator) {
        Files.getFileAttributeView(p, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
            .setTimes(FileTime.from(CREATED), null, null);
      }
    }
    return dir;
  }
}
