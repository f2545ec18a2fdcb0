package io.zlayer.adapters.buildah;

import io.zlayer.adapters.buildah.ProcessRunner.Invocation;
import io.zlayer.adapters.buildah.ProcessRunner.OutputSink;
import io.zlayer.adapters.buildah.ProcessRunner.Result;
import io.zlayer.domain.image.ImageFormat;
import io.zlayer.domain.image.LayerCompression;
import io.zlayer.domain.image.Platform;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The buildah commands the backend uses, one method each, run through a {@link ProcessRunner}.
 * Every command gets explicit flags so that nothing depends on buildah's own defaults (proxy
 * variables, identity label, pull policy).
 */
final class BuildahCli {
  private final ProcessRunner runner;
  private final String binary;
  private final Map<String, String> environment;

  BuildahCli(ProcessRunner runner, Path binary, Map<String, String> environment) {
    this.runner = runner;
    this.binary = binary.toString();
    this.environment = Map.copyOf(environment);
  }

  /** {@code buildah pull} of the single image in an OCI layout; returns the image ID. */
  String pull(Path layout) throws CommandFailure, InterruptedException {
    return lastLine("pull", call("pull", List.of("pull", "--quiet", "--policy", "always",
        "oci:" + layout), OutputSink.NONE, true, Optional.empty()));
  }

  /**
   * {@code buildah from}: a working container named {@code name} from an image ID, or from
   * {@code scratch} for the platform given.
   */
  String from(String image, String name, ImageFormat format, Optional<Platform> platform)
      throws CommandFailure, InterruptedException {
    List<String> args = new ArrayList<>(List.of("from", "--quiet", "--pull=never",
        "--http-proxy=false", "--format", formatName(format), "--name", name));
    platform.ifPresent(p -> {
      args.add("--platform");
      args.add(platformSpec(p));
    });
    args.add(image);
    return lastLine("from", call("from", args, OutputSink.NONE, true, Optional.empty()));
  }

  /** {@code buildah run OPTIONS CONTAINER -- ARGV}, output streamed to {@code sink}. */
  void run(String container, List<String> options, List<String> argv, OutputSink sink)
      throws CommandFailure, InterruptedException {
    List<String> args = new ArrayList<>();
    args.add("run");
    args.addAll(options);
    args.add(container);
    args.add("--");
    args.addAll(argv);
    call("run", args, sink, false, Optional.empty());
  }

  /** {@code buildah copy} or {@code buildah add}, run in {@code workingDir}. */
  void copy(boolean add, String container, List<String> options, List<String> sources,
      String destination, Path workingDir, OutputSink sink)
      throws CommandFailure, InterruptedException {
    String sub = add ? "add" : "copy";
    List<String> args = new ArrayList<>();
    args.add(sub);
    args.add("--quiet");
    args.addAll(options);
    args.add(container);
    args.addAll(sources);
    args.add(destination);
    call(sub, args, sink, false, Optional.of(workingDir));
  }

  void config(String container, List<String> flags) throws CommandFailure, InterruptedException {
    List<String> args = new ArrayList<>();
    args.add("config");
    args.addAll(flags);
    args.add(container);
    call("config", args, OutputSink.NONE, false, Optional.empty());
  }

  /** {@code buildah commit} into an unnamed image; returns its ID. */
  String commit(String container, ImageFormat format, Optional<Instant> timestamp)
      throws CommandFailure, InterruptedException {
    List<String> args = new ArrayList<>(List.of("commit", "--quiet", "--identity-label=false",
        "--format", formatName(format)));
    timestamp.ifPresent(t -> {
      args.add("--timestamp");
      args.add(Long.toString(t.getEpochSecond()));
    });
    args.add(container);
    return lastLine("commit", call("commit", args, OutputSink.NONE, true, Optional.empty()));
  }

  /** {@code buildah push IMAGE oci:DIR} with the layer compression asked for. */
  void push(String image, Path layout, LayerCompression compression)
      throws CommandFailure, InterruptedException {
    List<String> args = new ArrayList<>(List.of("push", "--quiet"));
    if (compression == LayerCompression.NONE) {
      args.add("--disable-compression");
    } else {
      args.add("--compression-format");
      args.add(compression == LayerCompression.ZSTD ? "zstd" : "gzip");
    }
    args.add(image);
    args.add("oci:" + layout);
    call("push", args, OutputSink.NONE, false, Optional.empty());
  }

  /** {@code buildah mount}: the container's root filesystem on the host (root only). */
  Path mount(String container) throws CommandFailure, InterruptedException {
    return Path.of(lastLine("mount", call("mount", List.of("mount", container), OutputSink.NONE,
        true, Optional.empty())));
  }

  void tag(String image, List<String> names) throws CommandFailure, InterruptedException {
    List<String> args = new ArrayList<>(List.of("tag", image));
    args.addAll(names);
    call("tag", args, OutputSink.NONE, false, Optional.empty());
  }

  void rm(String container) throws CommandFailure, InterruptedException {
    call("rm", List.of("rm", container), OutputSink.NONE, false, Optional.empty());
  }

  /** Removes an image, or only the name when the image has other names. */
  void rmi(String imageOrName) throws CommandFailure, InterruptedException {
    call("rmi", List.of("rmi", imageOrName), OutputSink.NONE, false, Optional.empty());
  }

  /** The raw output of {@code buildah version --json}, else of {@code buildah --version}. */
  String version() throws CommandFailure, InterruptedException {
    try {
      return call("version", List.of("version", "--json"), OutputSink.NONE, true,
          Optional.empty());
    } catch (CommandFailure e) {
      if (e.exitCode() < 0) {
        throw e;
      }
      return call("version", List.of("--version"), OutputSink.NONE, true, Optional.empty());
    }
  }

  static String formatName(ImageFormat format) {
    return format == ImageFormat.DOCKER ? "docker" : "oci";
  }

  static String platformSpec(Platform p) {
    return p.os() + "/" + p.architecture() + p.variant().map(v -> "/" + v).orElse("");
  }

  private String call(String subcommand, List<String> args, OutputSink sink, boolean capture,
      Optional<Path> dir) throws CommandFailure, InterruptedException {
    List<String> argv = new ArrayList<>(args.size() + 1);
    argv.add(binary);
    argv.addAll(args);
    Result result;
    try {
      result = runner.run(new Invocation(argv, environment, dir, capture), sink);
    } catch (IOException e) {
      throw new CommandFailure(subcommand, e);
    }
    if (result.exitCode() != 0) {
      throw new CommandFailure(subcommand, result.exitCode(), result.stderrTail());
    }
    return result.stdout();
  }

  private static String lastLine(String subcommand, String stdout) throws CommandFailure {
    String[] lines = stdout.strip().split("\n");
    String last = lines[lines.length - 1].strip();
    if (last.isEmpty()) {
      throw new CommandFailure(subcommand, 0, List.of("buildah " + subcommand
          + " printed no ID"));
    }
    return last;
  }
}
