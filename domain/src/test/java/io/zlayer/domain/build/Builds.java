package io.zlayer.domain.build;

import io.zlayer.domain.error.DockerfileException;
import io.zlayer.domain.error.UsageException;
import io.zlayer.domain.image.ContainerConfig;
import io.zlayer.domain.image.ImageConfig;
import io.zlayer.domain.image.Platform;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Plans and evaluates Dockerfiles in tests, with stand-in configs for image bases. */
final class Builds {
  static final Platform AMD64 = Platform.of("linux", "amd64");
  static final Platform ARM64 = Platform.of("linux", "arm64");

  private Builds() {}

  /** Lines joined with newlines (and a final newline). */
  static String dockerfile(String... lines) {
    return String.join("\n", lines) + "\n";
  }

  static BuildPlan plan(String dockerfile) throws DockerfileException, UsageException {
    return plan(dockerfile, Map.of());
  }

  static BuildPlan plan(String dockerfile, Map<String, String> args)
      throws DockerfileException, UsageException {
    return new Request(dockerfile).args(args).plan();
  }

  /** A request under construction; defaults: no args, no target, linux/amd64 everywhere. */
  static final class Request {
    private final String dockerfile;
    private Map<String, String> args = new LinkedHashMap<>();
    private Optional<String> target = Optional.empty();
    private Platform build = AMD64;
    private Platform targetPlatform = AMD64;

    Request(String dockerfile) {
      this.dockerfile = dockerfile;
    }

    Request args(Map<String, String> values) {
      args = new LinkedHashMap<>(values);
      return this;
    }

    Request target(String name) {
      target = Optional.of(name);
      return this;
    }

    Request platforms(Platform buildPlatform, Platform target) {
      build = buildPlatform;
      targetPlatform = target;
      return this;
    }

    BuildPlan plan() throws DockerfileException, UsageException {
      return BuildPlanner.plan(new BuildPlanRequest(dockerfile, "Dockerfile", args, target, build,
          targetPlatform));
    }
  }

  /** A base image config with the given env and nothing else, for linux/amd64. */
  static ImageConfig image(String... env) {
    return image(ContainerConfig.EMPTY.toBuilder().env(List.of(env)).build());
  }

  static ImageConfig image(ContainerConfig config) {
    return new ImageConfig(Optional.empty(), Optional.empty(), "amd64", "linux",
        Optional.empty(), Optional.empty(), config, List.of(), List.of());
  }

  /** The outcome of evaluating every planned stage. */
  record Evaluation(BuildPlan plan, Map<Integer, List<EvaluatedStep>> steps,
      Map<Integer, StageEvaluator> evaluators) {

    List<EvaluatedStep> target() {
      return steps.get(plan.target().index());
    }

    StageEvaluator targetEvaluator() {
      return evaluators.get(plan.target().index());
    }

    /** The last step of the target stage. */
    EvaluatedStep last() {
      List<EvaluatedStep> t = target();
      return t.get(t.size() - 1);
    }

    ContainerConfig config() {
      return targetEvaluator().config();
    }
  }

  /** Evaluates every stage of the plan; image bases get {@code images} or an empty config. */
  static Evaluation evaluate(BuildPlan plan, Map<String, ImageConfig> images)
      throws DockerfileException {
    Map<Integer, List<EvaluatedStep>> steps = new HashMap<>();
    Map<Integer, StageEvaluator> evaluators = new HashMap<>();
    Map<Integer, FinishedStage> finished = new HashMap<>();
    for (PlannedStage stage : plan.stages()) {
      StageStart start;
      if (stage.base() instanceof StageBase.Stage s) {
        start = StageStart.stage(finished.get(s.index()));
      } else if (stage.base() instanceof StageBase.Image i) {
        start = StageStart.image(images.getOrDefault(i.reference().familiarString(), image()));
      } else {
        start = StageStart.scratch();
      }
      StageEvaluator evaluator = StageEvaluator.start(plan, stage, start);
      List<EvaluatedStep> list = new ArrayList<>();
      while (evaluator.hasNext()) {
        list.add(evaluator.next());
      }
      steps.put(stage.index(), list);
      evaluators.put(stage.index(), evaluator);
      finished.put(stage.index(), evaluator.finish());
    }
    return new Evaluation(plan, steps, evaluators);
  }

  static Evaluation evaluate(String dockerfile) throws DockerfileException, UsageException {
    return evaluate(plan(dockerfile), Map.of());
  }

  static Evaluation evaluate(String dockerfile, Map<String, String> args)
      throws DockerfileException, UsageException {
    return evaluate(plan(dockerfile, args), Map.of());
  }

  /** The RUN action of a step. */
  static StepAction.RunCommand run(EvaluatedStep step) {
    return (StepAction.RunCommand) step.action();
  }

  /** The COPY/ADD action of a step. */
  static StepAction.CopyFiles copy(EvaluatedStep step) {
    return (StepAction.CopyFiles) step.action();
  }

  /** The history text of a step. */
  static String createdBy(EvaluatedStep step) {
    return step.history().orElseThrow().createdBy().orElseThrow();
  }
}
