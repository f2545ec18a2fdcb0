package io.zlayer.domain.build;

import io.zlayer.domain.build.StageReferences.Reference;
import io.zlayer.domain.build.StepAction.ConfigChange;
import io.zlayer.domain.build.StepAction.CopyFiles;
import io.zlayer.domain.build.StepAction.CreateDirectory;
import io.zlayer.domain.build.StepAction.InlineScript;
import io.zlayer.domain.build.StepAction.RunCommand;
import io.zlayer.domain.dockerfile.instructions.Add;
import io.zlayer.domain.dockerfile.instructions.Arg;
import io.zlayer.domain.dockerfile.instructions.ArgDefinition;
import io.zlayer.domain.dockerfile.instructions.Cmd;
import io.zlayer.domain.dockerfile.instructions.CommandLine;
import io.zlayer.domain.dockerfile.instructions.Copy;
import io.zlayer.domain.dockerfile.instructions.Entrypoint;
import io.zlayer.domain.dockerfile.instructions.Env;
import io.zlayer.domain.dockerfile.instructions.Expose;
import io.zlayer.domain.dockerfile.instructions.Healthcheck;
import io.zlayer.domain.dockerfile.instructions.HealthcheckConfig;
import io.zlayer.domain.dockerfile.instructions.Instruction;
import io.zlayer.domain.dockerfile.instructions.KeyValue;
import io.zlayer.domain.dockerfile.instructions.Label;
import io.zlayer.domain.dockerfile.instructions.Maintainer;
import io.zlayer.domain.dockerfile.instructions.Mount;
import io.zlayer.domain.dockerfile.instructions.MountType;
import io.zlayer.domain.dockerfile.instructions.Onbuild;
import io.zlayer.domain.dockerfile.instructions.Run;
import io.zlayer.domain.dockerfile.instructions.Shell;
import io.zlayer.domain.dockerfile.instructions.SourceContent;
import io.zlayer.domain.dockerfile.instructions.StopSignal;
import io.zlayer.domain.dockerfile.instructions.User;
import io.zlayer.domain.dockerfile.instructions.Volume;
import io.zlayer.domain.dockerfile.instructions.Workdir;
import io.zlayer.domain.dockerfile.parser.GoQuote;
import io.zlayer.domain.dockerfile.parser.Heredoc;
import io.zlayer.domain.dockerfile.shell.ShellLexer;
import io.zlayer.domain.dockerfile.shell.VariableLookup;
import io.zlayer.domain.error.DockerfileException;
import io.zlayer.domain.image.ContainerConfig;
import io.zlayer.domain.image.HealthConfig;
import io.zlayer.domain.image.HistoryEntry;
import io.zlayer.domain.image.ImageConfig;
import io.zlayer.domain.image.Platform;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Evaluates one stage instruction by instruction with BuildKit's {@code dispatch} semantics, for
 * an engine that does the filesystem work. Create it with {@link #start}, then call {@link
 * #next} while {@link #hasNext}; the ONBUILD triggers of the base come first.
 *
 * <p>Variables. The stage has one ordered build environment, as BuildKit's LLB state does: it
 * starts as the base image's ENV (a stage base also hands over its ARG values), and both ENV and
 * ARG set a variable in it, a later definition replacing an earlier one. Instruction fields are
 * expanded with it, and RUN gets it as its environment. So an ENV after an ARG of the same name
 * wins, and an ARG after an ENV wins for the rest of the build, while the image config keeps only
 * ENV values. An ARG takes its {@code --build-arg}, else its default (expanded), else (without a
 * default) the global value of the same name, which covers ARGs before the first FROM and the
 * automatic platform arguments; with none of these it stays unset. RUN, CMD, ENTRYPOINT, SHELL,
 * HEALTHCHECK and MAINTAINER are not expanded.
 *
 * <p>Paths follow BuildKit on Unix targets: WORKDIR and relative COPY destinations and mount
 * targets are joined to the working directory and cleaned, absolute ones are kept as written.
 */
public final class StageEvaluator {
  /** The comment BuildKit puts on every history entry it writes. */
  public static final String HISTORY_COMMENT = "buildkit.dockerfile.v0";

  private static final String UNIX_PATH =
      "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
  private static final String WINDOWS_PATH = "c:\\Windows\\System32;c:\\Windows";
  private static final Set<String> NON_ENV_ARGS =
      Set.of("BUILDKIT_SBOM_SCAN_CONTEXT", "BUILDKIT_SBOM_SCAN_STAGE");
  private static final Pattern HEREDOC_MARKER =
      Pattern.compile("^(\\d*)<<(-?)[ \\t\\n\\f\\r]*([^<]*)$");
  private static final String PIPES = "/dev/pipes/";

  private final BuildPlan plan;
  private final PlannedStage stage;
  private final String source;
  private final ShellLexer lexer;
  private final ShellLexer rawLexer;
  private final StageReferences references;
  private final ImageConfig base;
  private final Map<String, String> env;
  private final List<ArgBinding> args;
  private final List<HistoryEntry> history;
  private final Deque<Pending> pending = new ArrayDeque<>();
  private ContainerConfig config;
  private Optional<String> author;
  private boolean cmdSet;

  private record Pending(Instruction instruction, boolean trigger) {}

  private StageEvaluator(BuildPlan plan, PlannedStage stage, ImageConfig base,
      Map<String, String> env, List<ArgBinding> args) {
    this.plan = plan;
    this.stage = stage;
    this.source = plan.sourceName();
    this.lexer = new ShellLexer(plan.escapeToken());
    this.rawLexer = new ShellLexer('\\').withSkipProcessQuotes(true);
    this.references = new StageReferences(plan.dockerfile(), lexer, source);
    this.base = base;
    this.env = env;
    this.args = args;
    this.history = new ArrayList<>(base.history());
    this.config = base.config();
    this.author = base.author();
  }

  /**
   * Starts evaluating {@code stage} of {@code plan}. {@code start} must match the stage's base:
   * scratch, the pulled base image's config, or how the base stage finished.
   */
  public static StageEvaluator start(BuildPlan plan, PlannedStage stage, StageStart start)
      throws DockerfileException {
    Objects.requireNonNull(plan, "plan");
    Objects.requireNonNull(stage, "stage");
    Objects.requireNonNull(start, "start");
    if (plan.stage(stage.index()).filter(stage::equals).isEmpty()) {
      throw new IllegalArgumentException("stage " + stage.index() + " is not a stage of the plan");
    }
    ImageConfig image;
    Map<String, String> env = new LinkedHashMap<>();
    List<ArgBinding> args = new ArrayList<>();
    StageBase base = stage.base();
    if (base instanceof StageBase.Scratch && start instanceof StageStart.FromScratch) {
      image = emptyImage(plan.targetPlatform());
    } else if (base instanceof StageBase.Image && start instanceof StageStart.FromImage i) {
      image = i.config();
    } else if (base instanceof StageBase.Stage s && start instanceof StageStart.FromStage f
        && f.parent().stageIndex() == s.index()) {
      image = f.parent().image();
      for (String entry : f.parent().environment()) {
        env.put(envKey(entry), envValue(entry));
      }
      args.addAll(f.parent().arguments());
    } else {
      throw new IllegalArgumentException(
          "stage " + stage.index() + " starts from " + base + ", not " + start);
    }
    List<String> triggers = image.config().onBuild();
    ContainerConfig cc = image.config().toBuilder().onBuild(List.of()).build();
    String os = stage.platform().os();
    if (cc.envValue("PATH").isEmpty() && !os.equals("windows")) {
      List<String> withPath = new ArrayList<>(cc.env());
      withPath.add("PATH=" + defaultPath(os));
      cc = cc.toBuilder().env(withPath).build();
    }
    for (String entry : cc.env()) {
      env.put(envKey(entry), envValue(entry));
    }
    String workdir = cc.workingDir().orElse("");
    if (!workdir.isEmpty()) {
      cc = cc.toBuilder().workingDir(Optional.of(GoPath.workdir(workdir, workdir))).build();
    }
    ImageConfig normalized = new ImageConfig(Optional.empty(), image.author(),
        image.architecture(), image.os(), image.variant(), image.osVersion(), cc, image.diffIds(),
        image.history());
    StageEvaluator evaluator = new StageEvaluator(plan, stage, normalized, env, args);
    evaluator.queueTriggers(triggers);
    for (Instruction instruction : stage.definition().instructions()) {
      evaluator.pending.add(new Pending(instruction, false));
    }
    return evaluator;
  }

  /** BuildKit's {@code emptyImage}: the config of {@code FROM scratch}. */
  static ImageConfig emptyImage(Platform platform) {
    ContainerConfig cc = ContainerConfig.EMPTY.toBuilder()
        .workingDir(Optional.of("/"))
        .env(List.of("PATH=" + defaultPath(platform.os())))
        .build();
    return new ImageConfig(Optional.empty(), Optional.empty(), platform.architecture(),
        platform.os(), platform.variant(), platform.osVersion(), cc, List.of(), List.of());
  }

  private static String defaultPath(String os) {
    return os.equals("windows") ? WINDOWS_PATH : UNIX_PATH;
  }

  private static String envKey(String entry) {
    int eq = entry.indexOf('=');
    return eq < 0 ? entry : entry.substring(0, eq);
  }

  private static String envValue(String entry) {
    int eq = entry.indexOf('=');
    return eq < 0 ? "" : entry.substring(eq + 1);
  }

  private void queueTriggers(List<String> triggers) throws DockerfileException {
    for (Instruction trigger : OnbuildTriggers.parse(triggers,
        stage.definition().from().location(), source)) {
      pending.add(new Pending(trigger, true));
    }
  }

  /** The planned stage being evaluated. */
  public PlannedStage stage() {
    return stage;
  }

  /** Whether instructions are left. */
  public boolean hasNext() {
    return !pending.isEmpty();
  }

  /** The instructions left, ONBUILD triggers first. */
  public List<Instruction> remaining() {
    return pending.stream().map(Pending::instruction).toList();
  }

  /** The container config after the steps so far. */
  public ContainerConfig config() {
    return config;
  }

  /** The build environment after the steps so far, as {@code KEY=value}. */
  public List<String> environment() {
    List<String> out = new ArrayList<>(env.size());
    env.forEach((k, v) -> out.add(k + "=" + v));
    return List.copyOf(out);
  }

  /** The ARGs in scope, in declaration order. */
  public List<ArgBinding> arguments() {
    return List.copyOf(args);
  }

  /**
   * The image config to commit after the steps so far: the base's layers and history plus this
   * stage's history entries (engines append the diff IDs of the layers they made). For the
   * build's target the platform is the plan's target platform, as BuildKit sets it; other stages
   * keep their base's platform.
   */
  public ImageConfig image() {
    ImageConfig image = currentImage();
    if (!plan.isTarget(stage.index())) {
      return image;
    }
    Platform target = plan.targetPlatform();
    boolean sameOsArch = target.os().equals(image.os())
        && target.architecture().equals(image.architecture());
    Optional<String> variant = target.variant().isPresent() || !sameOsArch
        ? target.variant() : image.variant();
    Optional<String> osVersion = target.osVersion().isPresent() || !sameOsArch
        ? target.osVersion() : image.osVersion();
    Platform platform = new Platform(target.os(), target.architecture(), variant, osVersion)
        .normalized();
    return image.withPlatform(platform);
  }

  private ImageConfig currentImage() {
    return new ImageConfig(Optional.empty(), author, base.architecture(), base.os(),
        base.variant(), base.osVersion(), config, base.diffIds(), history);
  }

  /** How the stage ended, for stages built {@code FROM} it. */
  public FinishedStage finish() {
    if (hasNext()) {
      throw new IllegalStateException(pending.size() + " instructions of stage "
          + stage.displayName() + " were not evaluated");
    }
    return new FinishedStage(stage.index(), currentImage(), environment(), args,
        stage.platform());
  }

  /** Evaluates the next instruction. Errors name the Dockerfile and the instruction's line. */
  public EvaluatedStep next() throws DockerfileException {
    Pending p = pending.poll();
    if (p == null) {
      throw new IllegalStateException("no instructions left in stage " + stage.displayName());
    }
    try {
      return dispatch(p.instruction(), p.trigger());
    } catch (DockerfileException e) {
      throw e.atLine(p.instruction().location().startLine()).inSource(source);
    }
  }

  private VariableLookup lookup() {
    Map<String, String> snapshot = Map.copyOf(env);
    return name -> Optional.ofNullable(snapshot.get(name));
  }

  private EvaluatedStep dispatch(Instruction instruction, boolean trigger)
      throws DockerfileException {
    Set<String> matched = new LinkedHashSet<>();
    RecordingExpander expander = new RecordingExpander(lexer, lookup(), matched);
    Step step;
    if (instruction instanceof Arg arg) {
      step = arg(arg, matched);
    } else if (instruction instanceof Env e) {
      step = env(e.expand(expander));
    } else if (instruction instanceof Label l) {
      step = label(l.expand(expander));
    } else if (instruction instanceof Expose e) {
      step = expose(e.expand(expander));
    } else if (instruction instanceof Volume v) {
      step = volume(v.expand(expander));
    } else if (instruction instanceof User u) {
      step = user(u.expand(expander));
    } else if (instruction instanceof Workdir w) {
      step = workdir(w.expand(expander));
    } else if (instruction instanceof StopSignal s) {
      step = stopSignal(s.expand(expander));
    } else if (instruction instanceof Run r) {
      step = run(r, r.expand(expander));
    } else if (instruction instanceof Copy c) {
      RecordingExpander raw = new RecordingExpander(rawLexer, lookup(), matched);
      step = copy(c, c.expand(expander).expandRaw(raw));
    } else if (instruction instanceof Add a) {
      RecordingExpander raw = new RecordingExpander(rawLexer, lookup(), matched);
      step = add(a.expand(expander).expandRaw(raw));
    } else if (instruction instanceof Shell s) {
      step = shell(s);
    } else if (instruction instanceof Cmd c) {
      step = cmd(c);
    } else if (instruction instanceof Entrypoint e) {
      step = entrypoint(e);
    } else if (instruction instanceof Healthcheck h) {
      step = healthcheck(h);
    } else if (instruction instanceof Onbuild o) {
      step = onbuild(o);
    } else if (instruction instanceof Maintainer m) {
      step = maintainer(m);
    } else {
      throw new DockerfileException(instruction.keyword().toUpperCase(Locale.ROOT)
          + " is not allowed inside a stage");
    }
    Optional<HistoryEntry> entry = step.createdBy().map(text -> new HistoryEntry(
        Optional.empty(), Optional.of(text), Optional.empty(), Optional.of(HISTORY_COMMENT),
        !step.action().producesLayer()));
    entry.ifPresent(history::add);
    SortedMap<String, Optional<String>> used =
        step.usedArgs().orElseGet(() -> argsReferenced(matched));
    return new EvaluatedStep(instruction, step.expanded(), trigger, step.action(), entry,
        new CacheFacts(step.canonical(), used), config);
  }

  /**
   * What one dispatch produced.
   *
   * @param createdBy the history text, empty when BuildKit writes no history entry
   * @param usedArgs the build arguments the step used, when not simply those its expansion
   *     referred to
   */
  private record Step(Instruction expanded, StepAction action, Optional<String> createdBy,
      String canonical, Optional<SortedMap<String, Optional<String>>> usedArgs) {

    static Step config(Instruction expanded, String createdBy) {
      return new Step(expanded, new ConfigChange(), Optional.of(createdBy), createdBy,
          Optional.empty());
    }
  }

  /** The ARGs in scope that an expansion referred to, with their current values. */
  private SortedMap<String, Optional<String>> argsReferenced(Set<String> matched) {
    SortedMap<String, Optional<String>> used = new TreeMap<>();
    for (ArgBinding a : args) {
      if (matched.contains(a.name())) {
        used.put(a.name(), currentValue(a));
      }
    }
    return used;
  }

  private Optional<String> currentValue(ArgBinding a) {
    return env.containsKey(a.name()) ? Optional.of(env.get(a.name())) : a.value();
  }

  // --- metadata instructions -----------------------------------------------------------------

  /** BuildKit's {@code dispatchArg}. */
  private Step arg(Arg arg, Set<String> matched) throws DockerfileException {
    List<ArgDefinition> resolved = new ArrayList<>();
    List<String> commit = new ArrayList<>();
    SortedMap<String, Optional<String>> used = new TreeMap<>();
    for (ArgDefinition def : arg.args()) {
      String key = def.name();
      boolean given = plan.args().isGiven(key);
      Optional<String> value = def.defaultValue();
      if (value.isEmpty() && !given && plan.metaArgs().containsKey(key)) {
        value = Optional.of(plan.metaArgs().get(key));
      } else if (given) {
        value = plan.args().value(key);
      } else if (value.isPresent()) {
        value = Optional.of(new RecordingExpander(lexer, lookup(), matched)
            .expandWord(value.get()));
      }
      if (value.isPresent() && !NON_ENV_ARGS.contains(key)) {
        env.put(key, value.get());
      }
      args.add(new ArgBinding(key, value));
      resolved.add(new ArgDefinition(key, value));
      used.put(key, value);
      commit.add(value.map(v -> key + "=" + v).orElse(key));
    }
    String text = "ARG " + String.join(" ", commit);
    return new Step(new Arg(arg.location(), arg.original(), resolved), new ConfigChange(),
        Optional.of(text), text, Optional.of(used));
  }

  private Step env(Env e) {
    StringBuilder text = new StringBuilder("ENV");
    for (KeyValue kv : e.pairs()) {
      text.append(' ').append(kv.key()).append('=').append(kv.value());
      env.put(kv.key(), kv.value());
      config = config.toBuilder().env(addEnv(config.env(), kv.key(), kv.value())).build();
    }
    return Step.config(e, text.toString());
  }

  /** BuildKit's {@code addEnv}: replaces the first entry with the key, else appends. */
  private static List<String> addEnv(List<String> current, String key, String value) {
    List<String> out = new ArrayList<>(current);
    for (int i = 0; i < out.size(); i++) {
      if (envKey(out.get(i)).equals(key)) {
        out.set(i, key + "=" + value);
        return out;
      }
    }
    out.add(key + "=" + value);
    return out;
  }

  private Step label(Label l) {
    StringBuilder text = new StringBuilder("LABEL");
    SortedMap<String, String> labels = new TreeMap<>(config.labels());
    for (KeyValue kv : l.pairs()) {
      labels.put(kv.key(), kv.value());
      text.append(' ').append(kv.key()).append('=').append(kv.value());
    }
    config = config.toBuilder().labels(labels).build();
    return Step.config(l, text.toString());
  }

  private Step expose(Expose e) throws DockerfileException {
    List<String> ports;
    try {
      ports = PortSpecs.parse(e.ports());
    } catch (PortSpecs.InvalidPortSpec ex) {
      throw new DockerfileException(ex.getMessage());
    }
    SortedSet<String> exposed = new TreeSet<>(config.exposedPorts());
    exposed.addAll(ports);
    config = config.toBuilder().exposedPorts(exposed).build();
    return Step.config(e, "EXPOSE " + GoFormat.list(ports));
  }

  private Step volume(Volume v) {
    SortedSet<String> volumes = new TreeSet<>(config.volumes());
    volumes.addAll(v.paths());
    config = config.toBuilder().volumes(volumes).build();
    return Step.config(v, "VOLUME " + GoFormat.list(v.paths()));
  }

  private Step user(User u) {
    config = config.toBuilder().user(Optional.of(u.user()).filter(s -> !s.isEmpty())).build();
    return Step.config(u, "USER " + u.user());
  }

  /** BuildKit's {@code dispatchWorkdir}: a directory other than / is created. */
  private Step workdir(Workdir w) {
    String wd = GoPath.workdir(config.workingDir().orElse(""), w.path());
    config = config.toBuilder().workingDir(Optional.of(wd)).build();
    String text = "WORKDIR " + wd;
    if (wd.equals("/")) {
      return Step.config(w, text);
    }
    Optional<String> owner = config.user().filter(s -> !s.isEmpty());
    String canonical = new CanonicalText("WORKDIR").add("path", wd)
        .add("user", owner.orElse("")).toString();
    return new Step(w, new CreateDirectory(wd, owner), Optional.of(text), canonical,
        Optional.empty());
  }

  private Step stopSignal(StopSignal s) throws DockerfileException {
    if (!StopSignals.isValid(s.signal())) {
      throw new DockerfileException("invalid signal: " + s.signal());
    }
    config = config.toBuilder().stopSignal(Optional.of(s.signal())).build();
    return Step.config(s, "STOPSIGNAL " + s.signal());
  }

  private Step shell(Shell s) {
    config = config.toBuilder().shell(Optional.of(s.shell())).build();
    return Step.config(s, "SHELL " + GoFormat.list(s.shell()));
  }

  /** BuildKit's {@code withShell}: the SHELL (default {@code /bin/sh -c}) plus the script. */
  private List<String> withShell(List<String> words) {
    List<String> out = new ArrayList<>(config.shell().filter(s -> !s.isEmpty())
        .orElse(base.os().equals("windows") ? List.of("cmd", "/S", "/C")
            : List.of("/bin/sh", "-c")));
    out.add(String.join(" ", words));
    return out;
  }

  private List<String> commandArgs(CommandLine command) {
    return command.prependsShell() ? withShell(command.words()) : command.words();
  }

  private Step cmd(Cmd c) {
    List<String> argv = commandArgs(c.command());
    config = config.toBuilder().cmd(Optional.of(argv)).argsEscaped(true).build();
    cmdSet = true;
    return Step.config(c, "CMD " + GoFormat.quotedList(argv));
  }

  /**
   * An ENTRYPOINT drops a CMD inherited from the base, not one set earlier in this stage. {@code
   * ENTRYPOINT []} unsets it (BuildKit parses an empty exec form as nil).
   */
  private Step entrypoint(Entrypoint e) {
    List<String> argv = commandArgs(e.command());
    ContainerConfig.Builder b = config.toBuilder()
        .entrypoint(argv.isEmpty() ? Optional.empty() : Optional.of(argv));
    if (!cmdSet) {
      b.cmd(Optional.empty());
    }
    config = b.build();
    return Step.config(e, "ENTRYPOINT " + GoFormat.quotedList(argv));
  }

  /** Replaces the healthcheck; zero fields mean the runtime defaults, as in Docker. */
  private Step healthcheck(Healthcheck h) {
    HealthConfig health;
    if (h.config() instanceof HealthcheckConfig.Check c) {
      health = new HealthConfig(c.test(), c.interval().toNanos(), c.timeout().toNanos(),
          c.startPeriod().toNanos(), c.startInterval().toNanos(), c.retries());
    } else {
      health = new HealthConfig(h.config().test(), 0, 0, 0, 0, 0);
    }
    config = config.toBuilder().healthcheck(Optional.of(health)).build();
    String text = "HEALTHCHECK {Test:" + GoFormat.list(health.test())
        + " Interval:" + GoFormat.duration(health.intervalNanos())
        + " Timeout:" + GoFormat.duration(health.timeoutNanos())
        + " StartPeriod:" + GoFormat.duration(health.startPeriodNanos())
        + " StartInterval:" + GoFormat.duration(health.startIntervalNanos())
        + " Retries:" + health.retries() + "}";
    return Step.config(h, text);
  }

  /** Stores the trigger text; BuildKit writes no history entry for ONBUILD. */
  private Step onbuild(Onbuild o) {
    List<String> triggers = new ArrayList<>(config.onBuild());
    triggers.add(o.expression());
    config = config.toBuilder().onBuild(triggers).build();
    return new Step(o, new ConfigChange(), Optional.empty(), "ONBUILD " + o.expression(),
        Optional.empty());
  }

  private Step maintainer(Maintainer m) {
    author = Optional.of(m.name());
    return Step.config(m, "MAINTAINER " + m.name());
  }

  // --- filesystem instructions ---------------------------------------------------------------

  private String workingDir() {
    return config.workingDir().filter(s -> !s.isEmpty()).orElse("/");
  }

  /** BuildKit's {@code dispatchRun}. */
  private Step run(Run run, Run expanded) throws DockerfileException {
    List<String> argv = run.command().words();
    Optional<InlineScript> script = Optional.empty();
    if (!run.heredocs().isEmpty()) {
      if (argv.size() != 1 || !run.command().prependsShell()) {
        throw new DockerfileException(
            "parsing produced an invalid run command: " + GoFormat.list(argv));
      }
      if (isSingleHeredoc(argv.get(0))) {
        Heredoc doc = run.heredocs().get(0);
        String data = doc.chomp() ? chomp(doc.content()) : doc.content();
        if (!base.os().equals("windows") && data.startsWith("#!")) {
          script = Optional.of(new InlineScript(PIPES, doc.name(), data, 0755));
          argv = List.of(GoPath.join(PIPES, doc.name()));
        } else {
          argv = List.of(data);
        }
      } else {
        StringBuilder sb = new StringBuilder(argv.get(0));
        for (Heredoc doc : run.heredocs()) {
          sb.append('\n').append(doc.content()).append(doc.name());
        }
        argv = List.of(sb.toString());
      }
    }
    if (run.command().prependsShell()) {
      argv = withShell(argv);
    }
    if (argv.isEmpty()) {
      throw new DockerfileException("arguments are required");
    }
    String dir = workingDir();
    Optional<String> user = config.user().filter(s -> !s.isEmpty());
    List<ResolvedMount> mounts = new ArrayList<>();
    for (int i = 0; i < expanded.mounts().size(); i++) {
      mounts.add(resolveMount(expanded.mounts().get(i),
          MountFields.scan(run.mountSpecs().get(i)), dir, run.location().startLine()));
    }
    List<String> environment = environment();
    RunCommand action = new RunCommand(argv, environment, plan.args().proxyEnvironment(), dir,
        user, mounts, run.network(), run.security(), script);

    CanonicalText canonical = new CanonicalText("RUN").add("argv", argv)
        .add("env", environment).add("dir", dir).add("user", user.orElse(""))
        .add("network", run.network().value()).add("security", run.security().value());
    script.ifPresent(s -> canonical.add("script", s.content()));
    for (ResolvedMount m : mounts) {
      canonical.add("mount", describe(m));
    }
    SortedMap<String, Optional<String>> used = new TreeMap<>();
    for (ArgBinding a : args) {
      used.put(a.name(), currentValue(a));
    }
    String text = "RUN " + runCommandString(argv) + " # buildkit";
    return new Step(expanded, action, Optional.of(text), canonical.toString(),
        Optional.of(used));
  }

  /** BuildKit's {@code parser.MustParseHeredoc} succeeding on the whole command. */
  private static boolean isSingleHeredoc(String command) {
    Matcher m = HEREDOC_MARKER.matcher(command);
    if (!m.matches() || m.group(3).isEmpty()) {
      return false;
    }
    try {
      return new ShellLexer('\\').withSkipUnsetEnv(true)
          .processWords(m.group(3), VariableLookup.empty()).size() == 1;
    } catch (DockerfileException e) {
      return false;
    }
  }

  /** BuildKit's {@code ChompHeredocContent}: drops the tabs that start each line. */
  private static String chomp(String content) {
    return content.replaceAll("(?m)^\\t+", "");
  }

  /** BuildKit's {@code runCommandString}: {@code |N K=V …} for the ARGs in scope, then argv. */
  private String runCommandString(List<String> argv) {
    Map<String, String> values = new LinkedHashMap<>();
    for (ArgBinding a : args) {
      values.put(a.name(), currentValue(a).orElse(""));
    }
    List<String> parts = new ArrayList<>();
    if (!values.isEmpty()) {
      parts.add("|" + values.size());
      values.forEach((k, v) -> parts.add(k + "=" + v));
    }
    parts.addAll(argv);
    return String.join(" ", parts);
  }

  private ResolvedMount resolveMount(Mount mount, MountFields written, String dir, int line)
      throws DockerfileException {
    MountType type = mount.type();
    if (type == MountType.SECRET || type == MountType.SSH) {
      return new ResolvedMount(mount, mount.target(), Optional.empty());
    }
    String target = mount.target().orElse("");
    if (!GoPath.isAbsolute(GoPath.clean(target))) {
      target = GoPath.join("/", dir, target);
    }
    if (target.equals("/")) {
      throw new DockerfileException("invalid mount target " + GoQuote.quote(target));
    }
    Optional<FileSource> source = Optional.empty();
    if (type == MountType.BIND || type == MountType.CACHE) {
      if (written.from().isEmpty()) {
        source = Optional.of(type == MountType.BIND ? new FileSource.BuildContext()
            : new FileSource.Scratch());
      } else {
        Reference ref = references.mountFrom(written.from(), line);
        if (ref instanceof Reference.ToStage s && !isBuiltBefore(s.index())) {
          throw new DockerfileException("cannot mount from stage "
              + GoQuote.quote(mount.from().orElse(written.from())) + " to "
              + GoQuote.quote(mount.target().orElse("")) + ", stage needs to be defined before"
              + " current command");
        }
        source = Optional.of(fileSource(ref));
      }
    }
    return new ResolvedMount(mount, Optional.of(target), source);
  }

  private boolean isBuiltBefore(int index) {
    return index < stage.index() && plan.stage(index).isPresent();
  }

  private FileSource fileSource(Reference ref) {
    if (ref instanceof Reference.ToStage s) {
      return new FileSource.StageOutput(s.index());
    }
    if (ref instanceof Reference.ToImage i) {
      return new FileSource.Image(i.reference(), plan.targetPlatform());
    }
    return new FileSource.Scratch();
  }

  private static String describe(ResolvedMount m) {
    Mount mount = m.mount();
    List<String> fields = new ArrayList<>();
    fields.add("type=" + mount.type().value());
    m.target().ifPresent(t -> fields.add("target=" + t));
    m.source().ifPresent(s -> fields.add("from=" + s.describe()));
    mount.source().ifPresent(s -> fields.add("source=" + s));
    fields.add("readonly=" + mount.readOnly());
    mount.id().ifPresent(s -> fields.add("id=" + s));
    mount.sharing().ifPresent(s -> fields.add("sharing=" + s.value()));
    fields.add("required=" + mount.required());
    mount.env().ifPresent(s -> fields.add("env=" + s));
    mount.mode().ifPresent(v -> fields.add("mode=" + Long.toOctalString(v)));
    mount.uid().ifPresent(v -> fields.add("uid=" + v));
    mount.gid().ifPresent(v -> fields.add("gid=" + v));
    if (mount.sizeLimit() > 0) {
      fields.add("size=" + mount.sizeLimit());
    }
    return GoQuote.quoteList(fields);
  }

  private Step copy(Copy written, Copy c) throws DockerfileException {
    for (String src : c.sources()) {
      if (isGitSource(src)) {
        throw new DockerfileException("source can't be a git ref for COPY");
      }
      if (isHttpSource(src)) {
        throw new DockerfileException("source can't be a URL for COPY");
      }
    }
    FileSource from = new FileSource.BuildContext();
    if (written.from().isPresent()) {
      Reference ref = references.copyFrom(written.from().get(), written.location().startLine());
      if (ref instanceof Reference.ToStage s && !isBuiltBefore(s.index())) {
        String current = plan.dockerfile().stages().size() == 1 ? "" : stage.displayName();
        throw new DockerfileException("cannot copy from stage "
            + GoQuote.quote(written.from().get()) + ", it needs to be defined before current"
            + " stage " + GoQuote.quote(current));
      }
      from = fileSource(ref);
    }
    CopyFiles action = new CopyFiles(false, from, c.sources(), c.inlineSources(),
        GoPath.destination(workingDir(), c.destination()), c.chown(), c.chmodMode(), c.link(),
        c.parents(), c.excludes(), false, Optional.empty(), Optional.empty());
    return copyStep(c, action, "COPY", c.parents(), c.destination());
  }

  private Step add(Add a) throws DockerfileException {
    if (a.checksum().isPresent()) {
      if (a.sources().size() != 1) {
        throw new DockerfileException("checksum can't be specified for multiple sources");
      }
      String src = a.sources().get(0);
      if (!isHttpSource(src) && !isGitSource(src)) {
        throw new DockerfileException("checksum requires HTTP(S) or Git sources");
      }
    }
    CopyFiles action = new CopyFiles(true, new FileSource.BuildContext(), a.sources(),
        a.inlineSources(), GoPath.destination(workingDir(), a.destination()), a.chown(),
        a.chmodMode(), a.link(), false, a.excludes(), a.keepGitDir(), a.checksum(), a.unpack());
    return copyStep(a, action, "ADD", false, a.destination());
  }

  private Step copyStep(Instruction expanded, CopyFiles action, String keyword, boolean parents,
      String writtenDestination) {
    StringBuilder text = new StringBuilder(keyword);
    if (parents) {
      text.append(" --parents");
    }
    action.chown().ifPresent(c -> text.append(" --chown=").append(c));
    String chmod = expanded instanceof Copy c ? c.chmod().orElse("")
        : ((Add) expanded).chmod().orElse("");
    if (!chmod.isEmpty()) {
      text.append(" --chmod=").append(chmod);
    }
    for (String src : action.sources()) {
      text.append(' ').append(src);
    }
    for (SourceContent content : action.inlineSources()) {
      text.append(" <<").append(content.path());
    }
    text.append(' ').append(writtenDestination).append(" # buildkit");

    CanonicalText canonical = new CanonicalText(keyword)
        .add("from", action.source().describe())
        .add("sources", action.sources());
    for (SourceContent content : action.inlineSources()) {
      canonical.add("inline", List.of(content.path(), content.data()));
    }
    canonical.add("dest", action.destination())
        .add("chown", action.chown().orElse(""))
        .add("chmod", chmod)
        .add("link", action.link())
        .add("parents", action.parents())
        .add("exclude", action.excludes());
    if (action.add()) {
      canonical.add("keep-git-dir", action.keepGitDir())
          .add("checksum", action.checksum().orElse(""))
          .add("unpack", action.unpack().map(String::valueOf).orElse(""));
    }
    return new Step(expanded, action, Optional.of(text.toString()), canonical.toString(),
        Optional.empty());
  }

  private static boolean isHttpSource(String src) {
    return (src.startsWith("http://") || src.startsWith("https://")) && !isGitSource(src);
  }

  /** The git sources BuildKit's {@code dfgitutil} recognises by their scheme or suffix. */
  private static boolean isGitSource(String src) {
    if (src.startsWith("git://") || src.startsWith("git@") || src.startsWith("ssh://")) {
      return true;
    }
    if (src.startsWith("http://") || src.startsWith("https://")) {
      int fragment = src.indexOf('#');
      String url = fragment < 0 ? src : src.substring(0, fragment);
      int query = url.indexOf('?');
      if (query >= 0) {
        url = url.substring(0, query);
      }
      return url.endsWith(".git");
    }
    return false;
  }
}
