package io.zlayer.application.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.zlayer.application.port.BuildEngine;
import io.zlayer.application.port.BuildJob;
import io.zlayer.application.port.BuiltImage;
import io.zlayer.application.port.EngineAvailability;
import io.zlayer.domain.error.BuildException;
import io.zlayer.domain.error.UsageException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BuildEnginesTest {
  /** An engine that is only ever selected, never run. */
  private record Engine(String name, boolean usable) implements BuildEngine {
    @Override
    public EngineAvailability availability() {
      return usable ? EngineAvailability.usable(name + " 1.0")
          : EngineAvailability.unusable(name + " not found", "install " + name);
    }

    @Override
    public BuiltImage build(BuildJob job) throws BuildException {
      throw new BuildException("selection test only");
    }
  }

  @Test
  void autoPrefersAUsableBuildahThenTheSandbox() throws Exception {
    Engine sandbox = new Engine("sandbox", true);
    Engine buildah = new Engine("buildah", true);
    assertSame(buildah, new BuildEngines(List.of(sandbox, buildah)).select("auto"));
    assertSame(sandbox, new BuildEngines(List.of(sandbox, new Engine("buildah", false)))
        .select(null));
    UsageException e = assertThrows(UsageException.class, () -> new BuildEngines(List.of(
        new Engine("sandbox", false), new Engine("buildah", false))).select("auto"));
    assertEquals("the sandbox backend cannot run here: sandbox not found", e.getMessage());
  }

  @Test
  void autoFallsBackToAHostsOwnEngine() throws Exception {
    Engine mine = new Engine("mine", true);
    assertSame(mine, new BuildEngines(List.of(new Engine("broken", false), mine)).select(""));
    UsageException none = assertThrows(UsageException.class,
        () -> new BuildEngines(List.of(new Engine("broken", false))).select("auto"));
    assertEquals("no build engine is available", none.getMessage());
    assertEquals(Optional.of("none of these can run here: broken"), none.hint());
  }

  /** Knows it can run; asking it for details would probe the machine. */
  private record CheapEngine(String name) implements BuildEngine {
    @Override
    public boolean knownUsable() {
      return true;
    }

    @Override
    public EngineAvailability availability() {
      throw new AssertionError("probed " + name);
    }

    @Override
    public BuiltImage build(BuildJob job) throws BuildException {
      throw new BuildException("selection test only");
    }
  }

  @Test
  void anEngineKnownToBeUsableIsChosenWithoutProbing() throws Exception {
    CheapEngine sandbox = new CheapEngine("sandbox");
    assertSame(sandbox, new BuildEngines(List.of(sandbox)).select("sandbox"));
    assertSame(sandbox, new BuildEngines(List.of(sandbox, new Engine("buildah", false)))
        .select("auto"));
    CheapEngine buildah = new CheapEngine("buildah");
    assertSame(buildah, new BuildEngines(List.of(sandbox, buildah)).select("auto"));
    CheapEngine mine = new CheapEngine("mine");
    assertSame(mine, new BuildEngines(List.of(new Engine("broken", false), mine)).select(""));
  }

  @Test
  void aNamedEngineMustExistAndBeUsable() throws Exception {
    BuildEngines engines = new BuildEngines(List.of(new Engine("mine", true),
        new Engine("broken", false)));
    assertEquals("mine", engines.select("mine").name());
    UsageException unknown = assertThrows(UsageException.class, () -> engines.select("other"));
    assertEquals(Optional.of("use one of: auto, mine, broken"), unknown.hint());
    UsageException broken = assertThrows(UsageException.class, () -> engines.select("broken"));
    assertEquals(Optional.of("install broken"), broken.hint());
  }
}
