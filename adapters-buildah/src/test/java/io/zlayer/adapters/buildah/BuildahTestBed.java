package io.zlayer.adapters.buildah;

import io.zlayer.adapters.sandbox.store.OciLayoutStore;
import io.zlayer.application.event.BuildEvent;
import io.zlayer.application.port.BuildJob;
import io.zlayer.application.port.BuildOptions;
import io.zlayer.application.port.BuiltImage;
import io.zlayer.domain.build.BuildPlan;
import io.zlayer.domain.build.BuildPlanRequest;
import io.zlayer.domain.build.BuildPlanner;
import io.zlayer.domain.error.ZlayerException;
import io.zlayer.domain.image.Descriptor;
import io.zlayer.domain.image.Digest;
import io.zlayer.domain.image.ImageManifest;
import io.zlayer.domain.image.ImageReference;
import io.zlayer.domain.image.Platform;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Real buildah with private vfs storage under {@code target/}, a temporary zlayer image store
 * holding a busybox base image made from the host's {@code /usr/bin/busybox}, and a helper to
 * plan and build Dockerfiles with {@link BuildahBuildEngine}. busybox must be the static build
 * (Debian's busybox-static), since the image has no libraries.
 */
final class BuildahTestBed {
  static final String BUSYBOX = "docker.io/library/busybox:latest";
  static final List<String> APPLETS = List.of("sh", "ls", "cat", "echo", "mkdir", "id", "env",
      "pwd", "true", "false", "stat", "touch", "chmod", "test", "grep", "find", "sort", "wc",
      "printf", "sleep", "readlink", "rm", "tr", "head", "tail", "uname", "mount", "sed");

  final Path root;
  final Path storageConf;
  final Map<String, String> environment;
  final OciLayoutStore store;
  final BuildahSettings settings;
  final BuildahBuildEngine engine;

  BuildahTestBed(Path root) throws Exception {
    this.root = root;
    Files.createDirectories(root);
    storageConf = root.resolve("storage.conf");
    Files.writeString(storageConf, "[storage]\ndriver = \"vfs\"\nrunroot = \""
        + root.resolve("run") + "\"\ngraphroot = \"" + root.resolve("graph") + "\"\n");
    environment = Map.of("STORAGE_DRIVER", "vfs", "CONTAINERS_STORAGE_CONF",
        storageConf.toString());
    store = new OciLayoutStore(root.resolve("store"));
    settings = BuildahSettings.fromEnvironment(System.getenv(),
        System.getProperty("user.home"), System.getProperty("user.name"))
        .withEnvironment(environment).withWorkRoot(root.resolve("tmp"))
        .withCacheRoot(root.resolve("cache"));
    engine = new BuildahBuildEngine(store, settings, new OsProcessRunner());
    if (store.resolve(ImageReference.parse(BUSYBOX)).isEmpty()) {
      makeBusybox();
    }
  }

  /** Runs buildah with the test storage; returns stdout, fails on a non-zero exit. */
  String buildah(String... args) throws IOException, InterruptedException {
    List<String> argv = new ArrayList<>();
    argv.add("buildah");
    argv.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(false);
    pb.environment().putAll(environment);
    // buildah from runs an image's ONBUILD triggers; oci isolation cannot run on this kernel
    pb.environment().put("BUILDAH_ISOLATION", "chroot");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IOException("buildah " + String.join(" ", args) + " failed: " + err);
    }
    return out;
  }

  /** Runs a program, returning stdout; fails on a non-zero exit. */
  static String exec(Path dir, String... argv) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(argv).directory(dir.toFile());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IOException(String.join(" ", argv) + " failed: " + err);
    }
    return out;
  }

  private void makeBusybox() throws Exception {
    Path rootfs = root.resolve("busybox-rootfs");
    BuildWorkspace.deleteTree(rootfs);
    Files.createDirectories(rootfs.resolve("bin"));
    Files.createDirectories(rootfs.resolve("etc"));
    Files.createDirectories(rootfs.resolve("tmp"));
    Files.createDirectories(rootfs.resolve("home/app"));
    Files.copy(io.zlayer.application.testing.RealParts.require("busybox").toRealPath(),
        rootfs.resolve("bin/busybox"));
    for (String applet : APPLETS) {
      Files.createSymbolicLink(rootfs.resolve("bin").resolve(applet), Path.of("busybox"));
    }
    Files.writeString(rootfs.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\n"
        + "app:x:1000:1000:app:/home/app:/bin/sh\n");
    Files.writeString(rootfs.resolve("etc/group"), "root:x:0:\napp:x:1000:\n");
    exec(root, "chmod", "1777", rootfs.resolve("tmp").toString());
    exec(root, "chown", "1000:1000", rootfs.resolve("home/app").toString());
    String ctr = buildah("from", "--quiet", "scratch").strip();
    try {
      buildah("copy", "--quiet", ctr, rootfs.toString(), "/");
      buildah("config", "--cmd", "[\"sh\"]", "--env",
          "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", ctr);
      String image = buildah("commit", "--quiet", "--identity-label=false", ctr).strip();
      Path layout = root.resolve("busybox-layout");
      BuildWorkspace.deleteTree(layout);
      buildah("push", "--quiet", image, "oci:" + layout);
      buildah("rmi", image);
      OciLayouts.PushedImage pushed = OciLayouts.read(layout);
      ImageManifest m = pushed.manifest();
      OciLayouts.importBlob(store, pushed.blobFile(m.config().digest()), m.config().digest());
      for (Descriptor layer : m.layers()) {
        OciLayouts.importBlob(store, pushed.blobFile(layer.digest()), layer.digest());
      }
      Descriptor entry = pushed.manifestDescriptor();
      Digest md = store.putBlob(Files.readAllBytes(pushed.blobFile(entry.digest())));
      store.tag(ImageReference.parse(BUSYBOX), Descriptor.of(entry.mediaType(), md,
          entry.size()));
    } finally {
      buildah("rm", ctr);
    }
  }

  /**
   * The flattened filesystem of an image in buildah's storage, one line per entry: path, type
   * and mode, owner, and size (files) or target (links). Times are left out.
   */
  java.util.SortedMap<String, String> flatten(String image) throws Exception {
    String ctr = buildah("from", "--quiet", "--pull=never", image).strip();
    try {
      Path mount = Path.of(buildah("mount", ctr).strip());
      java.util.SortedMap<String, String> entries = new java.util.TreeMap<>();
      try (java.util.stream.Stream<Path> walk = Files.walk(mount)) {
        for (Path p : (Iterable<Path>) walk::iterator) {
          if (p.equals(mount)) {
            continue;
          }
          Map<String, Object> a = Files.readAttributes(p, "unix:mode,uid,gid,size",
              java.nio.file.LinkOption.NOFOLLOW_LINKS);
          int mode = (Integer) a.get("mode");
          String what = Files.isSymbolicLink(p) ? "-> " + Files.readSymbolicLink(p)
              : Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS) ? "dir"
              : "size=" + a.get("size");
          entries.put("/" + mount.relativize(p), Integer.toOctalString(mode) + " "
              + a.get("uid") + ":" + a.get("gid") + " " + what);
        }
      }
      return entries;
    } finally {
      buildah("rm", ctr);
    }
  }

  /**
   * {@link #flatten} of an image of the zlayer store, handed to buildah without its ONBUILD
   * triggers (which {@code buildah from} would run, changing the files listed).
   */
  java.util.SortedMap<String, String> flattenStored(Descriptor manifest) throws Exception {
    Path dir = Files.createTempDirectory(root, "flat");
    OciLayouts.writeFromStore(dir, store, manifest, true);
    String id = buildah("pull", "--quiet", "oci:" + dir).strip();
    try {
      return flatten(id);
    } finally {
      buildah("rmi", LayoutNames.pulledName(dir));
    }
  }

  /** What one build did. */
  record Outcome(BuiltImage image, BuildPlan plan, List<BuildEvent> events) {
    List<String> output() {
      return events.stream().filter(e -> e instanceof BuildEvent.StepOutput)
          .map(e -> ((BuildEvent.StepOutput) e).line()).toList();
    }
  }

  Path context(Map<String, String> files) throws IOException {
    Path dir = Files.createTempDirectory(root, "ctx");
    for (Map.Entry<String, String> f : files.entrySet()) {
      Path p = dir.resolve(f.getKey());
      Files.createDirectories(p.getParent());
      Files.writeString(p, f.getValue());
    }
    return dir;
  }

  Outcome build(String dockerfile, Path context, BuildOptions options)
      throws ZlayerException, InterruptedException, IOException {
    return build(dockerfile, context, options, new LinkedHashMap<>());
  }

  Outcome build(String dockerfile, Path context, BuildOptions options,
      Map<String, String> buildArgs) throws ZlayerException, InterruptedException, IOException {
    BuildPlan plan = plan(dockerfile, buildArgs);
    Path file = context.resolve("Dockerfile");
    Files.writeString(file, dockerfile);
    List<BuildEvent> events = Collections.synchronizedList(new ArrayList<>());
    BuiltImage image = engine.build(new BuildJob(plan, context, file, options, events::add));
    return new Outcome(image, plan, events);
  }

  static BuildPlan plan(String dockerfile, Map<String, String> buildArgs)
      throws ZlayerException {
    Platform host = Platform.host();
    return BuildPlanner.plan(new BuildPlanRequest(dockerfile, "Dockerfile", buildArgs,
        Optional.empty(), host, host));
  }
}
