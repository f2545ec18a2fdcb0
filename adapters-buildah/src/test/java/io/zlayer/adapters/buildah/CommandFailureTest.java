package io.zlayer.adapters.buildah;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class CommandFailureTest {
  @Test
  void reasonIsBuildahsLastErrorLine() {
    CommandFailure f = new CommandFailure("run", 1, List.of("some output",
        "Error: exit status 1", "time=\"…\" level=warning msg=\"x\""));
    assertEquals("exit status 1", f.reason());
    assertEquals("buildah run failed (exit status 1): exit status 1", f.getMessage());
  }

  @Test
  void withoutAnErrorLineTheLastLineIsTheReason() {
    assertEquals("boom", new CommandFailure("copy", 2, List.of("a", "boom", " ")).reason());
    assertEquals("exit status 3", new CommandFailure("copy", 3, List.of()).reason());
  }

  @Test
  void layoutPathsMustNameAnImage() {
    assertEquals(true, LayoutNames.isUsable(java.nio.file.Path.of("/tmp/zlayer-buildah/b-1")));
    assertEquals(false, LayoutNames.isUsable(java.nio.file.Path.of("/home/Alice/tmp")));
    assertEquals(false, LayoutNames.isUsable(java.nio.file.Path.of("/tmp/a+b")));
    assertEquals("localhost/tmp/x:latest",
        LayoutNames.pulledName(java.nio.file.Path.of("/tmp/x")));
  }
}
