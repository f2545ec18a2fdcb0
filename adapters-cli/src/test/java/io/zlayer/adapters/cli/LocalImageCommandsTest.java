package io.zlayer.adapters.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zlayer.application.image.LocalImage;
import io.zlayer.application.port.BuildCache.CachePruneReport;
import io.zlayer.application.port.ImageStore.PruneReport;
import io.zlayer.application.usecase.ManageLocalImages.PruneSummary;
import io.zlayer.application.usecase.ManageLocalImages.ImageSummary;
import io.zlayer.domain.error.StoreException;
import io.zlayer.domain.image.Platform;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** tag, images, inspect, rmi, prune. */
class LocalImageCommandsTest {
  private final CliHarness h = new CliHarness();

  private List<ImageSummary> store() {
    Instant now = h.clock.instant();
    ImageSummary alpine = Images.summary("alpine:3.20", "alpine", now.minus(Duration.ofMinutes(3)),
        3_623_500);
    ImageSummary app = Images.summary("ghcr.io/acme/app:1.2.3", "app",
        now.minus(Duration.ofDays(20)), 1_243_500_000L);
    ImageSummary appLatest = Images.summary("ghcr.io/acme/app:latest", "app",
        now.minus(Duration.ofDays(20)), 1_243_500_000L);
    ImageSummary dangling = Images.summary(null, "old", null, 999);
    ImageSummary index = new ImageSummary(Optional.of(Images.ref("multi:1")),
        Images.digest("index"), Images.digest("index"), Optional.empty(), 1_058, true);
    return List.of(alpine, app, appLatest, dangling, index);
  }

  @Test
  void tagParsesTheTarget() throws Exception {
    assertEquals(0, h.run("tag", "app:dev", "registry.example.com/app:1").code());
    verify(h.images).tag("app:dev", Images.ref("registry.example.com/app:1"));
    CliHarness.Result r = h.run("tag", "app:dev", "registry.example.com/App");
    assertEquals("error: invalid reference \"registry.example.com/App\": repository name must be"
        + " lowercase\n", r.err());
    assertEquals(1, r.code());
  }

  @Test
  void imagesTable() throws Exception {
    when(h.images.list()).thenReturn(store());
    CliHarness.Result r = h.run("images");
    String a = Images.digest("alpine").shortHex();
    String p = Images.digest("app").shortHex();
    String o = Images.digest("old").shortHex();
    String i = Images.digest("index").shortHex();
    assertEquals(String.join("\n",
        "NAME               TAG       IMAGE ID       CREATED         SIZE",
        "alpine             3.20      " + a + "   3 minutes ago   3.62MB",
        "ghcr.io/acme/app   1.2.3     " + p + "   2 weeks ago     1.24GB",
        "ghcr.io/acme/app   latest    " + p + "   2 weeks ago     1.24GB",
        "<none>             <none>    " + o + "   N/A             999B",
        "multi              1         " + i + "   N/A             1.06kB",
        ""), r.out());
    assertEquals("", r.err());
  }

  @Test
  void imagesWithDigestsAndFullIds() throws Exception {
    when(h.images.list()).thenReturn(store().subList(0, 1));
    CliHarness.Result r = h.run("images", "--digests", "--no-trunc");
    String id = Images.digest("alpine").toString();
    String manifest = Images.digest("alpine-m").toString();
    assertEquals(String.join("\n",
        "NAME      TAG       DIGEST" + " ".repeat(manifest.length() - 3) + "IMAGE ID"
            + " ".repeat(id.length() - 5) + "CREATED         SIZE",
        "alpine    3.20      " + manifest + "   " + id + "   3 minutes ago   3.62MB",
        ""), r.out());
  }

  @Test
  void quietListsEachIdOnce() throws Exception {
    when(h.images.list()).thenReturn(store());
    CliHarness.Result r = h.run("images", "-q");
    assertEquals(String.join("\n", Images.digest("alpine").shortHex(),
        Images.digest("app").shortHex(), Images.digest("old").shortHex(),
        Images.digest("index").shortHex(), ""), r.out());
  }

  @Test
  void imagesFilteredByRepositoryAndTag() throws Exception {
    when(h.images.list()).thenReturn(store());
    assertEquals(2, h.run("images", "ghcr.io/acme/app").out().split("\n").length - 1);
    String out = h.run("images", "ghcr.io/acme/app:latest").out();
    assertEquals(2, out.split("\n").length, out);
    assertTrue(out.contains("latest"), out);
    assertEquals(1, h.run("images", "docker.io/library/alpine").out().split("\n").length - 1);
  }

