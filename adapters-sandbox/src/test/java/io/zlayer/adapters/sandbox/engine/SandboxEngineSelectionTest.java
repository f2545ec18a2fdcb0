package io.zlayer.adapters.sandbox.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zlayer.adapters.sandbox.run.SandboxHost;
import io.zlayer.adapters.sandbox.store.OciLayoutStore;
import io.zlayer.application.port.EngineAvailability;
import io.zlayer.application.service.BuildEngines;
import io.zlayer.domain.error.BuildException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Choosing the sandbox starts no probe; only a RUN (or asking for the details) does. */
class SandboxEngineSelectionTest {
  @TempDir
  Path dir;

  @Test
  void selectingTheSandboxDoesNotProbeTheHost() throws Exception {
    AtomicInteger probes = new AtomicInteger();
    SandboxBuildEngine engine = new SandboxBuildEngine(
        new SandboxEngineSettings(dir.resolve("sandbox")),
        new OciLayoutStore(dir.resolve("store")), new PlainFileCopier(),
        ForeignPlatforms.BINFMT_MISC, SandboxHost::stepSandbox, probeDir -> {
          probes.incrementAndGet();
          throw new BuildException("bwrap (bubblewrap) is not installed");
        });
    assertTrue(engine.knownUsable());
    assertSame(engine, new BuildEngines(List.of(engine)).select("sandbox"));
    assertSame(engine, new BuildEngines(List.of(engine)).select("auto"));
    assertEquals(0, probes.get());

    EngineAvailability availability = engine.availability();
    assertEquals(1, probes.get());
    assertTrue(availability.usable());
    assertEquals("without RUN steps: bwrap (bubblewrap) is not installed",
        availability.detail());
  }
}
