package io.zlayer.adapters.sandbox.copy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zlayer.adapters.sandbox.layer.FileMetadata;
import io.zlayer.adapters.sandbox.layer.FileType;
import io.zlayer.adapters.sandbox.layer.LayerStack;
import io.zlayer.domain.dockerfile.ignore.DockerIgnore;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Docker's COPY rules from the build context, on the real filesystem. */
class CopyRulesTest {
  @TempDir
  Path tmp;
  CopyFixture f;

  @BeforeEach
  void setUp() throws Exception {
    f = new CopyFixture(tmp);
    f.layer(); // the base image: a root directory
  }

  @Test
  void fileIntoDirectoryWithSlashKeepsItsNameModeAndTime() throws Exception {
    Path a = f.file("a.txt", "hello");
    CopyFixture.mode(a, 0640);
    CopyFixture.mtime(a, 1_600_000_000L);
    CopyReport report = f.copy(Step.copy("a.txt", "/dest/"));
    assertEquals("hello", f.read("/dest/a.txt"));
    FileMetadata m = f.meta("/dest/a.txt");
    assertEquals(0640, m.permissions());
    assertEquals(1_600_000_000L, m.mtime().toInstant().getEpochSecond());
    assertEquals(0755, f.meta("/dest").permissions(), "created parents are 0755");
    assertEquals(new CopyReport(1, 5), report);
  }

  @Test
  void fileToPathWithoutSlashBecomesThatFile() throws Exception {
    f.file("a.txt", "hello");
    f.copy(Step.copy("a.txt", "/x/y/b.txt"));
    assertEquals("hello", f.read("/x/y/b.txt"));
    assertEquals(List.of("b.txt"), f.list("/x/y"));
  }

  @Test
  void fileToAnExistingDirectoryWithoutSlashGoesInside() throws Exception {
    Files.createDirectories(f.layers.get(0).resolve("existing"));
    f.file("a.txt", "hello");
    f.copy(Step.copy("a.txt", "/existing"));
    assertEquals("hello", f.read("/existing/a.txt"));
  }

  @Test
  void fileReplacesAnExistingFile() throws Exception {
    CopyFixture.write(f.layers.get(0), "etc/conf", "old");
    f.file("conf", "new");
    f.copy(Step.copy("conf", "/etc/conf"));
    assertEquals("new", f.read("/etc/conf"));
  }

  @Test
  void directoryCopiesItsContentNotItself() throws Exception {
    f.file("dir/x", "1");
    f.file("dir/sub/y", "2");
    f.file("dir/.hidden", "3");
    f.copy(Step.copy("dir", "/out"));
    assertEquals(List.of(".hidden", "sub", "x"), f.list("/out"));
    assertEquals("2", f.read("/out/sub/y"));
    f.copy(Step.copy("dir/", "/out2/"));
    assertEquals("2", f.read("/out2/sub/y"));
  }

  @Test
  void directoryMergesWithExistingDirectories() throws Exception {
    CopyFixture.write(f.layers.get(0), "out/keep.txt", "kept");
    CopyFixture.write(f.layers.get(0), "out/sub/old", "old");
    f.file("dir/sub/new", "new");
    f.copy(Step.copy("dir", "/out"));
    assertEquals(List.of("keep.txt", "sub"), f.list("/out"));
    assertEquals(List.of("new", "old"), f.list("/out/sub"));
  }

  @Test
  void nestedDirectoriesGetTheSourceModes() throws Exception {
    f.file("dir/sub/y", "2");
    CopyFixture.mode(f.context.resolve("dir/sub"), 0700);
    CopyFixture.mtime(f.context.resolve("dir/sub/y"), 1_500_000_000L);
    CopyFixture.mtime(f.context.resolve("dir/sub"), 1_400_000_000L);
    f.copy(Step.copy("dir", "/out"));
    assertEquals(0700, f.meta("/out/sub").permissions());
    assertEquals(1_400_000_000L, f.meta("/out/sub").mtime().toInstant().getEpochSecond());
    assertEquals(0755, f.meta("/out").permissions(), "the destination itself is made 0755");
  }

  @Test
  void wildcardsMatchPerComponent() throws Exception {
    f.file("a.txt", "a");
    f.file("b.txt", "b");
    f.file("c.md", "c");
    f.file("sub/d.txt", "d");
    f.copy(Step.copy("*.txt", "/w/"));
    assertEquals(List.of("a.txt", "b.txt"), f.list("/w"));
    f.copy(Step.copy("[ab]*", "/v/"));
    assertEquals(List.of("a.txt", "b.txt"), f.list("/v"));
    f.copy(Step.copy("?.md", "/u/"));
    assertEquals(List.of("c.md"), f.list("/u"));
  }

