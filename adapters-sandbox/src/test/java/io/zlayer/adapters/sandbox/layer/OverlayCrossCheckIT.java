package io.zlayer.adapters.sandbox.layer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zlayer.application.testing.RealParts;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checks zlayer's reading of the overlay format against the kernel: layers unpacked by
 * {@link LayerUnpacker} are mounted with {@code mount -t overlay -o userxattr}, and the mount
 * must show exactly what {@link LayerStack} shows; changes made through the mount must come out
 * of {@link LayerTarWriter} as the expected whiteouts and opaque markers, and the same changes
 * made with {@link LayerDirWriter} must give the same merged tree.
 */
class OverlayCrossCheckIT {
  @TempDir
  Path tmp;
  Path l1;
  Path l2;
  Path l3;
  final List<Path> mounts = new ArrayList<>();

  @BeforeEach
  void layers() throws Exception {
    RealParts.requireRoot();
    RealParts.require("mount");
    l3 = unpack("l3", new RawTar().dir("etc/").file("etc/a", "a3").file("etc/b", "b3")
        .dir("o/").file("o/x", "x3").dir("o/sub/").file("o/sub/y", "y3")
        .file("a", "top-level a").dir("usr/").dir("usr/bin/").file("usr/bin/sh", "sh")
        .symlink("bin", "usr/bin").file("keep", "k").bytes(), List.of());
    l2 = unpack("l2", new RawTar().dir("etc/").file("etc/.wh.b", "").file("etc/c", "c2")
        .dir("o/").file("o/.wh..wh..opq", "").file("o/z", "z2").dir("d/").file("d/f", "f2")
        .bytes(), List.of(l3));
    l1 = unpack("l1", new RawTar().dir("etc/").file("etc/a", "a1").dir("etc/b/")
        .file("etc/b/inner", "i1").file(".wh.keep", "").bytes(), List.of(l2, l3));
  }

  @AfterEach
  void unmount() throws Exception {
    for (int i = mounts.size() - 1; i >= 0; i--) {
      RealParts.run(null, "umount", mounts.get(i).toString());
    }
  }

  private Path unpack(String name, byte[] tar, List<Path> lowers) throws Exception {
    Path dir = Files.createDirectory(tmp.resolve(name));
    new LayerUnpacker().unpack(new ByteArrayInputStream(tar), "layer " + name, dir,
        LayerStack.of(lowers));
    return dir;
  }

  private Path mount(String name, List<Path> lowers, Path upper) throws Exception {
    Path target = Files.createDirectory(tmp.resolve(name));
    StringBuilder options = new StringBuilder("userxattr,lowerdir=");
    List<String> dirs = new ArrayList<>();
    lowers.forEach(p -> dirs.add(p.toString()));
    options.append(String.join(":", dirs));
    if (upper != null) {
      Path work = Files.createDirectory(tmp.resolve(name + "-work"));
      options.append(",upperdir=").append(upper).append(",workdir=").append(work);
    }
    RealParts.run(null, "mount", "-t", "overlay", "-o", options.toString(), "overlay",
        target.toString());
    mounts.add(target);
    return target;
  }

  /** The same lines as {@link Trees#listing}, from the stack's merged view. */
  private static List<String> stackListing(LayerStack stack) throws Exception {
    List<String> lines = new ArrayList<>();
    collect(stack, "", lines);
    lines.sort(null);
    return lines;
  }

  private static void collect(LayerStack stack, String dir, List<String> lines)
      throws Exception {
    for (StackEntry e : stack.list(dir)) {
      FileMetadata m = e.metadata();
      String line = e.path() + " " + m.type() + " " + Integer.toOctalString(m.permissions())
          + " " + m.uid() + ":" + m.gid() + " " + (m.isRegular() ? m.size() : 0);
      if (m.isSymlink()) {
        line += " -> " + Files.readSymbolicLink(e.realPath());
      }
      lines.add(line);
      if (m.isDirectory()) {
        collect(stack, e.path(), lines);
      }
    }
  }

  @Test
  void theKernelShowsWhatLayerStackShows() throws Exception {
    Path merged = mount("ro", List.of(l1, l2, l3), null);
    LayerStack stack = LayerStack.of(List.of(l1, l2, l3));
    List<String> kernel = Trees.listing(merged);
    assertEquals(kernel, stackListing(stack));
    assertTrue(kernel.stream().anyMatch(l -> l.startsWith("etc/b/inner ")), kernel.toString());
    assertTrue(kernel.stream().noneMatch(l -> l.startsWith("keep ")));
    assertTrue(kernel.stream().noneMatch(l -> l.startsWith("o/x ")));
  }

  @Test
  void changesThroughTheMountBecomeWhiteoutsAndOpaqueMarkers() throws Exception {
    Path upper = Files.createDirectory(tmp.resolve("upper"));
    Path merged = mount("rw", List.of(l1, l2, l3), upper);
    Trees.sh("cd '" + merged + "' && rm a && mkdir -p d/e && rm -rf o && mkdir o"
        + " && rm etc/a && echo new > etc/new");
    RealParts.run(null, "umount", merged.toString());
    mounts.remove(merged);

    List<String> names = Trees.names(Trees.tar(upper));
    assertEquals(List.of(".wh.a", "d/", "d/e/", "etc/", "etc/.wh.a", "etc/new", "o/",
        "o/.wh..wh..opq"), names);

    // the same operations with LayerDirWriter, without mounting, give the same tree
    Path upper2 = Files.createDirectory(tmp.resolve("upper2"));
    LayerDirWriter w = new LayerDirWriter(upper2, LayerStack.of(List.of(l1, l2, l3)));
    w.whiteout("/a");
    w.mkdirs("/d/e", 0, 0, 0755);
    w.whiteout("/o");
    w.mkdirs("/o", 0, 0, 0755);
    w.whiteout("/etc/a");
    w.writeFile("/etc/new", new ByteArrayInputStream("new\n".getBytes()),
        new EntryAttributes(0, 0, 0644, java.nio.file.attribute.FileTime.fromMillis(0)));
    Path viaKernel = mount("check1", List.of(upper, l1, l2, l3), null);
    Path viaWriter = mount("check2", List.of(upper2, l1, l2, l3), null);
    assertEquals(Trees.listing(viaKernel), Trees.listing(viaWriter));
    assertEquals(Trees.listing(viaKernel),
        stackListing(LayerStack.of(List.of(upper2, l1, l2, l3))));
    assertEquals(names, Trees.names(Trees.tar(upper2)));
  }
}
