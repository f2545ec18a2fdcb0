package io.zlayer.domain.dockerfile.instructions;

import io.zlayer.domain.dockerfile.parser.Heredoc;
import io.zlayer.domain.dockerfile.parser.Node;
import io.zlayer.domain.error.DockerfileException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Turns one raw AST instruction node into a typed {@link Instruction}, following BuildKit's
 * {@code instructions.ParseInstruction}: the same argument rules, flags and error texts. Every
 * error names the instruction's first line.
 */
public final class InstructionParser {
  private static final List<String> KEYWORDS = List.of("ADD", "ARG", "CMD", "COPY",
      "ENTRYPOINT", "ENV", "EXPOSE", "FROM", "HEALTHCHECK", "LABEL", "MAINTAINER", "ONBUILD",
      "RUN", "SHELL", "STOPSIGNAL", "USER", "VOLUME", "WORKDIR");
  private static final Pattern STAGE_NAME = Pattern.compile("[a-z][a-z0-9_.\\-]*");
  private static final Pattern ONBUILD_PREFIX =
      Pattern.compile("^[ \\t\\n\\f\\r]*(?i:ONBUILD)[ \\t\\n\\f\\r]*");
  private static final Pattern WINDOWS_PATH = Pattern.compile("\"[a-z]:\\\\.*");
  private static final Duration MINIMUM_DURATION = Duration.ofMillis(1);

  private InstructionParser() {}

  /** The typed instruction for one instruction node of the AST. */
  public static Instruction parse(Node node) throws DockerfileException {
    try {
      return dispatch(new Request(node));
    } catch (DockerfileException e) {
      throw e.atLine(node.startLine());
    }
  }

  /** What every instruction parser needs from the node (BuildKit's parseRequest). */
  private static final class Request {
    final Node node;
    final List<String> args;
    final InstructionFlags flags;
    final SourceLocation location;
    final String original;

    Request(Node node) {
      this.node = node;
      this.args = nodeArgs(node);
      this.flags = new InstructionFlags(node.flags());
      this.location = new SourceLocation(Math.max(0, node.startLine()),
          Math.max(node.endLine(), Math.max(0, node.startLine())));
      this.original = GoSyntax.trimSpace(node.original());
    }

    boolean json() {
      return node.json();
    }
  }

  /** The argument words, with an ONBUILD sub-instruction flattened in (BuildKit's nodeArgs). */
  private static List<String> nodeArgs(Node node) {
    List<String> out = new ArrayList<>();
    for (Node arg : node.next()) {
      if (arg.children().isEmpty()) {
        out.add(arg.value());
      } else if (arg.children().size() == 1) {
        Node sub = arg.children().get(0);
        out.add(sub.value());
        out.addAll(nodeArgs(sub));
      }
    }
    return out;
  }

  private static Instruction dispatch(Request req) throws DockerfileException {
    return switch (req.node.value().toLowerCase(Locale.ROOT)) {
      case "env" -> new Env(req.location, req.original, keyValues(req, "ENV"));
      case "maintainer" -> parseMaintainer(req);
      case "label" -> new Label(req.location, req.original, keyValues(req, "LABEL"));
      case "add" -> parseAdd(req);
      case "copy" -> parseCopy(req);
      case "from" -> parseFrom(req);
      case "onbuild" -> parseOnbuild(req);
      case "workdir" -> new Workdir(req.location, req.original, exactlyOne(req, "WORKDIR"));
      case "run" -> parseRun(req);
      case "cmd" -> {
        req.flags.parse();
        yield new Cmd(req.location, req.original, commandLine(req));
      }
      case "healthcheck" -> parseHealthcheck(req);
      case "entrypoint" -> {
        req.flags.parse();
        yield new Entrypoint(req.location, req.original, commandLine(req));
      }
      case "expose" -> parseExpose(req);
      case "user" -> new User(req.location, req.original, exactlyOne(req, "USER"));
      case "volume" -> parseVolume(req);
      case "stopsignal" -> parseStopSignal(req);
      case "arg" -> parseArg(req);
      case "shell" -> parseShell(req);
      default -> throw unknownInstruction(req);
    };
  }

