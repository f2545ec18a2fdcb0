package io.zlayer.adapters.sandbox.copy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.zlayer.adapters.sandbox.layer.FileMetadata;
import io.zlayer.adapters.sandbox.layer.LayerStack;
import io.zlayer.adapters.sandbox.run.user.PasswdDatabase;
import io.zlayer.application.testing.RealParts;
import io.zlayer.domain.dockerfile.instructions.Chmod;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --chown and --chmod, and who owns what COPY writes (needs root to give files owners). */
class OwnershipAndModeTest {
  @TempDir
  Path tmp;
  CopyFixture f;

  @BeforeEach
  void setUp() throws Exception {
    RealParts.requireRoot();
    f = new CopyFixture(tmp);
    f.layer();
    f.owners = PasswdDatabase.of("root:x:0:0:root:/root:/bin/sh\napp:x:1001:1002::/home/app:\n",
        "root:x:0:\nstaff:x:50:\napp:x:1002:\n");
  }

  private void assertOwner(String path, int uid, int gid) throws Exception {
    FileMetadata m = f.meta(path);
    assertEquals(uid + ":" + gid, m.uid() + ":" + m.gid(), path);
  }

  @Test
  void contextFilesBelongToRootWhateverTheirHostOwner() throws Exception {
    Path a = f.file("dir/a", "a");
    CopyFixture.owner(a, 4321, 8765);
    CopyFixture.owner(f.context.resolve("dir"), 4321, 8765);
    f.file("dir/sub/b", "b");
    CopyFixture.owner(f.context.resolve("dir/sub"), 4321, 8765);
    f.copy(Step.copy("dir", "/out"));
    assertOwner("/out/a", 0, 0);
    assertOwner("/out/sub", 0, 0);
  }

  @Test
  void stageFilesKeepTheirOwners() throws Exception {
    Path stage = Files.createDirectories(tmp.resolve("stage"));
    Path tool = CopyFixture.write(stage, "app/tool", "x");
    CopyFixture.owner(tool, 1000, 1000);
    CopyFixture.owner(stage.resolve("app"), 33, 33);
    f.source = new SourceTree.Filesystem(LayerStack.of(List.of(stage)));
    f.copy(Step.copy("/app", "/srv/app"));
    assertOwner("/srv/app/tool", 1000, 1000);
    f.copy(Step.copy("/app/tool", "/chowned").chown("7:8"));
    assertOwner("/chowned", 7, 8);
  }

  @Test
  void numericChown() throws Exception {
    f.file("dir/a", "a");
    f.file("dir/sub/b", "b");
    f.copy(Step.copy("dir", "/new/parent/").chown("1234:5678"));
    assertOwner("/new/parent/a", 1234, 5678);
    assertOwner("/new/parent/sub", 1234, 5678);
    assertOwner("/new/parent/sub/b", 1234, 5678);
    assertOwner("/new/parent", 1234, 5678);
    assertOwner("/new", 1234, 5678);
    f.copy(Step.copy("dir/a", "/lone").chown("1000"));
    assertOwner("/lone", 1000, 1000);
  }

  @Test
  void namesResolveInTheDestinationImage() throws Exception {
    f.file("a", "a");
    f.copy(Step.copy("a", "/u1").chown("app"));
    assertOwner("/u1", 1001, 1002);
    f.copy(Step.copy("a", "/u2").chown("app:staff"));
    assertOwner("/u2", 1001, 50);
    f.copy(Step.copy("a", "/u3").chown("1001:staff"));
    assertOwner("/u3", 1001, 50);
    f.copy(Step.copy("a", "/u4").chown("app:99"));
    assertOwner("/u4", 1001, 99);
    f.owners = PasswdDatabase.empty();
    f.copy(Step.copy("a", "/u5").chown("root:root"));
    assertOwner("/u5", 0, 0);
  }

  @Test
  void unknownNamesFailWithDockersWords() throws Exception {
    f.file("a", "a");
    assertEquals("Dockerfile:7: unable to convert uid/gid chown string to host mapping: can't"
        + " find uid for user nobody: no such user: nobody",
        f.failure(Step.copy("a", "/x").chown("nobody")));
    assertEquals("Dockerfile:7: unable to convert uid/gid chown string to host mapping: can't"
        + " find gid for group wheel: no such group: wheel",
        f.failure(Step.copy("a", "/x").chown("app:wheel")));
  }

  @Test
  void octalChmodAppliesToFilesAndDirectoriesCopied() throws Exception {
    Path a = f.file("dir/a", "a");
    CopyFixture.mode(a, 0600);
    f.file("dir/sub/b", "b");
    f.copy(Step.copy("dir", "/out").chmod(new Chmod.Octal(0640)));
    assertEquals(0640, f.meta("/out/a").permissions());
    assertEquals(0640, f.meta("/out/sub").permissions(), "BuildKit's chmod hits directories");
    assertEquals(0755, f.meta("/out").permissions(), "the destination made by mkdir -p is not");
    f.copy(Step.copy("dir/a", "/suid").chmod(new Chmod.Octal(04755)));
    assertEquals(04755, f.meta("/suid").permissions());
  }

  @Test
  void symbolicChmodChangesEachEntrysMode() throws Exception {
    Path a = f.file("dir/a", "a");
    CopyFixture.mode(a, 0600);
    Path run = f.file("dir/run.sh", "#!/bin/sh");
    CopyFixture.mode(run, 0700);
    f.file("dir/sub/b", "b");
    CopyFixture.mode(f.context.resolve("dir/sub"), 0700);
    f.copy(Step.copy("dir", "/out").chmod(new Chmod.Symbolic("u=rwX,go=rX")));
    assertEquals(0644, f.meta("/out/a").permissions());
    assertEquals(0755, f.meta("/out/run.sh").permissions());
    assertEquals(0755, f.meta("/out/sub").permissions());
    f.copy(Step.copy("dir/a", "/x").chmod(new Chmod.Symbolic("+x")));
    assertEquals(0711, f.meta("/x").permissions());
  }

  @Test
  void modesSurviveChown() throws Exception {
    Path a = f.file("a", "a");
    CopyFixture.mode(a, 06755);
    f.copy(Step.copy("a", "/setid").chown("1:1"));
    assertEquals(06755, f.meta("/setid").permissions(), "chown first, then chmod");
  }
}
