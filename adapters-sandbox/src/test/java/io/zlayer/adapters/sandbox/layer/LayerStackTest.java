package io.zlayer.adapters.sandbox.layer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zlayer.application.testing.RealParts;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemLoopException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LayerStackTest {
  @TempDir
  Path tmp;
  Path l1;
  Path l2;
  Path l3;
  LayerStack stack;

  /**
   * l3 (bottom): etc/{a,b,c}, opt/{x,y}, var/lib/keep, bin -> usr/bin, usr/bin/sh.
   * l2: deletes etc/b, makes opt opaque with opt/z, adds etc/d.
   * l1 (top): replaces etc/c, re-adds etc/b as a directory, deletes var/lib.
   */
  @BeforeEach
  void layers() throws Exception {
    RealParts.requireRoot(); // whiteouts are device nodes
    l3 = Files.createDirectory(tmp.resolve("l3"));
    Trees.write(l3, "etc/a", "a3");
    Trees.write(l3, "etc/b", "b3");
    Trees.write(l3, "etc/c", "c3");
    Trees.write(l3, "opt/x", "x3");
    Trees.write(l3, "opt/y", "y3");
    Trees.write(l3, "var/lib/keep", "k3");
    Trees.write(l3, "usr/bin/sh", "sh3");
    Files.createSymbolicLink(l3.resolve("bin"), Path.of("usr/bin"));
    l2 = Files.createDirectory(tmp.resolve("l2"));
    Files.createDirectories(l2.resolve("etc"));
    Trees.write(l2, "etc/d", "d2");
    Trees.write(l2, "opt/z", "z2");
    OverlayFormat.setOpaque(l2.resolve("opt"));
    Trees.sh("mknod '" + l2.resolve("etc/b") + "' c 0 0");
    l1 = Files.createDirectory(tmp.resolve("l1"));
    Trees.write(l1, "etc/c", "c1");
    Trees.write(l1, "etc/b/inner", "b1");
    Files.createDirectories(l1.resolve("var"));
    Trees.sh("mknod '" + l1.resolve("var/lib") + "' c 0 0");
    stack = LayerStack.of(List.of(l1, l2, l3));
  }

  private String read(String path) throws Exception {
    try (InputStream in = stack.readFile(path)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void lookupsHonourWhiteoutsAndOpaqueDirectories() throws Exception {
    assertEquals(0, stack.lookup("/etc/c").get().layer());
    assertEquals(2, stack.lookup("/etc/a").get().layer());
    assertTrue(stack.lookup("/etc/b").get().metadata().isDirectory());
    assertEquals(0, stack.lookup("/etc/b").get().layer());
    assertTrue(stack.lookup("/opt/x").isEmpty(), "hidden by the opaque opt in l2");
    assertEquals(1, stack.lookup("/opt/z").get().layer());
    assertTrue(stack.lookup("/var/lib").isEmpty());
    assertTrue(stack.lookup("/var/lib/keep").isEmpty());
    assertTrue(stack.lookup("/var").isPresent());
    assertTrue(stack.lookup("/bin/sh").isEmpty(), "lookup does not follow symlinks");
    assertEquals(l3.resolve("etc/a"), stack.lookup("etc/a").get().realPath());
    assertEquals(l1, stack.lookup("/").get().realPath());
  }

  @Test
  void listingsAreMerged() throws Exception {
    assertEquals(List.of("a", "b", "c", "d"), names(stack.list("/etc")));
    assertEquals(List.of("z"), names(stack.list("/opt")));
    assertEquals(List.of(), names(stack.list("/var")));
    assertEquals(List.of("bin", "etc", "opt", "usr", "var"), names(stack.list("/")));
    assertThrows(NoSuchFileException.class, () -> stack.list("/var/lib"));
    assertEquals("c1", read("/etc/c"));
    assertEquals("sh3", read("/bin/sh"));
  }

  @Test
  void resolutionStaysInsideTheRoot() throws Exception {
    Path top = Files.createDirectory(tmp.resolve("links"));
    Files.createSymbolicLink(top.resolve("abs"), Path.of("/etc"));
    Files.createSymbolicLink(top.resolve("up"), Path.of("../../../../etc"));
    Files.createSymbolicLink(top.resolve("loop1"), Path.of("loop2"));
    Files.createSymbolicLink(top.resolve("loop2"), Path.of("/loop1"));
    Files.createSymbolicLink(top.resolve("chain"), Path.of("abs/../bin"));
    LayerStack s = stack.withTop(top);
    assertEquals("b", s.resolve("/a/../../b"));
    assertEquals("etc/c", s.resolve("/abs/c"));
    assertEquals("etc/c", s.resolve("up/c"));
    assertEquals("usr/bin/sh", s.resolve("/chain/sh"));
    assertEquals("usr/bin", s.resolve("/bin"));
    assertEquals("bin", s.resolveParent("/bin"));
    assertEquals("usr/bin/missing/more", s.resolve("/bin/missing/more"));
    assertThrows(FileSystemLoopException.class, () -> s.resolve("/loop1/x"));
    assertEquals("c1", new String(s.readFile("/up/c").readAllBytes(), StandardCharsets.UTF_8));
    Files.delete(top.resolve("abs")); // keeps JUnit from warning about a link out of @TempDir
  }

  @Test
  void writerCopiesUpAndWhitesOut() throws Exception {
    Path upper = Files.createDirectory(tmp.resolve("upper"));
    Files.setAttribute(l3.resolve("usr/bin"), "unix:mode", 0750);
    Files.setAttribute(l3.resolve("usr/bin"), "unix:uid", 42);
    LayerDirWriter w = new LayerDirWriter(upper, stack);
    w.writeFile("/bin/new", new ByteArrayInputStream("n".getBytes(StandardCharsets.UTF_8)),
        new EntryAttributes(5, 6, 0700, FileTime.from(Instant.ofEpochSecond(1000))));
    FileMetadata bin = FileMetadata.read(upper.resolve("usr/bin"));
    assertEquals(0750, bin.permissions());
    assertEquals(42, bin.uid());
    FileMetadata created = FileMetadata.read(upper.resolve("usr/bin/new"));
    assertEquals(5, created.uid());
    assertEquals(0700, created.permissions());
    assertFalse(Files.exists(upper.resolve("usr/bin/sh")), "siblings are not copied up");

    w.whiteout("/etc/a");
    assertTrue(FileMetadata.read(upper.resolve("etc/a")).isWhiteout());
    w.whiteout("/etc/never-existed");
    assertFalse(Files.exists(upper.resolve("etc/never-existed")));
    assertEquals(List.of("b", "c", "d"), names(w.merged().list("/etc")));

    Path copied = w.copyUp("/etc/c");
    assertEquals("c1", Files.readString(copied));
    w.copyUp("/etc/d");
    assertEquals("d2", Files.readString(upper.resolve("etc/d")));

    w.makeOpaque("/etc");
    assertEquals(List.of("c", "d"), names(w.merged().list("/etc")), "only what was copied up");
    assertFalse(Files.exists(upper.resolve("etc/a")), "whiteouts inside go");

    String made = w.mkdirs("/bin/x/y", 7, 8, 0711);
    assertEquals("usr/bin/x/y", made);
    assertEquals(0711, FileMetadata.read(upper.resolve("usr/bin/x/y")).permissions());
    assertEquals(7, FileMetadata.read(upper.resolve("usr/bin/x")).uid());

    w.whiteout("/var");
    Path varAgain = Path.of(w.mkdirs("/var/new", 0, 0, 0755));
    assertEquals("var/new", varAgain.toString());
    assertTrue(OverlayFormat.isOpaque(upper.resolve("var")), "recreated over a whiteout");
    assertTrue(w.merged().lookup("/var/lib").isEmpty());

    w.symlink("/etc/link", "/etc/d", new EntryAttributes(0, 0, 0777,
        FileTime.from(Instant.ofEpochSecond(5))));
    assertEquals("etc/d", w.merged().resolve("/etc/link"));
    w.hardLink("/etc/d-link", "/etc/d");
    assertEquals(2, FileMetadata.read(upper.resolve("etc/d")).nlink());
  }

  @Test
  void writerSetsAttributesAndMakesDirectories() throws Exception {
    Path upper = Files.createDirectory(tmp.resolve("upper"));
    LayerDirWriter w = new LayerDirWriter(upper, stack);
    FileTime t = FileTime.from(Instant.ofEpochSecond(1_234_567_890L));
    w.setAttributes("/etc/a", new EntryAttributes(10, 20, 04711, t));
    FileMetadata a = FileMetadata.read(upper.resolve("etc/a"));
    assertEquals(04711, a.permissions());
    assertEquals(10, a.uid());
    assertEquals(t, a.mtime());
    assertEquals("a3", Files.readString(upper.resolve("etc/a")), "content copied up");

    w.directory("/usr", new EntryAttributes(0, 0, 0700, t));
    assertEquals(0700, FileMetadata.read(upper.resolve("usr")).permissions());
    assertFalse(OverlayFormat.isOpaque(upper.resolve("usr")), "an existing directory merges");
    assertTrue(w.merged().lookup("/usr/bin/sh").isPresent());

    w.whiteout("/usr");
    w.directory("/usr", new EntryAttributes(0, 0, 0755, t));
    assertTrue(OverlayFormat.isOpaque(upper.resolve("usr")), "created after a delete: opaque");
    assertTrue(w.merged().lookup("/usr/bin/sh").isEmpty());

    assertThrows(java.io.IOException.class, () -> w.hardLink("/etc/c", "/etc/c"));
    assertThrows(NoSuchFileException.class, () -> w.writeFile("/nowhere/f",
        new ByteArrayInputStream(new byte[0]), new EntryAttributes(0, 0, 0644, t)));
  }

  private static List<String> names(List<StackEntry> entries) {
    return entries.stream().map(StackEntry::name).toList();
  }
}