  private static DockerfileException unknownInstruction(Request req) {
    // The AST keeps keywords lower-cased; BuildKit reports the keyword as the user wrote it.
    String word = req.node.value();
    String[] firstWord = req.original.split("[ \\t\\n\\f\\r]+", 2);
    if (firstWord.length > 0 && firstWord[0].equalsIgnoreCase(word)) {
      word = firstWord[0];
    }
    return new DockerfileException(req.location.startLine(),
        Suggestions.withHint("unknown instruction: " + word, word, KEYWORDS, false));
  }

  private static String exactlyOne(Request req, String command) throws DockerfileException {
    if (req.args.size() != 1) {
      throw new DockerfileException(command + " requires exactly one argument");
    }
    req.flags.parse();
    return req.args.get(0);
  }

  private static DockerfileException atLeastOne(String command) {
    return new DockerfileException(command + " requires at least one argument");
  }

  private static List<KeyValue> keyValues(Request req, String command)
      throws DockerfileException {
    req.flags.parse();
    List<String> args = req.args;
    if (args.isEmpty()) {
      throw atLeastOne(command);
    }
    if (args.size() % 3 != 0) {
      throw new DockerfileException("Bad input to " + command + ", too many arguments");
    }
    List<KeyValue> pairs = new ArrayList<>();
    for (int j = 0; j < args.size(); j += 3) {
      if (args.get(j).isEmpty()) {
        throw new DockerfileException(command + " names can not be blank");
      }
      pairs.add(new KeyValue(args.get(j), args.get(j + 1), args.get(j + 2).isEmpty()));
    }
    return pairs;
  }

  private static Maintainer parseMaintainer(Request req) throws DockerfileException {
    return new Maintainer(req.location, req.original, exactlyOne(req, "MAINTAINER"));
  }

  private static Optional<String> nonEmpty(String value) {
    return value.isEmpty() ? Optional.empty() : Optional.of(value);
  }

  /** Sources, heredoc sources and destination of COPY/ADD (BuildKit's parseSourcesAndDest). */
  private record SourcesAndDest(
      List<String> sources, List<SourceContent> contents, String destination) {}

  private static SourcesAndDest sourcesAndDest(Request req, String command)
      throws DockerfileException {
    List<String> args = req.args;
    String destination = args.get(args.size() - 1);
    if (HeredocMarker.of(destination).isPresent()) {
      throw new DockerfileException(command + " cannot accept a heredoc as a destination");
    }
    Map<String, Heredoc> byName = new HashMap<>();
    for (Heredoc h : req.node.heredocs()) {
      byName.put(h.name(), h);
    }
    List<String> sources = new ArrayList<>();
    List<SourceContent> contents = new ArrayList<>();
    int markers = 0;
    for (String src : args.subList(0, args.size() - 1)) {
      Optional<HeredocMarker> marker = HeredocMarker.of(src);
      if (marker.isEmpty()) {
        sources.add(src);
        continue;
      }
      Heredoc heredoc = byName.get(marker.get().name());
      if (heredoc == null && markers < req.node.heredocs().size()) {
        heredoc = req.node.heredocs().get(markers);
      }
      markers++;
      String content = heredoc == null ? "" : heredoc.content();
      if (marker.get().chomp()) {
        content = HeredocMarker.chomp(content);
      }
      contents.add(new SourceContent(marker.get().name(), content, marker.get().expand()));
    }
    return new SourcesAndDest(sources, contents, destination);
  }

  private static DockerfileException noDestination(String command) {
    return new DockerfileException(command + " requires at least two arguments, but only one"
        + " was provided. Destination could not be determined");
  }

  private static Add parseAdd(Request req) throws DockerfileException {
    if (req.args.size() < 2) {
      throw noDestination("ADD");
    }
    InstructionFlags.Flag excludes = req.flags.addStrings("exclude");
    InstructionFlags.Flag chown = req.flags.addString("chown", "");
    InstructionFlags.Flag chmod = req.flags.addString("chmod", "");
    InstructionFlags.Flag link = req.flags.addBool("link", false);
    InstructionFlags.Flag keepGitDir = req.flags.addBool("keep-git-dir", false);
    InstructionFlags.Flag checksum = req.flags.addString("checksum", "");
    InstructionFlags.Flag unpack = req.flags.addBool("unpack", false);
    req.flags.parse();
    SourcesAndDest sd = sourcesAndDest(req, "ADD");
    return new Add(req.location, req.original, sd.sources(), sd.contents(), sd.destination(),
        nonEmpty(chown.value()), nonEmpty(chmod.value()), link.isTrue(), keepGitDir.isTrue(),
        nonEmpty(checksum.value()),
        unpack.isUsed() ? Optional.of(unpack.isTrue()) : Optional.empty(), excludes.values());
  }

