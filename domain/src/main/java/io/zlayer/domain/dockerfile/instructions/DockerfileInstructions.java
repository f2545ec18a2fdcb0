package io.zlayer.domain.dockerfile.instructions;

import io.zlayer.domain.dockerfile.parser.Node;
import io.zlayer.domain.error.DockerfileException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Splits a parsed Dockerfile into meta ARGs and stages, as BuildKit's {@code instructions.Parse}
 * does: ARGs before the first FROM are meta args, any other instruction there is an error, and
 * each FROM starts a stage.
 */
public final class DockerfileInstructions {

  private DockerfileInstructions() {}

  /** The typed Dockerfile for the AST's root node (whose children are the instructions). */
  public static ParsedDockerfile parse(Node root) throws DockerfileException {
    List<Arg> metaArgs = new ArrayList<>();
    List<StageBuilder> stages = new ArrayList<>();
    Map<String, Integer> stageLines = new HashMap<>();
    for (Node node : root.children()) {
      Instruction instruction = InstructionParser.parse(node);
      if (stages.isEmpty() && instruction instanceof Arg arg) {
        metaArgs.add(arg);
        continue;
      }
      if (instruction instanceof From from) {
        if (from.stageName().isPresent()) {
          String name = from.stageName().get();
          Integer firstLine = stageLines.putIfAbsent(name, node.startLine());
          if (firstLine != null) {
            throw new DockerfileException(node.startLine(), "duplicate stage name "
                + GoSyntax.quote(name) + ", first defined on line " + firstLine);
          }
        }
        stages.add(new StageBuilder(stages.size(), from));
        continue;
      }
      if (stages.isEmpty()) {
        throw new DockerfileException(node.startLine(), "no build stage in current context");
      }
      stages.get(stages.size() - 1).instructions.add(instruction);
    }
    if (stages.isEmpty()) {
      throw new DockerfileException("dockerfile contains no stages to build");
    }
    List<StageDefinition> out = new ArrayList<>(stages.size());
    for (StageBuilder s : stages) {
      out.add(new StageDefinition(s.index, s.from, s.instructions));
    }
    return new ParsedDockerfile(metaArgs, out);
  }

  private static final class StageBuilder {
    final int index;
    final From from;
    final List<Instruction> instructions = new ArrayList<>();

    StageBuilder(int index, From from) {
      this.index = index;
      this.from = from;
    }
  }
}
