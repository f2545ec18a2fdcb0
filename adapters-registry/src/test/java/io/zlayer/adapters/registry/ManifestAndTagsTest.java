package io.zlayer.adapters.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zlayer.application.port.RegistryOptions;
import io.zlayer.application.port.RegistryRepository;
import io.zlayer.domain.error.RegistryException;
import io.zlayer.domain.image.Descriptor;
import io.zlayer.domain.image.Digest;
import io.zlayer.domain.image.MediaTypes;
import io.zlayer.domain.image.RawManifest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ManifestAndTagsTest {
  /** Deliberately odd whitespace: the bytes must survive exactly. */
  private static final byte[] MANIFEST = ("{\n  \"schemaVersion\": 2,\n  \"mediaType\": \""
      + MediaTypes.OCI_MANIFEST + "\",\n  \"config\": {}, \"layers\": []   }\n")
      .getBytes(StandardCharsets.UTF_8);

  private FakeDistribution registry;
  private final Fixtures fx = new Fixtures();

  @BeforeEach
  void start() throws Exception {
    registry = new FakeDistribution();
  }

  @AfterEach
  void stop() {
    registry.close();
  }

  private RegistryRepository repo(boolean push) throws RegistryException {
    return new HttpRegistry(Fixtures.none(), fx.settings())
        .repository(Fixtures.ref(registry.host(), "team/app"), RegistryOptions.DEFAULT, push);
  }

  @Test
  void pushThenFetchKeepsTheExactBytesAndType() throws Exception {
    RawManifest m = RawManifest.of(MANIFEST, MediaTypes.OCI_MANIFEST);
    RegistryRepository repo = repo(true);
    assertEquals(m.digest(), repo.pushManifest(Optional.of("v1"), m));
    FakeServer.Seen put = registry.server.requests("PUT", ".*/manifests/v1").get(0);
    assertEquals(MediaTypes.OCI_MANIFEST, put.header("Content-Type"));

    RawManifest byTag = repo.fetchManifest("v1");
    assertArrayEquals(MANIFEST, byTag.bytes());
    assertEquals(MediaTypes.OCI_MANIFEST, byTag.mediaType());
    assertEquals(m.digest(), byTag.digest());
    RawManifest byDigest = repo.fetchManifest(m.digest().toString());
    assertEquals(m, byDigest);
    String accept = registry.server.requests("GET", ".*/manifests/v1").get(0).header("Accept");
    assertEquals(String.join(", ", MediaTypes.MANIFEST_ACCEPT), accept);
  }

  @Test
  void pushByDigestWithoutTag() throws Exception {
    RawManifest m = RawManifest.of(MANIFEST, MediaTypes.OCI_INDEX);
    repo(true).pushManifest(Optional.empty(), m);
    assertEquals(1, registry.server.requests("PUT", ".*/manifests/" + m.digest()).size());
  }

  @Test
  void aManifestWhoseBytesDoNotMatchTheRequestedDigestIsRejected() throws Exception {
    RawManifest m = RawManifest.of(MANIFEST, MediaTypes.OCI_MANIFEST);
    registry.putManifest("team/app", "v1", MediaTypes.OCI_MANIFEST, MANIFEST);
    registry.manifests.put("team/app@" + m.digest(), "{\"tampered\":true}".getBytes(
        StandardCharsets.UTF_8));
    RegistryException e = assertThrows(RegistryException.class,
        () -> repo(false).fetchManifest(m.digest().toString()));
    assertEquals(RegistryException.Kind.DIGEST_MISMATCH, e.kind());
    assertTrue(e.getMessage().startsWith("manifest " + registry.host() + "/team/app@"
        + m.digest() + " from " + registry.host() + " has digest sha256:"), e.getMessage());
  }

  @Test
  void aDockerContentDigestThatDisagreesIsRejected() throws Exception {
    registry.server.route("GET", "/v2/team/app/manifests/v1", ex -> {
      ex.responseHeader("Content-Type", MediaTypes.OCI_MANIFEST);
      ex.responseHeader("Docker-Content-Digest", Digest.sha256(new byte[] {1}).toString());
      ex.bytes(200, MANIFEST);
    });
    RegistryException e = assertThrows(RegistryException.class,
        () -> repo(false).fetchManifest("v1"));
    assertEquals(RegistryException.Kind.DIGEST_MISMATCH, e.kind());
  }

  @Test
  void mediaTypeComesFromTheDocumentWhenTheContentTypeIsGeneric() throws Exception {
    registry.server.route("GET", "/v2/team/app/manifests/v1", ex -> {
      ex.responseHeader("Content-Type", "application/json; charset=utf-8");
      ex.bytes(200, MANIFEST);
    });
    assertEquals(MediaTypes.OCI_MANIFEST, repo(false).fetchManifest("v1").mediaType());
    assertEquals(MediaTypes.OCI_INDEX, HttpRegistryRepository.mediaType(Optional.empty(),
        "{\"schemaVersion\":2,\"manifests\":[]}".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void headManifestDescribesOrSaysAbsent() throws Exception {
    registry.putManifest("team/app", "v1", MediaTypes.DOCKER_MANIFEST, MANIFEST);
    RegistryRepository repo = repo(false);
    Optional<Descriptor> d = repo.headManifest("v1");
    assertEquals(Optional.of(Descriptor.of(MediaTypes.DOCKER_MANIFEST, Digest.sha256(MANIFEST),
        MANIFEST.length)), d);
    assertEquals(Optional.empty(), repo.headManifest("v2"));
    assertTrue(registry.server.requests("GET", ".*/manifests/.*").isEmpty(), "HEAD only");
  }

  @Test
  void headManifestWithoutDigestHeaderFallsBackToGet() throws Exception {
    registry.putManifest("team/app", "v1", MediaTypes.OCI_MANIFEST, MANIFEST);
    registry.server.route("HEAD", "/v2/team/app/manifests/v1", ex -> {
      ex.responseHeader("Content-Type", MediaTypes.OCI_MANIFEST);
      ex.bytes(200, MANIFEST);
    });
    assertEquals(Optional.of(RawManifest.of(MANIFEST, MediaTypes.OCI_MANIFEST).descriptor()),
        repo(false).headManifest("v1"));
    assertEquals(1, registry.server.requests("GET", ".*/manifests/v1").size());
  }

  @Test
  void unknownTagAndUnknownRepository() throws Exception {
    registry.putManifest("team/app", "v1", MediaTypes.OCI_MANIFEST, MANIFEST);
    RegistryException tag = assertThrows(RegistryException.class,
        () -> repo(false).fetchManifest("nope"));
    assertEquals(RegistryException.Kind.NOT_FOUND, tag.kind());
    assertEquals("manifest unknown: " + registry.host() + "/team/app:nope not found",
        tag.getMessage());
    RegistryRepository other = new HttpRegistry(Fixtures.none(), fx.settings()).repository(
        Fixtures.ref(registry.host(), "team/ghost"), RegistryOptions.DEFAULT, false);
    RegistryException repo = assertThrows(RegistryException.class,
        () -> other.fetchManifest("v1"));
    assertEquals(RegistryException.Kind.NOT_FOUND, repo.kind());
    assertEquals("repository unknown: " + registry.host() + "/team/ghost not found",
        repo.getMessage());
    RegistryException tags = assertThrows(RegistryException.class, other::listTags);
    assertEquals("repository unknown: " + registry.host() + "/team/ghost not found",
        tags.getMessage());
  }

  @Test
  void invalidTagsAreRefusedBeforeAnyRequest() throws Exception {
    RegistryException e = assertThrows(RegistryException.class,
        () -> repo(false).fetchManifest("../x"));
    assertEquals(RegistryException.Kind.PROTOCOL, e.kind());
    assertTrue(registry.server.requests().isEmpty());
  }

  @Test
  void tagsFollowLinkPagination() throws Exception {
    List<String> all = IntStream.range(0, 7).mapToObj(i -> "t" + i).toList();
    for (String t : all) {
      registry.putManifest("team/app", t, MediaTypes.OCI_MANIFEST, MANIFEST);
    }
    RegistryRepository repo = new HttpRegistry(Fixtures.none(),
        fx.settings().withTagPageSize(3)).repository(Fixtures.ref(registry.host(), "team/app"),
        RegistryOptions.DEFAULT, false);
    assertEquals(all, repo.listTags());
    List<FakeServer.Seen> pages = registry.server.requests("GET", ".*/tags/list");
    assertEquals(3, pages.size());
    assertEquals("n=3", pages.get(0).uri().getRawQuery());
    assertTrue(pages.get(1).uri().getRawQuery().contains("last=t2"), pages.get(1).uri()
        .toString());
    assertTrue(pages.get(2).uri().getRawQuery().contains("last=t5"));
  }

  @Test
  void pushingThroughAPullSessionIsRefused() throws Exception {
    RegistryException e = assertThrows(RegistryException.class, () -> repo(false)
        .pushManifest(Optional.of("x"), RawManifest.of(MANIFEST, MediaTypes.OCI_MANIFEST)));
    assertEquals(RegistryException.Kind.DENIED, e.kind());
  }
}
