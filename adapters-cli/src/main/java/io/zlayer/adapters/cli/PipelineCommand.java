package io.zlayer.adapters.cli;

import io.zlayer.adapters.cli.format.TextTable;
import io.zlayer.adapters.cli.progress.ProgressRenderer;
import io.zlayer.application.port.BuildOptions;
import io.zlayer.application.port.RegistryOptions;
import io.zlayer.application.usecase.BuildImage;
import io.zlayer.application.usecase.RunPipeline;
import io.zlayer.application.usecase.RunPipeline.ImageOutcome;
import io.zlayer.domain.error.BuildException;
import io.zlayer.domain.error.UsageException;
import io.zlayer.domain.error.ZlayerException;
import io.zlayer.domain.image.Digest;
import io.zlayer.domain.image.ImageFormat;
import io.zlayer.domain.image.ImageReference;
import io.zlayer.domain.image.LayerCompression;
import io.zlayer.domain.image.Platform;
import io.zlayer.domain.pipeline.PipelineDefaults;
import io.zlayer.domain.pipeline.PipelineImage;
import io.zlayer.domain.pipeline.PipelineParser;
import io.zlayer.domain.pipeline.ZPipeline;
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

/** {@code zlayer pipeline}: build the images of a ZPipeline in dependency order. */
@Command(name = "pipeline", description = {"Build the images of a ZPipeline file in dependency",
    "order: images that depend on nothing first, in parallel, then those that depend on them.",
    "The first failure stops the images not yet started."},
    footer = {"", "The file is -f FILE, else ZPipeline.yaml, ZPipeline.yml, zlayer-pipeline.yaml",
        "or zlayer-pipeline.yml in the current directory. Paths in it are relative to it.",
        "", "Examples:",
        "  zlayer pipeline",
        "  zlayer pipeline -f examples/pipeline/ZPipeline.yaml --dry-run",
        "  zlayer pipeline --set VERSION=1.2.0 --push",
        "  zlayer pipeline --only app --progress plain --backend sandbox"})
final class PipelineCommand implements Callable<Integer> {
  static final List<String> DEFAULT_FILES = List.of("ZPipeline.yaml", "ZPipeline.yml",
      "zlayer-pipeline.yaml", "zlayer-pipeline.yml");

  private final CliContext ctx;

