package io.zlayer.domain.dockerfile.instructions;

/**
 * One typed Dockerfile instruction, as BuildKit's {@code instructions} package parses it from the
 * raw AST. Values are kept as written: the builder expands the fields that BuildKit expands
 * through {@link Expandable} (and {@link RawExpandable} for COPY/ADD heredoc bodies).
 */
public sealed interface Instruction
    permits Add, Arg, Cmd, Copy, Entrypoint, Env, Expose, From, Healthcheck, Label, Maintainer,
        Onbuild, Run, Shell, StopSignal, User, Volume, Workdir {

  /** Lines the instruction spans. */
  SourceLocation location();

  /** The instruction's text as written (continuation lines joined, surrounding space trimmed). */
  String original();

  /** The lower-case keyword, e.g. {@code "copy"}. */
  String keyword();
}
