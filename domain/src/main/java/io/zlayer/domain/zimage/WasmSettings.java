package io.zlayer.domain.zimage;

import java.util.Optional;

/**
 * The {@code wasm:} section (or {@code runtime: wasm}), validated as the seed format defines it.
 * zlayer reads it so that such files get a clear answer, but builds no WebAssembly components.
 */
public record WasmSettings(String target, boolean optimize, String optLevel,
    Optional<String> language, Optional<String> world) {}
