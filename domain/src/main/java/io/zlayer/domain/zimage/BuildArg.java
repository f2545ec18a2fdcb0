package io.zlayer.domain.zimage;

import java.util.Optional;

/** An {@code args} entry: a build argument and its default (none when given as empty). */
public record BuildArg(String name, Optional<String> defaultValue) {}
