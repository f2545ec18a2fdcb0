package io.zlayer.domain.zimage;

import io.zlayer.domain.error.DockerfileException;
import io.zlayer.domain.template.RuntimeTemplates;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a ZImagefile from its YAML tree and checks everything that can be checked before a build:
 * field names and types, exactly one build mode, exactly one action per step, the modifiers a
 * step's action allows, names, ports, durations and stage references. Every problem is one
 * {@link DockerfileException} naming the file, the line when known, and the field path.
 */
public final class ZImageParser {
  static final List<String> TOP_FIELDS = List.of("version", "runtime", "base", "build", "steps",
      "platform", "stages", "wasm", "env", "workdir", "expose", "cmd", "entrypoint", "user",
      "labels", "volumes", "healthcheck", "stopsignal", "args");
  static final List<String> STAGE_FIELDS = List.of("base", "build", "platform", "args", "env",
      "workdir", "steps", "labels", "expose", "user", "entrypoint", "cmd", "volumes",
      "healthcheck", "stopsignal");
  static final List<String> STEP_ACTIONS = List.of("run", "copy", "add", "env", "workdir",
      "user");
  static final List<String> STEP_FIELDS = List.of("run", "copy", "add", "env", "workdir", "user",
      "to", "from", "owner", "chmod", "cache");
  static final List<String> CACHE_FIELDS = List.of("target", "id", "sharing", "readonly");
  static final List<String> HEALTHCHECK_FIELDS = List.of("cmd", "interval", "timeout",
      "start_period", "retries");
  static final List<String> BUILD_FIELDS = List.of("context", "workdir", "file", "args");
  static final List<String> WASM_FIELDS = List.of("target", "optimize", "opt_level", "language",
      "wit", "world", "output", "features", "build_args", "pre_build", "post_build", "adapter",
      "oci");

  private static final List<String> MODES = List.of("runtime", "wasm", "stages", "base", "build");
  private static final Pattern ARG_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final Pattern STAGE_NAME = Pattern.compile("[a-z][a-z0-9._-]*");
  private static final Pattern PORT = Pattern.compile("(\\d+)(?:-(\\d+))?(?:/([A-Za-z]+))?");
  private static final Pattern DURATION =
      Pattern.compile("(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:ns|us|\u00b5s|\u03bcs|ms|s|m|h)"
          + "(?:(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:ns|us|\u00b5s|\u03bcs|ms|s|m|h))*|0");

  private ZImageParser() {}

  /** Parses a whole ZImagefile tree (as read from YAML) named by {@code source}. */
  public static ZImage parse(Object tree, YamlSource source) throws DockerfileException {
    TreeNode root = TreeNode.root(tree, source);
    if (root.isNull()) {
      throw root.error("the file is empty: give one of runtime, base, build, stages or wasm");
    }
    Map<String, TreeNode> f = root.fields(TOP_FIELDS);
    Optional<String> version = optional(f, "version");
    if (version.isPresent() && !version.get().equals("1")) {
      throw f.get("version").error("unsupported version \"" + version.get()
          + "\": only version \"1\" is supported");
    }

    List<String> present = new ArrayList<>();
    for (String m : MODES) {
      if (f.containsKey(m) && !f.get(m).isNull()) {
        present.add(m);
      }
    }
    boolean runtimeIsWasm = f.containsKey("runtime") && !f.get("runtime").isNull()
        && isWasmName(f.get("runtime").string());
    if (present.isEmpty()) {
      throw root.error("give exactly one of runtime, base, build, stages or wasm; none was "
          + "found");
    }
    if (present.size() > 1) {
      throw f.get(present.get(1)).error("give exactly one of runtime, base, build, stages or "
          + "wasm, not " + String.join(" and ", present));
    }
    String mode = present.get(0);
    if (!mode.equals("base") && !mode.equals("build")) {
      for (String singleOnly : new String[] {"steps", "platform"}) {
        if (f.containsKey(singleOnly)) {
          throw f.get(singleOnly).error("only used with base or build"
              + (mode.equals("stages") ? "; in a multi-stage file each stage has its own "
                  + singleOnly : ""));
        }
      }
    }

    ImageSettings settings = settings(f);
    List<BuildArg> args = f.containsKey("args") ? args(f.get("args")) : List.of();
    ZImageMode parsed;
    switch (mode) {
      case "runtime": {
        TreeNode node = f.get("runtime");
        if (runtimeIsWasm) {
          parsed = new ZImageMode.Wasm(defaultWasm());
        } else {
          String name = node.nonEmptyString();
          parsed = new ZImageMode.Runtime(RuntimeTemplates.find(name)
              .orElseThrow(() -> node.error("unknown runtime \"" + name + "\" (known: "
                  + String.join(", ", RuntimeTemplates.names()) + ")"))
              .name());
        }
        break;
      }
      case "wasm":
        parsed = new ZImageMode.Wasm(wasm(f.get("wasm")));
        break;
      case "stages":
        parsed = new ZImageMode.MultiStage(stages(f.get("stages")));
        break;
      default: {
        BaseImage base = base(f);
        List<ZStep> steps = f.containsKey("steps") ? steps(f.get("steps"), Set.of())
            : List.of();
        Optional<String> platform = platform(f);
        parsed = new ZImageMode.SingleStage(base, platform, steps);
      }
    }
    return new ZImage(version, parsed, args, settings);
  }

