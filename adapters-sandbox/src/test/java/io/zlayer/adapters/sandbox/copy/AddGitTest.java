package io.zlayer.adapters.sandbox.copy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.zlayer.adapters.sandbox.layer.FileType;
import io.zlayer.application.testing.RealParts;
import io.zlayer.domain.image.Digest;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ADD of git repositories: a bare repository made in the test with the git program and served
 * over git's "dumb" HTTP protocol by a JDK server on the loopback interface.
 */
class AddGitTest {
  @TempDir
  Path tmp;
  CopyFixture f;
  HttpServer server;
  Path work;
  Path served;
  String repo;
  String v1;

  @BeforeEach
  void setUp() throws Exception {
    RealParts.require("git");
    f = new CopyFixture(tmp.resolve("fixture"));
    f.layer();
    work = Files.createDirectories(tmp.resolve("work"));
    git(work, "init", "-q", "-b", "main");
    CopyFixture.write(work, "a.txt", "version 1");
    CopyFixture.write(work, "sub/b.txt", "in sub");
    Path script = CopyFixture.write(work, "run.sh", "#!/bin/sh\n");
    CopyFixture.mode(script, 0755);
    Files.createSymbolicLink(work.resolve("link"), Path.of("a.txt"));
    git(work, "add", "-A");
    git(work, "commit", "-q", "-m", "one");
    git(work, "tag", "v1");
    v1 = git(work, "rev-parse", "HEAD").strip();
    served = Files.createDirectories(tmp.resolve("served"));
    git(tmp, "clone", "-q", "--bare", work.toString(), served.resolve("repo.git").toString());
    git(served.resolve("repo.git"), "update-server-info");
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::serve);
    server.start();
    repo = "http://127.0.0.1:" + server.getAddress().getPort() + "/repo.git";
  }

  @AfterEach
  void tearDown() {
    if (server != null) {
      server.stop(0);
    }
  }

  private static String git(Path dir, String... args) throws Exception {
    String[] command = new String[args.length + 5];
    command[0] = "git";
    command[1] = "-c";
    command[2] = "user.name=test";
    command[3] = "-c";
    command[4] = "user.email=test@example.invalid";
    System.arraycopy(args, 0, command, 5, args.length);
    return RealParts.run(dir, command);
  }

  private void serve(HttpExchange exchange) throws IOException {
    Path file = served.resolve(exchange.getRequestURI().getPath().substring(1)).normalize();
    if (!file.startsWith(served) || !Files.isRegularFile(file)) {
      exchange.sendResponseHeaders(404, -1);
      exchange.close();
      return;
    }
    byte[] body = Files.readAllBytes(file);
    exchange.sendResponseHeaders(200, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  /** A second commit on main, pushed to the served repository. */
  private void commitAgain() throws Exception {
    CopyFixture.write(work, "a.txt", "version 2");
    git(work, "commit", "-q", "-am", "two");
    git(work, "push", "-q", served.resolve("repo.git").toString(), "main");
    git(served.resolve("repo.git"), "update-server-info");
  }

  @Test
  void checksOutARefWithoutItsGitDirectory() throws Exception {
    commitAgain();
    f.copy(Step.add(repo + "#v1", "/src/"));
    assertEquals("version 1", f.read("/src/a.txt"));
    assertEquals("in sub", f.read("/src/sub/b.txt"));
    assertEquals(0755, f.meta("/src/run.sh").permissions());
    assertEquals(0644, f.meta("/src/a.txt").permissions());
    assertEquals(FileType.SYMLINK, f.meta("/src/link").type());
    assertFalse(f.exists("/src/.git"));
    f.copy(Step.add(repo, "/head"));
    assertEquals("version 2", f.read("/head/a.txt"), "no ref: the default branch");
  }

  @Test
  void keepGitDirKeepsTheRepository() throws Exception {
    f.copy(Step.add(repo + "#main", "/k/").keepGitDir());
    assertTrue(f.exists("/k/.git/HEAD"));
    f.copy(Step.add(repo + "?ref=main&keep-git-dir=true", "/q/"));
    assertTrue(f.exists("/q/.git/HEAD"));
  }

  @Test
  void subdirectoriesAndTheQueryForm() throws Exception {
    f.copy(Step.add(repo + "#v1:sub", "/s/"));
    assertEquals(List.of("b.txt"), f.list("/s"));
    f.copy(Step.add(repo + "?tag=v1&subdir=sub", "/t/"));
    assertEquals(List.of("b.txt"), f.list("/t"));
    assertEquals("Dockerfile:7: ADD failed: git source " + repo + ": subdirectory nope not"
        + " found", f.failure(Step.add(repo + "#v1:nope", "/n/")));
  }

  @Test
  void checksumsPinTheCommit() throws Exception {
    f.copy(Step.add(repo + "#v1", "/ok/").checksum(v1.substring(0, 12)));
    assertTrue(f.exists("/ok/a.txt"));
    String bad = "0000000000000000000000000000000000000000";
    assertEquals("Dockerfile:7: ADD failed: git source " + repo + ": checksum mismatch:"
        + " expected " + bad + ", got " + v1, f.failure(Step.add(repo + "#v1", "/b/")
            .checksum(bad)));
  }

  @Test
  void theDigestFollowsTheRef() throws Exception {
    Step step = Step.add(repo + "#main", "/d/");
    Digest before = f.digest(step);
    assertEquals(before, f.digest(step));
    commitAgain();
    assertNotEquals(before, f.digest(step));
    assertEquals(f.digest(Step.add(repo + "#v1", "/d/")), f.digest(Step.add(repo + "#" + v1,
        "/d/")), "a tag and its commit name the same content");
  }

  @Test
  void unknownRefsFail() throws Exception {
    assertEquals("Dockerfile:7: ADD failed: git source " + repo + ": ref nope not found",
        f.failure(Step.add(repo + "#nope", "/x/")));
  }
}
