package io.zlayer.domain.pipeline;

import io.zlayer.domain.error.UsageException;
import io.zlayer.domain.zimage.CacheMount;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A parsed, validated ZPipeline: several images built in dependency order ({@link
 * BuildWaves}), with shared variables and defaults, optionally pushed once all are built.
 *
 * @param vars the variables after {@code --set} overrides
 * @param images in file order
 * @param pushAfterAll {@code push.after_all}: push every image's tags once all built
 */
public record ZPipeline(Optional<String> version, Map<String, String> vars,
    PipelineDefaults defaults, List<PipelineImage> images, boolean pushAfterAll) {
  public ZPipeline {
    vars = Collections.unmodifiableMap(new LinkedHashMap<>(vars));
    images = List.copyOf(images);
  }

  public Optional<PipelineImage> image(String name) {
    return images.stream().filter(i -> i.name().equals(name)).findFirst();
  }

  /** {@code defaults.build_args} overridden by the image's own. */
  public Map<String, String> buildArgsFor(PipelineImage image) {
    Map<String, String> args = new LinkedHashMap<>(defaults.buildArgs());
    args.putAll(image.buildArgs());
    return args;
  }

  public boolean noCacheFor(PipelineImage image) {
    return image.noCache().orElse(defaults.noCache());
  }

  public Optional<String> formatFor(PipelineImage image) {
    return image.format().or(defaults::format);
  }

  public List<String> platformsFor(PipelineImage image) {
    return image.platforms().isEmpty() ? defaults.platforms() : image.platforms();
  }

  /** {@code defaults.cache_mounts} then the image's own (an image's mount wins per target). */
  public List<CacheMount> cacheMountsFor(PipelineImage image) {
    List<CacheMount> mounts = new ArrayList<>(image.cacheMounts());
    for (CacheMount d : defaults.cacheMounts()) {
      if (mounts.stream().noneMatch(m -> m.target().equals(d.target()))) {
        mounts.add(d);
      }
    }
    return mounts;
  }

  /**
   * The pipeline restricted to some images ({@code --only}); their dependencies on images left
   * out are dropped (those images are taken from the local store as they are).
   */
  public ZPipeline only(Collection<String> names) throws UsageException {
    Set<String> wanted = Set.copyOf(names);
    for (String n : wanted) {
      if (image(n).isEmpty()) {
        List<String> known = new ArrayList<>();
        images.forEach(i -> known.add(i.name()));
        throw new UsageException("no image \"" + n + "\" in the pipeline",
            "its images are: " + String.join(", ", known));
      }
    }
    List<PipelineImage> kept = new ArrayList<>();
    for (PipelineImage i : images) {
      if (wanted.contains(i.name())) {
        List<String> deps = new ArrayList<>(i.dependsOn());
        deps.retainAll(wanted);
        kept.add(i.withDependsOn(deps));
      }
    }
    return new ZPipeline(version, vars, defaults, kept, pushAfterAll);
  }

  /** The images in build waves: each wave needs only images of earlier waves. */
  public List<List<PipelineImage>> waves() {
    Map<String, List<String>> graph = new LinkedHashMap<>();
    images.forEach(i -> graph.put(i.name(), i.dependsOn()));
    List<List<PipelineImage>> out = new ArrayList<>();
    try {
      for (List<String> wave : BuildWaves.plan(graph)) {
        List<PipelineImage> w = new ArrayList<>();
        wave.forEach(n -> w.add(image(n).orElseThrow()));
        out.add(List.copyOf(w));
      }
    } catch (BuildWaves.DependencyException e) {
      // the parser rejects unknown dependencies and cycles
      throw new IllegalStateException(e.getMessage(), e);
    }
    return List.copyOf(out);
  }
}
