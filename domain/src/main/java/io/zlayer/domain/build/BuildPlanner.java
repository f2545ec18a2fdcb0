package io.zlayer.domain.build;

import io.zlayer.domain.build.StageReferences.Reference;
import io.zlayer.domain.dockerfile.instructions.Arg;
import io.zlayer.domain.dockerfile.instructions.ArgDefinition;
import io.zlayer.domain.dockerfile.instructions.Cmd;
import io.zlayer.domain.dockerfile.instructions.Copy;
import io.zlayer.domain.dockerfile.instructions.DockerfileInstructions;
import io.zlayer.domain.dockerfile.instructions.Entrypoint;
import io.zlayer.domain.dockerfile.instructions.From;
import io.zlayer.domain.dockerfile.instructions.Healthcheck;
import io.zlayer.domain.dockerfile.instructions.Instruction;
import io.zlayer.domain.dockerfile.instructions.Onbuild;
import io.zlayer.domain.dockerfile.instructions.ParsedDockerfile;
import io.zlayer.domain.dockerfile.instructions.Run;
import io.zlayer.domain.dockerfile.instructions.StageDefinition;
import io.zlayer.domain.dockerfile.parser.DockerfileParser;
import io.zlayer.domain.dockerfile.parser.GoQuote;
import io.zlayer.domain.dockerfile.parser.ParseResult;
import io.zlayer.domain.dockerfile.parser.ParseWarning;
import io.zlayer.domain.dockerfile.shell.Expansion;
import io.zlayer.domain.dockerfile.shell.ShellLexer;
import io.zlayer.domain.dockerfile.shell.VariableLookup;
import io.zlayer.domain.error.DockerfileException;
import io.zlayer.domain.error.InvalidReferenceException;
import io.zlayer.domain.error.UsageException;
import io.zlayer.domain.image.ImageReference;
import io.zlayer.domain.image.Platform;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Plans a Dockerfile build the way BuildKit's {@code dockerfile2llb} does before it dispatches
 * anything: parses the file, evaluates the global ARGs, expands and resolves every FROM, finds the
 * stages each stage depends on, picks the target and the stages it needs, and orders them.
 *
 * <p>The global scope FROM lines see is the automatic platform arguments followed by the ARGs
 * before the first FROM: each ARG's value is its {@code --build-arg}, else its default expanded
 * with the scope so far; an ARG with neither stays undefined. A {@code --build-arg} also
 * overrides an automatic argument of the same name.
 *
 * <p>Stage references follow BuildKit, including where it is stricter than the documentation
 * suggests: {@code FROM name} refers to a stage only when an earlier stage has exactly that name
 * (otherwise it is an image); {@code COPY --from} takes a stage index or a stage name of any
 * position (case-insensitive), else an image; {@code --mount from=} takes names only; {@code
 * --from} and {@code from=} values are never expanded, and a value that would change under
 * expansion is an error. A stage that the target needs may only use stages defined before it.
 */
public final class BuildPlanner {
  private static final String MULTIPLE_INSTRUCTIONS = "Multiple %s instructions should not be"
      + " used in the same stage because only the last one will be used";

  private BuildPlanner() {}

  /**
   * Plans a build. Dockerfile problems are {@link DockerfileException}s naming the file and line
   * (an invalid base image is {@code Dockerfile:3: invalid reference "Foo": …}); an unknown
   * {@code --target} is a {@link UsageException}.
   */
  public static BuildPlan plan(BuildPlanRequest request)
      throws DockerfileException, UsageException {
    return plan(request, Map.of());
  }

  /**
   * Plans a build knowing the ONBUILD triggers of some stages' base images (by stage index, as
   * in the images' configs). BuildKit reads the base configs before it decides which stages are
   * needed, because a trigger such as {@code COPY --from=assets} makes another stage needed. An
   * engine plans without triggers, resolves the base images of the planned stages, and plans
   * again with their triggers when any of them has a {@code --from} or {@code --mount from=},
   * until no new stage appears.
   */
  public static BuildPlan plan(BuildPlanRequest request,
      Map<Integer, List<String>> baseImageTriggers) throws DockerfileException, UsageException {
    String source = request.sourceName();
    if (request.dockerfile().isEmpty()) {
      throw new DockerfileException(source, 0, "the Dockerfile cannot be empty");
    }
    ParseResult parsed = DockerfileParser.parse(request.dockerfile(), source);
    ParsedDockerfile dockerfile;
    try {
      dockerfile = DockerfileInstructions.parse(parsed.root());
    } catch (DockerfileException e) {
      throw e.inSource(source);
    }
    return new Planning(request, parsed, dockerfile, baseImageTriggers).run();
  }

