package io.zlayer.adapters.sandbox.copy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zlayer.adapters.sandbox.layer.FileMetadata;
import io.zlayer.adapters.sandbox.layer.FileType;
import io.zlayer.application.testing.RealParts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** ADD of local archives: told by content, unpacked safely into the destination. */
class AddArchiveTest {
  @TempDir
  Path tmp;
  CopyFixture f;

  @BeforeEach
  void setUp() throws Exception {
    f = new CopyFixture(tmp);
    f.layer();
  }

  private static TarBuilder sample() throws Exception {
    return new TarBuilder().owned(1000, 1000)
        .dir("app", 0750)
        .file("app/run.sh", "#!/bin/sh\n", 0755)
        .file("app/data/values.txt", "42")
        .symlink("app/current", "data")
        .hardLink("app/again.sh", "app/run.sh", 0755);
  }

  @ParameterizedTest
  @EnumSource(TarBuilder.Compression.class)
  void unpacksEveryCompressionToldByContent(TarBuilder.Compression c) throws Exception {
    Files.write(f.context.resolve("bundle.bin"), sample().compressed(c));
    f.copy(Step.add("bundle.bin", "/opt/"));
    assertEquals("#!/bin/sh\n", f.read("/opt/app/run.sh"));
    assertEquals("42", f.read("/opt/app/data/values.txt"));
    FileMetadata run = f.meta("/opt/app/run.sh");
    assertEquals(0755, run.permissions());
    assertEquals(TarBuilder.MTIME, run.mtime().toInstant().getEpochSecond());
    assertEquals(0750, f.meta("/opt/app").permissions());
    assertEquals(TarBuilder.MTIME, f.meta("/opt/app").mtime().toInstant().getEpochSecond());
    assertEquals(FileType.SYMLINK, f.meta("/opt/app/current").type());
    assertEquals(run.ino(), f.meta("/opt/app/again.sh").ino(), "hard links stay links");
    assertEquals(0755, f.meta("/opt/app/data").permissions(), "implied parents are 0755");
    if (HostFiles.isRoot()) {
      assertEquals(1000, run.uid(), "ADD keeps the archive's owners");
      assertEquals(0, f.meta("/opt/app/data").uid(), "implied parents belong to root");
    }
  }

  @Test
  void withoutTrailingSlashTheDestinationIsTheDirectory() throws Exception {
    Files.write(f.context.resolve("a.tar"), sample().tar());
    f.copy(Step.add("a.tar", "/dest"));
    assertEquals("42", f.read("/dest/app/data/values.txt"));
  }

  @Test
  void unpackFalseAndPlainFilesAreCopied() throws Exception {
    byte[] tgz = sample().compressed(TarBuilder.Compression.GZIP);
    Files.write(f.context.resolve("a.tgz"), tgz);
    f.copy(Step.add("a.tgz", "/keep/").unpack(false));
    assertTrue(java.util.Arrays.equals(tgz,
        f.result().readFile("/keep/a.tgz").readAllBytes()));
    f.file("notes.tar.gz", "not an archive at all");
    f.copy(Step.add("notes.tar.gz", "/n/"));
    assertEquals("not an archive at all", f.read("/n/notes.tar.gz"));
    Files.write(f.context.resolve("empty.tar"), new byte[1024]);
    f.copy(Step.add("empty.tar", "/e/"));
    assertEquals(FileType.REGULAR, f.meta("/e/empty.tar").type(), "an empty tar is a file");
    f.copy(Step.copy("a.tgz", "/c/"));
    assertEquals(FileType.REGULAR, f.meta("/c/a.tgz").type(), "COPY never unpacks");
  }

  @Test
  void archiveEntriesReplaceWhatIsThere() throws Exception {
    Path base = f.layers.get(0);
    CopyFixture.write(base, "dest/app/run.sh", "old");
    CopyFixture.write(base, "dest/app/old.txt", "stays");
    CopyFixture.write(base, "dest/d/inside", "hidden by the file d");
    Files.createDirectories(base.resolve("dest/tmp"));
    CopyFixture.mode(base.resolve("dest/tmp"), 01777);
    Files.write(f.context.resolve("a.tar"), sample()
        .file("d", "now a file")
        .file("tmp/x", "x")
        .tar());
    f.copy(Step.add("a.tar", "/dest/"));
    assertEquals("#!/bin/sh\n", f.read("/dest/app/run.sh"));
    assertEquals("stays", f.read("/dest/app/old.txt"));
    assertEquals(0750, f.meta("/dest/app").permissions(), "an archive's directory entry wins");
    assertEquals("now a file", f.read("/dest/d"));
    assertEquals(01777, f.meta("/dest/tmp").permissions(), "implied parents change nothing");
  }

  @Test
  void aDirectoryReplacingAFileOfTheSameArchiveHidesTheOldDirectory() throws Exception {
    CopyFixture.write(f.layers.get(0), "dest/d/old", "old");
    Files.write(f.context.resolve("a.tar"), new TarBuilder()
        .file("d", "file first")
        .dir("d", 0755)
        .file("d/new", "new")
        .tar());
    f.copy(Step.add("a.tar", "/dest/"));
    assertEquals(List.of("new"), f.list("/dest/d"));
  }

  @Test
  void chownAppliesToArchiveEntries() throws Exception {
    RealParts.requireRoot();
    Files.write(f.context.resolve("a.tar"), sample().tar());
    f.copy(Step.add("a.tar", "/o/").chown("7:9"));
    assertEquals(7, f.meta("/o/app/run.sh").uid());
    assertEquals(9, f.meta("/o/app").gid());
    assertEquals(7, f.meta("/o").uid(), "mkdir -p of the destination uses --chown too");
  }

