package io.zlayer.adapters.sandbox.copy;

import static org.junit.jupiter.api.Assertions.assertThrows;

import io.zlayer.adapters.sandbox.layer.FileMetadata;
import io.zlayer.adapters.sandbox.layer.LayerStack;
import io.zlayer.adapters.sandbox.layer.StackEntry;
import io.zlayer.adapters.sandbox.run.user.PasswdDatabase;
import io.zlayer.domain.dockerfile.ignore.DockerIgnore;
import io.zlayer.domain.error.BuildException;
import io.zlayer.domain.error.ZlayerException;
import io.zlayer.domain.image.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A build context, a stack of lower layers and an upper directory on the real filesystem, and
 * a copier working on them.
 */
final class CopyFixture {
  static final String LOCATION = "Dockerfile:7";

  final Path root;
  final Path context;
  final Path cache;
  final List<Path> layers = new ArrayList<>();
  final DockerFileCopier copier;
  DockerIgnore ignore = DockerIgnore.none();
  PasswdDatabase owners = PasswdDatabase.empty();
  Optional<Instant> timestamp = Optional.empty();
  SourceTree source;
  Path upper;
  private int uppers;

  CopyFixture(Path root) throws IOException {
    this(root, Duration.ofMillis(200));
  }

  CopyFixture(Path root, Duration racyWindow) throws IOException {
    this.root = root;
    this.context = Files.createDirectories(root.resolve("context"));
    this.cache = root.resolve("cache");
    this.copier = new DockerFileCopier(cache, HttpClient.newBuilder()
        .followRedirects(HttpClient.Redirect.ALWAYS).build(), racyWindow);
  }

  /** A new lower layer on top of the others. */
  Path layer() throws IOException {
    Path dir = Files.createDirectories(root.resolve("layer-" + layers.size()));
    layers.add(0, dir);
    return dir;
  }

  static Path write(Path dir, String rel, String content) throws IOException {
    Path p = dir.resolve(rel);
    Files.createDirectories(p.getParent());
    Files.writeString(p, content);
    return p;
  }

  Path file(String rel, String content) throws IOException {
    return write(context, rel, content);
  }

  LayerStack lower() {
    return LayerStack.of(layers);
  }

  CopyRequest request(Step step) throws IOException {
    upper = Files.createDirectories(root.resolve("upper-" + (++uppers)));
    SourceTree from = source != null ? source : new SourceTree.Context(context, ignore);
    return new CopyRequest(step.build(), from, lower(), upper, owners, timestamp, LOCATION);
  }

  CopyReport copy(Step step) throws IOException, ZlayerException, InterruptedException {
    return copier.copy(request(step));
  }

  Digest digest(Step step) throws IOException, ZlayerException, InterruptedException {
    return copier.sourceDigest(request(step));
  }

  /** The message of the BuildException the step fails with. */
  String failure(Step step) throws IOException {
    CopyRequest request = request(step);
    BuildException e = assertThrows(BuildException.class, () -> copier.copy(request));
    return e.getMessage();
  }

  /** The stage's filesystem after the last copy: the upper directory over the lowers. */
  LayerStack result() {
    List<Path> all = new ArrayList<>();
    all.add(upper);
    all.addAll(layers);
    return LayerStack.of(all);
  }

  String read(String path) throws IOException {
    try (InputStream in = result().readFile(path)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  Optional<FileMetadata> stat(String path) throws IOException {
    return result().lookup(path).map(StackEntry::metadata);
  }

  FileMetadata meta(String path) throws IOException {
    return stat(path).orElseThrow(() -> new AssertionError(path + " does not exist"));
  }

  boolean exists(String path) throws IOException {
    return stat(path).isPresent();
  }

  /** The names the result has in a directory. */
  List<String> list(String dir) throws IOException {
    List<String> names = new ArrayList<>();
    for (StackEntry e : result().list(dir)) {
      names.add(e.name());
    }
    return names;
  }

  static void mtime(Path p, long epochSeconds) throws IOException {
    Files.getFileAttributeView(p, java.nio.file.attribute.BasicFileAttributeView.class,
        LinkOption.NOFOLLOW_LINKS).setTimes(FileTime.from(Instant.ofEpochSecond(epochSeconds)),
            null, null);
  }

  static void mode(Path p, int mode) throws IOException {
    Files.setAttribute(p, "unix:mode", mode);
  }

  static void owner(Path p, int uid, int gid) throws IOException {
    Files.setAttribute(p, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
    Files.setAttribute(p, "unix:gid", gid, LinkOption.NOFOLLOW_LINKS);
  }
}