  @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "The pipeline file.")
  Path file;

  @Option(names = "--set", paramLabel = "KEY=VALUE",
      description = "Set a pipeline variable, overriding vars: (repeatable).")
  List<String> sets = new ArrayList<>();

  @Option(names = "--only", paramLabel = "IMAGE[,IMAGE…]", split = ",",
      description = "Build only these images; their dependencies are taken from the local "
          + "store as they are.")
  List<String> only = new ArrayList<>();

  @Option(names = "--push", description = "Push every image's tags once all are built "
      + "(also when the file says push: after_all: true).")
  boolean push;

  @Option(names = "--platform", paramLabel = "OS/ARCH[,…]",
      description = "Build every image for these platforms (overrides defaults.platforms).")
  String platform;

  @Option(names = {"-j", "--jobs"}, paramLabel = "N", defaultValue = "2",
      description = "How many images of a wave build at once (default: ${DEFAULT-VALUE}).")
  int jobs;

  @Option(names = "--no-cache", description = "Run every step of every image.")
  boolean noCache;

  @Option(names = "--pull", arity = "0..1", paramLabel = "always|missing|never",
      fallbackValue = "always", description = "Base image policy (default: missing).")
  String pull;

  @Option(names = "--backend", paramLabel = "sandbox|buildah|auto",
      description = "The build engine (default: $" + BuildCommand.BACKEND_ENV + ", else auto).")
  String backend;

  @Option(names = "--dry-run", description = "Check the pipeline and every build file, print "
      + "the waves, build nothing.")
  boolean dryRun;

  @Mixin
  RegistryFlags registry;

  @Mixin
  ProgressOption progress;

  @Mixin
  HelpOption help;

  PipelineCommand(CliContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public Integer call() throws ZlayerException, InterruptedException {
    if (jobs < 1) {
      throw new UsageException("--jobs must be at least 1, not " + jobs);
    }
    Path pipelineFile = pipelineFile();
    String displayName = file != null ? file.toString() : pipelineFile.getFileName().toString();
    YamlTreeReader.Document doc = YamlTreeReader.read(pipelineFile, displayName);
    ZPipeline pipeline = PipelineParser.parse(doc.tree(), doc.source(), parseSets());
    if (platform != null) {
      List<String> platforms = new ArrayList<>();
      for (Platform p : Platform.parseList(platform)) {
        platforms.add(p.toString());
      }
      PipelineDefaults d = pipeline.defaults();
      pipeline = new ZPipeline(pipeline.version(), pipeline.vars(), new PipelineDefaults(
          d.format(), d.buildArgs(), d.noCache(), d.cacheMounts(), platforms),
          pipeline.images(), pipeline.pushAfterAll());
    }
    if (!only.isEmpty()) {
      pipeline = pipeline.only(only);
    }
    Path baseDir = pipelineFile.toAbsolutePath().normalize().getParent();
    Map<String, RunPipeline.ImageSource> sources = new LinkedHashMap<>();
    List<ImageReference> allTags = new ArrayList<>();
    for (PipelineImage image : pipeline.images()) {
      sources.put(image.name(), source(pipeline, image, baseDir));
      for (String t : image.tags()) {
        allTags.add(ImageReference.parse(t));
      }
    }
    if (dryRun) {
      printPlan(pipeline, sources);
      return 0;
    }
    RegistryOptions registryOptions = registry.options(allTags);
    BuildOptions options = new BuildOptions(noCache, ImageFormat.OCI, LayerCompression.GZIP,
        List.of(), Map.of(), timestamp(), Map.of(), Optional.empty(), registryOptions);
    String chosenBackend = backend != null ? backend
        : ctx.env().getOrDefault(BuildCommand.BACKEND_ENV, "auto");
    RunPipeline.Result result;
    try (ProgressRenderer renderer = ctx.openProgress(progress.mode(ctx.env()),
        "Pipeline " + displayName)) {
      result = ctx.useCases().runPipeline().run(new RunPipeline.Command(pipeline, sources,
          options, chosenBackend, pullPolicy(), push || pipeline.pushAfterAll(), jobs,
          renderer));
    }
    printResult(result);
    Optional<ImageOutcome> failure = result.firstFailure();
    if (failure.isPresent()) {
      ImageOutcome f = failure.get();
      throw new BuildException("pipeline failed: image " + f.name() + ": "
          + f.error().orElse("failed"));
    }
    return 0;
  }

  private Path pipelineFile() throws UsageException {
    if (file != null) {
      if (!Files.isRegularFile(file)) {
        throw new UsageException("pipeline file " + file + " not found");
      }
      return file;
    }
    Path cwd = Path.of("").toAbsolutePath();
    for (String name : DEFAULT_FILES) {
      if (Files.isRegularFile(cwd.resolve(name))) {
        return cwd.resolve(name);
      }
    }
    throw new UsageException("no pipeline file here (" + String.join(", ", DEFAULT_FILES)
        + ")", "name one with -f FILE");
  }

  /** Reads an image's build file: a ZImagefile (converted) or a Dockerfile. */
  private RunPipeline.ImageSource source(ZPipeline pipeline, PipelineImage image, Path baseDir)
      throws ZlayerException {
    Path context = baseDir.resolve(image.context()).normalize();
    if (!Files.isDirectory(context)) {
      throw new UsageException("image " + image.name() + ": context " + image.context()
          + " is not a directory (" + context + ")");
    }
    Path buildFile = baseDir.resolve(image.file()).normalize();
    if (!Files.isRegularFile(buildFile)) {
      throw new UsageException("image " + image.name() + ": build file " + image.file()
          + " not found (" + buildFile + ")");
    }
    String shownAs = displayName(image.file());
    if (image.isZImagefile()) {
      BuildFileReader.BuildFile b = BuildFileReader.zimagefile(ctx, buildFile, shownAs,
          pipeline.cacheMountsFor(image));
      return new RunPipeline.ImageSource(context, b.dockerfile(), b.text(), b.description());
    }
    String text = new String(DockerfileCommand.read(buildFile, ctx.in()),
        StandardCharsets.UTF_8);
    return new RunPipeline.ImageSource(context, buildFile, text, "Dockerfile " + shownAs);
  }

  /** A path of the pipeline file, as the user would write it from where they are. */
  private String displayName(String relative) {
    Path dir = file == null ? null : file.getParent();
    return dir == null ? relative : dir.resolve(relative).normalize().toString();
  }

  private void printPlan(ZPipeline pipeline, Map<String, RunPipeline.ImageSource> sources) {
    List<List<PipelineImage>> waves = pipeline.waves();
    for (int w = 0; w < waves.size(); w++) {
      ctx.out().println("wave " + (w + 1) + ":");
      for (PipelineImage image : waves.get(w)) {
        List<String> platforms = pipeline.platformsFor(image);
        ctx.out().println("  " + image.name() + "  " + sources.get(image.name()).description()
            + (image.tags().isEmpty() ? "" : "  -> " + String.join(", ", image.tags()))
            + (platforms.isEmpty() ? "" : "  [" + String.join(", ", platforms) + "]"));
      }
    }
    if (push || pipeline.pushAfterAll()) {
      ctx.out().println("then push every tag");
    }
  }

  private void printResult(RunPipeline.Result result) {
    TextTable table = new TextTable("IMAGE", "STATUS", "IMAGE ID", "TAGS");
    for (ImageOutcome o : result.images()) {
      String id = o.builds().isEmpty() ? "" : o.builds().get(o.builds().size() - 1).imageId()
          .shortHex();
      String tags = o.builds().isEmpty() ? "" : String.join(", ", o.builds().get(0).tags()
          .stream().map(ImageReference::familiarString).toList());
      table.row(o.name(), o.status().name().toLowerCase(Locale.ROOT), id, tags);
    }
    table.print(ctx.out());
    for (ImageOutcome o : result.images()) {
      for (Map.Entry<ImageReference, Digest> p : o.pushed().entrySet()) {
        ctx.out().println("pushed " + p.getKey().familiarString() + "@" + p.getValue());
      }
    }
  }

  private Map<String, String> parseSets() throws UsageException {
    Map<String, String> out = new LinkedHashMap<>();
    for (String s : sets) {
      int eq = s.indexOf('=');
      if (eq <= 0) {
        throw new UsageException("--set takes KEY=VALUE, not \"" + s + "\"");
      }
      out.put(s.substring(0, eq), s.substring(eq + 1));
    }
    return out;
  }

  private BuildImage.PullPolicy pullPolicy() throws UsageException {
    if (pull == null) {
      return BuildImage.PullPolicy.MISSING;
    }
    switch (pull.toLowerCase(Locale.ROOT)) {
      case "always":
      case "true":
        return BuildImage.PullPolicy.ALWAYS;
      case "missing":
      case "false":
        return BuildImage.PullPolicy.MISSING;
      case "never":
        return BuildImage.PullPolicy.NEVER;
      default:
        throw new UsageException("--pull must be always, missing or never, not \"" + pull
            + "\"");
    }
  }

  private Optional<Instant> timestamp() throws UsageException {
    String epoch = ctx.env().get("SOURCE_DATE_EPOCH");
    if (epoch == null || epoch.isBlank()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Instant.ofEpochSecond(Long.parseLong(epoch.trim())));
    } catch (NumberFormatException e) {
      throw new UsageException("SOURCE_DATE_EPOCH must be a number of seconds, not \"" + epoch
          + "\"");
    }
  }
}
