package io.zlayer.bootstrap.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FlattenedTreeTest {
  private static final String A = "sha256:87428fc522803d31065e7bce3cf03fe475096631e5e07bbd7a0fde60c4cf25c7";
  private static final String B = "sha256:0263829989b6fd954f72baaf2fc64bc2e2f01d692d4de72986ea808f6e99813f";

  @TempDir Path dir;

  private Path layer(String name, boolean gzip, Object... entries) throws Exception {
    Path file = dir.resolve(name);
    try (OutputStream raw = Files.newOutputStream(file);
        OutputStream out = gzip ? new GZIPOutputStream(raw) : raw;
        TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
      for (Object e : entries) {
        TarArchiveEntry entry = (TarArchiveEntry) e;
        tar.putArchiveEntry(entry);
        if (entry.isFile() && entry.getSize() > 0) {
          tar.write(entry.getName().endsWith("a") ? "a\n".getBytes(StandardCharsets.UTF_8)
              : "b\n".getBytes(StandardCharsets.UTF_8));
        }
        tar.closeArchiveEntry();
      }
    }
    return file;
  }

  private static TarArchiveEntry dir(String name, int mode) {
    TarArchiveEntry e = new TarArchiveEntry(name + "/");
    e.setMode(040000 | mode);
    return e;
  }

  /** A two-byte file whose content is "a\n" when the name ends in a, else "b\n". */
  private static TarArchiveEntry file(String name, int mode, int uid) {
    TarArchiveEntry e = new TarArchiveEntry(name);
    e.setMode(0100000 | mode);
    e.setSize(2);
    e.setUserId(uid);
    e.setGroupId(uid);
    return e;
  }

  private static TarArchiveEntry empty(String name) {
    TarArchiveEntry e = new TarArchiveEntry(name);
    e.setMode(0100644);
    return e;
  }

  private static TarArchiveEntry link(String name, String target, byte type) {
    TarArchiveEntry e = new TarArchiveEntry(name, type);
    e.setLinkName(target);
    e.setMode(0120777);
    return e;
  }

  @Test
  void whiteoutsAndOpaqueDirectoriesHideOnlyLowerLayers() throws Exception {
    Path lower = layer("1.tar.gz", true, dir("./data", 0755), file("./data/a", 0644, 0),
        dir("./data/sub", 0755), file("./data/sub/b", 0644, 0), file("./keep/b", 0600, 1000));
    Path upper = layer("2.tar", false, empty("data/.wh.a"), dir("data/sub", 0700),
        file("data/sub/a", 0644, 0), empty("data/sub/.wh..wh..opq"),
        link("data/link", "sub/a", TarConstants.LF_SYMLINK),
        link("data/hard", "keep/b", TarConstants.LF_LINK));
    FlattenedTree tree = FlattenedTree.of(List.of(lower, upper));
    assertEquals(new TreeMap<>(Map.of(
        "/data", "dir 0755 0:0",
        "/data/sub", "dir 0700 0:0",
        "/data/sub/a", "file 0644 0:0 " + A,
        "/data/link", "symlink 0777 0:0 -> sub/a",
        "/data/hard", "file 0600 1000:1000 " + B,
        "/keep", "dir 0755 0:0",
        "/keep/b", "file 0600 1000:1000 " + B)), tree.entries());
  }

  @Test
  void aFileReplacingADirectoryRemovesItsContentAndDifferencesNameEachPath() throws Exception {
    Path lower = layer("1.tar", false, dir("x", 0755), file("x/a", 0644, 0));
    Path upper = layer("2.tar", false, file("x", 0644, 0));
    FlattenedTree tree = FlattenedTree.of(List.of(lower, upper));
    assertEquals(new TreeMap<>(Map.of("/x", "file 0644 0:0 " + B)), tree.entries());
    FlattenedTree other = FlattenedTree.of(List.of(lower));
    assertEquals(List.of("/x: file 0644 0:0 " + B + " | dir 0755 0:0",
        "/x/a: - | file 0644 0:0 " + A), FlattenedTree.differences(tree, other));
  }
}
