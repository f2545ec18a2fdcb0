package io.zlayer.adapters.cli;

import io.zlayer.application.usecase.ResolveBuildSource;
import io.zlayer.application.usecase.ResolveBuildSource.Candidates;
import io.zlayer.application.usecase.ResolveBuildSource.Choice;
import io.zlayer.application.usecase.ResolveBuildSource.ResolvedSource;
import io.zlayer.application.usecase.ResolveBuildSource.Source;
import io.zlayer.domain.error.UsageException;
import io.zlayer.domain.error.ZlayerException;
import io.zlayer.domain.template.RuntimeTemplates;
import io.zlayer.domain.template.TemplateDetector;
import io.zlayer.domain.zimage.CacheMount;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Reads the build file a build uses (a runtime template, a ZImagefile or a Dockerfile), in the
 * order {@link ResolveBuildSource#choose} gives, and resolves it to Dockerfile text.
 */
final class BuildFileReader {
  /** Files above this size are not read for runtime detection. */
  private static final long DETECTION_READ_LIMIT = 1 << 20;

  /**
   * What a build runs.
   *
   * @param dockerfile the path builds report and find the ignore file beside (for a ZImagefile
   *     or template: the generated Dockerfile's name in that directory)
   */
  record BuildFile(Path dockerfile, String text, String description) {}

  private BuildFileReader() {}

  /**
   * @param runtime {@code --runtime} ({@code auto} detects one), or null
   * @param zimagefile {@code --zimagefile}, or null
   * @param file {@code -f}, or null
   */
  static BuildFile read(CliContext ctx, Path contextDir, String runtime, Path zimagefile,
      Path file) throws ZlayerException {
    ResolveBuildSource resolver = ctx.useCases().resolveBuildSource();
    Optional<String> template = Optional.ofNullable(runtime);
    if (template.isPresent() && template.get().equalsIgnoreCase("auto")) {
      TemplateDetector.Detection d = detect(contextDir).orElseThrow(() -> new UsageException(
          "no runtime template matches " + contextDir, "name one with --runtime NAME ("
              + String.join(", ", RuntimeTemplates.names()) + ")"));
      template = Optional.of(d.template().name());
      if (!ctx.quiet()) {
        ctx.err().println("using runtime template " + d.template().name() + " (" + d.reason()
            + ")");
      }
    }
    Choice choice = resolver.choose(new Candidates(template, Optional.ofNullable(zimagefile),
        Optional.ofNullable(file), contextDir,
        Files.isRegularFile(contextDir.resolve("ZImagefile")),
        Files.isRegularFile(contextDir.resolve("Dockerfile"))));
    if (choice instanceof Choice.Template t) {
      ResolvedSource r = resolver.resolve(new Source.Template(t.template().name()));
      return new BuildFile(contextDir.resolve(r.fileName()), r.dockerfileText(),
          r.description());
    }
    if (choice instanceof Choice.ZImagefileAt z) {
      return zimagefile(ctx, z.path(), display(z.path(), contextDir, zimagefile, file),
          List.of());
    }
    Path path = ((Choice.DockerfileAt) choice).path();
    boolean stdin = path.toString().equals("-");
    Path dockerfile = stdin ? contextDir.resolve("Dockerfile") : path.toAbsolutePath()
        .normalize();
    if (!stdin && !Files.exists(dockerfile)) {
      throw new UsageException("Dockerfile not found: " + dockerfile,
          file == null ? "name it with -f FILE" : null);
    }
    String text = new String(DockerfileCommand.read(stdin ? path : dockerfile, ctx.in()),
        StandardCharsets.UTF_8);
    return new BuildFile(dockerfile, text, "Dockerfile " + (stdin ? "from standard input"
        : path));
  }

  /** A ZImagefile, read and converted; {@code defaultCacheMounts} join every run step. */
  static BuildFile zimagefile(CliContext ctx, Path path, String displayName,
      List<CacheMount> defaultCacheMounts) throws ZlayerException {
    if (Files.isDirectory(path)) {
      throw new UsageException(displayName + " is a directory, not a ZImagefile");
    }
    YamlTreeReader.Document doc = YamlTreeReader.read(path, displayName);
    ResolvedSource r = ctx.useCases().resolveBuildSource().resolve(
        new Source.ZImagefile(doc.tree(), doc.source(), defaultCacheMounts));
    Path dir = path.toAbsolutePath().normalize().getParent();
    return new BuildFile(dir.resolve(r.fileName()), r.dockerfileText(), r.description());
  }

  /** The name a chosen ZImagefile goes by in messages: as the user wrote it. */
  private static String display(Path chosen, Path contextDir, Path zimagefile, Path file) {
    if (chosen.equals(zimagefile) || chosen.equals(file)) {
      return chosen.toString();
    }
    Path cwd = Path.of("").toAbsolutePath();
    return chosen.startsWith(cwd) && !chosen.equals(cwd) ? cwd.relativize(chosen).toString()
        : chosen.toString();
  }

  /** The runtime template for a project directory. */
  static Optional<TemplateDetector.Detection> detect(Path dir) {
    return TemplateDetector.detect(name -> Files.isRegularFile(dir.resolve(name)), name -> {
      Path p = dir.resolve(name);
      try {
        if (!Files.isRegularFile(p) || Files.size(p) > DETECTION_READ_LIMIT) {
          return Optional.empty();
        }
        return Optional.of(Files.readString(p, StandardCharsets.UTF_8));
      } catch (IOException | java.io.UncheckedIOException e) {
        return Optional.empty();
      }
    });
  }
}
