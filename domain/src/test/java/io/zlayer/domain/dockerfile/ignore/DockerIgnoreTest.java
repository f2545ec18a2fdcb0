package io.zlayer.domain.dockerfile.ignore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zlayer.domain.error.DockerfileException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DockerIgnoreTest {

  private static DockerIgnore parse(String content) throws DockerfileException {
    return DockerIgnore.parse(".dockerignore", content);
  }

  private static List<String> texts(DockerIgnore ignore) {
    return ignore.patterns().stream().map(IgnorePattern::toString).collect(Collectors.toList());
  }

  /** The decision a top-down walk reaches for {@code path}, deciding each parent on the way. */
  static IgnoreDecision walkTo(DockerIgnore ignore, String path) {
    String parent = SlashPaths.dir(path);
    IgnoreDecision decision = ignore.root();
    if (!parent.equals(".")) {
      StringBuilder prefix = new StringBuilder();
      for (String component : parent.split("/", -1)) {
        if (prefix.length() > 0) {
          prefix.append('/');
        }
        prefix.append(component);
        decision = ignore.decide(decision, prefix.toString(), true);
      }
    }
    return ignore.decide(decision, path, false);
  }

  // --- ignorefile.ReadAll

  @Test
  void readAllLikeIgnorefile() throws Exception {
    // ignorefile_test.go TestReadAll, without its trailing lone "!" lines
    String content = "test1\n/test2\n/a/file/here\n\nlastfile\n# this is a comment\n"
        + "! /inverted/abs/path\n";
    assertEquals(List.of("test1", "test2", "a/file/here", "lastfile", "!inverted/abs/path"),
        texts(parse(content)));
  }

  @Test
  void loneExclamationMarkIsAnErrorWithItsLine() {
    DockerfileException e = assertThrows(DockerfileException.class,
        () -> parse("test1\n# comment\n\n!\n"));
    assertEquals(".dockerignore:4: illegal exclusion pattern: \"!\"", e.getMessage());
    assertEquals(4, e.line());
    assertThrows(DockerfileException.class, () -> parse("a\n!   \n"));
    assertThrows(DockerfileException.class, () -> parse("!/\n"));
  }

  @Test
  void syntaxErrorsNameFileLineAndPattern() {
    DockerfileException e = assertThrows(DockerfileException.class,
        () -> parse("ok\n[a-\n"));
    assertTrue(e.getMessage().startsWith(".dockerignore:2: syntax error in pattern"),
        e.getMessage());
    assertTrue(e.getMessage().endsWith("(pattern \"[a-\")"), e.getMessage());
    DockerfileException regexp = assertThrows(DockerfileException.class,
        () -> DockerIgnore.parse("app.Dockerfile.dockerignore", "[Local-Only]/\n"));
    assertEquals("app.Dockerfile.dockerignore:1: syntax error in pattern: invalid character class"
        + " range: `l-O` (pattern \"[Local-Only]/\")", regexp.getMessage());
  }

  @Test
  void commentsOnlyInTheFirstColumn() throws Exception {
    assertEquals(List.of("# not a comment", "a"), texts(parse(" # not a comment\n#comment\na")));
  }

  @Test
  void cleaningAndSlashes() throws Exception {
    assertEquals(List.of("foo", "foo/bar", "bar", "..", "/", "a/b", "!c", "!d/e"),
        texts(parse("foo/\n./foo//bar/\nfoo/../bar\n../\n/\n/a/./b\n!/c\n! d/e/\n")));
  }

  @Test
  void lineEndingsBomAndWhitespace() throws Exception {
    assertEquals(List.of("a", "b", "c"), texts(parse("\uFEFFa\r\nb\r\n\t c \u00a0\r\n")));
    // only the first line may start with a BOM
    assertEquals(List.of("a", "\uFEFFb"), texts(parse("a\n\uFEFFb")));
    assertEquals(List.of(), texts(parse("")));
    assertEquals(List.of(), texts(parse("\n\n  \n# x\n")));
  }

  @Test
  void patternListsAreCompiledLikeNew() throws Exception {
    assertEquals(List.of("docs", "config"), texts(DockerIgnore.of(List.of("docs", "config", ""))));
    DockerIgnore trimmed = DockerIgnore.of(List.of("docs", "  !docs/README.md  "));
    assertTrue(trimmed.hasExceptions());
    assertEquals(List.of("docs", "!docs/README.md"), texts(trimmed));
    DockerfileException e = assertThrows(DockerfileException.class,
        () -> DockerIgnore.of(List.of("a", "!")));
    assertEquals("ignore pattern 2: illegal exclusion pattern: \"!\"", e.getMessage());
  }

  // --- matching (patternmatcher_test.go and Docker's documentation)

  @Test
  void patternmatcherBasics() throws Exception {
    assertTrue(DockerIgnore.of(List.of("*")).matches("fileutils.go"));
    assertTrue(DockerIgnore.of(List.of("*.go")).matches("fileutils.go"));
    assertTrue(DockerIgnore.of(List.of("!fileutils.go", "*.go")).matches("fileutils.go"));
    assertFalse(DockerIgnore.of(List.of("docs", "!docs/README.md")).matches("docs/README.md"));
    assertFalse(DockerIgnore.of(List.of("docs/", "!docs/README.md")).matches("docs/README.md"));
    assertFalse(DockerIgnore.of(List.of("docs/*", "!docs/README.md")).matches("docs/README.md"));
    assertFalse(DockerIgnore.of(List.of("*.go", "!fileutils.go")).matches("fileutils.go"));
    assertFalse(DockerIgnore.of(List.of("*.go")).matches("."));
    assertFalse(DockerIgnore.of(List.of("**")).matches("./"));
    assertFalse(DockerIgnore.none().matches("/any/path/there"));
    assertTrue(DockerIgnore.none().isEmpty());
  }

  @ParameterizedTest
  @CsvSource({
      "somedir/temporary.txt, true",
      "somedir/temp, true",
      "somedir/subdir/temporary.txt, true",
      "somedir/subdir/temp/file, true",
      "tempa, true",
      "temp, false",
      "temporary.txt, false",
      "a/b/c/temp.txt, false",
      "src/main.go, false",
  })
  void docsExample(String path, boolean excluded) throws Exception {
    DockerIgnore ignore = parse("# comment\n*/temp*\n*/*/temp*\ntemp?\n");
    assertEquals(excluded, ignore.matches(path));
  }

  @Test
  void lastMatchWins() throws Exception {
    DockerIgnore readme = parse("*.md\n!README.md\n");
    assertFalse(readme.matches("README.md"));
    assertTrue(readme.matches("CHANGELOG.md"));
    assertFalse(readme.matches("docs/README.md"), "*.md does not reach into directories");
    assertFalse(parse("*.md\n!README.md\n").matches("docs/x.md"));

    DockerIgnore secret = parse("*.md\n!README*.md\nREADME-secret.md\n");
    assertTrue(secret.matches("README-secret.md"));
    assertFalse(secret.matches("README-public.md"));

    DockerIgnore reincluded = parse("*.md\nREADME-secret.md\n!README*.md\n");
    assertFalse(reincluded.matches("README-secret.md"));
  }

  @Test
  void directoryPatternsExcludeTheirContents() throws Exception {
    DockerIgnore ignore = parse("node_modules\n**/*.pyc\nbuild/**\n");
    assertTrue(ignore.matches("node_modules"));
    assertTrue(ignore.matches("node_modules/a/b/c.js"));
    assertFalse(ignore.matches("src/node_modules/x"), "patterns are anchored at the root");
    assertTrue(ignore.matches("a/b/c.pyc"));
    assertTrue(ignore.matches("x.pyc"));
    assertTrue(ignore.matches("build/out/app"));
    assertFalse(ignore.matches("build"), "build/** needs something below build");
  }

  @Test
  void theDockerfileAndTheIgnoreFileAreNotSpecial() throws Exception {
    DockerIgnore ignore = parse("Dockerfile\n.dockerignore\n");
    assertTrue(ignore.matches("Dockerfile"));
    assertTrue(ignore.matches(".dockerignore"));
  }

  // --- walking

  @Test
  void skipsDirectoriesWithoutReachableExceptions() throws Exception {
    DockerIgnore ignore = parse("node_modules\n.git\n");
    IgnoreDecision nodeModules = ignore.decide(ignore.root(), "node_modules", true);
    assertTrue(nodeModules.excluded());
    assertTrue(nodeModules.skipDirectory());
    IgnoreDecision src = ignore.decide(ignore.root(), "src", true);
    assertFalse(src.excluded());
    assertFalse(src.skipDirectory());
    IgnoreDecision file = ignore.decide(ignore.root(), ".git", false);
    assertTrue(file.excluded());
    assertFalse(file.skipDirectory(), "only directories are skipped");
  }

  @Test
  void descendsWhereAPlainExceptionLies() throws Exception {
    DockerIgnore ignore = parse("docs\n!docs/keep/README.md\n");
    IgnoreDecision docs = ignore.decide(ignore.root(), "docs", true);
    assertTrue(docs.excluded());
    assertFalse(docs.skipDirectory());
    IgnoreDecision other = ignore.decide(docs, "docs/other", true);
    assertTrue(other.excluded());
    assertTrue(other.skipDirectory());
    IgnoreDecision keep = ignore.decide(docs, "docs/keep", true);
    assertFalse(keep.skipDirectory());
    assertFalse(ignore.decide(keep, "docs/keep/README.md", false).excluded());
    assertTrue(ignore.decide(keep, "docs/keep/other.md", false).excluded());
    // "!docs/keep/**" reaches into docs/keep as well
    DockerIgnore globbed = parse("docs\n!docs/keep/**\n");
    assertFalse(globbed.decide(globbed.root(), "docs", true).skipDirectory());
  }

  @Test
  void globbedExceptionsDisableSkipping() throws Exception {
    DockerIgnore ignore = parse("vendor\n!**/LICENSE\n");
    assertTrue(ignore.hasExceptions());
    IgnoreDecision vendor = ignore.decide(ignore.root(), "vendor", true);
    assertTrue(vendor.excluded());
    assertFalse(vendor.skipDirectory());
    IgnoreDecision lib = ignore.decide(vendor, "vendor/lib", true);
    assertFalse(lib.skipDirectory());
    assertFalse(ignore.decide(lib, "vendor/lib/LICENSE", false).excluded());
  }

  @Test
  void decisionsOfAnotherIgnoreFileAreRefused() throws Exception {
    DockerIgnore one = parse("a\n");
    DockerIgnore two = parse("a\nb\n");
    IgnoreDecision fromOne = one.decide(one.root(), "a", true);
    assertThrows(IllegalArgumentException.class, () -> two.decide(fromOne, "a/x", false));
  }

  /**
   * BuildKit walks with MatchesUsingParentResults, which does not evaluate an exception while
   * nothing is excluded yet, so it never records that "!**&#47;b" matched the directory b; the
   * single-path check (MatchesOrParentMatches) does look at the parents. decide() follows the
   * walk, which is what BuildKit sends.
   */
  @Test
  void walkFollowsBuildKitWhereThePatternmatcherFunctionsDisagree() throws Exception {
    DockerIgnore ignore = parse("**/*.md\n!**/b\n");
    assertTrue(walkTo(ignore, "b/x.md").excluded());
    assertFalse(ignore.matches("b/x.md"));
    DockerIgnore ordered = parse("a/**\n!a\n");
    assertTrue(walkTo(ordered, "a/d/x").excluded());
    assertFalse(ordered.matches("a/d/x"));
  }

  /**
   * Property test over random trees and pattern sets: skipping the directories decide() says to
   * skip never changes what is sent, and without exceptions the walk sends exactly the paths
   * matches() keeps.
   */
  @Test
  void walkingAgreesWithMatching() throws Exception {
    String[] names = {"a", "b", "c", "docs", "x.md", "README.md", "node_modules", "keep", ".git"};
    String[] patternAtoms = {
        "a", "b", "docs", "*.md", "**/*.md", "*/c", "a/**", "**/b", "node_modules", "?",
        "docs/keep", "[ab]", "README*", ".git", "**", "*", "a/b", "x.md", "c/**/keep",
    };
    Random random = new Random(42);
    for (int round = 0; round < 400; round++) {
      List<String> patterns = new ArrayList<>();
      int count = 1 + random.nextInt(5);
      for (int i = 0; i < count; i++) {
        String atom = patternAtoms[random.nextInt(patternAtoms.length)];
        patterns.add(random.nextInt(3) == 0 ? "!" + atom : atom);
      }
      if (patterns.stream().allMatch(p -> p.equals("!"))) {
        continue;
      }
      DockerIgnore ignore = DockerIgnore.of(patterns);
      Set<String> tree = new TreeSet<>();
      randomTree(random, names, "", 0, tree);

      Set<String> sent = new TreeSet<>();
      walk(ignore, tree, "", ignore.root(), sent, true);
      Set<String> sentWithoutSkipping = new TreeSet<>();
      walk(ignore, tree, "", ignore.root(), sentWithoutSkipping, false);
      assertEquals(sentWithoutSkipping, sent, "skipping is safe: " + patterns + " on " + tree);
      if (!ignore.hasExceptions()) {
        Set<String> expected = tree.stream().filter(p -> !ignore.matches(p))
            .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(expected, sent, "patterns " + patterns + " on " + tree);
      }
      for (String path : tree) {
        assertEquals(walkTo(ignore, path).excluded(), !sentWithoutSkipping.contains(path));
      }
    }
  }

  private static void randomTree(Random random, String[] names, String prefix, int depth,
      Set<String> tree) {
    int children = depth >= 3 ? 0 : random.nextInt(4);
    for (int i = 0; i < children; i++) {
      String path = prefix + names[random.nextInt(names.length)];
      tree.add(path);
      randomTree(random, names, path + "/", depth + 1, tree);
    }
  }

  private static void walk(DockerIgnore ignore, Set<String> tree, String dir,
      IgnoreDecision parent, Set<String> sent, boolean skip) {
    for (String path : tree) {
      String parentPath = SlashPaths.dir(path);
      boolean child = dir.isEmpty() ? parentPath.equals(".") : parentPath.equals(dir);
      if (!child) {
        continue;
      }
      boolean directory = tree.stream().anyMatch(p -> p.startsWith(path + "/"));
      IgnoreDecision decision = ignore.decide(parent, path, directory);
      if (!decision.excluded()) {
        sent.add(path);
      }
      if (directory && !(skip && decision.skipDirectory())) {
        walk(ignore, tree, path, decision, sent, skip);
      }
    }
  }

  // --- choosing the ignore file

  @Test
  void dockerfileSpecificIgnoreFileWins() {
    Set<String> both = Set.of("sub/Dockerfile.dev.dockerignore", ".dockerignore");
    assertEquals(Optional.of("sub/Dockerfile.dev.dockerignore"),
        DockerIgnore.ignoreFileFor("sub/Dockerfile.dev", both::contains));
    assertEquals(Optional.of(".dockerignore"),
        DockerIgnore.ignoreFileFor("sub/Dockerfile.dev", Set.of(".dockerignore")::contains));
    assertEquals(Optional.empty(), DockerIgnore.ignoreFileFor("Dockerfile", p -> false));
    assertEquals(Optional.of("Dockerfile.dockerignore"), DockerIgnore.ignoreFileFor(
        "./Dockerfile", Set.of("Dockerfile.dockerignore", ".dockerignore")::contains));
    assertEquals(Optional.of("../build/app.Dockerfile.dockerignore"), DockerIgnore.ignoreFileFor(
        "../build/app.Dockerfile", Set.of("../build/app.Dockerfile.dockerignore")::contains));
    // a .dockerignore in the Dockerfile's directory is not the context's ignore file
    assertEquals(Optional.empty(),
        DockerIgnore.ignoreFileFor("sub/Dockerfile", Set.of("sub/.dockerignore")::contains));
  }
}
