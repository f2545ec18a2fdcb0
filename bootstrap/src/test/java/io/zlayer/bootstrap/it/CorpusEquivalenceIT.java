package io.zlayer.bootstrap.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zlayer.adapters.sandbox.store.OciLayoutStore;
import io.zlayer.application.testing.LocalRegistry;
import io.zlayer.application.testing.RealParts;
import io.zlayer.domain.image.Descriptor;
import io.zlayer.domain.image.ImageReference;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every folder of {@code corpus/} built three ways — real {@code buildah bud}, the zlayer jar with
 * {@code --backend sandbox} and with {@code --backend buildah} — from a busybox base pushed to a
 * registry on loopback; the config fields ({@link ConfigFields}) and flattened file trees
 * ({@link FlattenedTree}) must agree pairwise, except for the buildah bud deviations recorded in
 * {@code corpus/cases.properties} (and explained in {@code docs/buildah-deviations.md}), which
 * are asserted to still hold. buildah runs with vfs storage under {@code
 * target/corpus-it/buildah}, deleted at the end.
 */
class CorpusEquivalenceIT {
  private static Path root;
  private static Path corpus;
  private static Properties notes;
  private static PrivateBuildah buildah;
  private static LocalRegistry registry;
  private static String base;
  private static ZlayerJar sandbox;
  private static ZlayerJar zlayerBuildah;

  @BeforeAll
  static void pushBaseImage() throws Exception {
    Path buildahProgram = RealParts.require("buildah");
    RealParts.require("bwrap");
    RealParts.requireRoot();
    corpus = findCorpus();
    notes = new Properties();
    try (Reader r = Files.newBufferedReader(corpus.resolve("cases.properties"),
        StandardCharsets.UTF_8)) {
      notes.load(r);
    }
    root = Path.of("target", "corpus-it").toAbsolutePath();
    buildah = new PrivateBuildah(buildahProgram, root.resolve("buildah"));
    for (String dir : List.of("base", "sandbox-home", "buildah-home", "images")) {
      deleteTree(root.resolve(dir));
    }
    registry = LocalRegistry.start(false);
    base = registry.host() + "/corpus/busybox:1";
    Path baseHome = root.resolve("base/home");
    BusyboxImage.writeInto(new OciLayoutStore(baseHome.resolve("store")),
        ImageReference.parse(base), Files.createDirectories(root.resolve("base")));
    new ZlayerJar(baseHome).run("push", "--progress", "plain", base).ok();
    sandbox = new ZlayerJar(root.resolve("sandbox-home"));
    zlayerBuildah = new ZlayerJar(root.resolve("buildah-home"));
    buildah.environment().forEach(zlayerBuildah::env);
  }

  @AfterAll
  static void cleanUp() throws Exception {
    try {
      if (registry != null) {
        registry.close();
      }
    } finally {
      if (buildah != null) {
        buildah.removeEverything();
      }
    }
  }

