package io.zlayer.application;

import io.zlayer.application.event.BuildEventSink;
import io.zlayer.application.port.BuildOptions;
import io.zlayer.application.port.RegistryOptions;
import io.zlayer.application.usecase.BuildImage.PullPolicy;
import io.zlayer.application.usecase.RunPipeline;
import io.zlayer.application.usecase.RunPipeline.ImageSource;
import io.zlayer.domain.error.UsageException;
import io.zlayer.domain.error.ZlayerException;
import io.zlayer.domain.image.ImageFormat;
import io.zlayer.domain.pipeline.PipelineImage;
import io.zlayer.domain.pipeline.ZPipeline;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One run of a {@link ZPipeline}, set up like {@code zlayer pipeline}'s flags and run with
 * {@link #run()}. Images with a Dockerfile are read from the pipeline's directory. A ZImagefile
 * is YAML, which this module does not parse: the host converts it (with {@link
 * Zlayer#resolveBuildSource()}) and hands the result to {@link #source}. Not thread-safe.
 */
public final class PipelineRequest {
  private final RunPipeline runPipeline;
  private final ZPipeline pipeline;
  private final Path baseDir;
  private final Map<String, ImageSource> sources = new LinkedHashMap<>();
  private boolean noCache;
  private final RegistryOptions registryOptions;
  private String backend = "auto";
  private PullPolicy pull = PullPolicy.MISSING;
  private Optional<Boolean> push = Optional.empty();
  private int parallelism = 2;
  private BuildEventSink listener = BuildEventSink.NONE;

  PipelineRequest(RunPipeline runPipeline, ZPipeline pipeline, Path baseDir,
      RegistryOptions registryOptions) {
    this.runPipeline = runPipeline;
    this.pipeline = Objects.requireNonNull(pipeline, "pipeline");
    this.baseDir = Objects.requireNonNull(baseDir, "baseDir");
    this.registryOptions = registryOptions;
  }

  /** An image's build file, read and resolved by the host (needed for ZImagefiles). */
  public PipelineRequest source(String image, ImageSource source) {
    sources.put(Objects.requireNonNull(image, "image"), Objects.requireNonNull(source, "source"));
    return this;
  }

  /** {@code --no-cache} for every image (an image's own {@code no_cache} still applies). */
  public PipelineRequest noCache(boolean noCache) {
    this.noCache = noCache;
    return this;
  }

  public PipelineRequest backend(String name) {
    this.backend = Objects.requireNonNull(name, "name");
    return this;
  }

  public PipelineRequest pull(PullPolicy policy) {
    this.pull = Objects.requireNonNull(policy, "policy");
    return this;
  }

  /** Push every tag once all images are built; the pipeline's {@code push.after_all} if unset. */
  public PipelineRequest push(boolean push) {
    this.push = Optional.of(push);
    return this;
  }

  /** How many images of a wave build at once; 2 by default. */
  public PipelineRequest parallelism(int images) {
    this.parallelism = images;
    return this;
  }

  public PipelineRequest listener(BuildEventSink sink) {
    this.listener = Objects.requireNonNull(sink, "sink");
    return this;
  }

  /**
   * Runs the pipeline. Build and push failures are in the result ({@link
   * RunPipeline.Result#firstFailure()}); a pipeline that cannot start is an exception.
   */
  public RunPipeline.Result run() throws ZlayerException, InterruptedException {
    if (parallelism < 1) {
      throw new UsageException("parallelism must be at least 1, not " + parallelism);
    }
    Map<String, ImageSource> all = new LinkedHashMap<>();
    for (PipelineImage image : pipeline.images()) {
      ImageSource given = sources.get(image.name());
      all.put(image.name(), given != null ? given : read(image));
    }
    BuildOptions options = new BuildOptions(noCache, ImageFormat.OCI,
        BuildOptions.defaults().compression(), List.of(), Map.of(), Optional.empty(), Map.of(),
        Optional.empty(), registryOptions);
    return runPipeline.run(new RunPipeline.Command(pipeline, all, options, backend, pull,
        push.orElse(pipeline.pushAfterAll()), parallelism, listener));
  }

  private ImageSource read(PipelineImage image) throws UsageException {
    Path context = baseDir.resolve(image.context()).normalize();
    if (!Files.isDirectory(context)) {
      throw new UsageException("image " + image.name() + ": context " + image.context()
          + " is not a directory (" + context + ")");
    }
    Path file = baseDir.resolve(image.file()).normalize();
    if (image.isZImagefile()) {
      throw new UsageException("image " + image.name() + ": " + image.file()
          + " is a ZImagefile, which needs a YAML reader",
          "convert it with resolveBuildSource() and give it with source(\"" + image.name()
              + "\", ...)");
    }
    if (!Files.isRegularFile(file)) {
      throw new UsageException("image " + image.name() + ": build file " + image.file()
          + " not found (" + file + ")");
    }
    try {
      return new ImageSource(context, file, Files.readString(file, StandardCharsets.UTF_8),
          "Dockerfile " + image.file());
    } catch (IOException | java.io.UncheckedIOException e) {
      throw new UsageException("image " + image.name() + ": cannot read " + file + ": "
          + e.getMessage());
    }
  }
}
