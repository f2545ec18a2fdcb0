package io.zlayer.application.usecase;

import io.zlayer.domain.error.ZlayerException;
import io.zlayer.domain.template.RuntimeTemplate;
import io.zlayer.domain.zimage.CacheMount;
import io.zlayer.domain.zimage.YamlSource;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Turns what a user gives {@code zlayer build} (a runtime template, a ZImagefile, a Dockerfile)
 * into the Dockerfile text a build runs. The caller reads the files: {@link #choose} says which
 * one, {@link #resolve} takes its content.
 */
public interface ResolveBuildSource {
  /**
   * The build file to use, in zlayer's order: {@code --runtime}, then {@code --zimagefile}, then
   * {@code -f} (a ZImagefile when its name says so: {@code ZImagefile*}, {@code *.yml}, {@code
   * *.yaml}), then a {@code ZImagefile} in the context, then the context's {@code Dockerfile}.
   */
  Choice choose(Candidates candidates) throws ZlayerException;

  ResolvedSource resolve(Source source) throws ZlayerException;

  /**
   * What the user gave and what the context holds.
   *
   * @param runtime {@code --runtime NAME} (already detected when the user asked for auto)
   * @param file {@code -f FILE}; {@code -} for standard input
   */
  record Candidates(Optional<String> runtime, Optional<Path> zimagefile, Optional<Path> file,
      Path contextDir, boolean contextHasZImagefile, boolean contextHasDockerfile) {}

  /** Which build file to read. */
  sealed interface Choice {
    record Template(RuntimeTemplate template) implements Choice {}

    record ZImagefileAt(Path path) implements Choice {}

    /** A Dockerfile; {@code -} means standard input. */
    record DockerfileAt(Path path) implements Choice {}
  }

  /** The chosen build file's content. */
  sealed interface Source {
    record Template(String name) implements Source {}

    /**
     * A ZImagefile read as a YAML tree.
     *
     * @param defaultCacheMounts cache mounts added to every run step (a pipeline's)
     */
    record ZImagefile(Object tree, YamlSource source, List<CacheMount> defaultCacheMounts)
        implements Source {
      public ZImagefile {
        defaultCacheMounts = List.copyOf(defaultCacheMounts);
      }
    }

    record Dockerfile(String text, String fileName) implements Source {}
  }

  /**
   * @param dockerfileText what the build runs
   * @param fileName the name build errors give it: {@code Dockerfile}, {@code
   *     ZImagefile.Dockerfile} (the generated one), {@code node22.Dockerfile}
   * @param description what it came from, for the user: {@code ZImagefile app/ZImagefile},
   *     {@code runtime template node22}
   */
  record ResolvedSource(String dockerfileText, String fileName, String description) {}
}