  /** The name BuildKit shows for a stage: its name, or {@code stage-N}. */
  static String displayName(StageDefinition stage) {
    return stage.name().orElse("stage-" + stage.index());
  }

  /** A {@code --from} or {@code from=} of one instruction, resolved. */
  private record Dependency(Reference reference, int line, String written, boolean mount,
      String mountTarget) {}

  /** The FROM of one stage after expansion. */
  private record ResolvedFrom(String baseName, Optional<Integer> baseStage,
      Optional<Platform> platform, int line) {}

  private static final class Planning {
    private final BuildPlanRequest request;
    private final ParseResult parsed;
    private final ParsedDockerfile dockerfile;
    private final String source;
    private final ShellLexer lexer;
    private final StageReferences references;
    private final List<StageDefinition> stages;
    private final List<BuildWarning> warnings = new ArrayList<>();
    private final Set<String> consumedArgs = new HashSet<>();
    private final Map<Integer, List<String>> baseImageTriggers;
    private final Map<Integer, List<Instruction>> triggers = new HashMap<>();
    private final Platform buildPlatform;
    private final Platform targetPlatform;

    Planning(BuildPlanRequest request, ParseResult parsed, ParsedDockerfile dockerfile,
        Map<Integer, List<String>> baseImageTriggers) {
      this.baseImageTriggers = Map.copyOf(baseImageTriggers);
      this.buildPlatform = request.buildPlatform().normalized();
      this.targetPlatform = request.targetPlatform().normalized();
      this.request = request;
      this.parsed = parsed;
      this.dockerfile = dockerfile;
      this.source = request.sourceName();
      this.lexer = new ShellLexer(parsed.escapeToken());
      this.references = new StageReferences(dockerfile, lexer, source);
      this.stages = dockerfile.stages();
    }

    BuildPlan run() throws DockerfileException, UsageException {
      for (ParseWarning w : parsed.warnings()) {
        warnings.add(new BuildWarning(Optional.empty(), w.line(), w.message()));
      }
      String targetName = request.target().orElse(dockerfile.lastStage().name().orElse(""));
      Map<String, String> automatic = automaticArgs(targetName);
      Map<String, String> global = metaArgs(automatic);

      List<ResolvedFrom> froms = new ArrayList<>();
      Map<String, Integer> earlierNames = new HashMap<>();
      for (StageDefinition stage : stages) {
        froms.add(resolveFrom(stage, global, earlierNames));
        stage.name().ifPresent(n -> earlierNames.put(n, stage.index()));
      }

      StageDefinition target = target();

      List<List<Dependency>> dependencies = new ArrayList<>();
      for (StageDefinition stage : stages) {
        List<Dependency> own = new ArrayList<>();
        for (Instruction instruction : stage.instructions()) {
          own.addAll(dependencies(instruction, instruction.location().startLine()));
        }
        dependencies.add(own);
      }
      checkCycles(dependencies);

      List<Optional<ImageReference>> baseImages = new ArrayList<>();
      for (ResolvedFrom from : froms) {
        baseImages.add(baseImage(from));
      }

      Map<Integer, List<Dependency>> triggerDependencies = new HashMap<>();
      boolean[] required = reachable(target.index(), froms, dependencies, triggerDependencies);

      List<Platform> platforms = new ArrayList<>();
      for (int i = 0; i < stages.size(); i++) {
        ResolvedFrom from = froms.get(i);
        Platform platform;
        if (from.baseStage().isPresent()) {
          platform = platforms.get(from.baseStage().get());
        } else if (baseImages.get(i).isEmpty()) {
          platform = targetPlatform;
        } else {
          platform = from.platform().orElse(targetPlatform);
        }
        platforms.add(platform);
      }

      List<PlannedStage> planned = new ArrayList<>();
      List<Integer> unused = new ArrayList<>();
      Set<ExternalImage> external = new LinkedHashSet<>();
      Map<Integer, Integer> levels = new HashMap<>();
      List<List<Integer>> waves = new ArrayList<>();
      PlannedStage plannedTarget = null;
      for (StageDefinition stage : stages) {
        int index = stage.index();
        if (!required[index]) {
          unused.add(index);
          continue;
        }
        ResolvedFrom from = froms.get(index);
        List<Dependency> all = new ArrayList<>(triggerDependencies.getOrDefault(index, List.of()));
        all.addAll(dependencies.get(index));
        checkDefinedBefore(stage, all);

        TreeSet<Integer> stageDeps = new TreeSet<>();
        from.baseStage().ifPresent(stageDeps::add);
        Set<ImageReference> images = new LinkedHashSet<>();
        StageBase base;
        if (from.baseStage().isPresent()) {
          base = new StageBase.Stage(from.baseStage().get());
        } else if (baseImages.get(index).isPresent()) {
          base = new StageBase.Image(baseImages.get(index).get(), from.platform());
          external.add(new ExternalImage(baseImages.get(index).get(), platforms.get(index)));
        } else {
          base = new StageBase.Scratch();
        }
        for (Dependency d : all) {
          if (d.reference() instanceof Reference.ToStage s) {
            stageDeps.add(s.index());
          } else if (d.reference() instanceof Reference.ToImage img) {
            images.add(img.reference());
            external.add(new ExternalImage(img.reference(), targetPlatform));
          }
        }
        int level = 0;
        for (int dep : stageDeps) {
          level = Math.max(level, levels.get(dep) + 1);
        }
        levels.put(index, level);
        while (waves.size() <= level) {
          waves.add(new ArrayList<>());
        }
        waves.get(level).add(index);

        PlannedStage p = new PlannedStage(stage, displayName(stage), base, platforms.get(index),
            stageDeps, List.copyOf(images));
        planned.add(p);
        if (index == target.index()) {
          plannedTarget = p;
        }
        collectStageWarnings(stage, triggerInstructions(index, froms));
      }
      warnUnconsumedArgs();
      warnings.sort(java.util.Comparator.comparingInt(
          w -> w.line() == 0 ? Integer.MAX_VALUE : w.line()));

      return new BuildPlan(source, dockerfile, planned, plannedTarget, unused, waves, global,
          new BuildArguments(request.buildArgs(), automatic), buildPlatform,
          targetPlatform, parsed.escapeToken(), warnings, List.copyOf(external));
    }

