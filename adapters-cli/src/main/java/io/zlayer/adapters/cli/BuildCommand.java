package io.zlayer.adapters.cli;

import io.zlayer.adapters.cli.progress.BuildSummary;
import io.zlayer.adapters.cli.progress.ProgressRenderer;
import io.zlayer.application.port.BuildOptions;
import io.zlayer.application.port.RegistryOptions;
import io.zlayer.application.port.SecretSource;
import io.zlayer.application.usecase.BuildImage;
import io.zlayer.application.usecase.BuildImage.Output;
import io.zlayer.application.usecase.BuildImage.PullPolicy;
import io.zlayer.domain.error.UsageException;
import io.zlayer.domain.error.ZlayerException;
import io.zlayer.domain.image.Digest;
import io.zlayer.domain.image.ImageFormat;
import io.zlayer.domain.image.ImageReference;
import io.zlayer.domain.image.LayerCompression;
import io.zlayer.domain.image.Platform;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code zlayer build}: flags named as in {@code docker build} and {@code buildah bud}. */
@Command(name = "build", aliases = {"bud"},
    description = "Build an image from a Dockerfile, a ZImagefile or a runtime template and a "
        + "context directory.",
    footer = {"", "The image goes to the local store (see 'zlayer images'); --push also pushes",
        "every tag. The backend is zlayer's own sandbox or buildah ($ZLAYER_BACKEND, default",
        "auto: buildah when a usable one is installed, else the sandbox).",
        "", "Examples:",
        "  zlayer build -t hello examples/hello",
        "  zlayer build -f docker/Dockerfile.prod -t registry.example.com/app:1.0 --push .",
        "  zlayer build --build-arg VERSION=1.2 --target test --progress plain .",
        "  zlayer build --secret id=npmrc,src=$HOME/.npmrc -t app .",
        "  zlayer build --zimagefile ZImagefile.prod -t app .",
        "  zlayer build --runtime node22 -t app ./web",
        "  SOURCE_DATE_EPOCH=0 zlayer build -t app --iidfile app.iid ."})
final class BuildCommand implements Callable<Integer> {
  static final String BACKEND_ENV = "ZLAYER_BACKEND";

  private final CliContext ctx;

  @Parameters(paramLabel = "CONTEXT", description = "The build context directory.")
  Path context;

  @Option(names = {"-f", "--file"}, paramLabel = "FILE",
      description = "The Dockerfile (default: CONTEXT/Dockerfile; '-' reads standard input); "
          + "a ZImagefile when named ZImagefile* or *.yml/*.yaml.")
  Path file;

  @Option(names = "--runtime", paramLabel = "NAME|auto",
      description = "Build with a runtime template instead of a Dockerfile (auto: detect it "
          + "from the project's files; see 'zlayer templates list').")
  String runtime;

  @Option(names = "--zimagefile", paramLabel = "FILE",
      description = "Build from this ZImagefile (YAML). Without --runtime, --zimagefile or -f, "
          + "CONTEXT/ZImagefile is used when present, else CONTEXT/Dockerfile.")
  Path zimagefile;

  @Option(names = {"-t", "--tag"}, paramLabel = "NAME[:TAG]",
      description = "Name the image (repeatable).")
  List<String> tags = new ArrayList<>();

  @Option(names = "--build-arg", paramLabel = "KEY[=VALUE]",
      description = "Set a build argument; without =VALUE it comes from the environment.")
  List<String> buildArgs = new ArrayList<>();

  @Option(names = "--target", paramLabel = "STAGE", description = "Build this stage.")
  String target;

  @Option(names = "--platform", paramLabel = "OS/ARCH[/VARIANT]",
      description = "Build for this platform (default: this host's).")
  String platform;

  @Option(names = "--no-cache", description = "Run every step; do not use the build cache.")
  boolean noCache;

  @Option(names = "--pull", arity = "0..1", paramLabel = "always|missing|never",
      fallbackValue = "always",
      description = "Base image policy: always check the registry (plain --pull), missing "
          + "(default) or never.")
  String pull;

  @Option(names = "--push", description = "Push every tag after the build.")
  boolean push;

  @Option(names = "--format", paramLabel = "oci|docker", defaultValue = "oci",
      description = "Manifest and config format (default: ${DEFAULT-VALUE}).")
  String format;

  @Option(names = "--compression", paramLabel = "gzip|zstd|none", defaultValue = "gzip",
      description = "Layer compression (default: ${DEFAULT-VALUE}; zstd needs --format oci).")
  String compression;

  @Option(names = {"-o", "--output"}, paramLabel = "type=TYPE[,dest=PATH]",
      description = "Also export: type=oci,dest=FILE.tar | type=docker,dest=FILE.tar | "
          + "type=registry (repeatable).")
  List<String> outputs = new ArrayList<>();