  private static Copy parseCopy(Request req) throws DockerfileException {
    if (req.args.size() < 2) {
      throw noDestination("COPY");
    }
    InstructionFlags.Flag excludes = req.flags.addStrings("exclude");
    InstructionFlags.Flag parents = req.flags.addBool("parents", false);
    InstructionFlags.Flag chown = req.flags.addString("chown", "");
    InstructionFlags.Flag from = req.flags.addString("from", "");
    InstructionFlags.Flag chmod = req.flags.addString("chmod", "");
    InstructionFlags.Flag link = req.flags.addBool("link", false);
    req.flags.parse();
    SourcesAndDest sd = sourcesAndDest(req, "COPY");
    return new Copy(req.location, req.original, sd.sources(), sd.contents(), sd.destination(),
        nonEmpty(from.value()), nonEmpty(chown.value()), nonEmpty(chmod.value()),
        link.isTrue(), parents.isTrue(), excludes.values());
  }

  private static From parseFrom(Request req) throws DockerfileException {
    List<String> args = req.args;
    String stageName = "";
    if (args.size() == 3 && args.get(1).equalsIgnoreCase("as")) {
      stageName = args.get(2).toLowerCase(Locale.ROOT);
      if (!STAGE_NAME.matcher(stageName).matches()) {
        throw new DockerfileException("invalid name for build stage: "
            + GoSyntax.quote(args.get(2))
            + ", name can't start with a number or contain symbols");
      }
    } else if (args.size() != 1) {
      throw new DockerfileException("FROM requires either one or three arguments");
    }
    InstructionFlags.Flag platform = req.flags.addString("platform", "");
    req.flags.parse();
    return new From(req.location, req.original, args.get(0), nonEmpty(stageName),
        nonEmpty(platform.value()));
  }

  private static Onbuild parseOnbuild(Request req) throws DockerfileException {
    if (req.args.isEmpty()) {
      throw atLeastOne("ONBUILD");
    }
    req.flags.parse();
    String trigger = GoSyntax.trimSpace(req.args.get(0)).toUpperCase(Locale.ROOT);
    switch (trigger) {
      case "ONBUILD" -> throw new DockerfileException(
          "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed");
      case "MAINTAINER", "FROM" -> throw new DockerfileException(
          trigger + " isn't allowed as an ONBUILD trigger");
      default -> { }
    }
    StringBuilder expression =
        new StringBuilder(ONBUILD_PREFIX.matcher(req.node.original()).replaceFirst(""));
    for (Heredoc h : req.node.heredocs()) {
      expression.append('\n').append(h.content()).append(h.name());
    }
    Node nested = triggerNode(req.node, expression.toString());
    return new Onbuild(req.location, req.original, expression.toString(), parse(nested));
  }

  /**
   * The nested instruction node, given the ONBUILD node's lines and heredocs (BuildKit's parser
   * attaches both to the outer node).
   */
  private static Node triggerNode(Node onbuild, String expression) {
    Node nested = null;
    if (onbuild.next().size() == 1 && onbuild.next().get(0).children().size() == 1) {
      nested = onbuild.next().get(0).children().get(0);
    }
    if (nested == null) {
      // A flat argument list: the first word is the keyword, the rest its arguments.
      List<Node> words = onbuild.next();
      nested = new Node(words.get(0).value().toLowerCase(Locale.ROOT),
          words.subList(1, words.size()), List.of(), List.of(), onbuild.json(), expression,
          List.of(), 0, 0, List.of());
    }
    return new Node(nested.value(), nested.next(), nested.children(),
        nested.heredocs().isEmpty() ? onbuild.heredocs() : nested.heredocs(), nested.json(),
        nested.original().isBlank() ? expression : nested.original(), nested.flags(),
        nested.startLine() > 0 ? nested.startLine() : onbuild.startLine(),
        nested.endLine() > 0 ? nested.endLine() : onbuild.endLine(), nested.prevComments());
  }

