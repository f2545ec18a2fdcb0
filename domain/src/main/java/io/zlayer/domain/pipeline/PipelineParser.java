package io.zlayer.domain.pipeline;

import io.zlayer.domain.error.DockerfileException;
import io.zlayer.domain.error.UsageException;
import io.zlayer.domain.image.Platform;
import io.zlayer.domain.zimage.CacheMount;
import io.zlayer.domain.zimage.TreeNode;
import io.zlayer.domain.zimage.YamlSource;
import io.zlayer.domain.zimage.ZImageParser;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a ZPipeline from its YAML tree: checks fields and types, substitutes {@code ${VAR}} from
 * {@code vars} (after {@code --set} overrides) in each image's file, context, tags, build args
 * and platforms and in the defaults, and checks {@code depends_on} (known images, no cycle).
 */
public final class PipelineParser {
  static final List<String> TOP_FIELDS = List.of("version", "vars", "defaults", "images", "push");
  static final List<String> DEFAULT_FIELDS = List.of("format", "build_args", "no_cache",
      "cache_mounts", "retries", "platforms");
  static final List<String> IMAGE_FIELDS = List.of("file", "context", "tags", "build_args",
      "depends_on", "no_cache", "format", "cache_mounts", "retries", "platforms");
  static final List<String> PUSH_FIELDS = List.of("after_all");

  private static final Pattern VARIABLE = Pattern.compile("\\$\\{([^}]*)}");
  private static final Pattern VAR_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final Pattern IMAGE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

  private final Map<String, String> vars = new LinkedHashMap<>();

  private PipelineParser() {}

  /**
   * @param overrides {@code --set KEY=VALUE} values, which replace or add to {@code vars}
   */
  public static ZPipeline parse(Object tree, YamlSource source, Map<String, String> overrides)
      throws DockerfileException {
    return new PipelineParser().run(TreeNode.root(tree, source), overrides);
  }

  private ZPipeline run(TreeNode root, Map<String, String> overrides)
      throws DockerfileException {
    if (root.isNull()) {
      throw root.error("the file is empty: a pipeline needs images");
    }
    Map<String, TreeNode> f = root.fields(TOP_FIELDS);
    Optional<String> version = optional(f, "version");
    if (version.isPresent() && !version.get().equals("1")) {
      throw f.get("version").error("unsupported version \"" + version.get()
          + "\": only version \"1\" is supported");
    }
    if (f.containsKey("vars") && !f.get("vars").isNull()) {
      for (Map.Entry<String, TreeNode> e : f.get("vars").entries().entrySet()) {
        if (!VAR_NAME.matcher(e.getKey()).matches()) {
          throw e.getValue().error("invalid variable name \"" + e.getKey() + "\"");
        }
        vars.put(e.getKey(), e.getValue().isNull() ? "" : e.getValue().string());
      }
    }
    for (Map.Entry<String, String> o : overrides.entrySet()) {
      if (!VAR_NAME.matcher(o.getKey()).matches()) {
        throw root.error("invalid variable name \"" + o.getKey() + "\" in --set");
      }
      vars.put(o.getKey(), o.getValue());
    }

    PipelineDefaults defaults = f.containsKey("defaults") && !f.get("defaults").isNull()
        ? defaults(f.get("defaults")) : PipelineDefaults.NONE;

    if (!f.containsKey("images") || f.get("images").isNull()) {
      throw root.error("a pipeline needs images (a mapping of image names to builds)");
    }
    TreeNode imagesNode = f.get("images");
    Map<String, TreeNode> imageNodes = imagesNode.entries();
    if (imageNodes.isEmpty()) {
      throw imagesNode.error("needs at least one image");
    }
    List<PipelineImage> images = new ArrayList<>();
    for (Map.Entry<String, TreeNode> e : imageNodes.entrySet()) {
      images.add(image(e.getKey(), e.getValue()));
    }
    checkDependencies(images, imageNodes);

    boolean pushAfterAll = false;
    if (f.containsKey("push") && !f.get("push").isNull()) {
      Map<String, TreeNode> p = f.get("push").fields(PUSH_FIELDS);
      pushAfterAll = p.containsKey("after_all") && p.get("after_all").bool();
    }
    return new ZPipeline(version, vars, defaults, images, pushAfterAll);
  }

  private PipelineDefaults defaults(TreeNode node) throws DockerfileException {
    Map<String, TreeNode> d = node.fields(DEFAULT_FIELDS);
    noRetries(d);
    return new PipelineDefaults(format(d), buildArgs(d), d.containsKey("no_cache")
        && d.get("no_cache").bool(), cacheMounts(d), platforms(d));
  }

  private PipelineImage image(String name, TreeNode node) throws DockerfileException {
    if (!IMAGE_NAME.matcher(name).matches()) {
      throw node.error("invalid image name \"" + name + "\": use letters, digits, '.', '_' "
          + "and '-'");
    }
    if (node.isNull()) {
      throw node.error("needs at least \"file\" (the Dockerfile or ZImagefile)");
    }
    Map<String, TreeNode> i = node.fields(IMAGE_FIELDS);
    if (!i.containsKey("file") || i.get("file").isNull()) {
      throw node.error("needs \"file\" (the Dockerfile or ZImagefile to build)");
    }
    String file = substitute(i.get("file"), i.get("file").nonEmptyString());
    String context = i.containsKey("context") && !i.get("context").isNull()
        ? substitute(i.get("context"), i.get("context").nonEmptyString()) : ".";
    List<String> tags = new ArrayList<>();
    if (i.containsKey("tags") && !i.get("tags").isNull()) {
      TreeNode t = i.get("tags");
      for (TreeNode tag : t.isList() ? t.elements() : List.of(t)) {
        tags.add(substitute(tag, tag.nonEmptyString()));
      }
    }
    List<String> dependsOn = new ArrayList<>();
    if (i.containsKey("depends_on") && !i.get("depends_on").isNull()) {
      dependsOn.addAll(i.get("depends_on").stringOrList());
    }
    noRetries(i);
    List<CacheMount> cacheMounts = cacheMounts(i);
    PipelineImage image = new PipelineImage(name, file, context, tags, buildArgs(i), dependsOn,
        i.containsKey("no_cache") && !i.get("no_cache").isNull()
            ? Optional.of(i.get("no_cache").bool()) : Optional.empty(),
        format(i), cacheMounts, platforms(i));
    if (!cacheMounts.isEmpty() && !image.isZImagefile()) {
      throw i.get("cache_mounts").error("cache mounts are added to a ZImagefile's run steps; "
          + file + " is a Dockerfile (give RUN --mount=type=cache there)");
    }
    return image;
  }