  private static boolean isWasmName(String name) {
    String n = name.trim().toLowerCase(Locale.ROOT);
    return n.equals("wasm") || n.equals("webassembly");
  }

  private static List<ZStage> stages(TreeNode node) throws DockerfileException {
    Map<String, TreeNode> entries = node.entries();
    if (entries.isEmpty()) {
      throw node.error("needs at least one stage");
    }
    List<ZStage> out = new ArrayList<>();
    Set<String> earlier = new HashSet<>();
    List<String> all = new ArrayList<>(entries.keySet());
    for (Map.Entry<String, TreeNode> e : entries.entrySet()) {
      String name = e.getKey();
      TreeNode stageNode = e.getValue();
      if (!STAGE_NAME.matcher(name).matches()) {
        throw stageNode.error("invalid stage name \"" + name + "\": use lowercase letters, "
            + "digits, '.', '_' and '-', starting with a letter");
      }
      Map<String, TreeNode> f = stageNode.fields(STAGE_FIELDS);
      boolean hasBase = f.containsKey("base") && !f.get("base").isNull();
      boolean hasBuild = f.containsKey("build") && !f.get("build").isNull();
      if (!hasBase && !hasBuild) {
        throw stageNode.error("give base (an image or an earlier stage) or build");
      }
      if (hasBase && hasBuild) {
        throw f.get("build").error("base and build exclude each other");
      }
      BaseImage base = base(f);
      if (base instanceof BaseImage.Image image && all.contains(image.reference())
          && !earlier.contains(image.reference())) {
        throw f.get("base").error("stage \"" + image.reference() + "\" is not defined before "
            + "stage \"" + name + "\"; a stage can only build on an earlier one");
      }
      Set<String> later = new HashSet<>(all.subList(all.indexOf(name), all.size()));
      List<ZStep> steps = f.containsKey("steps") ? steps(f.get("steps"), later) : List.of();
      List<BuildArg> args = f.containsKey("args") ? args(f.get("args")) : List.of();
      out.add(new ZStage(name, base, platform(f), args, steps, settings(f)));
      earlier.add(name);
    }
    return out;
  }

  private static Optional<String> platform(Map<String, TreeNode> f) throws DockerfileException {
    Optional<String> platform = optional(f, "platform");
    if (platform.isPresent()) {
      noSpaces(f.get("platform"), platform.get());
    }
    return platform;
  }

