package io.zlayer.application.usecase;

import io.zlayer.application.event.BuildEventSink;
import io.zlayer.application.port.BuildOptions;
import io.zlayer.domain.error.ZlayerException;
import io.zlayer.domain.image.Digest;
import io.zlayer.domain.image.ImageReference;
import io.zlayer.domain.pipeline.ZPipeline;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code zlayer pipeline}: builds a ZPipeline's images wave by wave through {@link BuildImage}
 * (the images of a wave in parallel, at most {@code parallelism} at a time), stops after the
 * wave in which an image fails, and pushes every image's tags once all are built when asked.
 */
public interface RunPipeline {
  /**
   * Runs the pipeline. Build and push failures are reported in the result (the run goes on
   * only as far as described above); a pipeline that cannot start (an image without a build
   * file, a bad tag) is an exception.
   */
  Result run(Command command) throws ZlayerException, InterruptedException;

  /**
   * One image's build file, read and resolved by the caller.
   *
   * @param dockerfile the path builds report and ignore files are found beside
   */
  record ImageSource(Path contextDir, Path dockerfile, String dockerfileText,
      String description) {}

  /**
   * @param sources every image's build file, by image name
   * @param options the base options; an image's {@code no_cache} and {@code format} apply on top
   * @param push push the tags once every image is built ({@code --push} or {@code
   *     push.after_all})
   * @param parallelism how many images of a wave build at once (at least 1)
   */
  record Command(ZPipeline pipeline, Map<String, ImageSource> sources, BuildOptions options,
      String backend, BuildImage.PullPolicy pull, boolean push, int parallelism,
      BuildEventSink events) {
    public Command {
      sources = Map.copyOf(sources);
    }
  }

  enum Status {
    BUILT,
    FAILED,
    /** Not built: an image before it failed. */
    SKIPPED
  }

  /**
   * @param builds one result per platform built (one for a single-platform image)
   * @param error why the build failed (or, for a built image, why a push failed)
   * @param pushed what was pushed: tag to manifest (or manifest list) digest
   */
  record ImageOutcome(String name, Status status, int wave, List<BuildImage.Result> builds,
      Optional<String> error, Map<ImageReference, Digest> pushed) {
    public ImageOutcome {
      builds = List.copyOf(builds);
      pushed = Map.copyOf(pushed);
    }
  }

  /**
   * @param images every image in build order
   * @param waves the image names of each wave
   */
  record Result(List<ImageOutcome> images, List<List<String>> waves, Duration elapsed) {
    public Result {
      images = List.copyOf(images);
      waves = List.copyOf(waves);
    }

    public boolean succeeded() {
      return images.stream().allMatch(i -> i.status() == Status.BUILT && i.error().isEmpty());
    }

    /** The first image that failed to build, or whose push failed. */
    public Optional<ImageOutcome> firstFailure() {
      return images.stream().filter(i -> i.status == Status.FAILED)
          .findFirst().or(() -> images.stream().filter(i -> i.error().isPresent()).findFirst());
    }
  }
}