  @Option(names = "--secret", paramLabel = "id=ID[,src=FILE|,env=VAR]",
      description = "Expose a secret to RUN --mount=type=secret (repeatable).")
  List<String> secrets = new ArrayList<>();

  @Option(names = "--ssh", paramLabel = "default|ID[=SOCKET]",
      description = "Expose an SSH agent socket to RUN --mount=type=ssh (repeatable).")
  List<String> ssh = new ArrayList<>();

  @Option(names = "--label", paramLabel = "KEY=VALUE",
      description = "Add a label to the image (repeatable).")
  List<String> labels = new ArrayList<>();

  @Option(names = "--iidfile", paramLabel = "FILE", description = "Write the image ID here.")
  Path iidfile;

  @Option(names = "--timestamp", paramLabel = "SECONDS",
      description = "Set every image and layer time to this Unix time (default: "
          + "$SOURCE_DATE_EPOCH when set), for reproducible images.")
  Long timestamp;

  @Option(names = "--backend", paramLabel = "sandbox|buildah|auto",
      description = "The build engine (default: $" + BACKEND_ENV + ", else auto).")
  String backend;

  @Option(names = "--isolation", paramLabel = "chroot|oci|rootless",
      description = "buildah's RUN isolation (buildah backend only).")
  String isolation;

  @Mixin
  RegistryFlags registry;

  @Mixin
  ProgressOption progress;

  @Mixin
  HelpOption help;