  @TestFactory
  Stream<DynamicTest> everyCaseGivesTheSameImageThreeWays() throws IOException {
    List<CorpusCase> cases = new ArrayList<>();
    try (Stream<Path> dirs = Files.list(corpus)) {
      dirs.filter(d -> Files.isRegularFile(d.resolve("Dockerfile"))).sorted()
          .forEach(d -> cases.add(CorpusCase.of(d, notes)));
    }
    assertTrue(cases.size() >= 12, "corpus cases found in " + corpus + ": " + cases);
    List<String> names = cases.stream().map(CorpusCase::name).toList();
    for (String key : notes.stringPropertyNames()) {
      assertTrue(names.contains(key.substring(0, Math.max(0, key.indexOf('.')))),
          "cases.properties names no corpus folder: " + key);
    }
    return cases.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> check(c)));
  }

  private void check(CorpusCase c) throws Exception {
    List<String> problems = new ArrayList<>();
    ImageSnapshot fromSandbox = zlayerBuild(sandbox, "sandbox", c);
    ImageSnapshot fromBuildah = zlayerBuild(zlayerBuildah, "buildah", c);
    assertEquals(List.of(), buildah.containers(), "buildah containers left by zlayer");
    compare(c, "zlayer sandbox", fromSandbox, "zlayer buildah", fromBuildah, problems);
    if (c.budSkipReason().isPresent()) {
      assertEquals(List.of(), c.budDeviations(),
          c.name() + ": deviations recorded for a case buildah bud skips");
      System.out.println(c.name() + ": buildah bud skipped: " + c.budSkipReason().get());
    } else {
      ImageSnapshot bud = budBuild(c);
      assertEquals(List.of(), buildah.containers(), "buildah containers left by buildah bud");
      for (BudDeviation d : c.budDeviations()) {
        try {
          bud = d.reconcile(bud, fromSandbox);
        } catch (AssertionError e) {
          problems.add(c.name() + ": " + e.getMessage());
        }
      }
      compare(c, "buildah bud", bud, "zlayer sandbox", fromSandbox, problems);
      compare(c, "buildah bud", bud, "zlayer buildah", fromBuildah, problems);
    }
    if (!problems.isEmpty()) {
      throw new AssertionError(String.join("\n", problems));
    }
  }

  private static void compare(CorpusCase c, String leftName, ImageSnapshot left,
      String rightName, ImageSnapshot right, List<String> problems) {
    List<String> diff = new ArrayList<>(ConfigFields.differences(left.config(),
        right.config()));
    if (!c.configOnly()) {
      diff.addAll(FlattenedTree.differences(left.tree(), right.tree()));
    }
    if (!diff.isEmpty()) {
      problems.add(c.name() + ": " + leftName + " | " + rightName + " differ:\n  "
          + String.join("\n  ", diff));
    }
  }

  private ImageSnapshot zlayerBuild(ZlayerJar jar, String backend, CorpusCase c)
      throws Exception {
    String tag = "corpus/" + c.name() + ":" + backend;
    List<String> args = new ArrayList<>(List.of("build", "--backend", backend, "--progress",
        "plain", "--build-arg", "BASE=" + base, "-t", tag));
    c.target().ifPresent(t -> args.addAll(List.of("--target", t)));
    args.add(c.context().toString());
    jar.run(args.toArray(String[]::new)).ok();
    Path store = jar.home().resolve("store");
    Descriptor manifest = new OciLayoutStore(store).resolve(ImageReference.parse(tag))
        .orElseThrow(() -> new AssertionError(tag + " is not in " + store));
    Path blobs = store.resolve("blobs/sha256");
    ImageSnapshot image = ImageSnapshot.read(
        Files.readAllBytes(blobs.resolve(manifest.digest().hex())), blobs::resolve);
    keep(c, backend, image);
    return image;
  }

  /**
   * {@code buildah bud} with the settings of docs/buildah-deviations.md; {@code --format docker}
   * because buildah's OCI configs drop Healthcheck, OnBuild and Shell, which Docker keeps.
   */
  private ImageSnapshot budBuild(CorpusCase c) throws Exception {
    String tag = "localhost/corpus/" + c.name() + ":bud";
    List<String> args = new ArrayList<>(List.of("bud", "--quiet", "--isolation", "chroot",
        "--layers", "--pull", "--tls-verify=false", "--format", "docker", "--build-arg",
        "BASE=" + base, "-t", tag, "-f", c.context().resolve("Dockerfile").toString()));
    c.target().ifPresent(t -> args.addAll(List.of("--target", t)));
    args.add(c.context().toString());
    buildah.run(args.toArray(String[]::new));
    Path copy = root.resolve("images").resolve(c.name() + "-bud");
    deleteTree(copy);
    Files.createDirectories(copy.getParent());
    buildah.run("push", "--quiet", "--format", "v2s2", tag, "dir:" + copy);
    ImageSnapshot image = ImageSnapshot.readDirCopy(copy);
    keep(c, "bud", image);
    deleteTree(copy);
    return image;
  }

  /** The tree and config as text beside the test, for reading a failure. */
  private static void keep(CorpusCase c, String who, ImageSnapshot image) throws IOException {
    Path out = Files.createDirectories(root.resolve("images"));
    StringBuilder b = new StringBuilder();
    for (String f : ConfigFields.NAMES) {
      b.append(f).append(": ").append(ConfigFields.show(image.config().get(f))).append('\n');
    }
    Files.writeString(out.resolve(c.name() + "-" + who + ".txt"), b + "\n" + image.tree());
  }

  private static Path findCorpus() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("corpus/cases.properties"))) {
        return dir.resolve("corpus");
      }
    }
    throw new AssertionError("no corpus/cases.properties above " + Path.of("").toAbsolutePath());
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