  private static Run parseRun(Request req) throws DockerfileException {
    InstructionFlags.Flag mounts = req.flags.addStrings("mount");
    InstructionFlags.Flag network = req.flags.addString("network", NetworkMode.DEFAULT.value());
    InstructionFlags.Flag security =
        req.flags.addString("security", SecurityMode.SANDBOX.value());
    req.flags.parse();
    CommandLine command = commandLine(req);
    for (String spec : mounts.values()) {
      MountParser.check(spec);
    }
    NetworkMode networkMode = NetworkMode.of(network.value()).orElseThrow(() ->
        new DockerfileException(
            "network mode " + GoSyntax.quote(network.value()) + " not supported"));
    SecurityMode securityMode = SecurityMode.of(security.value()).orElseThrow(() ->
        new DockerfileException("security " + GoSyntax.quote(security.value())
            + " is not valid"));
    List<Mount> resolved = List.of();
    return new Run(req.location, req.original, command, req.node.heredocs(), mounts.values(),
        resolved, networkMode, securityMode);
  }

  /** BuildKit's handleJSONArgs: exec form as written, shell form joined into one string. */
  private static CommandLine commandLine(Request req) {
    return commandLine(req.args, req.json());
  }

  private static CommandLine commandLine(List<String> args, boolean json) {
    if (json) {
      return new CommandLine.ExecForm(args);
    }
    return new CommandLine.ShellForm(String.join(" ", args));
  }

  private static Healthcheck parseHealthcheck(Request req) throws DockerfileException {
    if (req.args.isEmpty()) {
      throw atLeastOne("HEALTHCHECK");
    }
    String type = req.args.get(0).toUpperCase(Locale.ROOT);
    List<String> rest = req.args.subList(1, req.args.size());
    if (type.equals("NONE")) {
      // BuildKit does not look at the flags of HEALTHCHECK NONE at all.
      if (!rest.isEmpty()) {
        throw new DockerfileException("HEALTHCHECK NONE takes no arguments");
      }
      return new Healthcheck(req.location, req.original, new HealthcheckConfig.Disabled());
    }
    InstructionFlags.Flag interval = req.flags.addString("interval", "");
    InstructionFlags.Flag timeout = req.flags.addString("timeout", "");
    InstructionFlags.Flag startPeriod = req.flags.addString("start-period", "");
    InstructionFlags.Flag startInterval = req.flags.addString("start-interval", "");
    InstructionFlags.Flag retries = req.flags.addString("retries", "");
    req.flags.parse();
    if (!type.equals("CMD")) {
      throw new DockerfileException(
          "Unknown type " + GoSyntax.quote(type) + " in HEALTHCHECK (try CMD)");
    }
    if (rest.isEmpty()) {
      throw new DockerfileException("Missing command after HEALTHCHECK CMD");
    }
    CommandLine command = commandLine(rest, req.json());
    HealthcheckConfig.Check check = new HealthcheckConfig.Check(command,
        interval(interval), interval(timeout), interval(startPeriod), interval(startInterval),
        retries(retries.value()));
    return new Healthcheck(req.location, req.original, check);
  }

  /** BuildKit's parseOptInterval: Go duration syntax, zero when unset, else at least 1ms. */
  private static Duration interval(InstructionFlags.Flag flag) throws DockerfileException {
    String value = flag.value();
    if (value.isEmpty()) {
      return Duration.ZERO;
    }
    Duration d;
    try {
      d = GoDuration.parse(value);
    } catch (GoDuration.InvalidDuration e) {
      throw new DockerfileException(e.getMessage());
    }
    if (d.isZero()) {
      return Duration.ZERO;
    }
    if (d.compareTo(MINIMUM_DURATION) < 0) {
      throw new DockerfileException("Interval " + GoSyntax.quote(flag.name())
          + " cannot be less than 1ms");
    }
    return d;
  }