  BuildCommand(CliContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public Integer call() throws ZlayerException, InterruptedException {
    Path contextDir = context.toAbsolutePath().normalize();
    if (!Files.isDirectory(contextDir)) {
      throw new UsageException("build context " + context + " is not a directory",
          Files.exists(contextDir) ? "give the directory, and the file with -f" : null);
    }
    BuildFileReader.BuildFile source = BuildFileReader.read(ctx, contextDir, runtime,
        zimagefile, file);
    Path dockerfile = source.dockerfile();
    String text = source.text();
    List<ImageReference> names = new ArrayList<>();
    for (String t : tags) {
      names.add(ImageReference.parse(t));
    }
    List<Output> exports = parseOutputs(outputs);
    if (push && exports.stream().noneMatch(o -> o instanceof Output.Registry)) {
      exports.add(new Output.Registry());
    }
    RegistryOptions registryOptions = registry.options(names);
    BuildOptions options = new BuildOptions(noCache, imageFormat(), layerCompression(),
        parseSecrets(secrets), parseSsh(ssh), timestamp(), parseLabels(labels),
        Optional.ofNullable(isolation), registryOptions);
    Optional<Platform> targetPlatform = platform == null ? Optional.empty()
        : Optional.of(Platform.parse(platform).normalized());
    String chosenBackend = backend != null ? backend
        : ctx.env().getOrDefault(BACKEND_ENV, "auto");
    BuildImage.Result result;
    try (ProgressRenderer renderer = ctx.openProgress(progress.mode(ctx.env()),
        "Building " + (names.isEmpty() ? contextDir.getFileName() : names.get(0)
            .familiarString()))) {
      result = ctx.useCases().buildImage().build(new BuildImage.Command(contextDir, dockerfile,
          text, DockerfileCommand.parseBuildArgs(buildArgs, ctx.env()),
          Optional.ofNullable(target), targetPlatform, names, options, chosenBackend,
          pullPolicy(), exports, renderer));
      renderer.summary(new BuildSummary(result.imageId(), Optional.of(result.manifestDigest()),
          result.tags(), result.size(), result.elapsed(), result.cachedSteps(), result.steps()));
    }
    if (iidfile != null) {
      try {
        Files.writeString(iidfile, result.imageId().toString(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UsageException("cannot write --iidfile " + iidfile + ": " + e.getMessage());
      }
    }
    for (Map.Entry<ImageReference, Digest> p : result.pushed().entrySet()) {
      if (!ctx.quiet()) {
        ctx.out().println("pushed " + p.getKey().familiarString() + "@" + p.getValue());
      }
    }
    ctx.out().println(result.imageId());
    return 0;
  }

  private ImageFormat imageFormat() throws UsageException {
    switch (format.toLowerCase(Locale.ROOT)) {
      case "oci":
        return ImageFormat.OCI;
      case "docker":
        return ImageFormat.DOCKER;
      default:
        throw new UsageException("--format must be oci or docker, not \"" + format + "\"");
    }
  }

  private LayerCompression layerCompression() throws UsageException {
    LayerCompression c;
    switch (compression.toLowerCase(Locale.ROOT)) {
      case "gzip":
        c = LayerCompression.GZIP;
        break;
      case "zstd":
        c = LayerCompression.ZSTD;
        break;
      case "none":
      case "uncompressed":
        c = LayerCompression.NONE;
        break;
      default:
        throw new UsageException("--compression must be gzip, zstd or none, not \""
            + compression + "\"");
    }
    if (c != LayerCompression.GZIP && imageFormat() == ImageFormat.DOCKER) {
      throw new UsageException("--compression " + compression + " needs --format oci",
          "Docker image format layers are always gzip compressed");
    }
    return c;
  }

  private PullPolicy pullPolicy() throws UsageException {
    if (pull == null) {
      return PullPolicy.MISSING;
    }
    switch (pull.toLowerCase(Locale.ROOT)) {
      case "always":
      case "true":
        return PullPolicy.ALWAYS;
      case "missing":
      case "ifmissing":
      case "false":
        return PullPolicy.MISSING;
      case "never":
        return PullPolicy.NEVER;
      default:
        throw new UsageException("--pull must be always, missing or never, not \"" + pull
            + "\"");
    }
  }

  private Optional<Instant> timestamp() throws UsageException {
    if (timestamp != null) {
      return Optional.of(Instant.ofEpochSecond(timestamp));
    }
    String epoch = ctx.env().get("SOURCE_DATE_EPOCH");
    if (epoch == null || epoch.isBlank()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Instant.ofEpochSecond(Long.parseLong(epoch.trim())));
    } catch (NumberFormatException e) {
      throw new UsageException("SOURCE_DATE_EPOCH must be a number of seconds, not \""
          + epoch + "\"");
    }
  }

  static List<Output> parseOutputs(List<String> values) throws UsageException {
    List<Output> out = new ArrayList<>();
    for (String v : values) {
      Map<String, String> kv = csv(v, "--output");
      String type = kv.getOrDefault("type", "");
      String dest = kv.get("dest");
      switch (type) {
        case "registry":
          out.add(new Output.Registry());
          break;
        case "oci":
        case "docker":
          if (dest == null || dest.isEmpty()) {
            throw new UsageException("--output type=" + type + " needs dest=FILE");
          }
          out.add(type.equals("oci") ? new Output.OciArchive(Path.of(dest))
              : new Output.DockerArchive(Path.of(dest)));
          break;
        default:
          throw new UsageException("--output type must be oci, docker or registry, not \""
              + type + "\"");
      }
    }
    return out;
  }

  private List<SecretSource> parseSecrets(List<String> values) throws UsageException {
    List<SecretSource> out = new ArrayList<>();
    for (String v : values) {
      Map<String, String> kv = csv(v, "--secret");
      String id = kv.get("id");
      if (id == null || id.isEmpty()) {
        throw new UsageException("--secret needs id=ID");
      }
      String src = kv.containsKey("src") ? kv.get("src") : kv.get("source");
      String env = kv.get("env");
      if (src != null && env != null) {
        throw new UsageException("--secret id=" + id + ": give src= or env=, not both");
      }
      if (env == null && src == null) {
        if (ctx.env().containsKey(id)) {
          env = id;
        } else {
          throw new UsageException("--secret id=" + id + " needs src=FILE or env=VAR");
        }
      }
      if (env != null) {
        String value = ctx.env().get(env);
        if (value == null) {
          throw new UsageException("--secret id=" + id + ": environment variable " + env
              + " is not set");
        }
        out.add(new SecretSource.FromEnvironment(id, env, value));
      } else {
        Path p = Path.of(src);
        if (!Files.isRegularFile(p)) {
          throw new UsageException("--secret id=" + id + ": " + src + " is not a file");
        }
        out.add(new SecretSource.FromFile(id, p.toAbsolutePath()));
      }
    }
    return out;
  }

  private Map<String, String> parseSsh(List<String> values) throws UsageException {
    Map<String, String> out = new LinkedHashMap<>();
    for (String v : values) {
      int eq = v.indexOf('=');
      String id = eq < 0 ? v : v.substring(0, eq);
      String socket = eq < 0 ? ctx.env().get("SSH_AUTH_SOCK") : v.substring(eq + 1);
      if (socket == null || socket.isEmpty()) {
        throw new UsageException("--ssh " + id + ": no socket given and SSH_AUTH_SOCK is not set");
      }
      out.put(id, socket);
    }
    return out;
  }

  private static Map<String, String> parseLabels(List<String> values) throws UsageException {
    Map<String, String> out = new LinkedHashMap<>();
    for (String v : values) {
      int eq = v.indexOf('=');
      if (eq <= 0) {
        throw new UsageException("--label must be KEY=VALUE, not \"" + v + "\"");
      }
      out.put(v.substring(0, eq), v.substring(eq + 1));
    }
    return out;
  }

  private static Map<String, String> csv(String value, String flag) throws UsageException {
    Map<String, String> kv = new LinkedHashMap<>();
    for (String part : value.split(",")) {
      int eq = part.indexOf('=');
      if (eq <= 0) {
        throw new UsageException(flag + " takes key=value pairs separated by commas, not \""
            + part + "\"");
      }
      kv.put(part.substring(0, eq).trim().toLowerCase(Locale.ROOT), part.substring(eq + 1));
    }
    return kv;
  }
}
