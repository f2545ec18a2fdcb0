package io.zlayer.domain.pipeline;

import static io.zlayer.domain.zimage.Trees.list;
import static io.zlayer.domain.zimage.Trees.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zlayer.domain.error.DockerfileException;
import io.zlayer.domain.error.UsageException;
import io.zlayer.domain.zimage.CacheMount;
import io.zlayer.domain.zimage.YamlSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PipelineParserTest {
  private static final YamlSource SOURCE = YamlSource.named("ZPipeline.yaml");

  private static ZPipeline parse(Object tree) throws DockerfileException {
    return PipelineParser.parse(tree, SOURCE, Map.of());
  }

  private static String error(Object tree) {
    return assertThrows(DockerfileException.class, () -> parse(tree)).getMessage();
  }

  private static List<List<String>> names(ZPipeline p) {
    return p.waves().stream().map(w -> w.stream().map(PipelineImage::name).toList()).toList();
  }

  @Test
  void theSeedsExample() throws Exception {
    ZPipeline p = parse(map(
        "version", "1",
        "vars", map("VERSION", "1.0.0", "REGISTRY", "ghcr.io/myorg"),
        "defaults", map("format", "oci", "build_args", map("RUST_VERSION", "1.90")),
        "images", map(
            "base", map("file", "docker/Dockerfile.base", "tags",
                list("${REGISTRY}/base:${VERSION}")),
            "app", map("file", "docker/Dockerfile.app", "depends_on", list("base"),
                "tags", list("${REGISTRY}/app:${VERSION}"), "build_args",
                map("RUST_VERSION", "1.91", "EXTRA", "${VERSION}"))),
        "push", map("after_all", true)));
    PipelineImage app = p.image("app").orElseThrow();
    assertEquals(List.of("ghcr.io/myorg/app:1.0.0"), app.tags());
    assertEquals(".", app.context());
    assertEquals(Map.of("RUST_VERSION", "1.91", "EXTRA", "1.0.0"), p.buildArgsFor(app));
    assertEquals(Map.of("RUST_VERSION", "1.90"), p.buildArgsFor(p.image("base").orElseThrow()));
    assertEquals(Optional.of("oci"), p.formatFor(app));
    assertTrue(p.pushAfterAll());
    assertFalse(app.isZImagefile());
    assertEquals(List.of(List.of("base"), List.of("app")), names(p));
  }

  @Test
  void setOverridesVars() throws Exception {
    ZPipeline p = PipelineParser.parse(map("vars", map("VERSION", "dev"), "images", map(
        "app", map("file", "ZImagefile", "tags", list("app:${VERSION}")))), SOURCE,
        Map.of("VERSION", "2.0"));
    assertEquals(List.of("app:2.0"), p.images().get(0).tags());
    assertEquals(Map.of("VERSION", "2.0"), p.vars());
    assertTrue(p.images().get(0).isZImagefile());
  }

  @Test
  void unknownVariable() {
    assertEquals("ZPipeline.yaml: images.app.tags[0]: unknown variable ${VERSON} (did you mean "
        + "VERSION?)", error(map("vars", map("VERSION", "1"), "images", map("app",
            map("file", "Dockerfile", "tags", list("app:${VERSON}"))))));
    assertEquals("ZPipeline.yaml: images.app.file: unknown variable ${DIR} (the pipeline has no "
        + "vars)", error(map("images", map("app", map("file", "${DIR}/Dockerfile")))));
  }

  @Test
  void wavesGroupByDependencyDepthInFileOrder() throws Exception {
    ZPipeline p = parse(map("images", map(
        "web", map("file", "w", "depends_on", list("lib", "base")),
        "lib", map("file", "l", "depends_on", "base"),
        "tools", map("file", "t"),
        "base", map("file", "b"),
        "cli", map("file", "c", "depends_on", list("lib")))));
    assertEquals(List.of(List.of("tools", "base"), List.of("lib"), List.of("web", "cli")),
        names(p));
  }

  @Test
  void dependencyErrors() {
    assertEquals("ZPipeline.yaml: images.app.depends_on[0]: unknown image \"bse\" (did you "
        + "mean base?)", error(map("images", map("base", map("file", "b"),
            "app", map("file", "a", "depends_on", list("bse"))))));
    assertEquals("ZPipeline.yaml: images.a.depends_on: dependency cycle: a -> b -> c -> a",
        error(map("images", map(
            "a", map("file", "a", "depends_on", list("b")),
            "b", map("file", "b", "depends_on", list("c")),
            "c", map("file", "c", "depends_on", list("a")),
            "d", map("file", "d")))));
    assertEquals("ZPipeline.yaml: images.a.depends_on: dependency cycle: a -> a",
        error(map("images", map("a", map("file", "a", "depends_on", "a")))));
  }

  @Test
  void fieldsAndValues() {
    assertEquals("ZPipeline.yaml: images.app: needs \"file\" (the Dockerfile or ZImagefile to "
        + "build)", error(map("images", map("app", map("context", ".")))));
    assertEquals("ZPipeline.yaml: images.app: unknown field \"tag\" (did you mean tags?)",
        error(map("images", map("app", map("file", "f", "tag", "x")))));
    assertEquals("ZPipeline.yaml: a pipeline needs images (a mapping of image names to builds)",
        error(map("vars", map())));
    assertEquals("ZPipeline.yaml: images.app.format: must be oci or docker, not \"tar\"",
        error(map("images", map("app", map("file", "f", "format", "tar")))));
    assertEquals("ZPipeline.yaml: defaults.retries: zlayer does not retry failed steps; remove "
        + "retries (or set it to 0)", error(map("defaults", map("retries", 2L), "images",
            map("app", map("file", "f")))));
    assertEquals("ZPipeline.yaml: images.app.cache_mounts: cache mounts are added to a "
        + "ZImagefile's run steps; Dockerfile is a Dockerfile (give RUN --mount=type=cache "
        + "there)", error(map("images", map("app", map("file", "Dockerfile", "cache_mounts",
            list(map("target", "/c")))))));
    assertTrue(error(map("images", map("app", map("file", "f", "platforms",
        list("linux/amd64", "linux/amd64"))))).endsWith("images.app.platforms[1]: platform "
            + "linux/amd64 is listed twice"));
  }

  @Test
  void defaultsAndOverrides() throws Exception {
    ZPipeline p = parse(map(
        "defaults", map("no_cache", true, "platforms", list("linux/amd64", "linux/arm64"),
            "cache_mounts", list(map("target", "/root/.cache", "id", "shared"))),
        "images", map(
            "a", map("file", "a/ZImagefile", "no_cache", false, "platforms", "linux/arm64",
                "cache_mounts", list(map("target", "/root/.cache"), map("target", "/t")),
                "format", "docker"),
            "b", map("file", "b.yaml"))));
    PipelineImage a = p.image("a").orElseThrow();
    PipelineImage b = p.image("b").orElseThrow();
    assertFalse(p.noCacheFor(a));
    assertTrue(p.noCacheFor(b));
    assertEquals(List.of("linux/arm64"), p.platformsFor(a));
    assertEquals(List.of("linux/amd64", "linux/arm64"), p.platformsFor(b));
    assertEquals(List.of(new CacheMount("/root/.cache", Optional.empty(), Optional.empty(), false),
        new CacheMount("/t", Optional.empty(), Optional.empty(), false)), p.cacheMountsFor(a));
    assertEquals(List.of(new CacheMount("/root/.cache", Optional.of("shared"), Optional.empty(),
        false)), p.cacheMountsFor(b));
    assertEquals(Optional.of("docker"), p.formatFor(a));
    assertEquals(Optional.empty(), p.formatFor(b));
  }

  @Test
  void onlySomeImages() throws Exception {
    ZPipeline p = parse(map("images", map(
        "base", map("file", "b"),
        "app", map("file", "a", "depends_on", list("base")),
        "docs", map("file", "d"))));
    ZPipeline only = p.only(List.of("app", "docs"));
    assertEquals(List.of(List.of("app", "docs")), names(only));
    assertEquals(List.of(), only.image("app").orElseThrow().dependsOn());
    UsageException e = assertThrows(UsageException.class, () -> p.only(List.of("ap")));
    assertEquals("no image \"ap\" in the pipeline", e.getMessage());
    assertEquals(Optional.of("its images are: base, app, docs"), e.hint());
  }

  @Test
  void zimagefileNames() {
    assertTrue(PipelineImage.isZImagefileName("ZImagefile"));
    assertTrue(PipelineImage.isZImagefileName("docker/ZImagefile.prod"));
    assertTrue(PipelineImage.isZImagefileName("images/app.yml"));
    assertTrue(PipelineImage.isZImagefileName("app.YAML"));
    assertFalse(PipelineImage.isZImagefileName("Dockerfile"));
    assertFalse(PipelineImage.isZImagefileName("ZImagefile/Dockerfile"));
    assertFalse(PipelineImage.isZImagefileName("docker/Dockerfile.app"));
  }
}