  @Test
  void wildcardOverADirectoryCopiesEachMatchLikeASource() throws Exception {
    f.file("dir/f1", "1");
    f.file("dir/sub/f2", "2");
    f.copy(Step.copy("dir/*", "/out/"));
    // a matched directory copies its content, as any directory source does
    assertEquals(List.of("f1", "f2"), f.list("/out"));
  }

  @Test
  void escapedWildcardCharactersMatchThemselves() throws Exception {
    f.file("arr[0].txt", "x");
    f.file("arr0.txt", "y");
    f.copy(Step.copy("arr[[]0].txt", "/e/"));
    assertEquals(List.of("arr[0].txt"), f.list("/e"));
  }

  @Test
  void aWildcardMatchingNothingCopiesNothingNextToOtherSources() throws Exception {
    f.file("package.json", "{}");
    f.copy(Step.copy("package.json", "yarn.lock*", "/app/"));
    assertEquals(List.of("package.json"), f.list("/app"));
  }

  @Test
  void sourcesSelectingNothingAtAllFail() throws Exception {
    f.file("a.txt", "a");
    assertEquals("Dockerfile:7: COPY failed: no source files were specified",
        f.failure(Step.copy("*.nothing", "/app/")));
  }

  @Test
  void severalSourcesNeedADirectoryDestination() throws Exception {
    f.file("a.txt", "a");
    f.file("b.txt", "b");
    String expected = "Dockerfile:7: When using COPY with more than one source file, the"
        + " destination must be a directory and end with a /";
    assertEquals(expected, f.failure(Step.copy("a.txt", "b.txt", "/dest")));
    assertEquals(expected, f.failure(Step.copy("*.txt", "/dest")));
    f.copy(Step.copy("a*", "/single"));
    assertEquals("a", f.read("/single"), "one match to a file path is fine");
    f.copy(Step.copy("a.txt", "b.txt", "/app/."));
    assertEquals(List.of("a.txt", "b.txt"), f.list("/app"));
  }

  @Test
  void destinationSymlinksOfTheImageAreFollowedInsideTheRoot() throws Exception {
    Path base = f.layers.get(0);
    Files.createDirectories(base.resolve("real"));
    Files.createSymbolicLink(base.resolve("link"), Path.of("/real"));
    Files.createSymbolicLink(base.resolve("up"), Path.of("../../../../../.."));
    f.file("a.txt", "a");
    f.copy(Step.copy("a.txt", "/link/"));
    assertEquals("a", f.read("/real/a.txt"));
    assertTrue(Files.isRegularFile(f.upper.resolve("real/a.txt"), LinkOption.NOFOLLOW_LINKS));
    f.copy(Step.copy("a.txt", "/up/escaped.txt"));
    assertEquals("a", f.read("/escaped.txt"), "../ through a symlink stops at the root");
    assertTrue(Files.isRegularFile(f.upper.resolve("escaped.txt")));
  }

  @Test
  void ignoredFilesDoNotExist() throws Exception {
    f.file("app.log", "log");
    f.file("keep.log", "keep");
    f.file("secret/key", "k");
    f.file("src/main.c", "c");
    f.file("src/build/out.o", "o");
    f.file("src/build/important", "i");
    f.ignore = DockerIgnore.parse(".dockerignore",
        "*.log\n!keep.log\nsecret\nsrc/build\n!src/build/important\n");
    f.copy(Step.copy(".", "/ctx/"));
    assertEquals(List.of("keep.log", "src"), f.list("/ctx"));
    assertEquals(List.of("build", "main.c"), f.list("/ctx/src"));
    assertEquals(List.of("important"), f.list("/ctx/src/build"));
    assertEquals("Dockerfile:7: COPY failed: file not found in build context or excluded by"
        + " .dockerignore: stat app.log: file does not exist",
        f.failure(Step.copy("app.log", "/")));
    assertEquals("Dockerfile:7: COPY failed: file not found in build context or excluded by"
        + " .dockerignore: stat secret/key: file does not exist",
        f.failure(Step.copy("/secret/key", "/")));
  }

  @Test
  void missingSourceIsNotFound() throws Exception {
    assertEquals("Dockerfile:7: COPY failed: file not found in build context or excluded by"
        + " .dockerignore: stat missing.txt: file does not exist",
        f.failure(Step.copy("missing.txt", "/")));
    assertEquals("Dockerfile:7: COPY failed: file not found in build context or excluded by"
        + " .dockerignore: stat nodir: file does not exist",
        f.failure(Step.copy("nodir/*.txt", "/x/")));
  }

