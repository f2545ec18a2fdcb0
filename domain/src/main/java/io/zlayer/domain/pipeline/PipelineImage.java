package io.zlayer.domain.pipeline;

import io.zlayer.domain.zimage.CacheMount;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One image of a pipeline, with {@code ${VAR}} already substituted.
 *
 * @param file the build file, relative to the pipeline file's directory: a Dockerfile, or a
 *     ZImagefile when its name starts with {@code ZImagefile} or ends in {@code .yml}/{@code
 *     .yaml}
 * @param context the build context, relative to the pipeline file's directory
 * @param noCache overrides {@code defaults.no_cache} when given
 * @param format {@code oci} or {@code docker}; overrides {@code defaults.format} when given
 * @param platforms {@code os/arch[/variant]} to build for; overrides {@code defaults.platforms}
 *     when not empty; two or more make a manifest list
 */
public record PipelineImage(String name, String file, String context, List<String> tags,
    Map<String, String> buildArgs, List<String> dependsOn, Optional<Boolean> noCache,
    Optional<String> format, List<CacheMount> cacheMounts, List<String> platforms) {
  private static final Pattern ZIMAGEFILE = Pattern.compile(
      "(?i)(?:.*[/\\\\])?(?:ZImagefile[^/\\\\]*|[^/\\\\]*\\.ya?ml)");

  public PipelineImage {
    tags = List.copyOf(tags);
    buildArgs = Collections.unmodifiableMap(new LinkedHashMap<>(buildArgs));
    dependsOn = List.copyOf(dependsOn);
    cacheMounts = List.copyOf(cacheMounts);
    platforms = List.copyOf(platforms);
  }

  /** Whether {@link #file()} is a ZImagefile (by its name, as zlayer has always decided). */
  public boolean isZImagefile() {
    return isZImagefileName(file);
  }

  /** {@code ZImagefile}, {@code ZImagefile.prod}, {@code app.yaml}: read as a ZImagefile. */
  public static boolean isZImagefileName(String path) {
    return ZIMAGEFILE.matcher(path).matches();
  }

  PipelineImage withDependsOn(List<String> deps) {
    return new PipelineImage(name, file, context, tags, buildArgs, deps, noCache, format,
        cacheMounts, platforms);
  }
}