  @Test
  void imagesAsJsonLines() throws Exception {
    when(h.images.list()).thenReturn(store().subList(2, 5));
    CliHarness.Result r = h.run("images", "--format", "json");
    assertEquals(String.join("\n",
        "{\"name\":\"ghcr.io/acme/app\",\"tag\":\"latest\",\"digest\":\""
            + Images.digest("app-m") + "\",\"id\":\"" + Images.digest("app")
            + "\",\"created\":\"2025-12-13T03:04:05Z\",\"size\":1243500000,\"index\":false}",
        "{\"name\":null,\"tag\":null,\"digest\":\"" + Images.digest("old-m") + "\",\"id\":\""
            + Images.digest("old") + "\",\"created\":null,\"size\":999,\"index\":false}",
        "{\"name\":\"docker.io/library/multi\",\"tag\":\"1\",\"digest\":\"" + Images.digest("index")
            + "\",\"id\":\"" + Images.digest("index") + "\",\"created\":null,\"size\":1058,"
            + "\"index\":true}",
        ""), r.out());
  }

  @Test
  void anUnknownFormatIsRefused() {
    CliHarness.Result r = h.run("images", "--format", "xml");
    assertEquals(1, r.code());
    assertEquals("error: Invalid value for option '--format': \"xml\" is not a format, expected"
        + " table or json\nRun 'zlayer images --help' for usage.\n", r.err());
  }

  @Test
  void inspectPrintsAPrettyJsonArray() throws Exception {
    LocalImage image = Images.image(true);
    when(h.images.inspect("alpine", Platform.host())).thenReturn(image);
    when(h.images.list()).thenReturn(List.of(
        new ImageSummary(Optional.of(Images.ref("alpine")), image.index().get().digest(),
            image.index().get().digest(), Optional.empty(), 1, true),
        Images.summary("other", "other", null, 1)));
    CliHarness.Result r = h.run("inspect", "alpine");
    assertEquals(0, r.code(), r.err());
    String manifestDigest = image.manifestDescriptor().digest().toString();
    assertTrue(r.out().startsWith("[\n  {\n    \"names\": [\n"
        + "      \"docker.io/library/alpine:latest\"\n    ],\n"
        + "    \"manifestDigest\": \"" + manifestDigest + "\",\n"
        + "    \"mediaType\": \"application/vnd.oci.image.manifest.v1+json\",\n"), r.out());
    JsonNode doc = new ObjectMapper().readTree(r.out()).get(0);
    assertEquals(image.manifest().config().digest().toString(), doc.get("configDigest").asText());
    assertEquals("linux/amd64", doc.get("platform").asText());
    assertEquals("2026-01-02T02:01:05Z", doc.get("created").asText());
    assertEquals(image.manifest().contentSize(), doc.get("size").asLong());
    assertEquals(image.index().get().digest().toString(), doc.get("index").get("digest").asText());
    assertEquals("application/vnd.oci.image.index.v1+json",
        doc.get("index").get("mediaType").asText());
    assertEquals(3_622_892, doc.get("manifest").get("layers").get(0).get("size").asLong());
    assertEquals("/bin/sh", doc.get("config").get("config").get("Cmd").get(0).asText());
    assertEquals("layers", doc.get("config").get("rootfs").get("type").asText());
    assertTrue(r.out().endsWith("\n  }\n]\n"), r.out());
  }

  @Test
  void inspectOfASingleManifestHasNoIndex() throws Exception {
    when(h.images.inspect(eq("3f2a"), any())).thenReturn(Images.image(false));
    when(h.images.list()).thenReturn(List.of());
    CliHarness.Result r = h.run("inspect", "--platform", "linux/arm64", "3f2a");
    JsonNode doc = new ObjectMapper().readTree(r.out()).get(0);
    assertTrue(doc.get("index").isNull());
    assertEquals(0, doc.get("names").size());
    verify(h.images).inspect("3f2a", Platform.of("linux", "arm64"));
  }

  @Test
  void inspectOfMissingImages() throws Exception {
    when(h.images.inspect(eq("nope"), any())).thenThrow(StoreException.notFound(
        "image \"nope\" is not in the local store (oci:/s)",
        "pull it first with: zlayer pull nope"));
    when(h.images.inspect(eq("alpine"), any())).thenReturn(Images.image(false));
    when(h.images.list()).thenReturn(List.of());
    CliHarness.Result single = h.run("inspect", "nope");
    assertEquals(1, single.code());
    assertEquals("error: image \"nope\" is not in the local store (oci:/s)\n"
        + "hint: pull it first with: zlayer pull nope\n", single.err());
    assertEquals("", single.out());
    CliHarness.Result several = h.run("inspect", "nope", "alpine");
    assertEquals(1, several.code());
    assertEquals("error: image \"nope\" is not in the local store (oci:/s)\n", several.err());
    assertEquals(1, new ObjectMapper().readTree(several.out()).size());
  }

