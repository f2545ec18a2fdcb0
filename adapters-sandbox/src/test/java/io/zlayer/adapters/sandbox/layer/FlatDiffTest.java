package io.zlayer.adapters.sandbox.layer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zlayer.application.testing.RealParts;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FlatDiffTest {
  @TempDir
  Path tmp;
  Path base;
  Path top;
  LayerStack stack;

  @BeforeEach
  void layers() throws Exception {
    base = Files.createDirectory(tmp.resolve("base"));
    Trees.write(base, "etc/passwd", "root:x:0:0\n");
    Trees.write(base, "etc/hosts", "127.0.0.1 localhost\n");
    Trees.write(base, "var/cache/apt/a.bin", "aaaa");
    Trees.write(base, "var/cache/apt/b.bin", "bbbb");
    Trees.write(base, "usr/bin/tool", "tool");
    Files.createLink(base.resolve("usr/bin/tool2"), base.resolve("usr/bin/tool"));
    Files.createSymbolicLink(base.resolve("usr/bin/alias"), Path.of("tool"));
    top = Files.createDirectory(tmp.resolve("top"));
    Trees.write(top, "etc/motd", "hello");
    Trees.fixTimes(base, 1_600_000_000L);
    Trees.fixTimes(top, 1_600_000_000L);
    stack = LayerStack.of(List.of(top, base));
  }

  private Path flatten(LayerStackFlattener.Mode mode) throws Exception {
    Path root = Files.createDirectory(tmp.resolve("root-" + mode));
    new LayerStackFlattener().flatten(stack, root, mode);
    return root;
  }

  @Test
  void flattenedTreeShowsTheMergedView() throws Exception {
    for (LayerStackFlattener.Mode mode : LayerStackFlattener.Mode.values()) {
      Path root = flatten(mode);
      assertEquals("hello", Files.readString(root.resolve("etc/motd")));
      assertEquals("tool", Files.readString(root.resolve("usr/bin/tool")));
      assertEquals(FileMetadata.read(root.resolve("usr/bin/tool")).ino(),
          FileMetadata.read(root.resolve("usr/bin/tool2")).ino(), "hard links kept");
      assertEquals(Path.of("tool"), Files.readSymbolicLink(root.resolve("usr/bin/alias")));
      assertEquals(1_600_000_000L,
          FileMetadata.read(root.resolve("etc")).mtime().toInstant().getEpochSecond());
      boolean sharesInode = FileMetadata.read(root.resolve("etc/passwd")).ino()
          == FileMetadata.read(base.resolve("etc/passwd")).ino();
      assertEquals(mode == LayerStackFlattener.Mode.HARD_LINK, sharesInode, mode.name());
    }
  }

  @Test
  void aDirectoryWhoseEntryCameAndWentIsUnchanged() throws Exception {
    Path root = flatten(LayerStackFlattener.Mode.COPY);
    FlatDiff.Snapshot before = FlatDiff.snapshot(root);
    // what the sandbox does for a missing /etc/resolv.conf mount point: create, remove, and put
    // the directory's mtime back; the ctime moves all the same
    Trees.sh("cd '" + root + "' && sleep 0.01 && touch etc/resolv.conf && rm etc/resolv.conf"
        + " && touch -d @1600000000 etc && echo x > opt-new");
    Path upper = Files.createDirectory(tmp.resolve("upper"));
    new FlatDiff().writeChanges(before, root, upper, stack);
    assertEquals(List.of("opt-new"), names(upper));

    Path second = Files.createDirectory(tmp.resolve("upper2"));
    FlatDiff.Snapshot again = FlatDiff.snapshot(root);
    Trees.sh("cd '" + root + "' && sleep 0.01 && setfattr -n user.mark -v 1 etc"
        + " && touch -d @1600000000 etc");
    new FlatDiff().writeChanges(again, root, second, stack);
    assertEquals(List.of("etc"), names(second), "an attribute change keeps it");
  }

  private static List<String> names(Path dir) throws Exception {
    try (var entries = Files.list(dir)) {
      return entries.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void changesBecomeAnOverlayUpperDirectory() throws Exception {
    Path root = flatten(LayerStackFlattener.Mode.COPY);
    FlatDiff.Snapshot before = FlatDiff.snapshot(root);
    Trees.sh("cd '" + root + "' && rm etc/hosts && echo more >> etc/passwd"
        + " && rm -rf var/cache/apt && mkdir var/cache/apt && echo c > var/cache/apt/c.bin"
        + " && mkdir -p opt/new/deep && echo x > opt/new/deep/x && ln opt/new/deep/x opt/x2"
        + " && chmod 0700 usr/bin/tool && ln -sf other usr/bin/alias");
    Path upper = Files.createDirectory(tmp.resolve("upper"));
    FlatDiff.Changes changes = new FlatDiff().writeChanges(before, root, upper, stack);
    assertFalse(changes.isEmpty());
    assertTrue(FileMetadata.read(upper.resolve("etc/hosts")).isWhiteout());
    assertEquals("root:x:0:0\nmore\n", Files.readString(upper.resolve("etc/passwd")));
    assertFalse(Files.exists(upper.resolve("etc/motd")), "unchanged files stay out");
    // a directory removed and made again is opaque, unless the file system gave the new one
    // the old inode number: then its old children are whited out one by one
    LayerStack result = stack.withTop(upper);
    assertEquals(List.of("c.bin"), result.list("/var/cache/apt").stream()
        .map(StackEntry::name).toList());
    assertEquals(OverlayFormat.isOpaque(upper.resolve("var/cache/apt")),
        !Files.exists(upper.resolve("var/cache/apt/a.bin"), LinkOption.NOFOLLOW_LINKS));
    assertEquals(FileMetadata.read(upper.resolve("opt/new/deep/x")).ino(),
        FileMetadata.read(upper.resolve("opt/x2")).ino());
    assertEquals(0700, FileMetadata.read(upper.resolve("usr/bin/tool")).permissions());
    assertEquals(Path.of("other"), Files.readSymbolicLink(upper.resolve("usr/bin/alias")));

    List<String> names = Trees.names(Trees.tar(upper));
    assertTrue(names.contains("etc/.wh.hosts"), names.toString());
    assertTrue(names.contains("var/cache/apt/.wh..wh..opq")
        || names.contains("var/cache/apt/.wh.a.bin"), names.toString());
  }

  @Test
  void nothingChangedGivesAnEmptyUpper() throws Exception {
    Path root = flatten(LayerStackFlattener.Mode.COPY);
    FlatDiff.Snapshot before = FlatDiff.snapshot(root);
    Trees.sh("cat '" + root + "/etc/passwd' > /dev/null");
    Path upper = Files.createDirectory(tmp.resolve("upper"));
    assertTrue(new FlatDiff().writeChanges(before, root, upper, stack).isEmpty());
    assertTrue(LayerTarWriter.isEmpty(upper));
  }

  @Test
  void anEqualCopyIsNotAChangeButEqualMetadataWithOtherContentIs() throws Exception {
    Path root = flatten(LayerStackFlattener.Mode.COPY);
    FlatDiff.Snapshot before = FlatDiff.snapshot(root);
    // same size and mtime, new inode: equal content is no change, other content is one
    Trees.sh("cd '" + root + "' && cp -p etc/passwd p && mv p etc/passwd"
        + " && cp -p var/cache/apt/a.bin t && printf bbbb > t && touch -r var/cache/apt/a.bin t"
        + " && mv t var/cache/apt/a.bin");
    Path upper = Files.createDirectory(tmp.resolve("upper"));
    new FlatDiff().writeChanges(before, root, upper, stack);
    assertFalse(Files.exists(upper.resolve("etc/passwd")));
    assertEquals("bbbb", Files.readString(upper.resolve("var/cache/apt/a.bin")));
  }

  @Test
  void devicesAndOwnersAreDiffed() throws Exception {
    RealParts.requireRoot();
    Path root = flatten(LayerStackFlattener.Mode.COPY);
    FlatDiff.Snapshot before = FlatDiff.snapshot(root);
    Trees.sh("cd '" + root + "' && mkdir dev && mknod dev/null c 1 3 && chown 7:8 etc/passwd");
    Path upper = Files.createDirectory(tmp.resolve("upper"));
    new FlatDiff().writeChanges(before, root, upper, stack);
    FileMetadata dev = FileMetadata.read(upper.resolve("dev/null"));
    assertEquals(FileType.CHAR_DEVICE, dev.type());
    assertEquals(1, dev.devMajor());
    assertEquals(7, FileMetadata.read(upper.resolve("etc/passwd")).uid());
  }

  private static List<String> list(Path dir) throws Exception {
    try (var s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
