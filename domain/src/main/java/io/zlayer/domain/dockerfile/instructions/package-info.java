/**
 * Typed Dockerfile instructions, parsed from the raw AST as BuildKit's {@code
 * frontend/dockerfile/instructions} package does.
 *
 * <p>Entry points: {@link io.zlayer.domain.dockerfile.instructions.DockerfileInstructions#parse}
 * for a whole file (meta ARGs and stages) and {@link
 * io.zlayer.domain.dockerfile.instructions.InstructionParser#parse} for one instruction node.
 * Values stay as written; the builder expands the fields BuildKit expands by calling {@link
 * io.zlayer.domain.dockerfile.instructions.Expandable#expand} with the shell lexer (and {@link
 * io.zlayer.domain.dockerfile.instructions.RawExpandable#expandRaw} for COPY/ADD heredoc bodies).
 *
 * <p>Where zlayer differs from BuildKit: an ONBUILD trigger is parsed when the ONBUILD line is
 * (BuildKit stores only its text and parses it downstream), so a malformed trigger fails early;
 * and duplicate stage names are an error (BuildKit only warns through its linter).
 */
package io.zlayer.domain.dockerfile.instructions;
