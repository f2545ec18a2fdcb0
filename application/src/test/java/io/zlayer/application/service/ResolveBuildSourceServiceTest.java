package io.zlayer.application.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zlayer.application.usecase.ResolveBuildSource.Candidates;
import io.zlayer.application.usecase.ResolveBuildSource.Choice;
import io.zlayer.application.usecase.ResolveBuildSource.ResolvedSource;
import io.zlayer.application.usecase.ResolveBuildSource.Source;
import io.zlayer.domain.error.DockerfileException;
import io.zlayer.domain.error.UsageException;
import io.zlayer.domain.template.RuntimeTemplates;
import io.zlayer.domain.zimage.CacheMount;
import io.zlayer.domain.zimage.YamlSource;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ResolveBuildSourceServiceTest {
  private final ResolveBuildSourceService service = new ResolveBuildSourceService();
  private static final Path CTX = Path.of("/ctx");

  private Choice choose(Optional<String> runtime, Optional<Path> zimagefile, Optional<Path> file,
      boolean hasZImagefile, boolean hasDockerfile) throws Exception {
    return service.choose(new Candidates(runtime, zimagefile, file, CTX, hasZImagefile,
        hasDockerfile));
  }

  @Test
  void precedenceFollowsTheSeed() throws Exception {
    Optional<Path> none = Optional.empty();
    assertEquals(new Choice.Template(RuntimeTemplates.get("go")),
        choose(Optional.of("golang"), Optional.of(Path.of("Z")), Optional.of(Path.of("D")),
            true, true));
    assertEquals(new Choice.ZImagefileAt(Path.of("Z")),
        choose(Optional.empty(), Optional.of(Path.of("Z")), Optional.of(Path.of("D")), true,
            true));
    assertEquals(new Choice.DockerfileAt(Path.of("D")),
        choose(Optional.empty(), none, Optional.of(Path.of("D")), true, true));
    assertEquals(new Choice.ZImagefileAt(Path.of("build/ZImagefile.prod")),
        choose(Optional.empty(), none, Optional.of(Path.of("build/ZImagefile.prod")), false,
            true));
    assertEquals(new Choice.ZImagefileAt(Path.of("app.yaml")),
        choose(Optional.empty(), none, Optional.of(Path.of("app.yaml")), false, true));
    assertEquals(new Choice.DockerfileAt(Path.of("-")),
        choose(Optional.empty(), none, Optional.of(Path.of("-")), true, true));
    assertEquals(new Choice.ZImagefileAt(CTX.resolve("ZImagefile")),
        choose(Optional.empty(), none, none, true, true));
    assertEquals(new Choice.DockerfileAt(CTX.resolve("Dockerfile")),
        choose(Optional.empty(), none, none, false, true));
  }

  @Test
  void nothingToBuild() {
    UsageException e = assertThrows(UsageException.class, () -> choose(Optional.empty(),
        Optional.empty(), Optional.empty(), false, false));
    assertEquals("no Dockerfile or ZImagefile in /ctx", e.getMessage());
    assertTrue(e.hint().orElseThrow().contains("--runtime auto"));
    UsageException unknown = assertThrows(UsageException.class, () -> choose(
        Optional.of("cobol"), Optional.empty(), Optional.empty(), false, true));
    assertEquals("unknown runtime \"cobol\"", unknown.getMessage());
  }

  @Test
  void resolvesEachKind() throws Exception {
    ResolvedSource t = service.resolve(new Source.Template("node22"));
    assertEquals("node22.Dockerfile", t.fileName());
    assertEquals(RuntimeTemplates.get("node22").dockerfile(), t.dockerfileText());
    assertEquals("runtime template node22", t.description());

    Map<String, Object> tree = new LinkedHashMap<>();
    tree.put("base", "alpine");
    tree.put("steps", List.of(Map.of("run", "make")));
    ResolvedSource z = service.resolve(new Source.ZImagefile(tree,
        YamlSource.named("app/ZImagefile"), List.of(new CacheMount("/c", Optional.empty(),
            Optional.empty(), false))));
    assertEquals("ZImagefile.Dockerfile", z.fileName());
    assertEquals("ZImagefile app/ZImagefile", z.description());
    assertTrue(z.dockerfileText().contains("RUN --mount=type=cache,target=/c make\n"),
        z.dockerfileText());

    ResolvedSource d = service.resolve(new Source.Dockerfile("FROM scratch\n", "Dockerfile"));
    assertEquals("FROM scratch\n", d.dockerfileText());

    DockerfileException e = assertThrows(DockerfileException.class, () -> service.resolve(
        new Source.ZImagefile(Map.of("base", "alpine", "stepz", List.of()),
            YamlSource.named("ZImagefile"), List.of())));
    assertEquals("ZImagefile: unknown field \"stepz\" (did you mean steps?)", e.getMessage());
  }
}
