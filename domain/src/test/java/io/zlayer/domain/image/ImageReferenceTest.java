package io.zlayer.domain.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zlayer.domain.error.InvalidReferenceException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ImageReferenceTest {
  private static final String SHA256_F = "sha256:" + "f".repeat(64);
  private static final String SHA256_REDIS =
      "sha256:dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9c";
  private static final String SHA512_F = "sha512:" + "f".repeat(128);

  private static ImageReference parse(String s) throws InvalidReferenceException {
    return ImageReference.parse(s);
  }

  private static String error(String s) {
    return assertThrows(InvalidReferenceException.class, () -> parse(s), s).getMessage();
  }

  // --- normalization (normalize_test.go: TestParseRepositoryInfo, TestNormalizedSplitHostname)

  @ParameterizedTest
  @CsvSource({
      // input, registry, repository, canonical, familiar
      "alpine, docker.io, library/alpine, docker.io/library/alpine:latest, alpine:latest",
      "user/app, docker.io, user/app, docker.io/user/app:latest, user/app:latest",
      "user/app:1, docker.io, user/app, docker.io/user/app:1, user/app:1",
      "docker.io/alpine, docker.io, library/alpine, docker.io/library/alpine:latest,"
          + " alpine:latest",
      "docker.io/library/alpine:3.19, docker.io, library/alpine,"
          + " docker.io/library/alpine:3.19, alpine:3.19",
      "index.docker.io/alpine, docker.io, library/alpine, docker.io/library/alpine:latest,"
          + " alpine:latest",
      "index.docker.io/fooo/bar, docker.io, fooo/bar, docker.io/fooo/bar:latest,"
          + " fooo/bar:latest",
      "library/ubuntu, docker.io, library/ubuntu, docker.io/library/ubuntu:latest,"
          + " ubuntu:latest",
      "other/library, docker.io, other/library, docker.io/other/library:latest,"
          + " other/library:latest",
      "library/foo/bar, docker.io, library/foo/bar, docker.io/library/foo/bar:latest,"
          + " library/foo/bar:latest",
      "store/foo/bar, docker.io, store/foo/bar, docker.io/store/foo/bar:latest,"
          + " store/foo/bar:latest",
      "ubuntu-12.04-base, docker.io, library/ubuntu-12.04-base,"
          + " docker.io/library/ubuntu-12.04-base:latest, ubuntu-12.04-base:latest",
      "127.0.0.1:8000/private/moonbase, 127.0.0.1:8000, private/moonbase,"
          + " 127.0.0.1:8000/private/moonbase:latest, 127.0.0.1:8000/private/moonbase:latest",
      "example.com/privatebase, example.com, privatebase, example.com/privatebase:latest,"
          + " example.com/privatebase:latest",
      "example.com:8000/private/moonbase, example.com:8000, private/moonbase,"
          + " example.com:8000/private/moonbase:latest,"
          + " example.com:8000/private/moonbase:latest",
      "localhost:5000/x, localhost:5000, x, localhost:5000/x:latest, localhost:5000/x:latest",
      "localhost/x, localhost, x, localhost/x:latest, localhost/x:latest",
      "localhost, docker.io, library/localhost, docker.io/library/localhost:latest,"
          + " localhost:latest",
      "test_com/foo, docker.io, test_com/foo, docker.io/test_com/foo:latest,"
          + " test_com/foo:latest",
      "xn--n3h.com:18080/foo, xn--n3h.com:18080, foo, xn--n3h.com:18080/foo:latest,"
          + " xn--n3h.com:18080/foo:latest",
      "Foo/bar, Foo, bar, Foo/bar:latest, Foo/bar:latest",
      "FOO/bar, FOO, bar, FOO/bar:latest, FOO/bar:latest",
      "[::1]:5000/repo, [::1]:5000, repo, [::1]:5000/repo:latest, [::1]:5000/repo:latest",
      "[2001:db8::1]/repo, [2001:db8::1], repo, [2001:db8::1]/repo:latest,"
          + " [2001:db8::1]/repo:latest",
      "ghcr.io/owner/app:v1.2.3, ghcr.io, owner/app, ghcr.io/owner/app:v1.2.3,"
          + " ghcr.io/owner/app:v1.2.3",
      // familiar forms keep docker.io when the path would otherwise read as a registry
      "docker.io/example.com/app, docker.io, example.com/app, docker.io/example.com/app:latest,"
          + " docker.io/example.com/app:latest",
      "index.docker.io/localhost/app, docker.io, localhost/app,"
          + " docker.io/localhost/app:latest, docker.io/localhost/app:latest",
      "docker.io/localhostx/app, docker.io, localhostx/app, docker.io/localhostx/app:latest,"
          + " localhostx/app:latest",
  })
  void normalizes(String input, String registry, String repository, String canonical,
      String familiar) throws Exception {
    ImageReference ref = parse(input);
    assertEquals(registry, ref.registry());
    assertEquals(repository, ref.repository());
    assertEquals(canonical, ref.toString());
    assertEquals(familiar, ref.familiarString());
    assertEquals(ref, parse(ref.toString()), "canonical form parses to the same reference");
    assertEquals(ref, parse(ref.familiarString()), "familiar form parses to the same reference");
  }

  @Test
  void defaultTagOnlyWithoutDigest() throws Exception {
    ImageReference tagged = parse("alpine");
    assertEquals(Optional.of("latest"), tagged.tag());
    assertEquals(Optional.empty(), tagged.digest());

    ImageReference digested = parse("alpine@" + SHA256_F);
    assertEquals(Optional.empty(), digested.tag());
    assertEquals(Optional.of(SHA256_F), digested.digest());
    assertEquals("docker.io/library/alpine@" + SHA256_F, digested.toString());
    assertEquals("alpine@" + SHA256_F, digested.familiarString());
  }

  @Test
  void tagAndDigestTogether() throws Exception {
    // normalize_test.go TestParseReferenceWithTagAndDigest
    String shortRef = "busybox:latest@sha256:"
        + "86e0e091d0da6bde2456dbb48306f3956bbeb2eae1b5b9a43045843f69fe4aaa";
    ImageReference ref = parse(shortRef);
    assertEquals("docker.io/library/" + shortRef, ref.toString());
    assertEquals(shortRef, ref.familiarString());
    assertEquals(Optional.of("latest"), ref.tag());
    assertTrue(ref.digest().isPresent());
  }

  // --- the grammar (reference_test.go TestReferenceParse), through the normalizing parser

  @ParameterizedTest
  @CsvSource({
      // input, registry, repository, tag ('-' none), digest ('-' none)
      "test.com:tag, docker.io, library/test.com, tag, -",
      "test.com:5000, docker.io, library/test.com, 5000, -",
      "test.com/repo:tag, test.com, repo, tag, -",
      "test:5000/repo, test:5000, repo, latest, -",
      "test:5000/repo:tag, test:5000, repo, tag, -",
      "test:5000/repo@" + "sha256:ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"
          + ", test:5000, repo, -, sha256:"
          + "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
      "lowercase:Uppercase, docker.io, library/lowercase, Uppercase, -",
      "sub-dom1.foo.com/bar/baz/quux:some-long-tag, sub-dom1.foo.com, bar/baz/quux,"
          + " some-long-tag, -",
      "b.gcr.io/test.example.com/my-app:test.example.com, b.gcr.io, test.example.com/my-app,"
          + " test.example.com, -",
      "xn--n3h.com/myimage:xn--n3h.com, xn--n3h.com, myimage, xn--n3h.com, -",
      "foo_bar.com:8080, docker.io, library/foo_bar.com, 8080, -",
      "foo/foo_bar.com:8080, docker.io, foo/foo_bar.com, 8080, -",
      "192.168.1.1, docker.io, library/192.168.1.1, latest, -",
      "192.168.1.1:tag, docker.io, library/192.168.1.1, tag, -",
      "192.168.1.1/repo, 192.168.1.1, repo, latest, -",
      "192.168.1.1:5000/repo:5050, 192.168.1.1:5000, repo, 5050, -",
      "[2001:db8:1:2:3:4:5:6]/repo:tag, [2001:db8:1:2:3:4:5:6], repo, tag, -",
      "[2001:db8::1]:5000/repo:tag, [2001:db8::1]:5000, repo, tag, -",
      "[2001:db8::]:5000/repo, [2001:db8::]:5000, repo, latest, -",
      "docker---rules/docker, docker.io, docker---rules/docker, latest, -",
      "dock__er/docker, docker.io, dock__er/docker, latest, -",
      "d/docker, docker.io, d/docker, latest, -",
      "docker.io/1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a, docker.io,"
          + " library/1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a, latest, -",
      "dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9, docker.io,"
          + " library/dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9, latest, -",
  })
  void grammar(String input, String registry, String repository, String tag, String digest)
      throws Exception {
    ImageReference ref = parse(input);
    assertEquals(registry, ref.registry());
    assertEquals(repository, ref.repository());
    assertEquals(tag.equals("-") ? Optional.empty() : Optional.of(tag), ref.tag());
    assertEquals(digest.equals("-") ? Optional.empty() : Optional.of(digest), ref.digest());
  }

  @Test
  void sha512DigestAndPunycodeTag() throws Exception {
    ImageReference ref = parse("xn--7o8h.com/myimage:xn--7o8h.com@" + SHA512_F);
    assertEquals("xn--7o8h.com", ref.registry());
    assertEquals(Optional.of("xn--7o8h.com"), ref.tag());
    assertEquals(Optional.of(SHA512_F), ref.digest());
  }

  @Test
  void pathLengthLimitAppliesToThePathOnly() throws Exception {
    String longest = "a".repeat(255);
    ImageReference ref = parse("example.com/" + longest + ":tag");
    assertEquals(longest, ref.repository());
    assertEquals("invalid reference \"domain/" + "a".repeat(256) + ":tag\": repository name"
        + " must not be more than 255 characters", error("domain/" + "a".repeat(256) + ":tag"));
    // 127 * "a/" + "a" (255 characters): "a" is not a domain, so all of it is the path
    ImageReference many = parse("a/".repeat(127) + "a:tag-puts-this-over-max");
    assertEquals("docker.io", many.registry());
    assertEquals(("a/".repeat(127) + "a").length(), many.repository().length());
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "", ":justtag",
      "@" + "sha256:ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
      "aa/asdf$$^/aa", "[2001:db8::1]", "[2001:db8::1]:5000", "[2001:db8::1]:tag",
      "[fe80::1%eth0]:5000/repo", "[fe80::1%@invalidzone]:5000/repo",
      "https://github.com/docker/docker", "-docker", "-docker/docker",
      "-docker.io/docker/docker", "docker///docker", "docker.io/docker///docker", "[fc00::1]",
      "[fc00::1]:5000", "fc00::1:5000/debian", "[2001:db8:3:4::192.0.2.33]:5000/debian",
      "docker-/docker", "-docker-/docker", "____/____", "_docker/_docker", "dock..er/docker",
      "dock_.er/docker", "dock-.er/docker", "docker/", "a b", "alpine:", "alpine:-x",
      "alpine:.x", "alpine@", "alpine@sha256:abc",
      "alpine@@" + "sha256:ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
      "localhost:/x", "host:port/x", "foo_bar.com/app", "ex ample.com/x", "alpine\n",
  })
  void rejects(String input) {
    String message = error(input);
    assertTrue(message.startsWith("invalid reference \""), message);
    assertFalse(message.contains("\n"), "one line: " + message);
  }

  @Test
  void tagLengthLimit() throws Exception {
    assertEquals(Optional.of("t".repeat(128)), parse("alpine:" + "t".repeat(128)).tag());
    assertTrue(error("alpine:" + "t".repeat(129)).contains("1 to 128 characters"));
  }

  @Test
  void rejectsImageIds() {
    String id = "1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a";
    assertTrue(error(id).contains("64-byte hexadecimal"));
  }

  @ParameterizedTest
  @CsvSource({
      "Foo, invalid reference \"Foo\": repository name must be lowercase",
      "Uppercase:tag, invalid reference \"Uppercase:tag\": repository name must be lowercase",
      "docker/Docker, invalid reference \"docker/Docker\": repository name must be lowercase",
      "test:5000/Uppercase/lowercase:tag,"
          + " invalid reference \"test:5000/Uppercase/lowercase:tag\": repository name must be"
          + " lowercase",
      "docker.io/docker/Docker,"
          + " invalid reference \"docker.io/docker/Docker\": repository name must be lowercase",
  })
  void uppercaseRepositoryNamesHaveDockersMessage(String input, String message) {
    assertEquals(message, error(input));
  }

  @Test
  void digestValidation() {
    assertTrue(error("repo@sha256:" + "f".repeat(34)).contains("invalid checksum digest length"));
    assertTrue(error("validname@invaliddigest:" + "f".repeat(64))
        .contains("unsupported digest algorithm"));
    assertTrue(error("repo@sha256:" + "F".repeat(64)).contains("lowercase"));
    assertTrue(error("repo@sha512:" + "f".repeat(64)).contains("needs 128 hex digits"));
  }

  @Test
  void errorMessagesNameTheProblem() {
    assertEquals("invalid reference \"alpine:-x\": invalid reference format: tag \"-x\" must be 1"
        + " to 128 characters of [A-Za-z0-9_.-], not starting with '.' or '-'",
        error("alpine:-x"));
    assertEquals("invalid reference \"aa/asdf$$^/aa\": invalid reference format: invalid path"
        + " component \"asdf$$^\" (allowed: lowercase letters and digits, separated by '.', '_',"
        + " '__' or dashes)", error("aa/asdf$$^/aa"));
    assertEquals("invalid reference \"foo_bar.com/app\": \"foo_bar.com\" is not a valid registry"
        + " host", error("foo_bar.com/app"));
    assertTrue(error("alpine\n").startsWith("invalid reference \"alpine\\n\": invalid reference"
        + " format: invalid path component \"alpine\\n\""), error("alpine\n"));
  }

  // --- other entry points and accessors

  @Test
  void parseRepositoryHasNoTag() throws Exception {
    ImageReference repo = ImageReference.parseRepository("localhost:5000/team/app");
    assertEquals("localhost:5000/team/app", repo.toString());
    assertTrue(repo.isNameOnly());
    assertEquals("docker.io/library/alpine", ImageReference.parseRepository("alpine").toString());
    assertThrows(InvalidReferenceException.class,
        () -> ImageReference.parseRepository("alpine:3"));
    assertThrows(InvalidReferenceException.class,
        () -> ImageReference.parseRepository("alpine@" + SHA256_F));
    assertThrows(InvalidReferenceException.class, () -> ImageReference.parseRepository("Alpine"));
  }

  @Test
  void scratch() {
    assertTrue(ImageReference.isScratch("scratch"));
    assertFalse(ImageReference.isScratch("Scratch"));
    assertFalse(ImageReference.isScratch("scratch:latest"));
    assertFalse(ImageReference.isScratch("docker.io/library/scratch"));
  }

  @Test
  void fullName() throws Exception {
    assertEquals("docker.io/library/alpine", parse("alpine:3").fullName());
    assertEquals("alpine", parse("alpine:3").familiarName());
    assertEquals("ghcr.io/o/app", parse("ghcr.io/o/app@" + SHA256_F).fullName());
  }

  @Test
  void withTagAndDigest() throws Exception {
    ImageReference alpine = parse("alpine");
    assertEquals("docker.io/library/alpine:3.20", alpine.withTag("3.20").toString());
    assertEquals("docker.io/library/alpine:latest@" + SHA256_REDIS,
        alpine.withDigest(SHA256_REDIS).toString());
    ImageReference digested = parse("alpine@" + SHA256_REDIS);
    assertEquals("docker.io/library/alpine:TAG5@" + SHA256_REDIS,
        digested.withTag("TAG5").toString());
    assertEquals("docker.io/library/alpine", alpine.withoutTagOrDigest().toString());
    assertThrows(InvalidReferenceException.class, () -> alpine.withTag("-foo"));
    assertThrows(InvalidReferenceException.class, () -> alpine.withTag(""));
    assertThrows(InvalidReferenceException.class, () -> alpine.withDigest("foo"));
    assertThrows(InvalidReferenceException.class, () -> alpine.withDigest("sha256:abc"));
    assertThrows(InvalidReferenceException.class,
        () -> alpine.withDigest("sha256:" + "A".repeat(64)));
  }

  @Test
  void withRegistry() throws Exception {
    ImageReference alpine = parse("alpine:3");
    assertEquals("localhost:5000/library/alpine:3",
        alpine.withRegistry("localhost:5000").toString());
    ImageReference local = parse("localhost:5000/app:1");
    assertEquals("docker.io/library/app:1", local.withRegistry("docker.io").toString());
    assertEquals("docker.io/library/app:1", local.withRegistry("index.docker.io").toString());
    assertEquals("ghcr.io/app:1", local.withRegistry("ghcr.io").toString());
    assertThrows(InvalidReferenceException.class, () -> local.withRegistry("bad_host"));
    assertThrows(InvalidReferenceException.class, () -> local.withRegistry("host:"));
  }

  @Test
  void registryApiHost() throws Exception {
    assertEquals("registry-1.docker.io", parse("alpine").registryApiHost());
    assertEquals("registry-1.docker.io", parse("index.docker.io/user/x").registryApiHost());
    assertEquals("ghcr.io", parse("ghcr.io/o/x").registryApiHost());
    assertEquals("localhost:5000", parse("localhost:5000/x").registryApiHost());
    assertTrue(parse("alpine").isDockerHub());
    assertFalse(parse("quay.io/x/y").isDockerHub());
  }

  @ParameterizedTest
  @CsvSource({
      "localhost/x, true", "localhost:5000/x, true", "LOCALHOST:5000/x, true",
      "127.0.0.1/x, true", "127.0.0.1:5000/x, true", "127.255.1.2:80/x, true",
      "[::1]/x, true", "[::1]:5000/x, true", "[0:0:0:0:0:0:0:1]:5000/x, true",
      "[0::1]/x, true", "128.0.0.1:5000/x, false", "10.0.0.1/x, false", "[::2]/x, false",
      "[::]/x, false", "localhost.example.com/x, false", "alpine, false", "127.0.0/x, false",
      "127.0.0.256/x, false", "127.0.0.01/x, false", "127.0.0.1.5/x, false",
      "[1::1]:5000/x, false", "[::1:1]/x, false",
  })
  void loopbackRegistry(String input, boolean loopback) throws Exception {
    assertEquals(loopback, parse(input).isLoopbackRegistry(), input);
  }

  @Test
  void constructorRejectsInvalidComponents() {
    assertThrows(IllegalArgumentException.class,
        () -> new ImageReference("bad_host", "x", Optional.empty(), Optional.empty()));
    assertThrows(IllegalArgumentException.class,
        () -> new ImageReference("docker.io", "X", Optional.empty(), Optional.empty()));
    assertThrows(IllegalArgumentException.class,
        () -> new ImageReference("docker.io", "x", Optional.of("-t"), Optional.empty()));
    assertThrows(IllegalArgumentException.class,
        () -> new ImageReference("docker.io", "x", Optional.empty(), Optional.of("sha256:1")));
  }

  // --- differential test against the regex transcription of distribution/reference

  @Test
  void agreesWithDistributionRegexpsOnGeneratedInputs() {
    String[] atoms = {
        "a", "b", "z", "0", "9", "A", "Z", ".", "_", "__", "-", "--", ":", "/", "@", "[", "]",
        "::1", "5000", "localhost", "docker.io", "index.docker.io", "library", "f", "ff",
        "sha256:" + "a".repeat(64), "sha512:" + "b".repeat(128), "sha256:" + "A".repeat(64),
        "sha384:" + "c".repeat(96), "md5:" + "d".repeat(32), "x".repeat(60), "é", " ", "\n",
        "$", "%", "+",
    };
    Random random = new Random(20261126L);
    List<String> disagreements = new ArrayList<>();
    for (int i = 0; i < 60_000 && disagreements.size() < 10; i++) {
      StringBuilder sb = new StringBuilder();
      int n = 1 + random.nextInt(12);
      for (int j = 0; j < n; j++) {
        sb.append(atoms[random.nextInt(atoms.length)]);
      }
      String input = sb.toString();
      String problem = compareWithOracle(input);
      if (problem != null) {
        disagreements.add(problem);
      }
    }
    assertEquals(List.of(), disagreements);
  }

  /** Null when the parser agrees with Docker's regular expressions on {@code input}. */
  static String compareWithOracle(String input) {
    DistributionReferenceOracle.Result expected =
        DistributionReferenceOracle.parseNormalizedTagged(input);
    ImageReference actual;
    try {
      actual = ImageReference.parse(input);
    } catch (InvalidReferenceException e) {
      if (expected.ok() && !expected.domain().isEmpty()) {
        return "rejected \"" + input + "\" (" + e.getMessage() + "), Docker accepts it";
      }
      return null;
    }
    if (!expected.ok()) {
      return "accepted \"" + input + "\", Docker says " + expected.error();
    }
    if (!expected.domain().equals(actual.registry())
        || !expected.path().equals(actual.repository())
        || !Optional.ofNullable(expected.tag()).equals(actual.tag())
        || !Optional.ofNullable(expected.digest()).equals(actual.digest())) {
      return "\"" + input + "\" parsed as " + actual + ", Docker: " + expected;
    }
    return null;
  }
}