  @Test
  void sourcesMayNotLeaveTheContext() throws Exception {
    assertEquals("Dockerfile:7: COPY failed: forbidden path outside the build context: ../x",
        f.failure(Step.copy("../x", "/")));
    assertEquals("Dockerfile:7: COPY failed: forbidden path outside the build context:"
        + " a/../../x", f.failure(Step.copy("a/../../x", "/")));
    f.file("x", "inside");
    f.copy(Step.copy("/x", "/got"));
    assertEquals("inside", f.read("/got"), "a leading slash means the context root");
  }

  @Test
  void aSymlinkSourceIsFollowedInsideTheContext() throws Exception {
    Files.createSymbolicLink(f.context.resolve("passwd"), Path.of("/etc/passwd"));
    assertEquals("Dockerfile:7: COPY failed: file not found in build context or excluded by"
        + " .dockerignore: stat passwd: file does not exist",
        f.failure(Step.copy("passwd", "/")));
    f.file("etc/passwd", "the context's");
    f.copy(Step.copy("passwd", "/out/"));
    assertEquals("the context's", f.read("/out/passwd"));
    Files.createSymbolicLink(f.context.resolve("up"), Path.of("../../../../.."));
    f.copy(Step.copy("up/etc/passwd", "/again"));
    assertEquals("the context's", f.read("/again"));
  }

  @Test
  void symlinksInsideCopiedDirectoriesStaySymlinks() throws Exception {
    f.file("dir/target", "t");
    Files.createSymbolicLink(f.context.resolve("dir/abs"), Path.of("/etc/passwd"));
    Files.createSymbolicLink(f.context.resolve("dir/rel"), Path.of("target"));
    f.copy(Step.copy("dir", "/out"));
    assertEquals(FileType.SYMLINK, f.meta("/out/abs").type());
    assertEquals("/etc/passwd", Files.readSymbolicLink(f.upper.resolve("out/abs")).toString());
    assertEquals("target", Files.readSymbolicLink(f.upper.resolve("out/rel")).toString());
  }

  @Test
  void directoryOntoAFileFails() throws Exception {
    CopyFixture.write(f.layers.get(0), "out", "a file");
    f.file("dir/x", "1");
    assertEquals("Dockerfile:7: COPY failed: cannot copy to non-directory: /out",
        f.failure(Step.copy("dir", "/out")));
  }

  @Test
  void fileOntoANestedDirectoryFails() throws Exception {
    Files.createDirectories(f.layers.get(0).resolve("out/x"));
    f.file("dir/x", "1");
    assertEquals("Dockerfile:7: COPY failed: cannot replace to directory /out/x with file",
        f.failure(Step.copy("dir", "/out")));
  }

  @Test
  void parentThatIsAFileFails() throws Exception {
    CopyFixture.write(f.layers.get(0), "file", "x");
    f.file("a", "a");
    assertEquals("Dockerfile:7: COPY failed: mkdir /file: not a directory",
        f.failure(Step.copy("a", "/file/sub/")));
  }

  @Test
  void heredocsAreFilesWithMode0644() throws Exception {
    f.copy(Step.copy("/etc/greeting").heredoc("EOF", "hello\n"));
    assertEquals("hello\n", f.read("/etc/greeting"));
    assertEquals(0644, f.meta("/etc/greeting").permissions());
    f.copy(Step.copy("/dir/").heredoc("one", "1").heredoc("two", "2"));
    assertEquals(List.of("one", "two"), f.list("/dir"));
  }

  @Test
  void hardLinksInsideACopyStayLinked() throws Exception {
    Path h1 = f.file("dir/h1", "same");
    Files.createLink(f.context.resolve("dir/h2"), h1);
    CopyReport report = f.copy(Step.copy("dir", "/out"));
    assertEquals(FileMetadata.read(f.upper.resolve("out/h1")).ino(),
        FileMetadata.read(f.upper.resolve("out/h2")).ino());
    assertEquals(1, report.files());
  }

  @Test
  void stepTimestampReplacesEveryTime() throws Exception {
    f.file("dir/x", "1");
    f.timestamp = java.util.Optional.of(java.time.Instant.ofEpochSecond(1_000_000_000L));
    f.copy(Step.copy("dir", "/out/new/"));
    assertEquals(1_000_000_000L, f.meta("/out/new/x").mtime().toInstant().getEpochSecond());
    assertEquals(1_000_000_000L, f.meta("/out/new").mtime().toInstant().getEpochSecond());
    assertEquals(1_000_000_000L, f.meta("/out").mtime().toInstant().getEpochSecond());
  }