  @Test
  void namesThatClimbOutAreRejected() throws Exception {
    Files.write(f.context.resolve("evil.tar"), new TarBuilder().file("../evil", "x").tar());
    assertEquals("Dockerfile:7: ADD failed: evil.tar: archive path \"../evil\" is outside the"
        + " extraction root", f.failure(Step.add("evil.tar", "/dest/")));
    Files.write(f.context.resolve("link.tar"), new TarBuilder().file("a", "x")
        .hardLink("b", "../../etc/passwd").tar());
    assertEquals("Dockerfile:7: ADD failed: link.tar: archive path \"../../etc/passwd\" is"
        + " outside the extraction root", f.failure(Step.add("link.tar", "/dest/")));
  }

  @Test
  void symlinksInTheArchiveStayInsideTheDestination() throws Exception {
    Path outside = Files.createDirectories(tmp.resolve("outside"));
    Files.write(f.context.resolve("evil.tar"), new TarBuilder()
        .file("/abs/file", "absolute")
        .symlink("root", "/")
        .file("root/etc/passwd", "via absolute link")
        .symlink("up", "../../../../../../../..")
        .file("up/escaped", "via relative link")
        .symlink("host", outside.toString())
        .file("host/planted", "via host path")
        .hardLink("linked", "root")
        .tar());
    f.copy(Step.add("evil.tar", "/dest/"));
    assertEquals("absolute", f.read("/dest/abs/file"));
    assertEquals("via absolute link", f.read("/dest/etc/passwd"));
    assertEquals("via relative link", f.read("/dest/escaped"));
    assertEquals("via host path", f.read("/dest" + outside + "/planted"));
    assertEquals(FileType.SYMLINK, f.meta("/dest/linked").type(), "a hard link to the link");
    try (Stream<Path> s = Files.list(outside)) {
      assertEquals(0, s.count(), "nothing was written outside the layer");
    }
    assertFalse(f.exists("/etc/passwd"), "the image root is not the extraction root");
  }

  @Test
  void chainedSymlinksAndHardLinksThroughThemStayInside() throws Exception {
    Path outside = Files.createDirectories(tmp.resolve("outside"));
    Files.writeString(outside.resolve("secret"), "host file");
    Files.write(f.context.resolve("chain.tar"), new TarBuilder()
        .symlink("a", "b")
        .symlink("b", "c/../d")
        .dir("c", 0755)
        .symlink("d", "/")
        .file("a/etc/planted", "via a chain")
        .tar());
    f.copy(Step.add("chain.tar", "/dest/"));
    assertEquals("via a chain", f.read("/dest/etc/planted"));
    Files.write(f.context.resolve("hard.tar"), new TarBuilder()
        .symlink("host", outside.toString())
        .hardLink("h", "host/secret")
        .tar());
    String failure = f.failure(Step.add("hard.tar", "/dest2/"));
    assertTrue(failure.startsWith("Dockerfile:7: ADD failed: hard.tar: "), failure);
    assertEquals(1, FileMetadata.read(outside.resolve("secret")).nlink(), "no link to it");
    assertEquals("host file", Files.readString(outside.resolve("secret")));
    try (Stream<Path> s = Files.list(outside)) {
      assertEquals(1, s.count(), "nothing was written outside the layer");
    }
  }

  @Test
  void anImageSymlinkReplacingTheDestinationBetweenLayersStaysInside() throws Exception {
    Path outside = Files.createDirectories(tmp.resolve("outside"));
    CopyFixture.write(f.layers.get(0), "dest/sub/kept", "lower");
    Path above = f.layer();
    Files.createDirectories(above.resolve("dest"));
    Files.createSymbolicLink(above.resolve("dest/sub"), outside);
    Files.write(f.context.resolve("evil.tar"), new TarBuilder()
        .file("sub/planted", "through the image's link").tar());
    f.copy(Step.add("evil.tar", "/dest/"));
    // as Docker's chrootarchive, which chroots into the destination: an absolute link there
    // resolves inside the destination
    assertEquals("through the image's link", f.read("/dest" + outside + "/planted"));
    assertEquals(FileType.SYMLINK, f.meta("/dest/sub").type(), "the link stays a link");
    try (Stream<Path> s = Files.list(outside)) {
      assertEquals(0, s.count(), "nothing was written outside the layer");
    }
  }

  @Test
  void whiteoutNamesAreRefused() throws Exception {
    Files.write(f.context.resolve("wh.tar"), new TarBuilder().file("dir/.wh.file", "").tar());
    assertEquals("Dockerfile:7: ADD failed: wh.tar: archive entry \"dir/.wh.file\" has a name"
        + " that layers reserve for deletions (.wh.)", f.failure(Step.add("wh.tar", "/d/")));
  }

  @Test
  void fifosAreCreated() throws Exception {
    Files.write(f.context.resolve("p.tar"), new TarBuilder().fifo("pipe").tar());
    f.copy(Step.add("p.tar", "/d/"));
    assertEquals(FileType.FIFO, f.meta("/d/pipe").type());
  }

  @Test
  void wildcardsUnpackEachArchive() throws Exception {
    Files.write(f.context.resolve("one.tar"), new TarBuilder().file("one", "1").tar());
    Files.write(f.context.resolve("two.tar.gz"), new TarBuilder().file("two", "2")
        .compressed(TarBuilder.Compression.GZIP));
    f.copy(Step.add("*.tar*", "/x"));
    assertEquals(List.of("one", "two"), f.list("/x"));
  }
}