  @Test
  void rmiPrintsWhatWasRemoved() throws Exception {
    when(h.images.remove(List.of("alpine:3.20"))).thenReturn(List.of(
        "Untagged: docker.io/library/alpine:3.20", "Deleted: " + Images.digest("alpine-m")));
    CliHarness.Result r = h.run("rmi", "alpine:3.20");
    assertEquals(0, r.code());
    assertEquals("Untagged: docker.io/library/alpine:3.20\nDeleted: " + Images.digest("alpine-m")
        + "\n", r.out());
  }

  @Test
  void rmiOfAnIdWithSeveralNamesMustBeForced() throws Exception {
    when(h.images.list()).thenReturn(store());
    String id = Images.digest("app").shortHex();
    CliHarness.Result r = h.run("rmi", id);
    assertEquals(1, r.code());
    assertEquals("error: unable to remove " + id + " (must be forced): it has 2 names"
        + " (ghcr.io/acme/app:1.2.3, ghcr.io/acme/app:latest)\n"
        + "hint: remove the names one at a time, or all of them with: zlayer rmi -f " + id + "\n",
        r.err());
    verify(h.images, never()).remove(any());
    when(h.images.remove(List.of(id))).thenReturn(List.of("Untagged: a", "Untagged: b"));
    assertEquals(0, h.run("rmi", "-f", id).code());
    verify(h.images).remove(List.of(id));
  }

  @Test
  void rmiOfAnIdWithOneNameNeedsNoForce() throws Exception {
    when(h.images.list()).thenReturn(store());
    String id = Images.digest("alpine").shortHex();
    when(h.images.remove(List.of(id))).thenReturn(List.of("Untagged: alpine"));
    assertEquals(0, h.run("rmi", id).code());
  }

  @Test
  void rmiGoesOnAfterAFailureAndExitsWithOne() throws Exception {
    when(h.images.remove(List.of("nope"))).thenThrow(StoreException.notFound("image \"nope\" is"
        + " not in the local store (oci:/s)", "pull it first with: zlayer pull nope"));
    when(h.images.remove(List.of("alpine"))).thenReturn(List.of("Untagged: alpine"));
    CliHarness.Result r = h.run("rmi", "nope", "alpine");
    assertEquals(1, r.code());
    assertEquals("Untagged: alpine\n", r.out());
    assertEquals("error: image \"nope\" is not in the local store (oci:/s)\n"
        + "hint: pull it first with: zlayer pull nope\n", r.err());
  }

  @Test
  void pruneWithForce() throws Exception {
    when(h.images.prune()).thenReturn(new PruneSummary(new PruneReport(3, 12_345_678),
        CachePruneReport.NOTHING));
    CliHarness.Result r = h.run("prune", "-f");
    assertEquals("Deleted 3 blobs\nTotal reclaimed space: 12.35MB\n", r.out());
    assertEquals("", r.err());
  }

  @Test
  void pruneReportsTheBuildCacheAndWarnsWhenABuildRuns() throws Exception {
    when(h.images.prune()).thenReturn(new PruneSummary(new PruneReport(1, 1_000_000),
        new CachePruneReport(2, 1, 0, 2_000_000, false)));
    CliHarness.Result r = h.run("prune", "-f");
    assertEquals("Deleted 1 blob\nDeleted 2 unpacked layers, 1 build cache entry, "
        + "0 abandoned build directories\nTotal reclaimed space: 3MB\n", r.out());
    assertEquals("", r.err());

    when(h.images.prune()).thenReturn(new PruneSummary(new PruneReport(0, 0),
        new CachePruneReport(0, 0, 0, 0, true)));
    CliHarness.Result busy = h.run("prune", "-f");
    assertEquals(0, busy.code());
    assertEquals("Deleted 0 blobs\nTotal reclaimed space: 0B\n", busy.out());
    assertEquals("warning: a build is running: its cache (unpacked layers, step cache) was left "
        + "as is; prune again when it is done\n", busy.err());
  }

  @Test
  void pruneAsksFirst() throws Exception {
    when(h.images.prune()).thenReturn(new PruneSummary(new PruneReport(1, 0),
        CachePruneReport.NOTHING));
    h.stdin = "y\n";
    CliHarness.Result yes = h.run("prune");
    assertEquals("WARNING! This will delete every blob no image in the local store refers to.\n"
        + "Are you sure you want to continue? [y/N] ", yes.err());
    assertEquals("Deleted 1 blob\nTotal reclaimed space: 0B\n", yes.out());
    h.stdin = "";
    CliHarness.Result eof = h.run("prune");
    assertEquals(0, eof.code());
    assertEquals("", eof.out());
    h.stdin = "no\n";
    assertEquals("", h.run("prune").out());
    verify(h.images).prune();
  }
}