  private static BaseImage base(Map<String, TreeNode> f) throws DockerfileException {
    if (f.containsKey("base") && !f.get("base").isNull()) {
      TreeNode node = f.get("base");
      String ref = node.nonEmptyString();
      noSpaces(node, ref);
      return new BaseImage.Image(ref);
    }
    TreeNode node = f.get("build");
    if (node.isScalar()) {
      return new BaseImage.Build(singleLine(node, node.nonEmptyString()), Optional.empty(),
          Map.of());
    }
    Map<String, TreeNode> b = node.fields(BUILD_FIELDS);
    if (b.containsKey("context") && b.containsKey("workdir")) {
      throw b.get("workdir").error("context and workdir are the same setting; give one");
    }
    Optional<String> context = optional(b, "context");
    if (context.isEmpty()) {
      context = optional(b, "workdir");
    }
    Map<String, String> args = new LinkedHashMap<>();
    if (b.containsKey("args")) {
      for (Map.Entry<String, TreeNode> a : b.get("args").entries().entrySet()) {
        args.put(argName(a.getValue(), a.getKey()), singleLine(a.getValue(),
            a.getValue().string()));
      }
    }
    return new BaseImage.Build(context.orElse("."), optional(b, "file"), args);
  }

  private static List<ZStep> steps(TreeNode node, Set<String> laterStages)
      throws DockerfileException {
    List<ZStep> out = new ArrayList<>();
    for (TreeNode step : node.elements()) {
      out.add(step(step, laterStages));
    }
    return out;
  }

  private static ZStep step(TreeNode node, Set<String> laterStages) throws DockerfileException {
    if (!node.isMap()) {
      throw node.error("a step is a mapping with one of " + String.join(", ", STEP_ACTIONS)
          + ", got " + node.describe());
    }
    Map<String, TreeNode> f = node.fields(STEP_FIELDS);
    List<String> actions = new ArrayList<>();
    for (String a : STEP_ACTIONS) {
      if (f.containsKey(a)) {
        actions.add(a);
      }
    }
    if (actions.isEmpty()) {
      throw node.error("a step needs one of " + String.join(", ", STEP_ACTIONS));
    }
    if (actions.size() > 1) {
      throw f.get(actions.get(1)).error("a step has exactly one action, this one has "
          + String.join(" and ", actions));
    }
    String action = actions.get(0);
    boolean copyOrAdd = action.equals("copy") || action.equals("add");
    for (String modifier : new String[] {"to", "owner", "chmod"}) {
      if (f.containsKey(modifier) && !copyOrAdd) {
        throw f.get(modifier).error("only valid on copy and add steps, not on " + action);
      }
    }
    if (f.containsKey("from") && !action.equals("copy")) {
      throw f.get("from").error(action.equals("add")
          ? "add cannot take files from another stage or image; use copy with from"
          : "only valid on copy steps, not on " + action);
    }
    if (f.containsKey("cache") && !action.equals("run")) {
      throw f.get("cache").error("only valid on run steps, not on " + action);
    }
    TreeNode value = f.get(action);
    switch (action) {
      case "run": {
        List<CacheMount> cache = new ArrayList<>();
        if (f.containsKey("cache")) {
          for (TreeNode c : f.get("cache").elements()) {
            cache.add(cacheMount(c));
          }
        }
        return new ZStep.Run(command(value), cache);
      }
      case "copy":
      case "add": {
        if (!f.containsKey("to")) {
          throw node.error("a " + action + " step needs \"to\" (the destination)");
        }
        List<String> sources = value.stringOrList();
        if (sources.isEmpty()) {
          throw value.error("needs at least one source");
        }
        for (int i = 0; i < sources.size(); i++) {
          TreeNode at = value.isList() ? value.elements().get(i) : value;
          if (sources.get(i).isEmpty()) {
            throw at.error("a source must not be empty");
          }
          singleLine(at, sources.get(i));
        }
        String to = singleLine(f.get("to"), f.get("to").nonEmptyString());
        Optional<String> owner = flagValue(f, "owner");
        Optional<String> chmod = flagValue(f, "chmod");
        if (action.equals("add")) {
          return new ZStep.Add(sources, to, owner, chmod);
        }
        Optional<String> from = flagValue(f, "from");
        if (from.isPresent() && laterStages.contains(from.get())) {
          throw f.get("from").error("stage \"" + from.get() + "\" is not defined before this "
              + "one; copy can only take files from an earlier stage");
        }
        return new ZStep.Copy(sources, to, from, owner, chmod);
      }
      case "env":
        return new ZStep.Env(env(value));
      case "workdir":
        return new ZStep.Workdir(singleLine(value, value.nonEmptyString()));
      default:
        return new ZStep.User(singleLine(value, value.nonEmptyString()));
    }
  }