    /** BuildKit's {@code defaultArgs}: the platform arguments and TARGETSTAGE, overridable. */
    private Map<String, String> automaticArgs(String targetName) {
      Map<String, String> automatic = new LinkedHashMap<>();
      automatic.putAll(buildPlatform.buildArgs());
      automatic.putAll(targetPlatform.targetArgs());
      automatic.put("TARGETSTAGE", targetName);
      for (Map.Entry<String, String> e : automatic.entrySet()) {
        String given = request.buildArgs().get(e.getKey());
        if (given != null) {
          e.setValue(given);
        }
      }
      return automatic;
    }

    /** BuildKit's {@code buildMetaArgs}: the ARGs before the first FROM, in order. */
    private Map<String, String> metaArgs(Map<String, String> automatic)
        throws DockerfileException {
      Map<String, String> global = new LinkedHashMap<>(automatic);
      for (Arg arg : dockerfile.metaArgs()) {
        for (ArgDefinition def : arg.args()) {
          String key = def.name();
          consumedArgs.add(key);
          String value = request.buildArgs().get(key);
          if (value == null && def.defaultValue().isPresent()) {
            value = expand(def.defaultValue().get(), global, arg.location().startLine()).result();
          }
          if (value != null) {
            global.put(key, value);
          }
        }
      }
      return global;
    }

    private Expansion expand(String word, Map<String, String> env, int line)
        throws DockerfileException {
      try {
        return lexer.processWordWithMatches(word, VariableLookup.of(env));
      } catch (DockerfileException e) {
        throw e.atLine(line).inSource(source);
      }
    }

    /** Expands the FROM image and platform with the global scope and finds the base stage. */
    private ResolvedFrom resolveFrom(StageDefinition stage, Map<String, String> global,
        Map<String, Integer> earlierNames) throws DockerfileException {
      From from = stage.from();
      int line = from.location().startLine();
      Expansion name = expand(from.image(), global, line);
      consumedArgs.addAll(name.matched());
      warnUndeclared(name, global, line);
      if (name.result().isEmpty()) {
        throw new DockerfileException(source, line,
            "base name (" + from.image() + ") should not be blank");
      }
      Optional<Platform> platform = Optional.empty();
      if (from.platform().isPresent()) {
        String expression = from.platform().get();
        Expansion value;
        try {
          value = lexer.processWordWithMatches(expression, VariableLookup.of(global));
        } catch (DockerfileException e) {
          throw new DockerfileException(source, line,
              "failed to process arguments for platform : " + e.detail());
        }
        consumedArgs.addAll(value.matched());
        warnUndeclared(value, global, line);
        if (value.result().isEmpty()) {
          throw new DockerfileException(source, line, NameSuggestion.wrap(
              "empty platform value from expression " + expression, value.unmatched(),
              global.keySet()));
        }
        try {
          platform = Optional.of(Platform.parse(value.result(), buildPlatform));
        } catch (UsageException e) {
          throw new DockerfileException(source, line, "failed to parse platform "
              + expression + ": " + NameSuggestion.wrap(e.getMessage(),
                  value.unmatched(), global.keySet()));
        }
      }
      return new ResolvedFrom(name.result(), Optional.ofNullable(earlierNames.get(name.result())),
          platform, line);
    }

