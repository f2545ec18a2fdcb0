package io.zlayer.adapters.sandbox.copy;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * {@code ADD <git URL> /dest} with the {@code git} program: BuildKit's git references
 * ({@code https://host/repo.git#ref:subdir}, {@code git@host:repo.git}, {@code ssh://},
 * {@code git://}, and the query form {@code ?ref=&tag=&branch=&checksum=&subdir=&keep-git-dir=}),
 * the commit resolved with {@code git ls-remote} (for the cache key), then a shallow fetch of
 * the ref into a scratch directory. No credentials are used and git never prompts.
 */
final class GitSources {
  private static final long TIMEOUT_MINUTES = 30;

  /** A parsed git source. */
  record GitRef(String source, String remote, String ref, String subdir,
      Optional<Boolean> keepGitDir, Optional<String> checksum, Optional<Boolean> submodules) {}

  private final Path scratch;

  GitSources(Path scratch) {
    this.scratch = scratch;
  }

  /** Whether an ADD source is a git repository (the rule the Dockerfile planner applies). */
  static boolean isGit(String src) {
    if (src.startsWith("git://") || src.startsWith("git@") || src.startsWith("ssh://")) {
      return true;
    }
    if (src.startsWith("http://") || src.startsWith("https://")) {
      return pathPart(src).endsWith(".git");
    }
    return false;
  }

  private static String pathPart(String src) {
    int fragment = src.indexOf('#');
    String url = fragment < 0 ? src : src.substring(0, fragment);
    int query = url.indexOf('?');
    return query < 0 ? url : url.substring(0, query);
  }

  static GitRef parse(String src) throws CopyFailure {
    int hash = src.indexOf('#');
    String fragment = hash < 0 ? "" : src.substring(hash + 1);
    String rest = hash < 0 ? src : src.substring(0, hash);
    int q = rest.indexOf('?');
    String query = q < 0 ? "" : rest.substring(q + 1);
    String remote = q < 0 ? rest : rest.substring(0, q);
    String ref = "";
    String subdir = "";
    if (!fragment.isEmpty()) {
      int colon = fragment.indexOf(':');
      ref = colon < 0 ? fragment : fragment.substring(0, colon);
      subdir = colon < 0 ? "" : fragment.substring(colon + 1);
    }
    String tag = "";
    String branch = "";
    Optional<String> checksum = Optional.empty();
    Optional<Boolean> keep = Optional.empty();
    Optional<Boolean> submodules = Optional.empty();
    if (!query.isEmpty()) {
      for (String pair : query.split("&")) {
        int eq = pair.indexOf('=');
        String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq),
            StandardCharsets.UTF_8);
        String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1),
            StandardCharsets.UTF_8);
        if (value.isEmpty()) {
          throw CopyFailure.of("failed to parse git URL opts " + redacted(remote) + ": query \""
              + key + "\" has no value");
        }
        switch (key) {
          case "ref":
            if (!ref.isEmpty() && !ref.equals(value)) {
              throw CopyFailure.of("failed to parse git URL opts " + redacted(remote)
                  + ": ref conflicts: \"" + ref + "\" vs \"" + value + "\"");
            }
            ref = value;
            break;
          case "tag":
            tag = value;
            break;
          case "branch":
            branch = value;
            break;
          case "checksum":
          case "commit":
            checksum = Optional.of(value);
            break;
          case "subdir":
            if (!subdir.isEmpty() && !subdir.equals(value)) {
              throw CopyFailure.of("failed to parse git URL opts " + redacted(remote)
                  + ": subdir conflicts: \"" + subdir + "\" vs \"" + value + "\"");
            }
            subdir = value;
            break;
          case "keep-git-dir":
            keep = Optional.of(bool(key, value, remote));
            break;
          case "submodules":
            submodules = Optional.of(bool(key, value, remote));
            break;
          default:
            throw CopyFailure.of("failed to parse git URL opts " + redacted(remote)
                + ": unexpected query \"" + key + "\"");
        }
      }
    }
    if (!tag.isEmpty()) {
      if (!ref.isEmpty()) {
        throw CopyFailure.of("failed to parse git URL opts " + redacted(remote)
            + ": tag conflicts with ref");
      }
      ref = "refs/tags/" + tag;
    }
    if (!branch.isEmpty()) {
      if (!tag.isEmpty()) {
        throw CopyFailure.of("failed to parse git URL opts " + redacted(remote)
            + ": branch conflicts with tag");
      }
      if (!ref.isEmpty()) {
        throw CopyFailure.of("failed to parse git URL opts " + redacted(remote)
            + ": branch conflicts with ref");
      }
      ref = "refs/heads/" + branch;
    }
    if (checksum.isPresent() && ref.isEmpty()) {
      ref = checksum.get();
    }
    return new GitRef(src, remote, ref, subdir, keep, checksum, submodules);
  }

  private static boolean bool(String key, String value, String remote) throws CopyFailure {
    switch (value.toLowerCase(Locale.ROOT)) {
      case "1":
      case "t":
      case "true":
        return true;
      case "0":
      case "f":
      case "false":
        return false;
      default:
        throw CopyFailure.of("failed to parse git URL opts " + redacted(remote) + ": invalid "
            + key + " value \"" + value + "\"");
    }
  }

  static String redacted(String remote) {
    return UrlDownloads.display(remote);
  }

  private static boolean isCommit(String ref) {
    return ref.length() == 40 && ref.chars().allMatch(c -> (c >= '0' && c <= '9')
        || (c >= 'a' && c <= 'f'));
  }

  /** The commit the reference names now ({@code git ls-remote}), checked against a checksum. */
  String resolveCommit(GitRef ref) throws CopyFailure, InterruptedException {
    String commit;
    if (isCommit(ref.ref())) {
      commit = ref.ref();
    } else {
      String wanted = ref.ref().isEmpty() ? "HEAD" : ref.ref();
      String out = git(null, List.of("ls-remote", "--", ref.remote(), wanted), ref);
      commit = pick(out, wanted).orElseThrow(() -> CopyFailure.of("git source "
          + redacted(ref.remote()) + ": ref " + wanted + " not found"));
    }
    if (ref.checksum().isPresent() && !commit.startsWith(ref.checksum().get())) {
      throw CopyFailure.of("git source " + redacted(ref.remote()) + ": checksum mismatch:"
          + " expected " + ref.checksum().get() + ", got " + commit);
    }
    return commit;
  }

  /** The commit of the best line of ls-remote output for {@code wanted} (a tag peeled). */
  private static Optional<String> pick(String lsRemote, String wanted) {
    Map<String, String> byRef = new java.util.LinkedHashMap<>();
    for (String line : lsRemote.split("\n")) {
      String[] f = line.split("\t");
      if (f.length == 2) {
        byRef.putIfAbsent(f[1].strip(), f[0].strip());
      }
    }
    for (String candidate : List.of(wanted + "^{}", wanted, "refs/heads/" + wanted,
        "refs/tags/" + wanted + "^{}", "refs/tags/" + wanted)) {
      if (byRef.containsKey(candidate)) {
        return Optional.of(byRef.get(candidate));
      }
    }
    return byRef.values().stream().findFirst();
  }

  /**
   * Checks the commit out into a new directory under the scratch directory (the caller deletes
   * it): a shallow fetch of the ref, a full one when the server cannot do shallow fetches.
   */
  Path checkout(GitRef ref, String commit) throws CopyFailure, InterruptedException {
    Path dir;
    try {
      Files.createDirectories(scratch);
      dir = Files.createTempDirectory(scratch, "git-");
    } catch (IOException e) {
      throw CopyFailure.of("cannot create a scratch directory in " + scratch + ": "
          + e.getMessage(), e);
    }
    String fetchRef = ref.ref().isEmpty() ? "HEAD" : ref.ref();
    git(dir, List.of("init", "-q"), ref);
    git(dir, List.of("remote", "add", "origin", ref.remote()), ref);
    try {
      git(dir, List.of("fetch", "-q", "--depth=1", "--no-tags", "origin", fetchRef), ref);
    } catch (CopyFailure shallowFailed) {
      git(dir, List.of("fetch", "-q", "--no-tags", "origin", fetchRef), ref);
    }
    git(dir, List.of("-c", "advice.detachedHead=false", "checkout", "-q", "--detach",
        "FETCH_HEAD"), ref);
    String head = git(dir, List.of("rev-parse", "HEAD"), ref).strip();
    if (!head.equals(commit)) {
      try {
        git(dir, List.of("fetch", "-q", "--no-tags", "origin", commit), ref);
        git(dir, List.of("-c", "advice.detachedHead=false", "checkout", "-q", "--detach",
            commit), ref);
      } catch (CopyFailure e) {
        throw CopyFailure.of("git source " + redacted(ref.remote()) + ": " + fetchRef
            + " moved from " + commit + " to " + head + " during the build");
      }
    }
    if (ref.submodules().orElse(true) && Files.exists(dir.resolve(".gitmodules"))) {
      git(dir, List.of("submodule", "update", "-q", "--init", "--recursive", "--depth=1"),
          ref);
    }
    return dir;
  }

  private String git(Path dir, List<String> args, GitRef ref)
      throws CopyFailure, InterruptedException {
    if (program() == null) {
      throw CopyFailure.of("git source " + redacted(ref.remote()) + ": ADD of a git repository"
          + " needs the git program, which is not installed (install git)");
    }
    List<String> command = new ArrayList<>();
    command.add(program());
    command.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(false);
    if (dir != null) {
      pb.directory(dir.toFile());
    }
    Map<String, String> env = pb.environment();
    env.put("GIT_TERMINAL_PROMPT", "0");
    env.put("GIT_CONFIG_NOSYSTEM", "1");
    env.put("GIT_CONFIG_GLOBAL", "/dev/null");
    env.put("GIT_SSH_COMMAND", "ssh -o BatchMode=yes");
    env.put("GIT_ASKPASS", "true");
    env.put("LC_ALL", "C");
    try {
      Process p = pb.redirectError(ProcessBuilder.Redirect.PIPE).start();
      byte[][] streams = new byte[2][];
      Thread err = new Thread(() -> {
        try (InputStream in = p.getErrorStream()) {
          streams[1] = in.readAllBytes();
        } catch (IOException e) {
          streams[1] = new byte[0];
        }
      }, "git-stderr");
      err.setDaemon(true);
      err.start();
      try (InputStream in = p.getInputStream()) {
        streams[0] = in.readAllBytes();
      }
      if (!p.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw CopyFailure.of("git source " + redacted(ref.remote()) + ": git " + args.get(0)
            + " did not finish in " + TIMEOUT_MINUTES + " minutes");
      }
      err.join();
      if (p.exitValue() != 0) {
        String message = new String(streams[1], StandardCharsets.UTF_8).strip().lines()
            .filter(l -> !l.isBlank()).reduce((a, b) -> b).orElse("exit " + p.exitValue());
        throw CopyFailure.of("git source " + redacted(ref.remote()) + ": git " + args.get(0)
            + " failed: " + message);
      }
      return new String(streams[0], StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw CopyFailure.of("git source " + redacted(ref.remote()) + ": cannot run git: "
          + e.getMessage(), e);
    }
  }

  /** The git program, or null when it is not installed. */
  static String program() {
    String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
    for (String d : path.split(":")) {
      if (!d.isEmpty() && Files.isExecutable(Path.of(d, "git"))) {
        return Path.of(d, "git").toString();
      }
    }
    return null;
  }
}
