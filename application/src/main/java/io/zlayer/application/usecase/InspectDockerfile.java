package io.zlayer.application.usecase;

import io.zlayer.domain.error.ZlayerException;
import io.zlayer.domain.image.Platform;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code zlayer dockerfile ast|check}: the front end on its own, without building. */
public interface InspectDockerfile {
  /** BuildKit's {@code AST.Dump()} of a Dockerfile, one line per instruction. */
  String astDump(byte[] content, String sourceName) throws ZlayerException;

  /**
   * Runs the whole front end (parse, typed instructions and flags, expansion, image
   * references, stage graph) and summarises the Dockerfile; any problem is the first error.
   */
  CheckReport check(CheckCommand command) throws ZlayerException;

  record CheckCommand(byte[] content, String sourceName, Map<String, String> buildArgs,
      Optional<String> target, Optional<Platform> platform) {}

  /**
   * @param stages every stage in Dockerfile order, with whether the target needs it
   * @param instructions the number of instructions, FROM lines included
   * @param target the display name of the target stage
   * @param warnings BuildKit-style warnings, each {@code Dockerfile:LINE: text}
   */
  record CheckReport(List<StageSummary> stages, int instructions, String target,
      List<String> warnings) {}

  /**
   * @param base what the stage starts from: {@code scratch}, an image reference, or
   *     {@code stage NAME}
   */
  record StageSummary(int index, String name, String base, int instructions, boolean used,
      List<String> dependsOn) {}
}