  @Test
  void parentsKeepTheSourcePath() throws Exception {
    f.file("x/a.txt", "xa");
    f.file("y/a.txt", "ya");
    f.file("x/y/b.txt", "xyb");
    f.file("x/y/c.md", "xyc");
    f.file("src/a.txt", "1");
    f.file("src/q/r/c.txt", "2");
    f.file("src/q/d.bin", "3");
    f.copy(Step.copy("./x/a.txt", "./y/a.txt", "/p/").parents());
    assertEquals("xa", f.read("/p/x/a.txt"));
    assertEquals("ya", f.read("/p/y/a.txt"));
    f.copy(Step.copy("./x/./y/*.txt", "/pivot/").parents());
    assertEquals(List.of("y"), f.list("/pivot"));
    assertEquals(List.of("b.txt"), f.list("/pivot/y"));
    f.copy(Step.copy("src/**/*.txt", "/deep/").parents());
    assertEquals(List.of("a.txt", "q"), f.list("/deep/src"));
    assertEquals(List.of("r"), f.list("/deep/src/q"));
    assertEquals("2", f.read("/deep/src/q/r/c.txt"));
    assertEquals("Dockerfile:7: COPY failed: file not found in build context or excluded by"
        + " .dockerignore: stat x/nothing.txt: file does not exist",
        f.failure(Step.copy("x/nothing.txt", "/p/").parents()));
  }

  @Test
  void excludesFilterWhatTheSourcesSelect() throws Exception {
    f.file("dir1/file-101.png", "2");
    f.file("dir1/file-102.txt", "3");
    f.file("dir2/file-201.pdf", "6");
    f.file("dir2/file-203.png", "8");
    f.file("dir3/file-301.mp3", "9");
    f.file("dir3/file-302.mpeg", "10");
    f.copy(Step.copy(".", "/1").exclude("*/*.png"));
    assertEquals(List.of("file-102.txt"), f.list("/1/dir1"));
    assertEquals(List.of("file-201.pdf"), f.list("/1/dir2"));
    f.copy(Step.copy("dir*", "/4/").exclude("*.mp3").exclude("*.png").exclude("*.pdf")
        .exclude("*.txt"));
    assertEquals(List.of("file-302.mpeg"), f.list("/4"));
    f.copy(Step.copy("dir*", "/6").exclude("*"));
    assertEquals(List.of(), f.list("/6"), "all excluded: the destination is still made");
  }

  @Test
  void copyFromAStageKeepsTheSourceOwnersAndFollowsItsSymlinksInside() throws Exception {
    Path stage = Files.createDirectories(tmp.resolve("stage"));
    CopyFixture.write(stage, "app/bin/tool", "binary");
    Files.createSymbolicLink(stage.resolve("current"), Path.of("/app"));
    f.source = new SourceTree.Filesystem(LayerStack.of(List.of(stage)));
    f.copy(Step.copy("/current/bin/tool", "/usr/local/bin/"));
    assertEquals("binary", f.read("/usr/local/bin/tool"));
    f.copy(Step.copy("../../app", "/opt/"));
    assertEquals("binary", f.read("/opt/bin/tool"), "--from paths are clamped at the root");
    assertEquals("Dockerfile:7: COPY failed: stat app/missing: file does not exist",
        f.failure(Step.copy("/app/missing", "/")));
  }

  @Test
  void linkCopiesWithoutLookingAtTheImage() throws Exception {
    Path base = f.layers.get(0);
    Files.createDirectories(base.resolve("real"));
    Files.createSymbolicLink(base.resolve("link"), Path.of("/real"));
    Files.createDirectories(base.resolve("tmp"));
    CopyFixture.mode(base.resolve("tmp"), 01777);
    f.file("a.txt", "a");
    f.copy(Step.copy("a.txt", "/link/").link());
    assertTrue(Files.isDirectory(f.upper.resolve("link"), LinkOption.NOFOLLOW_LINKS),
        "the symlink of the image is not followed: a directory shadows it");
    assertEquals("a", f.read("/link/a.txt"));
    assertFalse(f.exists("/real/a.txt"));
    f.copy(Step.copy("a.txt", "/tmp/x/").link());
    assertEquals(0755, f.meta("/tmp").permissions(), "--link makes plain 0755 parents");
  }

  @Test
  void copyIntoTheRootDirectory() throws Exception {
    f.file("dir/x", "1");
    f.copy(Step.copy("dir", "/"));
    assertEquals("1", f.read("/x"));
  }
}
