package io.zlayer.adapters.sandbox.copy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zlayer.adapters.sandbox.layer.LayerStack;
import io.zlayer.domain.dockerfile.ignore.DockerIgnore;
import io.zlayer.domain.image.Digest;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cache digest of COPY sources and its stat cache. */
class SourceDigestTest {
  private static final Duration RACY = Duration.ofMillis(200);

  @TempDir
  Path tmp;
  CopyFixture f;

  @BeforeEach
  void setUp() throws Exception {
    f = new CopyFixture(tmp, RACY);
    f.layer();
    f.file("app/main.c", "int main() {}");
    f.file("app/lib/util.c", "void util() {}");
    f.file("app/README", "docs");
  }

  private static void settle() throws InterruptedException {
    Thread.sleep(RACY.toMillis() + 150); // older than the racy window
  }

  private Digest digest() throws Exception {
    return f.digest(Step.copy("app", "/app/"));
  }

  @Test
  void touchAndOwnersDoNotChangeIt() throws Exception {
    Digest d = digest();
    CopyFixture.mtime(f.context.resolve("app/main.c"), 1_000_000L);
    CopyFixture.mtime(f.context.resolve("app/lib"), 1_000_000L);
    if (HostFiles.isRoot()) {
      CopyFixture.owner(f.context.resolve("app/README"), 1234, 1234);
    }
    assertEquals(d, digest());
  }

  @Test
  void contentModeNameAndLinkTargetsChangeIt() throws Exception {
    Digest d = digest();
    f.file("app/main.c", "int main() { return 1; }");
    Digest content = digest();
    assertNotEquals(d, content);
    CopyFixture.mode(f.context.resolve("app/main.c"), 0755);
    Digest mode = digest();
    assertNotEquals(content, mode);
    Files.move(f.context.resolve("app/README"), f.context.resolve("app/README.md"));
    Digest name = digest();
    assertNotEquals(mode, name);
    Files.createSymbolicLink(f.context.resolve("app/link"), Path.of("main.c"));
    Digest link = digest();
    assertNotEquals(name, link);
    Files.delete(f.context.resolve("app/link"));
    Files.createSymbolicLink(f.context.resolve("app/link"), Path.of("README.md"));
    assertNotEquals(link, digest());
    Files.createDirectories(f.context.resolve("app/empty"));
    assertNotEquals(link, digest(), "an empty directory is copied, so it counts");
  }

  @Test
  void onlyTheSelectedFilesCount() throws Exception {
    Digest d = digest();
    f.file("other/file", "not copied");
    assertEquals(d, digest());
    f.ignore = DockerIgnore.parse(".dockerignore", "app/README\n");
    Digest ignored = digest();
    assertNotEquals(d, ignored);
    f.file("app/README", "changed but ignored");
    assertEquals(ignored, digest());
    Digest excluded = f.digest(Step.copy("app", "/app/").exclude("lib"));
    f.file("app/lib/util.c", "changed but excluded");
    assertEquals(excluded, f.digest(Step.copy("app", "/app/").exclude("lib")));
    assertNotEquals(f.digest(Step.copy("app/main.c", "/x/")),
        f.digest(Step.copy("app/lib/util.c", "/x/")));
  }

  @Test
  void chownAndChmodAreNotPartOfIt() throws Exception {
    assertEquals(digest(), f.digest(Step.copy("app", "/app/").chown("1:1")
        .chmod(new io.zlayer.domain.dockerfile.instructions.Chmod.Octal(0600))));
  }

  @Test
  void stageSourcesHaveDigestsToo() throws Exception {
    Path stage = Files.createDirectories(tmp.resolve("stage"));
    CopyFixture.write(stage, "out/bin", "v1");
    f.source = new SourceTree.Filesystem(LayerStack.of(List.of(stage)));
    Digest d = f.digest(Step.copy("/out", "/o/"));
    CopyFixture.write(stage, "out/bin", "v2");
    assertNotEquals(d, f.digest(Step.copy("/out", "/o/")));
  }

  @Test
  void anUnchangedContextIsNotReadAgain() throws Exception {
    Path big = f.context.resolve("big");
    for (int i = 0; i < 5000; i++) {
      CopyFixture.write(big, "d" + (i % 50) + "/f" + i + ".txt", "content " + i);
    }
    settle();
    Step step = Step.copy("big", "/big/");
    long t0 = System.nanoTime();
    Digest first = f.digest(step);
    long cold = System.nanoTime() - t0;
    assertEquals(5000, f.copier.filesHashed());

    // another process: a new copier over the same cache directory
    DockerFileCopier again = new DockerFileCopier(f.cache, HttpClient.newHttpClient(), RACY);
    long t1 = System.nanoTime();
    Digest second = again.sourceDigest(f.request(step));
    long warm = System.nanoTime() - t1;
    assertEquals(first, second);
    assertEquals(0, again.filesHashed(), "every file came from the stat cache");

    for (int i = 0; i < 5000; i++) {
      Path p = big.resolve("d" + (i % 50) + "/f" + i + ".txt");
      CopyFixture.mtime(p, 2_000_000_000L + i);
    }
    settle();
    assertEquals(first, again.sourceDigest(f.request(step)), "touch keeps the digest");
    assertEquals(5000, again.filesHashed(), "touched files are read once more");
    assertEquals(first, again.sourceDigest(f.request(step)));
    assertEquals(5000, again.filesHashed(), "and then come from the cache again");
    System.out.printf("5000 files: cold digest %d ms, warm %d ms%n", cold / 1_000_000,
        warm / 1_000_000);
  }

  @Test
  void filesChangedJustNowAreNotTrustedToTheCache() throws Exception {
    f.file("fresh/file", "new");
    Step step = Step.copy("fresh", "/f/");
    f.digest(step);
    long read = f.copier.filesHashed();
    f.digest(step);
    assertEquals(read + 1, f.copier.filesHashed(), "a file changed within the racy window"
        + " is read again");
    settle();
    f.digest(step);
    long afterSettle = f.copier.filesHashed();
    f.digest(step);
    assertEquals(afterSettle, f.copier.filesHashed());
    assertTrue(Files.exists(f.cache.resolve("content-hashes")));
  }
}