  private void checkDependencies(List<PipelineImage> images, Map<String, TreeNode> nodes)
      throws DockerfileException {
    Map<String, List<String>> graph = new LinkedHashMap<>();
    images.forEach(i -> graph.put(i.name(), i.dependsOn()));
    for (PipelineImage image : images) {
      for (int k = 0; k < image.dependsOn().size(); k++) {
        String dep = image.dependsOn().get(k);
        if (!graph.containsKey(dep)) {
          TreeNode at = nodes.get(image.name()).fields(IMAGE_FIELDS).get("depends_on");
          TreeNode item = at.isList() ? at.elements().get(k) : at;
          Optional<String> near = closestName(dep, graph.keySet());
          throw item.error("unknown image \"" + dep + "\""
              + near.map(n -> " (did you mean " + n + "?)").orElse(" (images: "
                  + String.join(", ", graph.keySet()) + ")"));
        }
      }
    }
    try {
      BuildWaves.plan(graph);
    } catch (BuildWaves.DependencyException e) {
      throw nodes.get(e.image()).fields(IMAGE_FIELDS).get("depends_on").error(e.getMessage());
    }
  }

  private static Optional<String> closestName(String typed, java.util.Collection<String> names) {
    return TreeNode.closest(typed, names);
  }

  private static void noRetries(Map<String, TreeNode> f) throws DockerfileException {
    if (f.containsKey("retries") && f.get("retries").integer(0, Integer.MAX_VALUE) > 0) {
      throw f.get("retries").error("zlayer does not retry failed steps; remove retries (or set "
          + "it to 0)");
    }
  }

  private Optional<String> format(Map<String, TreeNode> f) throws DockerfileException {
    Optional<String> format = optional(f, "format");
    if (format.isPresent()) {
      String value = substitute(f.get("format"), format.get());
      if (!value.equals("oci") && !value.equals("docker")) {
        throw f.get("format").error("must be oci or docker, not \"" + value + "\"");
      }
      return Optional.of(value);
    }
    return format;
  }

  private Map<String, String> buildArgs(Map<String, TreeNode> f) throws DockerfileException {
    Map<String, String> args = new LinkedHashMap<>();
    if (f.containsKey("build_args") && !f.get("build_args").isNull()) {
      for (Map.Entry<String, TreeNode> e : f.get("build_args").entries().entrySet()) {
        if (!VAR_NAME.matcher(e.getKey()).matches()) {
          throw e.getValue().error("invalid build argument name \"" + e.getKey() + "\"");
        }
        args.put(e.getKey(), e.getValue().isNull() ? ""
            : substitute(e.getValue(), e.getValue().string()));
      }
    }
    return args;
  }

  private static List<CacheMount> cacheMounts(Map<String, TreeNode> f)
      throws DockerfileException {
    List<CacheMount> mounts = new ArrayList<>();
    if (f.containsKey("cache_mounts") && !f.get("cache_mounts").isNull()) {
      for (TreeNode m : f.get("cache_mounts").elements()) {
        mounts.add(ZImageParser.cacheMount(m));
      }
    }
    return mounts;
  }

  private List<String> platforms(Map<String, TreeNode> f) throws DockerfileException {
    List<String> out = new ArrayList<>();
    if (f.containsKey("platforms") && !f.get("platforms").isNull()) {
      TreeNode p = f.get("platforms");
      for (TreeNode item : p.isList() ? p.elements() : List.of(p)) {
        String value = substitute(item, item.nonEmptyString());
        try {
          Platform.parse(value);
        } catch (UsageException e) {
          throw item.error(e.getMessage());
        }
        if (out.contains(value)) {
          throw item.error("platform " + value + " is listed twice");
        }
        out.add(value);
      }
    }
    return out;
  }

  /** {@code ${NAME}} replaced by the variable's value; an unknown variable is an error. */
  private String substitute(TreeNode at, String text) throws DockerfileException {
    Matcher m = VARIABLE.matcher(text);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      String name = m.group(1);
      String value = vars.get(name);
      if (value == null) {
        Optional<String> near = closestName(name, vars.keySet());
        throw at.error("unknown variable ${" + name + "}" + near.map(n -> " (did you mean "
            + n + "?)").orElse(vars.isEmpty() ? " (the pipeline has no vars)"
                : " (vars: " + String.join(", ", vars.keySet()) + ")"));
      }
      m.appendReplacement(sb, Matcher.quoteReplacement(value));
    }
    m.appendTail(sb);
    return sb.toString();
  }

  private static Optional<String> optional(Map<String, TreeNode> f, String field)
      throws DockerfileException {
    TreeNode n = f.get(field);
    return n == null || n.isNull() ? Optional.empty() : Optional.of(n.string());
  }
}
