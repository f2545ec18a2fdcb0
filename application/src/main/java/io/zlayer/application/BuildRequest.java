package io.zlayer.application;

import io.zlayer.application.event.BuildEventSink;
import io.zlayer.application.port.BuildOptions;
import io.zlayer.application.port.RegistryOptions;
import io.zlayer.application.usecase.BuildImage;
import io.zlayer.application.usecase.BuildImage.Output;
import io.zlayer.application.usecase.BuildImage.PullPolicy;
import io.zlayer.domain.error.UsageException;
import io.zlayer.domain.error.ZlayerException;
import io.zlayer.domain.image.ImageFormat;
import io.zlayer.domain.image.ImageReference;
import io.zlayer.domain.image.Platform;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One build, set up step by step like {@code zlayer build}'s flags and run with {@link #run()}.
 * Names and platforms are checked when the build runs, so a bad one is a {@link ZlayerException}
 * from {@link #run()}. Not thread-safe; make one per build.
 */
public final class BuildRequest {
  private final BuildImage buildImage;
  private final Path contextDir;
  private Optional<Path> dockerfile = Optional.empty();
  private Optional<String> dockerfileText = Optional.empty();
  private final List<String> tags = new ArrayList<>();
  private final Map<String, String> buildArgs = new LinkedHashMap<>();
  private Optional<String> target = Optional.empty();
  private Optional<String> platform = Optional.empty();
  private BuildOptions options;
  private String backend = "auto";
  private PullPolicy pull = PullPolicy.MISSING;
  private final List<Output> outputs = new ArrayList<>();
  private BuildEventSink listener = BuildEventSink.NONE;

  BuildRequest(BuildImage buildImage, Path contextDir, RegistryOptions registryOptions) {
    this.buildImage = buildImage;
    this.contextDir = Objects.requireNonNull(contextDir, "contextDir");
    this.options = new BuildOptions(false, ImageFormat.OCI,
        BuildOptions.defaults().compression(), List.of(), Map.of(), Optional.empty(), Map.of(),
        Optional.empty(), registryOptions);
  }

  /** The Dockerfile to read ({@code -f}); the context's {@code Dockerfile} when not given. */
  public BuildRequest dockerfile(Path file) {
    this.dockerfile = Optional.of(file);
    return this;
  }

  /**
   * The Dockerfile's content, instead of reading a file. The {@link #dockerfile} path, if set,
   * still names it in messages and finds its {@code .dockerignore}.
   */
  public BuildRequest dockerfileText(String text) {
    this.dockerfileText = Optional.of(text);
    return this;
  }

  /** A name for the image ({@code -t}); repeatable. */
  public BuildRequest tag(String name) {
    tags.add(Objects.requireNonNull(name, "name"));
    return this;
  }

  /** {@code --build-arg NAME=VALUE}; repeatable. */
  public BuildRequest buildArg(String name, String value) {
    buildArgs.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
    return this;
  }

  /** {@code --target}: the stage whose result is the image. */
  public BuildRequest target(String stage) {
    this.target = Optional.of(stage);
    return this;
  }

  /** {@code --platform os/arch[/variant]}; the host's when not given. */
  public BuildRequest platform(String specifier) {
    this.platform = Optional.of(specifier);
    return this;
  }

  /** {@code --no-cache}: run every step. */
  public BuildRequest noCache(boolean noCache) {
    BuildOptions o = options;
    this.options = new BuildOptions(noCache, o.format(), o.compression(), o.secrets(),
        o.sshAgents(), o.timestamp(), o.labels(), o.isolation(), o.registryOptions());
    return this;
  }

  /**
   * Every other option at once (format, compression, secrets, labels, timestamp, registry
   * options); replaces what {@link #noCache} set. Tags still come from {@link #tag}.
   */
  public BuildRequest options(BuildOptions buildOptions) {
    this.options = buildOptions.withTags(List.of());
    return this;
  }

  /** The build engine by name ({@code sandbox}, {@code buildah}, a host's own), or {@code auto}. */
  public BuildRequest backend(String name) {
    this.backend = Objects.requireNonNull(name, "name");
    return this;
  }

  /** When base images are fetched ({@code --pull}); {@link PullPolicy#MISSING} by default. */
  public BuildRequest pull(PullPolicy policy) {
    this.pull = Objects.requireNonNull(policy, "policy");
    return this;
  }

  /** Push every tag once built ({@code --push}). */
  public BuildRequest push() {
    outputs.add(new Output.Registry());
    return this;
  }

  /** Also write the image to an archive file ({@code --output type=oci|docker,dest=FILE}). */
  public BuildRequest output(Output output) {
    outputs.add(Objects.requireNonNull(output, "output"));
    return this;
  }

  /** Where the build's progress goes; called from several threads, so it must be thread-safe. */
  public BuildRequest listener(BuildEventSink sink) {
    this.listener = Objects.requireNonNull(sink, "sink");
    return this;
  }

  /** Builds; on return the image is in the store under its tags (and pushed when asked). */
  public BuildImage.Result run() throws ZlayerException, InterruptedException {
    return buildImage.build(command());
  }

  /** The use-case command this request amounts to. */
  public BuildImage.Command command() throws ZlayerException {
    Path file = dockerfile.orElse(contextDir.resolve("Dockerfile"));
    String text = dockerfileText.isPresent() ? dockerfileText.get() : read(file);
    List<ImageReference> names = new ArrayList<>();
    for (String t : tags) {
      names.add(ImageReference.parse(t));
    }
    Optional<Platform> targetPlatform = platform.isPresent()
        ? Optional.of(Platform.parse(platform.get())) : Optional.empty();
    return new BuildImage.Command(contextDir, file, text, buildArgs, target, targetPlatform,
        names, options, backend, pull, outputs, listener);
  }

  private static String read(Path file) throws UsageException {
    if (!Files.isRegularFile(file)) {
      throw new UsageException("Dockerfile not found: " + file,
          "give its path with dockerfile(...) or its content with dockerfileText(...)");
    }
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException | java.io.UncheckedIOException e) {
      throw new UsageException("cannot read Dockerfile " + file + ": " + e.getMessage());
    }
  }
}
