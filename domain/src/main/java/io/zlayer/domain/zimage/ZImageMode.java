package io.zlayer.domain.zimage;

import java.util.List;
import java.util.Optional;

/** How a ZImagefile builds: exactly one of these four modes. */
public sealed interface ZImageMode {
  /** {@code runtime: node22}: a runtime template, plus the file's image settings. */
  record Runtime(String template) implements ZImageMode {}

  /** {@code base:} (or {@code build:}) with top-level {@code steps}. */
  record SingleStage(BaseImage base, Optional<String> platform, List<ZStep> steps)
      implements ZImageMode {
    public SingleStage {
      steps = List.copyOf(steps);
    }
  }

  /** {@code stages:}, in file order; the last one is the image. */
  record MultiStage(List<ZStage> stages) implements ZImageMode {
    public MultiStage {
      stages = List.copyOf(stages);
    }
  }

  /** {@code wasm:}: a WebAssembly component build. */
  record Wasm(WasmSettings settings) implements ZImageMode {}
}
