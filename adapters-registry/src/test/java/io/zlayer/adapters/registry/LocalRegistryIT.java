package io.zlayer.adapters.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.zlayer.application.port.Credentials;
import io.zlayer.application.port.RegistryOptions;
import io.zlayer.application.port.RegistryRepository;
import io.zlayer.application.port.TransferListener;
import io.zlayer.application.testing.LocalRegistry;
import io.zlayer.application.testing.RealParts;
import io.zlayer.domain.error.RegistryException;
import io.zlayer.domain.image.Descriptor;
import io.zlayer.domain.image.Digest;
import io.zlayer.domain.image.ImageIndex;
import io.zlayer.domain.image.ImageJson;
import io.zlayer.domain.image.MediaTypes;
import io.zlayer.domain.image.Platform;
import io.zlayer.domain.image.RawManifest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Against a real CNCF distribution registry on loopback. */
class LocalRegistryIT {
  private final Fixtures fx = new Fixtures();

  private RegistryRepository repo(LocalRegistry r, String name, RegistryClientSettings s,
      Optional<Credentials> creds, boolean push) throws RegistryException {
    return new HttpRegistry(Fixtures.none(), s).repository(Fixtures.ref(r.host(), name),
        new RegistryOptions(creds, Set.of()), push);
  }

  @Test
  void pushThenPullBitForBitAndSkopeoSeesTheSameDigest() throws Exception {
    Path skopeo = RealParts.require("skopeo");
    try (LocalRegistry r = LocalRegistry.start(false)) {
      // one small layer (one PUT), one above the threshold (PATCH chunks)
      TestImage image = TestImage.generate(1, 40_000, 700_000);
      RegistryClientSettings s = fx.settings().withChunking(256 << 10, 100 << 10);
      RegistryRepository repo = repo(r, "zlayer/it-app", s, Optional.empty(), true);
      Digest pushed = image.push(repo, "v1", Optional.empty());
      assertEquals(image.manifest().digest(), pushed);
      assertTrue(fx.trace.stream().anyMatch(l -> l.startsWith("PATCH ")), "chunked upload used");

      RegistryRepository pull = repo(r, "zlayer/it-app", fx.settings(), Optional.empty(), false);
      image.pullAndCompare(pull, "v1");
      assertArrayEquals(image.manifest().bytes(),
          pull.fetchManifest(pushed.toString()).bytes());
      assertEquals(Optional.of(image.manifest().descriptor()), pull.headManifest("v1"));
      assertEquals(Optional.empty(), pull.headManifest("v2"));
      for (byte[] b : image.blobs()) {
        assertTrue(pull.hasBlob(Digest.sha256(b)));
      }
      assertFalse(pull.hasBlob(Digest.sha256(new byte[] {1})));

      String ref = "docker://" + r.host() + "/zlayer/it-app:v1";
      String inspect = RealParts.run(null, skopeo.toString(), "inspect", "--tls-verify=false",
          ref);
      JsonNode doc = RegistryJson.MAPPER.readTree(inspect);
      assertEquals(pushed.toString(), doc.get("Digest").asText());
      assertEquals(2, doc.get("Layers").size());
      assertEquals("amd64", doc.get("Architecture").asText());
      String raw = RealParts.run(null, skopeo.toString(), "inspect", "--raw",
          "--tls-verify=false", ref);
      assertEquals(new String(image.manifest().bytes(), StandardCharsets.UTF_8).trim(),
          raw.trim());
    }
  }

  @Test
  void anIndexIsPushedWithItsMediaTypeAndTagsAreListedAcrossPages() throws Exception {
    try (LocalRegistry r = LocalRegistry.start(false)) {
      TestImage image = TestImage.generate(2, 1000);
      RegistryRepository repo = repo(r, "zlayer/tags", fx.settings().withTagPageSize(2),
          Optional.empty(), true);
      image.push(repo, "a", Optional.empty());
      for (String tag : List.of("b", "c", "d")) {
        repo.pushManifest(Optional.of(tag), image.manifest());
      }
      Descriptor platformManifest = image.manifest().descriptor().withPlatform(
          new Platform("linux", "amd64", Optional.empty(), Optional.empty()));
      RawManifest index = RawManifest.of(ImageJson.write(new ImageIndex(MediaTypes.OCI_INDEX,
          List.of(platformManifest), Map.of())), MediaTypes.OCI_INDEX);
      repo.pushManifest(Optional.of("multi"), index);
      RawManifest back = repo.fetchManifest("multi");
      assertEquals(MediaTypes.OCI_INDEX, back.mediaType());
      assertArrayEquals(index.bytes(), back.bytes());
      List<String> tags = repo.listTags();
      assertEquals(List.of("a", "b", "c", "d", "multi"), tags.stream().sorted().toList(),
          "each tag once (the registry picks the order)");
      // distribution 2.8 ignores n and answers one page; Link paging is unit-tested
      List<String> pages = fx.trace.stream().filter(l -> l.contains("/tags/list")).toList();
      assertTrue(pages.get(0).contains("/tags/list?n=2 "), pages.toString());
    }
  }

