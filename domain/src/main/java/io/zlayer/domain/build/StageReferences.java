package io.zlayer.domain.build;

import io.zlayer.domain.dockerfile.instructions.ParsedDockerfile;
import io.zlayer.domain.dockerfile.instructions.StageDefinition;
import io.zlayer.domain.dockerfile.shell.Expansion;
import io.zlayer.domain.dockerfile.shell.ShellLexer;
import io.zlayer.domain.dockerfile.shell.VariableLookup;
import io.zlayer.domain.error.DockerfileException;
import io.zlayer.domain.error.InvalidReferenceException;
import io.zlayer.domain.image.ImageReference;
import java.util.Optional;

/**
 * Resolves what {@code COPY --from} and {@code RUN --mount from=} name, as BuildKit's {@code
 * toCommand} and {@code detectRunMount} do: a number is a stage index (COPY only), then a stage
 * name (case-insensitive, any stage of the file), then {@code scratch}, then an image reference.
 * Variables are not expanded in these values; BuildKit refuses them.
 */
final class StageReferences {

  /** What a reference names. */
  sealed interface Reference {
    /** A stage of this Dockerfile. */
    record ToStage(int index) implements Reference {}

    /** An image. */
    record ToImage(ImageReference reference) implements Reference {}

    /** The empty filesystem. */
    record ToScratch() implements Reference {}
  }

  private final ParsedDockerfile dockerfile;
  private final ShellLexer lexer;
  private final String source;

  StageReferences(ParsedDockerfile dockerfile, ShellLexer lexer, String source) {
    this.dockerfile = dockerfile;
    this.lexer = lexer;
    this.source = source;
  }

  /** The source of {@code COPY --from=<from>} on {@code line}. */
  Reference copyFrom(String from, int line) throws DockerfileException {
    Expansion literal;
    try {
      literal = lexer.processWordWithMatches(from, VariableLookup.empty());
    } catch (DockerfileException e) {
      throw e.atLine(line).inSource(source);
    }
    if (!literal.result().equals(from)) {
      throw new DockerfileException(source, line, "variable expansion is not supported for"
          + " --from, define a new stage with FROM using ARG from global scope as a workaround");
    }
    Long index = GoStrconv.atoi(from);
    if (index != null) {
      if (index < 0 || index >= dockerfile.stages().size()) {
        throw new DockerfileException(source, line, "invalid stage index " + index);
      }
      return new Reference.ToStage(index.intValue());
    }
    return named(from, line);
  }

  /** The source of {@code --mount from=<from>} (non-empty) on {@code line}. */
  Reference mountFrom(String from, int line) throws DockerfileException {
    return named(from, line);
  }

  private Reference named(String name, int line) throws DockerfileException {
    Optional<StageDefinition> stage = dockerfile.stage(name);
    if (stage.isPresent()) {
      return new Reference.ToStage(stage.get().index());
    }
    if (ImageReference.isScratch(name)) {
      return new Reference.ToScratch();
    }
    try {
      return new Reference.ToImage(ImageReference.parse(name));
    } catch (InvalidReferenceException e) {
      throw new DockerfileException(source, line, e.getMessage());
    }
  }
}