  /** A {@code cache} entry (also a pipeline's {@code cache_mounts} entry). */
  public static CacheMount cacheMount(TreeNode node) throws DockerfileException {
    Map<String, TreeNode> c = node.fields(CACHE_FIELDS);
    if (!c.containsKey("target")) {
      throw node.error("a cache mount needs \"target\" (the directory to cache)");
    }
    String target = mountValue(c.get("target"), c.get("target").nonEmptyString());
    Optional<String> id = optional(c, "id");
    if (id.isPresent()) {
      mountValue(c.get("id"), id.get());
    }
    Optional<String> sharing = optional(c, "sharing");
    if (sharing.isPresent() && !List.of("shared", "private", "locked").contains(sharing.get())) {
      throw c.get("sharing").error("must be shared, private or locked, not \""
          + sharing.get() + "\"");
    }
    boolean readonly = c.containsKey("readonly") && c.get("readonly").bool();
    return new CacheMount(target, id, sharing, readonly);
  }

  private static ImageSettings settings(Map<String, TreeNode> f) throws DockerfileException {
    Map<String, String> env = f.containsKey("env") ? env(f.get("env")) : Map.of();
    Optional<String> workdir = optional(f, "workdir");
    if (workdir.isPresent()) {
      singleLine(f.get("workdir"), workdir.get());
    }
    List<String> expose = f.containsKey("expose") ? expose(f.get("expose")) : List.of();
    Optional<ZCommand> cmd = f.containsKey("cmd") && !f.get("cmd").isNull()
        ? Optional.of(command(f.get("cmd"))) : Optional.empty();
    Optional<ZCommand> entrypoint = f.containsKey("entrypoint") && !f.get("entrypoint").isNull()
        ? Optional.of(command(f.get("entrypoint"))) : Optional.empty();
    Optional<String> user = optional(f, "user");
    if (user.isPresent()) {
      singleLine(f.get("user"), user.get());
    }
    Map<String, String> labels = new LinkedHashMap<>();
    if (f.containsKey("labels")) {
      for (Map.Entry<String, TreeNode> e : f.get("labels").entries().entrySet()) {
        if (e.getKey().isEmpty()) {
          throw e.getValue().error("a label needs a name");
        }
        singleLine(e.getValue(), e.getKey());
        labels.put(e.getKey(), singleLine(e.getValue(), e.getValue().string()));
      }
    }
    List<String> volumes = new ArrayList<>();
    if (f.containsKey("volumes")) {
      TreeNode v = f.get("volumes");
      List<TreeNode> items = v.isList() ? v.elements() : List.of(v);
      for (TreeNode item : items) {
        volumes.add(singleLine(item, item.nonEmptyString()));
      }
    }
    Optional<Healthcheck> healthcheck = f.containsKey("healthcheck")
        && !f.get("healthcheck").isNull() ? Optional.of(healthcheck(f.get("healthcheck")))
        : Optional.empty();
    Optional<String> stopSignal = optional(f, "stopsignal");
    if (stopSignal.isPresent()) {
      noSpaces(f.get("stopsignal"), stopSignal.get());
    }
    return new ImageSettings(env, workdir, expose, cmd, entrypoint, user, labels, volumes,
        healthcheck, stopSignal);
  }

