package io.zlayer.adapters.registry.credentials;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zlayer.application.port.Credentials;
import io.zlayer.domain.error.RegistryException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoredCredentialSourceTest {
  @TempDir
  Path tmp;
  private Path home;
  private Path bin;
  private final Map<String, String> env = new HashMap<>();

  @BeforeEach
  void setUp() throws Exception {
    home = Files.createDirectories(tmp.resolve("home"));
    bin = Files.createDirectories(tmp.resolve("bin"));
    env.put("PATH", bin + ":/usr/bin:/bin");
  }

  private StoredCredentialSource source() {
    return new StoredCredentialSource(env, home);
  }

  private static String auth(String user, String password) {
    return Base64.getEncoder().encodeToString((user + ":" + password)
        .getBytes(StandardCharsets.UTF_8));
  }

  private Path dockerConfig(String json) throws Exception {
    Path dir = Files.createDirectories(home.resolve(".docker"));
    return Files.writeString(dir.resolve("config.json"), json);
  }

  /**
   * A {@code docker-credential-test} that logs what it was asked and answers from its own
   * little table (or "credentials not found").
   */
  private Path helper(String name, String body) throws Exception {
    Path script = bin.resolve("docker-credential-" + name);
    Files.writeString(script, "#!/bin/sh\n"
        + "[ \"$1\" = get ] || { echo \"unsupported $1\" >&2; exit 2; }\n"
        + "server=$(cat)\n"
        + "echo \"$server\" >> \"" + tmp.resolve(name + ".log") + "\"\n"
        + body);
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    return script;
  }

  private List<String> asked(String name) throws Exception {
    Path log = tmp.resolve(name + ".log");
    return Files.exists(log) ? Files.readAllLines(log) : List.of();
  }

  @Test
  void authsWithBase64LoginAndNormalisedKeys() throws Exception {
    dockerConfig("{\"auths\":{"
        + "\"https://index.docker.io/v1/\":{\"auth\":\"" + auth("hubuser", "hub:pass") + "\"},"
        + "\"http://localhost:5000/v2/\":{\"auth\":\"" + auth("local", "lpw") + "\"},"
        + "\"ghcr.io\":{\"auth\":\"" + auth("gh", "ghpw") + "\"}}}");
    StoredCredentialSource s = source();
    assertEquals(Optional.of(Credentials.basic("hubuser", "hub:pass")),
        s.credentialsFor("docker.io"));
    assertEquals(Optional.of(Credentials.basic("hubuser", "hub:pass")),
        s.credentialsFor("index.docker.io"));
    assertEquals(Optional.of(Credentials.basic("local", "lpw")),
        s.credentialsFor("localhost:5000"));
    assertEquals(Optional.of(Credentials.basic("gh", "ghpw")), s.credentialsFor("GHCR.io"));
    assertEquals(Optional.empty(), s.credentialsFor("quay.io"));
    assertEquals(Optional.empty(), s.credentialsFor("localhost:5001"));
  }

  @Test
  void identityTokensAndExactKeysWin() throws Exception {
    dockerConfig("{\"auths\":{"
        + "\"https://registry.example.com/\":{\"auth\":\"" + auth("old", "oldpw") + "\"},"
        + "\"registry.example.com\":{\"auth\":\"" + auth("u", "x") + "\","
        + "\"identitytoken\":\"id-token-secret\"}}}");
    assertEquals(Optional.of(Credentials.identityToken("id-token-secret")),
        source().credentialsFor("registry.example.com"));
  }

  @Test
  void dockerConfigEnvironmentVariableChoosesTheDirectory() throws Exception {
    Path other = Files.createDirectories(tmp.resolve("elsewhere"));
    Files.writeString(other.resolve("config.json"), "{\"auths\":{\"r.example\":{\"auth\":\""
        + auth("env", "envpw") + "\"}}}");
    dockerConfig("{\"auths\":{\"r.example\":{\"auth\":\"" + auth("home", "homepw") + "\"}}}");
    env.put("DOCKER_CONFIG", other.toString());
    assertEquals(Optional.of(Credentials.basic("env", "envpw")),
        source().credentialsFor("r.example"));
  }

  @Test
  void credHelperPerRegistry() throws Exception {
    helper("test", "case \"$server\" in\n"
        + "  r.example) echo '{\"ServerURL\":\"r.example\",\"Username\":\"hu\","
        + "\"Secret\":\"hs\"}';;\n"
        + "  tok.example) echo '{\"ServerURL\":\"tok.example\",\"Username\":\"<token>\","
        + "\"Secret\":\"idt\"}';;\n"
        + "  *) echo 'credentials not found in native keychain'; exit 1;;\n"
        + "esac\n");
    dockerConfig("{\"credHelpers\":{\"r.example\":\"test\",\"tok.example\":\"test\","
        + "\"none.example\":\"test\"},\"auths\":{\"none.example\":{\"auth\":\""
        + auth("file", "filepw") + "\"}}}");
    StoredCredentialSource s = source();
    assertEquals(Optional.of(Credentials.basic("hu", "hs")), s.credentialsFor("r.example"));
    assertEquals(Optional.of(Credentials.identityToken("idt")), s.credentialsFor("tok.example"));
    // not found by the helper: the file's own entry still counts
    assertEquals(Optional.of(Credentials.basic("file", "filepw")),
        s.credentialsFor("none.example"));
    assertEquals(Optional.empty(), s.credentialsFor("other.example"));
    assertEquals(List.of("r.example", "tok.example", "none.example"), asked("test"));
  }

  @Test
  void credsStoreIsTheDefaultAndDockerHubIsAskedByItsLegacyName() throws Exception {
    helper("store", "case \"$server\" in\n"
        + "  https://index.docker.io/v1/) echo '{\"Username\":\"hub\",\"Secret\":\"hubpw\"}';;\n"
        + "  localhost:5000) echo '{\"Username\":\"lo\",\"Secret\":\"lopw\"}';;\n"
        + "  *) echo 'credentials not found in native keychain'; exit 1;;\n"
        + "esac\n");
    dockerConfig("{\"credsStore\":\"store\",\"auths\":{\"localhost:5000\":{}}}");
    StoredCredentialSource s = source();
    assertEquals(Optional.of(Credentials.basic("hub", "hubpw")), s.credentialsFor("docker.io"));
    assertEquals(Optional.of(Credentials.basic("lo", "lopw")), s.credentialsFor("localhost:5000"));
    assertEquals(Optional.empty(), s.credentialsFor("quay.io"));
    assertEquals(List.of("https://index.docker.io/v1/", "localhost:5000", "quay.io"),
        asked("store"));
  }

  @Test
  void aFailingHelperIsAClearErrorAndAMissingOneIsNamed() throws Exception {
    helper("broken", "echo 'keychain locked' >&2; exit 3\n");
    dockerConfig("{\"credHelpers\":{\"r.example\":\"broken\",\"m.example\":\"missing\"}}");
    RegistryException e = assertThrows(RegistryException.class,
        () -> source().credentialsFor("r.example"));
    assertEquals(RegistryException.Kind.UNAUTHORIZED, e.kind());
    assertEquals("credential helper docker-credential-broken failed for r.example: exit status 3:"
        + " keychain locked", e.getMessage());
    RegistryException missing = assertThrows(RegistryException.class,
        () -> source().credentialsFor("m.example"));
    assertTrue(missing.getMessage().startsWith("credential helper docker-credential-missing ("
        + "configured in " + home.resolve(".docker/config.json") + ") is not on PATH"),
        missing.getMessage());
  }

  @Test
  void containersAuthFilesInOrder() throws Exception {
    Path runtime = Files.createDirectories(tmp.resolve("run/containers"));
    Files.writeString(runtime.resolve("auth.json"), "{\"auths\":{\"quay.io\":{\"auth\":\""
        + auth("run", "runpw") + "\"},\"quay.io/team\":{\"auth\":\"" + auth("ns", "nspw")
        + "\"}}}");
    Path config = Files.createDirectories(home.resolve(".config/containers"));
    Files.writeString(config.resolve("auth.json"), "{\"auths\":{\"quay.io\":{\"auth\":\""
        + auth("cfg", "cfgpw") + "\"},\"gcr.io\":{\"auth\":\"" + auth("g", "gpw") + "\"},"
        + "\"only.example/ns\":{\"auth\":\"" + auth("ns", "nspw") + "\"}}}");
    env.put("XDG_RUNTIME_DIR", tmp.resolve("run").toString());
    StoredCredentialSource s = source();
    assertEquals(Optional.of(Credentials.basic("run", "runpw")), s.credentialsFor("quay.io"));
    assertEquals(Optional.of(Credentials.basic("g", "gpw")), s.credentialsFor("gcr.io"));
    assertEquals(Optional.empty(), s.credentialsFor("only.example"),
        "a namespace login is not a registry login");

    Path explicit = Files.writeString(tmp.resolve("explicit.json"),
        "{\"auths\":{\"quay.io\":{\"auth\":\"" + auth("explicit", "xpw") + "\"}}}");
    env.put("REGISTRY_AUTH_FILE", explicit.toString());
    assertEquals(Optional.of(Credentials.basic("explicit", "xpw")),
        source().credentialsFor("quay.io"));
    assertEquals(List.of(explicit, home.resolve(".docker/config.json"),
        runtime.resolve("auth.json"), config.resolve("auth.json")), source().files());
  }

  @Test
  void dockerConfigComesBeforeContainersAuthFiles() throws Exception {
    dockerConfig("{\"auths\":{\"quay.io\":{\"auth\":\"" + auth("docker", "dpw") + "\"}}}");
    Path config = Files.createDirectories(home.resolve(".config/containers"));
    Files.writeString(config.resolve("auth.json"), "{\"auths\":{\"quay.io\":{\"auth\":\""
        + auth("podman", "ppw") + "\"}}}");
    assertEquals(Optional.of(Credentials.basic("docker", "dpw")),
        source().credentialsFor("quay.io"));
  }

  @Test
  void noFilesMeansNoLogin() throws Exception {
    assertEquals(Optional.empty(), source().credentialsFor("docker.io"));
  }

  @Test
  void malformedFilesNameTheFileButNotTheirContent() throws Exception {
    Path f = dockerConfig("{\"auths\":{\"r.example\":{\"auth\":\"" + auth("u", "Leak3d-pw")
        + "\"}} Leak3d-pw");
    RegistryException e = assertThrows(RegistryException.class,
        () -> source().credentialsFor("r.example"));
    assertTrue(e.getMessage().startsWith("invalid login file " + f + ": malformed JSON at line 1"),
        e.getMessage());
    assertFalse(e.getMessage().contains("Leak3d"), e.getMessage());

    dockerConfig("{\"auths\":{\"r.example\":{\"auth\":\"not base64 Leak3d!\"}}}");
    RegistryException b = assertThrows(RegistryException.class,
        () -> source().credentialsFor("r.example"));
    assertEquals("invalid login file " + f + ": the \"auth\" of r.example is not base64",
        b.getMessage());
  }

  @Test
  void keyNormalisation() {
    assertEquals("docker.io", RegistryKeys.normalize("https://index.docker.io/v1/"));
    assertEquals("docker.io", RegistryKeys.normalize("registry-1.docker.io"));
    assertEquals("localhost:5000", RegistryKeys.normalize("http://LocalHost:5000/v2/"));
    assertEquals("r.example", RegistryKeys.normalize("r.example/some/path"));
    assertTrue(RegistryKeys.isNamespaced("quay.io/team"));
    assertFalse(RegistryKeys.isNamespaced("https://quay.io/v1/"));
  }
}
