package io.zlayer.adapters.buildah;

import io.zlayer.application.port.BuildEngine;
import io.zlayer.application.port.BuildJob;
import io.zlayer.application.port.BuiltImage;
import io.zlayer.application.port.EngineAvailability;
import io.zlayer.application.port.ImageStore;
import io.zlayer.domain.error.BuildException;
import io.zlayer.domain.error.UsageException;
import io.zlayer.domain.error.ZlayerException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * The {@code buildah} backend: zlayer's front end plans and evaluates the Dockerfile, buildah
 * does the filesystem work ({@code from}, {@code run}, {@code copy}/{@code add}, {@code commit}),
 * and the result goes into zlayer's image store (and, under the build's tags, into buildah's
 * storage). It keeps no layer cache of its own: every step runs on every build. See {@code
 * docs/buildah-backend.md}.
 */
public final class BuildahBuildEngine implements BuildEngine {
  static final String INSTALL_HINT = "install buildah " + BuildahVersion.MINIMUM.major() + "."
      + BuildahVersion.MINIMUM.minor() + " or newer: apt-get install buildah (Debian/Ubuntu),"
      + " dnf install buildah (Fedora/RHEL), pacman -S buildah (Arch); on macOS buildah needs"
      + " Linux: use podman machine or a Linux VM; or build with --backend sandbox";

  private final ImageStore store;
  private final BuildahSettings settings;
  private final ProcessRunner runner;
  private final String osName;
  private volatile Detected detected;

  private record Detected(EngineAvailability availability, Optional<Path> binary) {}

  public BuildahBuildEngine(ImageStore store, BuildahSettings settings, ProcessRunner runner) {
    this(store, settings, runner, System.getProperty("os.name", ""));
  }

  BuildahBuildEngine(ImageStore store, BuildahSettings settings, ProcessRunner runner,
      String osName) {
    this.store = store;
    this.settings = settings;
    this.runner = runner;
    this.osName = osName;
  }

  @Override
  public String name() {
    return "buildah";
  }

  @Override
  public EngineAvailability availability() {
    return detect().availability();
  }

  @Override
  public BuiltImage build(BuildJob job) throws ZlayerException, InterruptedException {
    Detected d = detect();
    if (!d.availability().usable()) {
      throw new UsageException("the buildah backend cannot run here: "
          + d.availability().detail(), d.availability().installHint().orElse(null));
    }
    BuildahCli cli = new BuildahCli(runner, d.binary().orElseThrow(), settings.environment());
    BuildWorkspace workspace;
    try {
      workspace = BuildWorkspace.create(settings.workRoot());
    } catch (IOException e) {
      throw new BuildException("cannot create a temporary directory under "
          + settings.workRoot() + ": " + e.getMessage(), e);
    }
    try (workspace; BuildahBuild build = new BuildahBuild(job, store, cli, settings, workspace)) {
      return build.run();
    }
  }

  private Detected detect() {
    Detected d = detected;
    if (d == null) {
      d = probe();
      if (d.availability().usable()) {
        detected = d;
      }
    }
    return d;
  }

  private Detected probe() {
    if (!osName.toLowerCase(Locale.ROOT).startsWith("linux")) {
      return new Detected(EngineAvailability.unusable("buildah needs Linux (this is " + osName
          + ")", INSTALL_HINT), Optional.empty());
    }
    Optional<Path> binary = locate();
    if (binary.isEmpty()) {
      String detail = settings.binary().map(p -> "ZLAYER_BUILDAH=" + p
          + " is not an executable file").orElse("buildah not found on PATH");
      return new Detected(EngineAvailability.unusable(detail, INSTALL_HINT), Optional.empty());
    }
    BuildahCli cli = new BuildahCli(runner, binary.get(), settings.environment());
    String output;
    try {
      output = cli.version();
    } catch (CommandFailure e) {
      return new Detected(EngineAvailability.unusable(binary.get() + " does not work: "
          + e.reason(), INSTALL_HINT), binary);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Detected(EngineAvailability.unusable("interrupted while checking "
          + binary.get(), INSTALL_HINT), binary);
    }
    Optional<BuildahVersion> version = BuildahVersion.parse(output);
    if (version.isEmpty()) {
      return new Detected(EngineAvailability.unusable("cannot tell the version of "
          + binary.get(), INSTALL_HINT), binary);
    }
    if (!version.get().isSupported()) {
      return new Detected(EngineAvailability.unusable("buildah " + version.get() + " at "
          + binary.get() + " is too old (" + BuildahVersion.MINIMUM + " or newer is needed)",
          INSTALL_HINT), binary);
    }
    return new Detected(EngineAvailability.usable("buildah " + version.get() + " ("
        + binary.get() + ")"), binary);
  }

  private Optional<Path> locate() {
    if (settings.binary().isPresent()) {
      Path p = settings.binary().get();
      return Files.isRegularFile(p) && Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
    }
    for (String dir : settings.searchPath().split(":")) {
      if (dir.isEmpty()) {
        continue;
      }
      Path p = Path.of(dir, "buildah");
      if (Files.isRegularFile(p) && Files.isExecutable(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }
}