  /** {@code strconv.ParseInt(value, 10, 32)} with BuildKit's negative check. */
  private static int retries(String value) throws DockerfileException {
    if (value.isEmpty()) {
      return 0;
    }
    String prefix = "strconv.ParseInt: parsing " + GoSyntax.quote(value) + ": ";
    if (!GoSyntax.isDecimalInteger(value)) {
      throw new DockerfileException(prefix + "invalid syntax");
    }
    long parsed;
    try {
      parsed = Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new DockerfileException(prefix + "value out of range");
    }
    if (parsed < Integer.MIN_VALUE || parsed > Integer.MAX_VALUE) {
      throw new DockerfileException(prefix + "value out of range");
    }
    if (parsed < 0) {
      throw new DockerfileException("--retries cannot be negative (" + parsed + ")");
    }
    return (int) parsed;
  }

  private static Expose parseExpose(Request req) throws DockerfileException {
    if (req.args.isEmpty()) {
      throw atLeastOne("EXPOSE");
    }
    req.flags.parse();
    List<String> ports = new ArrayList<>(req.args);
    // Go's sort.Strings orders by bytes, which for UTF-8 is code point order.
    ports.sort(InstructionParser::compareCodePoints);
    return new Expose(req.location, req.original, ports);
  }

  private static int compareCodePoints(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      if (ca != cb) {
        return Integer.compare(ca, cb);
      }
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Integer.compare(a.length() - i, b.length() - j);
  }

  private static Volume parseVolume(Request req) throws DockerfileException {
    if (req.args.isEmpty()) {
      throw atLeastOne("VOLUME");
    }
    req.flags.parse();
    List<String> paths = new ArrayList<>();
    for (String v : req.args) {
      String trimmed = GoSyntax.trimSpace(v);
      if (trimmed.isEmpty()) {
        throw new DockerfileException("VOLUME specified can not be an empty string");
      }
      paths.add(trimmed);
    }
    return new Volume(req.location, req.original, paths);
  }

  private static StopSignal parseStopSignal(Request req) throws DockerfileException {
    if (req.args.size() != 1) {
      throw new DockerfileException("STOPSIGNAL requires exactly one argument");
    }
    // BuildKit never parses STOPSIGNAL's flags, so they are ignored rather than rejected.
    return new StopSignal(req.location, req.original, req.args.get(0));
  }

  private static Arg parseArg(Request req) throws DockerfileException {
    if (req.args.isEmpty()) {
      throw atLeastOne("ARG");
    }
    // BuildKit never parses ARG's flags, so they are ignored rather than rejected.
    List<ArgDefinition> defs = new ArrayList<>();
    for (String arg : req.args) {
      int eq = arg.indexOf('=');
      if (eq < 0) {
        defs.add(new ArgDefinition(arg, Optional.empty()));
      } else {
        if (eq == 0) {
          throw new DockerfileException("ARG names can not be blank");
        }
        defs.add(new ArgDefinition(arg.substring(0, eq), Optional.of(arg.substring(eq + 1))));
      }
    }
    return new Arg(req.location, req.original, defs);
  }

  private static Shell parseShell(Request req) throws DockerfileException {
    req.flags.parse();
    if (req.args.isEmpty()) {
      throw atLeastOne("SHELL");
    }
    if (!req.json()) {
      throw notJson("SHELL", req.node.original());
    }
    return new Shell(req.location, req.original, req.args);
  }

  /** BuildKit's errNotJSON, with its hint for unescaped Windows paths. */
  private static DockerfileException notJson(String command, String original) {
    String lower = original.toLowerCase(Locale.ROOT)
        .replace(command.toLowerCase(Locale.ROOT) + " ", "").toLowerCase(Locale.ROOT);
    String extra = "";
    if (WINDOWS_PATH.matcher(lower).find() && !lower.contains("\\\\") && lower.contains("[")
        && lower.contains("]")) {
      extra = ". It looks like '" + lower + "' includes a file path without an escaped"
          + " back-slash. JSON requires back-slashes to be escaped such as"
          + " [\"c:\\\\path\\\\to\\\\file.exe\", \"/parameter\"]";
    }
    return new DockerfileException(command + " requires the arguments to be in JSON form" + extra);
  }
}