  @Test
  void credentialsAreRequiredAndWrongOnesFailCleanly() throws Exception {
    try (LocalRegistry r = LocalRegistry.start(true)) {
      TestImage image = TestImage.generate(3, 5000);
      Optional<Credentials> good = Optional.of(Credentials.basic(LocalRegistry.USER,
          LocalRegistry.PASSWORD));
      image.push(repo(r, "zlayer/private", fx.settings(), good, true), "v1", Optional.empty());
      image.pullAndCompare(repo(r, "zlayer/private", fx.settings(), good, false), "v1");

      RegistryException wrong = assertThrows(RegistryException.class, () -> repo(r,
          "zlayer/private", fx.settings(), Optional.of(Credentials.basic(LocalRegistry.USER,
              "not-the-password")), false).fetchManifest("v1"));
      assertEquals(RegistryException.Kind.UNAUTHORIZED, wrong.kind());
      assertEquals("authentication required for " + r.host()
          + "/zlayer/private (wrong or missing credentials)", wrong.getMessage());
      RegistryException none = assertThrows(RegistryException.class, () -> repo(r,
          "zlayer/private", fx.settings(), Optional.empty(), false).fetchManifest("v1"));
      assertEquals(RegistryException.Kind.UNAUTHORIZED, none.kind());
      for (String line : fx.trace) {
        assertFalse(line.contains(LocalRegistry.PASSWORD), line);
      }
    }
  }

  @Test
  void unknownRepositoryAndTagAreNotFound() throws Exception {
    try (LocalRegistry r = LocalRegistry.start(false)) {
      RegistryRepository repo = repo(r, "zlayer/nothing", fx.settings(), Optional.empty(),
          false);
      RegistryException m = assertThrows(RegistryException.class,
          () -> repo.fetchManifest("latest"));
      assertEquals(RegistryException.Kind.NOT_FOUND, m.kind());
      assertTrue(m.getMessage().endsWith(r.host() + "/zlayer/nothing:latest not found")
          || m.getMessage().equals("repository unknown: " + r.host()
              + "/zlayer/nothing not found"), m.getMessage());
      RegistryException t = assertThrows(RegistryException.class, repo::listTags);
      assertEquals(RegistryException.Kind.NOT_FOUND, t.kind());
      assertEquals("repository unknown: " + r.host() + "/zlayer/nothing not found",
          t.getMessage());
      Digest missing = Digest.sha256(new byte[] {9});
      RegistryException b = assertThrows(RegistryException.class, () -> repo.fetchBlob(
          Descriptor.of("x", missing, 1), new TestBlobs.MemoryWriter(), TransferListener.NONE));
      assertEquals(RegistryException.Kind.NOT_FOUND, b.kind());
    }
  }

  @Test
  void blobsAreMountedFromAnotherRepository() throws Exception {
    try (LocalRegistry r = LocalRegistry.start(false)) {
      TestImage image = TestImage.generate(4, 300_000);
      image.push(repo(r, "zlayer/base", fx.settings(), Optional.empty(), true), "v1",
          Optional.empty());
      fx.trace.clear();
      RegistryRepository target = repo(r, "zlayer/derived", fx.settings(), Optional.empty(),
          true);
      image.push(target, "v1", Optional.of("zlayer/base"));
      assertEquals(image.blobs().size(), fx.trace.stream()
          .filter(l -> l.startsWith("POST ") && l.contains("mount=") && l.endsWith("-> 201"))
          .count(), fx.trace.toString());
      assertFalse(fx.trace.stream().anyMatch(l -> l.startsWith("PUT ") && l.contains("/blobs/")
          || l.startsWith("PATCH ")), "nothing uploaded");
      image.pullAndCompare(target, "v1");
    }
  }
}
