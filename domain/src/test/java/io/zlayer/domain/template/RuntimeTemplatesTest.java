package io.zlayer.domain.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zlayer.domain.build.StepAction;
import io.zlayer.domain.zimage.FrontEnd;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RuntimeTemplatesTest {
  @Test
  void theSeedsLinuxTemplates() {
    assertEquals(List.of("node20", "node22", "python312", "python313", "rust", "go", "deno",
        "bun"), RuntimeTemplates.names());
  }

  @Test
  void everyTemplatePlansAndEvaluatesEveryStage() throws Exception {
    for (RuntimeTemplate t : RuntimeTemplates.all()) {
      FrontEnd.Evaluation e = FrontEnd.evaluate(t.dockerfile(), t.fileName(), Map.of());
      assertEquals(e.plan().dockerfile().stages().size(), e.plan().stages().size(),
          t.name() + ": every stage is needed by the image");
      assertTrue(e.config().cmd().isPresent(), t.name() + " has a CMD");
      assertTrue(e.config().user().isPresent(), t.name() + " runs as a non-root user");
      assertFalse(t.description().isBlank(), t.name());
      assertFalse(t.detectFiles().isEmpty(), t.name());
      boolean runs = e.steps().values().stream().flatMap(List::stream)
          .anyMatch(s -> s.action() instanceof StepAction.RunCommand);
      assertTrue(runs, t.name() + " installs something");
    }
  }

  @Test
  void nodeTemplatesSetNodeEnvFromTheirArg() throws Exception {
    RuntimeTemplate node = RuntimeTemplates.get("node22");
    assertTrue(FrontEnd.evaluate(node.dockerfile(), node.fileName(), Map.of()).config().env()
        .contains("NODE_ENV=production"));
    assertTrue(FrontEnd.evaluate(node.dockerfile(), node.fileName(), Map.of("NODE_ENV",
        "development")).config().env().contains("NODE_ENV=development"));
  }

  @Test
  void namesAndAliasesAreUniqueAndCaseInsensitive() {
    Set<String> seen = new HashSet<>();
    for (RuntimeTemplate t : RuntimeTemplates.all()) {
      assertTrue(seen.add(t.name()), t.name());
      t.aliases().forEach(a -> assertTrue(seen.add(a), a));
    }
    assertEquals("node20", RuntimeTemplates.find("Node").orElseThrow().name());
    assertEquals("go", RuntimeTemplates.find(" golang ").orElseThrow().name());
    assertEquals("rust", RuntimeTemplates.find("RS").orElseThrow().name());
    assertEquals(Optional.empty(), RuntimeTemplates.find("java"));
  }
}
