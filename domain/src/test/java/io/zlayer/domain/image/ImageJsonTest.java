package io.zlayer.domain.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zlayer.domain.error.ImageFormatException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class ImageJsonTest {
  private static final String CONFIG_DIGEST = "sha256:" + "c".repeat(64);
  private static final String LAYER_DIGEST = "sha256:" + "1".repeat(64);

  @Test
  void parsesADockerManifestAndWritesItBackIdentically() throws Exception {
    String text = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.DOCKER_MANIFEST + "\","
        + "\"config\":{\"mediaType\":\"" + MediaTypes.DOCKER_CONFIG + "\",\"digest\":\""
        + CONFIG_DIGEST + "\",\"size\":1234},\"layers\":[{\"mediaType\":\""
        + MediaTypes.DOCKER_LAYER_GZIP + "\",\"digest\":\"" + LAYER_DIGEST
        + "\",\"size\":99}]}";
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    ImageManifest m = (ImageManifest) ImageJson.parseManifest(bytes, null);
    assertEquals(MediaTypes.DOCKER_MANIFEST, m.mediaType());
    assertEquals(ImageFormat.DOCKER, m.format());
    assertEquals(1234 + 99, m.contentSize());
    assertArrayEquals(bytes, ImageJson.write(m));
  }

  @Test
  void rawManifestKeepsForeignBytesAndTheirDigest() throws Exception {
    String pretty = "{\n   \"schemaVersion\": 2,\n   \"mediaType\": \"" + MediaTypes.OCI_MANIFEST
        + "\",\n   \"config\": {\"mediaType\": \"" + MediaTypes.OCI_CONFIG + "\", \"digest\": \""
        + CONFIG_DIGEST + "\", \"size\": 2},\n   \"layers\": []\n}";
    byte[] bytes = pretty.getBytes(StandardCharsets.UTF_8);
    RawManifest raw = RawManifest.of(bytes, MediaTypes.OCI_MANIFEST);
    assertEquals(Digest.sha256(bytes), raw.digest());
    assertArrayEquals(bytes, raw.bytes());
    assertTrue(raw.parse() instanceof ImageManifest);
  }

  @Test
  void parsesAnIndexAndSelectsAPlatform() throws Exception {
    String text = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX
        + "\",\"manifests\":[{\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"digest\":\""
        + "sha256:" + "a".repeat(64) + "\",\"size\":10,\"platform\":{\"architecture\":\"arm64\","
        + "\"os\":\"linux\",\"variant\":\"v8\"}},{\"mediaType\":\"" + MediaTypes.OCI_MANIFEST
        + "\",\"digest\":\"sha256:" + "b".repeat(64) + "\",\"size\":11,\"platform\":{"
        + "\"architecture\":\"amd64\",\"os\":\"linux\"}}]}";
    ImageIndex index = (ImageIndex) ImageJson.parseManifest(
        text.getBytes(StandardCharsets.UTF_8), null);
    Descriptor amd64 = index.select(new Platform("linux", "amd64", Optional.empty(),
        Optional.empty())).orElseThrow();
    assertEquals("sha256:" + "b".repeat(64), amd64.digest().toString());
    assertEquals(text, new String(ImageJson.write(index), StandardCharsets.UTF_8));
  }

  @Test
  void configRoundTripsEveryDockerField() throws Exception {
    ContainerConfig cc = ContainerConfig.EMPTY.toBuilder()
        .user(Optional.of("app:app"))
        .exposedPorts(new TreeSet<>(List.of("8080/tcp", "53/udp")))
        .env(List.of("PATH=/usr/bin:/bin", "A=b c"))
        .entrypoint(Optional.of(List.of("/entry")))
        .cmd(Optional.of(List.of()))
        .volumes(new TreeSet<>(List.of("/data")))
        .workingDir(Optional.of("/srv"))
        .labels(new TreeMap<>(java.util.Map.of("z", "1", "a", "<2>")))
        .stopSignal(Optional.of("SIGTERM"))
        .healthcheck(Optional.of(new HealthConfig(List.of("CMD-SHELL", "true"), 5_000_000_000L,
            0, 0, 0, 3)))
        .onBuild(List.of("RUN echo hi"))
        .shell(Optional.of(List.of("/bin/bash", "-c")))
        .build();
    ImageConfig cfg = new ImageConfig(Optional.of(Instant.parse("2024-01-02T03:04:05.5Z")),
        Optional.empty(), "amd64", "linux", Optional.empty(), Optional.empty(), cc,
        List.of(Digest.parse(LAYER_DIGEST)),
        List.of(HistoryEntry.of(Instant.EPOCH, "COPY . /", false),
            HistoryEntry.of(Instant.EPOCH, "ENV A=b c", true)));
    byte[] bytes = ImageJson.write(cfg);
    String json = new String(bytes, StandardCharsets.UTF_8);
    assertTrue(json.startsWith("{\"created\":\"2024-01-02T03:04:05.5Z\",\"architecture\":"), json);
    assertTrue(json.contains("\"ExposedPorts\":{\"53/udp\":{},\"8080/tcp\":{}}"), json);
    assertTrue(json.contains("\"Cmd\":[]"), json);
    assertTrue(json.contains("\"empty_layer\":true"), json);
    ImageConfig back = ImageJson.parseConfig(bytes);
    assertEquals(cfg, back);
    assertArrayEquals(bytes, ImageJson.write(back));
  }

  @Test
  void rejectsSchema1AndGarbage() {
    assertThrows(ImageFormatException.class, () -> ImageJson.parseManifest(
        "{\"schemaVersion\":1}".getBytes(StandardCharsets.UTF_8),
        MediaTypes.DOCKER_SCHEMA1_SIGNED));
    assertThrows(ImageFormatException.class, () -> ImageJson.parseManifest(
        "not json".getBytes(StandardCharsets.UTF_8), null));
    assertThrows(ImageFormatException.class, () -> ImageJson.parseConfig(
        "{\"rootfs\":{\"diff_ids\":[\"sha256:nothex\"]}}".getBytes(StandardCharsets.UTF_8)));
  }
}
