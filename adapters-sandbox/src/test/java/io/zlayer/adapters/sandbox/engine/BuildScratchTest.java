package io.zlayer.adapters.sandbox.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuildScratchTest {
  @TempDir Path temp;

  private static List<String> names(Path dir) throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void scratchGoesAwayWithTheBuildEvenWithUnwritableDirectories() throws Exception {
    SandboxEngineSettings settings = new SandboxEngineSettings(temp);
    Path dir;
    try (BuildScratch scratch = BuildScratch.create(settings, LockFiles.JVM)) {
      dir = scratch.dir();
      Path work = scratch.newDirectory("work-");
      Path locked = Files.createDirectories(work.resolve("work/inner"));
      Files.writeString(locked.resolve("f"), "x");
      Files.setAttribute(locked.getParent(), "unix:mode", 0); // as overlayfs leaves it
      Path root = scratch.newRootDirectory("upper-");
      assertEquals(0755, (Integer) Files.getAttribute(root, "unix:mode") & 07777);
      assertEquals(0700, (Integer) Files.getAttribute(work, "unix:mode") & 07777);
    }
    assertFalse(Files.exists(dir));
    assertEquals(List.of(), names(settings.scratchDir()));
  }

  @Test
  void abandonedScratchIsSweptButLiveScratchIsKept() throws Exception {
    SandboxEngineSettings settings = new SandboxEngineSettings(temp);
    Path tmp = Files.createDirectories(settings.scratchDir());
    Files.createDirectories(tmp.resolve("dead/upper/x"));
    Files.writeString(tmp.resolve("dead.lock"), "");
    Files.createDirectories(tmp.resolve("nolock/y"));
    Files.writeString(tmp.resolve("orphan.lock"), "");
    try (BuildScratch live = BuildScratch.create(settings, LockFiles.JVM)) {
      String liveName = live.dir().getFileName().toString();
      assertEquals(List.of(liveName, liveName + ".lock"), names(tmp));
      Thread other = new Thread(() -> {
        try (BuildScratch second = BuildScratch.create(settings, LockFiles.JVM)) {
          assertTrue(Files.isDirectory(live.dir()), "a running build's scratch is kept");
        } catch (Exception e) {
          throw new AssertionError(e);
        }
      });
      other.start();
      other.join();
      assertEquals(List.of(liveName, liveName + ".lock"), names(tmp));
    }
  }
}
