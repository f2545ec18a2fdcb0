package io.zlayer.adapters.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zlayer.domain.error.UsageException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistriesConfTest {
  @TempDir
  Path tmp;

  @Test
  void registryTablesWithInsecureFlags() throws Exception {
    String conf = """
        # a typical file
        unqualified-search-registries = ["docker.io", "quay.io"]
        short-name-mode = "enforcing"

        [[registry]]
        prefix = "example.com/foo"
        location = "internal.example:5000/foo"   # a comment
        insecure = true
        blocked = false

        [[registry.mirror]]
        location = "mirror.example"
        insecure = true

        [[registry]]
        location = 'secure.example'
        insecure = false

        [[registry]]
        prefix = "*.dev.example"
        insecure = true

        [[registry]]
        location = "esc\\u0061ped.example"
        insecure = true
        mirror = [
          { location = "m1.example", insecure = true },
        ]
        """;
    RegistriesConf c = RegistriesConf.parse(Path.of("registries.conf"), conf);
    assertEquals(Set.of("internal.example:5000", "*.dev.example", "escaped.example"),
        c.insecureRegistries());
  }

  @Test
  void versionOneInsecureList() throws Exception {
    RegistriesConf c = RegistriesConf.parse(Path.of("r.conf"), """
        [registries.search]
        registries = ['docker.io']
        [registries.insecure]
        registries = ["old.example:5000",
                      "other.example"]
        [registries.block]
        registries = []
        """);
    assertEquals(Set.of("old.example:5000", "other.example"), c.insecureRegistries());
  }

  @Test
  void errorsNameFileAndLine() {
    UsageException e = assertThrows(UsageException.class, () -> RegistriesConf.parse(
        Path.of("/etc/containers/registries.conf"),
        "[[registry]]\nlocation = \"x\"\ninsecure = yes\n"));
    assertEquals("/etc/containers/registries.conf:3: unsupported value \"yes\"", e.getMessage());
    UsageException s = assertThrows(UsageException.class, () -> RegistriesConf.parse(
        Path.of("r.conf"), "[[registry]]\nlocation = \"x\ninsecure = true\n"));
    assertEquals("r.conf:2: unterminated string", s.getMessage());
  }

  @Test
  void userFileReplacesTheSystemFileAndDropInsOverride() throws Exception {
    Path etc = Files.createDirectories(tmp.resolve("etc/containers"));
    Path home = Files.createDirectories(tmp.resolve("home"));
    Files.writeString(etc.resolve("registries.conf"),
        "[[registry]]\nlocation = \"sys.example\"\ninsecure = true\n");
    Map<String, String> env = new HashMap<>();
    assertEquals(Set.of("sys.example"),
        RegistriesConf.load(env, home, etc).insecureRegistries());

    Path dropIns = Files.createDirectories(etc.resolve("registries.conf.d"));
    Files.writeString(dropIns.resolve("10-a.conf"),
        "[[registry]]\nlocation = \"drop.example\"\ninsecure = true\n");
    Files.writeString(dropIns.resolve("20-b.conf"),
        "[[registry]]\nlocation = \"sys.example\"\ninsecure = false\n");
    Files.writeString(dropIns.resolve("ignored.txt"), "not toml at all [");
    RegistriesConf withDropIns = RegistriesConf.load(env, home, etc);
    assertEquals(Set.of("drop.example"), withDropIns.insecureRegistries());
    assertEquals(List.of(etc.resolve("registries.conf"), dropIns.resolve("10-a.conf"),
        dropIns.resolve("20-b.conf")), withDropIns.sources());

    Path user = Files.createDirectories(home.resolve(".config/containers"));
    Files.writeString(user.resolve("registries.conf"),
        "[[registry]]\nlocation = \"user.example:5000\"\ninsecure = true\n");
    assertEquals(Set.of("user.example:5000", "drop.example"),
        RegistriesConf.load(env, home, etc).insecureRegistries());

    Path explicit = Files.writeString(tmp.resolve("only.conf"),
        "[[registry]]\nlocation = \"only.example\"\ninsecure = true\n");
    env.put("CONTAINERS_REGISTRIES_CONF", explicit.toString());
    assertEquals(Set.of("only.example"), RegistriesConf.load(env, home, etc)
        .insecureRegistries());
  }

  @Test
  void missingFilesMeanNothingIsInsecure() throws Exception {
    RegistriesConf c = RegistriesConf.load(Map.of(), tmp.resolve("nohome"), tmp.resolve("noetc"));
    assertTrue(c.insecureRegistries().isEmpty());
    assertTrue(c.sources().isEmpty());
  }
}
