package io.zlayer.adapters.sandbox.copy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.zlayer.adapters.sandbox.layer.FileMetadata;
import io.zlayer.adapters.sandbox.layer.LayerStack;
import io.zlayer.adapters.sandbox.layer.StackEntry;
import io.zlayer.application.testing.RealParts;
import io.zlayer.domain.dockerfile.instructions.Chmod;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Builds the same COPY/ADD steps with buildah and with zlayer's copier (each step's upper
 * directory becoming the next step's top layer) and compares the resulting trees: names, types,
 * modes, owners, contents, link targets and file times. Only cases where buildah and Docker
 * agree are here (docs/buildah-deviations.md lists the others).
 */
class BuildahParityIT {
  @TempDir
  Path tmp;

  private record Case(String line, Step step) {}

  @Test
  void copiesLikeBuildah() throws Exception {
    RealParts.requireRoot();
    RealParts.require("buildah");
    CopyFixture f = new CopyFixture(tmp.resolve("zlayer"));
    Path a = f.file("a.txt", "a");
    CopyFixture.mode(a, 0640);
    f.file("b.txt", "b");
    f.file("dir/f1", "f1");
    Path f2 = f.file("dir/sub/f2", "f2");
    CopyFixture.mode(f2, 0600);
    CopyFixture.mode(f.context.resolve("dir/sub"), 0750);
    Files.createSymbolicLink(f.context.resolve("dir/link"), Path.of("f1"));
    f.file("x/a.txt", "xa");
    f.file("y/a.txt", "ya");
    f.file("y/only-y", "oy");
    Files.write(f.context.resolve("bundle.tgz"), new TarBuilder().owned(0, 0)
        .dir("pkg", 0755).file("pkg/tool", "tool", 0755).symlink("pkg/alias", "tool")
        .compressed(TarBuilder.Compression.GZIP));
    try (Stream<Path> all = Files.walk(f.context)) {
      for (Path p : (Iterable<Path>) all::iterator) {
        if (!Files.isSymbolicLink(p)) {
          CopyFixture.mtime(p, 1_500_000_000L);
        }
      }
    }
    List<Case> cases = List.of(
        new Case("COPY a.txt /dest/", Step.copy("a.txt", "/dest/")),
        new Case("COPY a.txt /x/y/b.txt", Step.copy("a.txt", "/x/y/b.txt")),
        new Case("COPY dir /out", Step.copy("dir", "/out")),
        new Case("COPY dir/* /star/", Step.copy("dir/*", "/star/")),
        new Case("COPY [ab]* /glob/", Step.copy("[ab]*", "/glob/")),
        new Case("COPY dir /existing/", Step.copy("dir", "/existing/")),
        new Case("COPY a.txt /existing", Step.copy("a.txt", "/existing")),
        new Case("COPY x y /merged/", Step.copy("x", "y", "/merged/")),
        new Case("COPY --chown=1234:5678 a.txt /new/parent/",
            Step.copy("a.txt", "/new/parent/").chown("1234:5678")),
        new Case("COPY --chmod=640 dir /o", Step.copy("dir", "/o").chmod(new Chmod.Octal(0640))),
        new Case("ADD bundle.tgz /unpacked/", Step.add("bundle.tgz", "/unpacked/")),
        new Case("COPY bundle.tgz /packed/", Step.copy("bundle.tgz", "/packed/")));

    StringBuilder dockerfile = new StringBuilder("FROM scratch\n");
    for (Case c : cases) {
      dockerfile.append(c.line).append('\n');
      f.copy(c.step);
      f.layers.add(0, f.upper); // the step's layer is the next step's top
    }
    Path buildahContext = Files.createDirectories(tmp.resolve("buildah-context"));
    RealParts.run(null, "cp", "-a", f.context + "/.", buildahContext.toString());
    Path dockerfilePath = tmp.resolve("Dockerfile");
    Files.writeString(dockerfilePath, dockerfile);
    Path out = tmp.resolve("buildah-out");
    Path storage = Files.createDirectories(tmp.resolve("storage"));
    RealParts.run(null, "env", "STORAGE_DRIVER=vfs", "buildah", "--root", storage.resolve("root")
        .toString(), "--runroot", storage.resolve("run").toString(), "bud", "--isolation",
        "chroot", "-q", "--layers=false", "-f", dockerfilePath.toString(), "-o",
        "type=local,dest=" + out, buildahContext.toString());

    Map<String, String> expected = describe(out);
    assertEquals(List.of("/dest/a.txt", "/new/parent/a.txt", "/o/sub/f2", "/packed/bundle.tgz",
        "/unpacked/pkg/alias", "/x/y/b.txt"), expected.keySet().stream()
        .filter(k -> List.of("/dest/a.txt", "/x/y/b.txt", "/o/sub/f2", "/new/parent/a.txt",
            "/unpacked/pkg/alias", "/packed/bundle.tgz").contains(k)).toList(),
        "buildah built the steps");
    assertEquals(expected, describe(f.result()));
  }

  private static Map<String, String> describe(Path root) throws IOException {
    Map<String, String> tree = new TreeMap<>();
    try (Stream<Path> all = Files.walk(root)) {
      for (Path p : (Iterable<Path>) all::iterator) {
        if (!p.equals(root)) {
          tree.put("/" + root.relativize(p), describe(FileMetadata.read(p), p));
        }
      }
    }
    return tree;
  }

  private static Map<String, String> describe(LayerStack stack) throws IOException {
    Map<String, String> tree = new TreeMap<>();
    List<String> dirs = new ArrayList<>(List.of(""));
    while (!dirs.isEmpty()) {
      String dir = dirs.remove(dirs.size() - 1);
      for (StackEntry e : stack.list(dir)) {
        tree.put("/" + e.path(), describe(e.metadata(), e.realPath()));
        if (e.metadata().isDirectory()) {
          dirs.add(e.path());
        }
      }
    }
    return tree;
  }

  private static String describe(FileMetadata m, Path real) throws IOException {
    String what = m.type() + " " + Integer.toOctalString(m.permissions()) + " " + m.uid() + ":"
        + m.gid();
    if (m.isRegular()) {
      try (InputStream in = Files.newInputStream(real)) {
        what += " " + new String(in.readAllBytes(), StandardCharsets.UTF_8).hashCode() + " @"
            + m.mtime().toInstant().getEpochSecond();
      }
    } else if (m.isSymlink()) {
      what += " -> " + Files.readSymbolicLink(real);
    }
    return what;
  }
}
