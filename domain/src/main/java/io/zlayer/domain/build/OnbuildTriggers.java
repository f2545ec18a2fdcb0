package io.zlayer.domain.build;

import io.zlayer.domain.dockerfile.instructions.Instruction;
import io.zlayer.domain.dockerfile.instructions.InstructionParser;
import io.zlayer.domain.dockerfile.instructions.SourceLocation;
import io.zlayer.domain.dockerfile.parser.DockerfileParser;
import io.zlayer.domain.dockerfile.parser.Node;
import io.zlayer.domain.dockerfile.parser.ParseResult;
import io.zlayer.domain.error.DockerfileException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Parses the ONBUILD triggers of a base image's config (BuildKit's {@code initOnBuildTriggers}):
 * each is one instruction, which may not be ONBUILD, FROM or MAINTAINER. The instructions are
 * located at the FROM line of the stage that runs them, and so are their errors.
 */
final class OnbuildTriggers {
  private OnbuildTriggers() {}

  static List<Instruction> parse(List<String> triggers, SourceLocation from, String source)
      throws DockerfileException {
    int line = from.startLine();
    List<Instruction> out = new ArrayList<>(triggers.size());
    for (String trigger : triggers) {
      ParseResult parsed;
      try {
        parsed = DockerfileParser.parse(trigger);
      } catch (DockerfileException e) {
        DockerfileException located = new DockerfileException(source, line, e.detail());
        located.initCause(e);
        throw located;
      }
      if (parsed.instructions().size() != 1) {
        throw new DockerfileException(source, line,
            "onbuild trigger should be a single expression");
      }
      Node node = parsed.instructions().get(0);
      String keyword = node.value().toUpperCase(Locale.ROOT);
      if (keyword.equals("ONBUILD")) {
        throw new DockerfileException(source, line,
            "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed");
      }
      if (keyword.equals("MAINTAINER") || keyword.equals("FROM")) {
        throw new DockerfileException(source, line,
            keyword + " isn't allowed as an ONBUILD trigger");
      }
      Node located = new Node(node.value(), node.next(), node.children(), node.heredocs(),
          node.json(), node.original(), node.flags(), line, from.endLine(), node.prevComments());
      try {
        out.add(InstructionParser.parse(located));
      } catch (DockerfileException e) {
        throw e.inSource(source);
      }
    }
    return out;
  }
}