  private static Map<String, String> env(TreeNode node) throws DockerfileException {
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, TreeNode> e : node.entries().entrySet()) {
      String key = e.getKey();
      if (key.isEmpty() || !key.chars().allMatch(c -> c > ' ' && c != '=' && c != '"'
          && c != '\'' && c != '$' && c != '\\' && c != 0x7f)) {
        throw e.getValue().error("invalid environment variable name \"" + key + "\"");
      }
      if (e.getValue().isNull()) {
        throw e.getValue().error("needs a value (write \"\" for an empty one)");
      }
      out.put(key, singleLine(e.getValue(), e.getValue().string()));
    }
    return out;
  }

  private static List<BuildArg> args(TreeNode node) throws DockerfileException {
    List<BuildArg> out = new ArrayList<>();
    for (Map.Entry<String, TreeNode> e : node.entries().entrySet()) {
      String name = argName(e.getValue(), e.getKey());
      TreeNode v = e.getValue();
      Optional<String> def = v.isNull() ? Optional.empty()
          : Optional.of(singleLine(v, v.string())).filter(s -> !s.isEmpty());
      out.add(new BuildArg(name, def));
    }
    return out;
  }

  private static String argName(TreeNode at, String name) throws DockerfileException {
    if (!ARG_NAME.matcher(name).matches()) {
      throw at.error("invalid build argument name \"" + name + "\": use letters, digits and "
          + "'_', not starting with a digit");
    }
    return name;
  }

  private static List<String> expose(TreeNode node) throws DockerfileException {
    List<TreeNode> items = node.isList() ? node.elements() : List.of(node);
    List<String> out = new ArrayList<>();
    for (TreeNode item : items) {
      String spec = item.string().trim();
      var m = PORT.matcher(spec);
      if (!m.matches()) {
        throw item.error("invalid port \"" + spec + "\": write 8080, \"8080/tcp\", "
            + "\"53/udp\" or a range \"8000-8010/tcp\"");
      }
      int first = port(item, m.group(1));
      int last = m.group(2) == null ? first : port(item, m.group(2));
      if (last < first) {
        throw item.error("invalid port range \"" + spec + "\": the end is before the start");
      }
      String protocol = m.group(3) == null ? "tcp" : m.group(3).toLowerCase(Locale.ROOT);
      if (!List.of("tcp", "udp", "sctp").contains(protocol)) {
        throw item.error("invalid protocol \"" + m.group(3) + "\": use tcp, udp or sctp");
      }
      out.add((first == last ? String.valueOf(first) : first + "-" + last) + "/" + protocol);
    }
    return out;
  }

  private static int port(TreeNode at, String digits) throws DockerfileException {
    int p;
    try {
      p = Integer.parseInt(digits);
    } catch (NumberFormatException e) {
      p = -1;
    }
    if (p < 1 || p > 65535) {
      throw at.error("invalid port " + digits + ": ports are 1 to 65535");
    }
    return p;
  }

  private static Healthcheck healthcheck(TreeNode node) throws DockerfileException {
    Map<String, TreeNode> h = node.fields(HEALTHCHECK_FIELDS);
    if (!h.containsKey("cmd")) {
      throw node.error("a healthcheck needs \"cmd\" (the command that checks)");
    }
    ZCommand cmd = command(h.get("cmd"));
    OptionalInt retries = h.containsKey("retries")
        ? OptionalInt.of((int) h.get("retries").integer(0, Integer.MAX_VALUE))
        : OptionalInt.empty();
    return new Healthcheck(cmd, duration(h, "interval"), duration(h, "timeout"),
        duration(h, "start_period"), retries);
  }

  private static Optional<String> duration(Map<String, TreeNode> f, String field)
      throws DockerfileException {
    Optional<String> d = optional(f, field);
    if (d.isPresent() && !DURATION.matcher(d.get()).matches()) {
      throw f.get(field).error("invalid duration \"" + d.get() + "\": write a number with a "
          + "unit, like 30s, 1m30s or 500ms");
    }
    return d;
  }

  static ZCommand command(TreeNode node) throws DockerfileException {
    if (node.isList()) {
      return new ZCommand.Exec(node.stringList());
    }
    if (!node.isScalar()) {
      throw node.error("expected a command (a string, or a list of arguments), got "
          + node.describe());
    }
    String text = node.string();
    if (text.isBlank()) {
      throw node.error("the command is empty");
    }
    return new ZCommand.Shell(text);
  }

  private static WasmSettings wasm(TreeNode node) throws DockerfileException {
    if (node.isMap() && node.entries().isEmpty()) {
      return defaultWasm();
    }
    Map<String, TreeNode> w = node.fields(WASM_FIELDS);
    String target = optional(w, "target").orElse("preview2");
    oneOf(w, "target", target, List.of("preview1", "preview2"));
    String optLevel = optional(w, "opt_level").orElse("Oz");
    oneOf(w, "opt_level", optLevel, List.of("O", "Os", "Oz", "O2", "O3"));
    Optional<String> language = optional(w, "language");
    if (language.isPresent()) {
      oneOf(w, "language", language.get(), List.of("rust", "go", "python", "typescript",
          "assemblyscript", "c", "zig"));
    }
    Optional<String> world = optional(w, "world");
    if (world.isPresent()) {
      oneOf(w, "world", world.get(), List.of("zlayer-plugin", "zlayer-http-handler",
          "zlayer-transformer", "zlayer-authenticator", "zlayer-rate-limiter",
          "zlayer-middleware", "zlayer-router"));
    }
    boolean optimize = w.containsKey("optimize") && w.get("optimize").bool();
    return new WasmSettings(target, optimize, optLevel, language, world);
  }

  private static WasmSettings defaultWasm() {
    return new WasmSettings("preview2", false, "Oz", Optional.empty(), Optional.empty());
  }

  private static void oneOf(Map<String, TreeNode> f, String field, String value,
      List<String> allowed) throws DockerfileException {
    if (!allowed.contains(value)) {
      throw f.get(field).error("must be one of " + String.join(", ", allowed) + ", not \""
          + value + "\"");
    }
  }

  static Optional<String> optional(Map<String, TreeNode> f, String field)
      throws DockerfileException {
    TreeNode n = f.get(field);
    return n == null || n.isNull() ? Optional.empty() : Optional.of(n.string());
  }

  /** A value that goes into a flag ({@code --chown=…}): one word. */
  private static Optional<String> flagValue(Map<String, TreeNode> f, String field)
      throws DockerfileException {
    Optional<String> v = optional(f, field);
    if (v.isPresent()) {
      if (v.get().isEmpty()) {
        throw f.get(field).error("must not be empty");
      }
      noSpaces(f.get(field), v.get());
      if (v.get().indexOf('"') >= 0 || v.get().indexOf('\'') >= 0) {
        throw f.get(field).error("must not contain quotes");
      }
    }
    return v;
  }

  private static String mountValue(TreeNode at, String value) throws DockerfileException {
    noSpaces(at, value);
    for (char c : new char[] {',', '"', '\'', '='}) {
      if (value.indexOf(c) >= 0) {
        throw at.error("must not contain '" + c + "'");
      }
    }
    return value;
  }

  private static void noSpaces(TreeNode at, String value) throws DockerfileException {
    for (int i = 0; i < value.length(); i++) {
      if (Character.isWhitespace(value.charAt(i))) {
        throw at.error("must not contain spaces (\"" + value + "\")");
      }
    }
  }

  /** Values that become one Dockerfile line cannot hold line breaks. */
  static String singleLine(TreeNode at, String value) throws DockerfileException {
    if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
      throw at.error("must be a single line; a Dockerfile cannot hold a line break here");
    }
    return value;
  }
}