    /** BuildKit's UndefinedArgInFrom check: a FROM variable that no ARG declares. */
    private void warnUndeclared(Expansion expansion, Map<String, String> global, int line) {
      Set<String> known = new LinkedHashSet<>(global.keySet());
      for (Arg arg : dockerfile.metaArgs()) {
        for (ArgDefinition def : arg.args()) {
          known.add(def.name());
        }
      }
      for (String name : expansion.unmatched()) {
        if (!known.contains(name)) {
          warnings.add(new BuildWarning(Optional.of("UndefinedArgInFrom"), line, NameSuggestion
              .wrap("FROM argument '" + name + "' is not declared", name, known)));
        }
      }
    }

    private StageDefinition target() throws UsageException {
      if (request.target().isEmpty()) {
        return dockerfile.lastStage();
      }
      String name = request.target().get();
      Optional<StageDefinition> found = dockerfile.stage(name);
      if (found.isEmpty()) {
        List<String> names = stages.stream().map(BuildPlanner::displayName).toList();
        throw new UsageException(NameSuggestion.wrap(
            "target stage " + GoQuote.quote(name) + " could not be found", name, names));
      }
      return found.get();
    }

    /** The stages and images one instruction reads from (BuildKit's {@code toCommand}). */
    private List<Dependency> dependencies(Instruction instruction, int line)
        throws DockerfileException {
      List<Dependency> out = new ArrayList<>();
      if (instruction instanceof Copy copy && copy.from().isPresent()) {
        String from = copy.from().get();
        out.add(new Dependency(references.copyFrom(from, line), line, from, false, ""));
      } else if (instruction instanceof Run run) {
        for (String spec : run.mountSpecs()) {
          MountFields fields = MountFields.scan(spec);
          if (!fields.from().isEmpty()) {
            out.add(new Dependency(references.mountFrom(fields.from(), line), line,
                fields.from(), true, fields.target()));
          }
        }
      }
      return out;
    }

    /** BuildKit's {@code validateCircularDependency} over COPY/mount dependencies. */
    private void checkCycles(List<List<Dependency>> dependencies) throws DockerfileException {
      Set<Integer> visited = new HashSet<>();
      for (StageDefinition stage : stages) {
        List<Integer> lines = visit(stage.index(), new ArrayList<>(), visited, new HashSet<>(),
            dependencies);
        if (lines != null) {
          throw new DockerfileException(source, lines.get(0),
              "circular dependency detected on stage: " + displayName(stage));
        }
      }
    }

    private List<Integer> visit(int stage, List<Integer> lines, Set<Integer> visited,
        Set<Integer> path, List<List<Dependency>> dependencies) {
      if (!visited.add(stage)) {
        return null;
      }
      path.add(stage);
      for (Dependency d : dependencies.get(stage)) {
        if (!(d.reference() instanceof Reference.ToStage to)) {
          continue;
        }
        List<Integer> next = new ArrayList<>(lines);
        next.add(d.line());
        if (path.contains(to.index())) {
          return next;
        }
        List<Integer> found = visit(to.index(), next, visited, path, dependencies);
        if (found != null) {
          return found;
        }
      }
      path.remove(stage);
      return null;
    }

    private Optional<ImageReference> baseImage(ResolvedFrom from) throws DockerfileException {
      if (from.baseStage().isPresent() || ImageReference.isScratch(from.baseName())) {
        return Optional.empty();
      }
      try {
        return Optional.of(ImageReference.parse(from.baseName()));
      } catch (InvalidReferenceException e) {
        throw new DockerfileException(source, from.line(), e.getMessage());
      }
    }

