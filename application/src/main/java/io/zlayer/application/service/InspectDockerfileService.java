package io.zlayer.application.service;

import io.zlayer.application.usecase.InspectDockerfile;
import io.zlayer.domain.build.BuildPlan;
import io.zlayer.domain.build.BuildPlanRequest;
import io.zlayer.domain.build.BuildPlanner;
import io.zlayer.domain.build.FinishedStage;
import io.zlayer.domain.build.PlannedStage;
import io.zlayer.domain.build.StageBase;
import io.zlayer.domain.build.StageEvaluator;
import io.zlayer.domain.build.StageStart;
import io.zlayer.domain.dockerfile.instructions.StageDefinition;
import io.zlayer.domain.dockerfile.parser.AstDump;
import io.zlayer.domain.dockerfile.parser.DockerfileParser;
import io.zlayer.domain.error.DockerfileException;
import io.zlayer.domain.error.ZlayerException;
import io.zlayer.domain.image.ContainerConfig;
import io.zlayer.domain.image.ImageConfig;
import io.zlayer.domain.image.Platform;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The Dockerfile front end as a use case. */
public final class InspectDockerfileService implements InspectDockerfile {
  @Override
  public String astDump(byte[] content, String sourceName) throws ZlayerException {
    return AstDump.dump(DockerfileParser.parse(content, sourceName).root());
  }

  @Override
  public CheckReport check(CheckCommand command) throws ZlayerException {
    DockerfileParser.parse(command.content(), command.sourceName());
    Platform host = Platform.host();
    Platform target = command.platform().orElse(host).normalized();
    BuildPlan plan = BuildPlanner.plan(new BuildPlanRequest(
        new String(command.content(), StandardCharsets.UTF_8), command.sourceName(),
        command.buildArgs(), command.target(), host, target));
    List<String> warnings = new ArrayList<>();
    plan.warnings().forEach(w -> warnings.add(w.describe(plan.sourceName())));
    evaluateStages(plan, warnings);

    List<StageSummary> stages = new ArrayList<>();
    int instructions = 0;
    for (StageDefinition def : plan.dockerfile().stages()) {
      Optional<PlannedStage> planned = plan.stage(def.index());
      String name = displayName(def);
      instructions += 1 + def.instructions().size();
      String base = planned.map(p -> describe(p.base(), plan)).orElse(def.from().image());
      List<String> deps = new ArrayList<>();
      planned.ifPresent(p -> p.stageDependencies().forEach(d ->
          deps.add(displayName(plan.dockerfile().stages().get(d)))));
      stages.add(new StageSummary(def.index(), name, base, def.instructions().size(),
          planned.isPresent(), deps));
    }
    instructions += plan.dockerfile().metaArgs().size();
    return new CheckReport(stages, instructions, plan.target().displayName(), warnings);
  }

  /**
   * Evaluates every planned stage as an engine would, so expansion errors (a {@code ${V:?}},
   * a bad mount option or chmod) show up. A stage on an image base is evaluated with an empty
   * config: its ENV is unknown here, so an error there is only a warning.
   */
  private static void evaluateStages(BuildPlan plan, List<String> warnings)
      throws DockerfileException {
    Map<Integer, FinishedStage> finished = new HashMap<>();
    Map<Integer, Boolean> exact = new HashMap<>();
    for (PlannedStage stage : plan.stages()) {
      StageStart start;
      boolean known = true;
      if (stage.base() instanceof StageBase.Stage s) {
        FinishedStage parent = finished.get(s.index());
        if (parent == null) {
          continue;
        }
        start = StageStart.stage(parent);
        known = exact.getOrDefault(s.index(), true);
      } else if (stage.base() instanceof StageBase.Image) {
        Platform p = stage.platform();
        start = StageStart.image(new ImageConfig(Optional.empty(), Optional.empty(),
            p.architecture(), p.os(), p.variant(), p.osVersion(), ContainerConfig.EMPTY,
            List.of(), List.of()));
        known = false;
      } else {
        start = StageStart.scratch();
      }
      try {
        StageEvaluator evaluator = StageEvaluator.start(plan, stage, start);
        while (evaluator.hasNext()) {
          evaluator.next();
        }
        finished.put(stage.index(), evaluator.finish());
        exact.put(stage.index(), known);
      } catch (DockerfileException e) {
        if (known) {
          throw e;
        }
        warnings.add(e.getMessage() + " (stage " + stage.displayName()
            + " checked without its base image's environment)");
      }
    }
  }

  private static String describe(StageBase base, BuildPlan plan) {
    if (base instanceof StageBase.Image image) {
      return image.reference().familiarString();
    }
    if (base instanceof StageBase.Stage s) {
      return "stage " + displayName(plan.dockerfile().stages().get(s.index()));
    }
    return "scratch";
  }

  private static String displayName(StageDefinition def) {
    return def.name().orElse("stage-" + def.index());
  }
}