    /**
     * The stages the target needs: bases and dependencies, transitively, plus the dependencies
     * of ONBUILD triggers a needed stage inherits from its base stage (BuildKit resolves those
     * only for needed stages, repeating until nothing new is needed).
     */
    private boolean[] reachable(int target, List<ResolvedFrom> froms,
        List<List<Dependency>> dependencies, Map<Integer, List<Dependency>> triggerDependencies)
        throws DockerfileException {
      boolean[] required = new boolean[stages.size()];
      Deque<Integer> work = new ArrayDeque<>();
      work.add(target);
      while (!work.isEmpty()) {
        int index = work.poll();
        if (required[index]) {
          continue;
        }
        required[index] = true;
        Optional<Integer> base = froms.get(index).baseStage();
        base.ifPresent(work::add);
        List<Dependency> all = new ArrayList<>(dependencies.get(index));
        List<Dependency> fromTriggers = new ArrayList<>();
        for (Instruction trigger : triggerInstructions(index, froms)) {
          fromTriggers.addAll(dependencies(trigger, froms.get(index).line()));
        }
        triggerDependencies.put(index, fromTriggers);
        all.addAll(fromTriggers);
        for (Dependency d : all) {
          if (d.reference() instanceof Reference.ToStage s) {
            work.add(s.index());
          }
        }
      }
      return required;
    }

    /**
     * The triggers a stage runs first: the ONBUILD instructions of its base stage, or the
     * triggers of its base image when the caller knows them.
     */
    private List<Instruction> triggerInstructions(int index, List<ResolvedFrom> froms)
        throws DockerfileException {
      List<Instruction> known = triggers.get(index);
      if (known != null) {
        return known;
      }
      Optional<Integer> base = froms.get(index).baseStage();
      List<Instruction> out = new ArrayList<>();
      if (base.isPresent()) {
        for (Instruction i : stages.get(base.get()).instructions()) {
          if (i instanceof Onbuild onbuild) {
            out.add(onbuild.trigger());
          }
        }
      } else if (baseImageTriggers.containsKey(index)
          && !ImageReference.isScratch(froms.get(index).baseName())) {
        out.addAll(OnbuildTriggers.parse(baseImageTriggers.get(index),
            stages.get(index).from().location(), source));
      }
      triggers.put(index, out);
      return out;
    }

    /** BuildKit dispatches stages in file order: a stage may only read earlier stages. */
    private void checkDefinedBefore(StageDefinition stage, List<Dependency> all)
        throws DockerfileException {
      for (Dependency d : all) {
        if (!(d.reference() instanceof Reference.ToStage to) || to.index() < stage.index()) {
          continue;
        }
        if (d.mount()) {
          throw new DockerfileException(source, d.line(), "cannot mount from stage "
              + GoQuote.quote(d.written()) + " to " + GoQuote.quote(d.mountTarget())
              + ", stage needs to be defined before current command");
        }
        String current = stages.size() == 1 ? "" : displayName(stage);
        throw new DockerfileException(source, d.line(), "cannot copy from stage "
            + GoQuote.quote(d.written()) + ", it needs to be defined before current stage "
            + GoQuote.quote(current));
      }
    }

    private void collectStageWarnings(StageDefinition stage, List<Instruction> triggers) {
      Map<String, Integer> lastSeen = new HashMap<>();
      List<Instruction> all = new ArrayList<>(triggers);
      all.addAll(stage.instructions());
      for (Instruction i : all) {
        if (i instanceof Arg arg) {
          for (ArgDefinition def : arg.args()) {
            consumedArgs.add(def.name());
          }
        }
        if (i instanceof Cmd || i instanceof Entrypoint || i instanceof Healthcheck) {
          String name = i.keyword().toUpperCase(Locale.ROOT);
          Integer previous = lastSeen.put(name, i.location().startLine());
          if (previous != null) {
            warnings.add(new BuildWarning(Optional.of("MultipleInstructionsDisallowed"),
                previous, String.format(MULTIPLE_INSTRUCTIONS, name)));
          }
        }
      }
    }

    /** Docker's warning for {@code --build-arg}s no ARG declares (proxies are built in). */
    private void warnUnconsumedArgs() {
      TreeSet<String> leftover = new TreeSet<>();
      for (String name : request.buildArgs().keySet()) {
        if (!consumedArgs.contains(name) && !BuildArguments.isProxyName(name)) {
          leftover.add(name);
        }
      }
      if (!leftover.isEmpty()) {
        warnings.add(new BuildWarning(Optional.empty(), 0, "[Warning] One or more build-args "
            + GoFormat.list(List.copyOf(leftover)) + " were not consumed"));
      }
    }
  }
}
