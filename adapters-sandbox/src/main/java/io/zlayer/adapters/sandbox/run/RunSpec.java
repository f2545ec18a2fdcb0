package io.zlayer.adapters.sandbox.run;

import java.util.List;

/**
 * Everything one RUN step executes and how it is isolated.
 *
 * @param argv the final command: the caller has already turned shell form into {@code [shell...,
 *     "cmd"]}
 * @param env the complete environment as {@code KEY=value}; nothing else is inherited (the caller
 *     adds PATH and HOME defaults as BuildKit and runc do)
 * @param workingDir the absolute working directory inside the image (the caller created it)
 * @param user the resolved uid, gid and supplementary groups
 * @param network the step's network
 * @param hostname the UTS hostname, also written into the generated {@code /etc/hosts}
 *     (BuildKit's default is {@code buildkitsandbox})
 * @param extraHosts extra {@code /etc/hosts} lines
 * @param mounts the {@code RUN --mount}s
 * @param networkFiles bind a generated {@code /etc/resolv.conf} and {@code /etc/hosts} read-only
 *     during the step, as BuildKit does; they never end up in the change set
 * @param security the capability set and masking
 */
public record RunSpec(List<String> argv, List<String> env, String workingDir, RunUser user,
    NetworkMode network, String hostname, List<HostEntry> extraHosts, List<RunMount> mounts,
    boolean networkFiles, SecurityMode security) {

  public static final String DEFAULT_HOSTNAME = "buildkitsandbox";

  public RunSpec {
    argv = List.copyOf(argv);
    env = List.copyOf(env);
    extraHosts = List.copyOf(extraHosts);
    mounts = List.copyOf(mounts);
    if (argv.isEmpty() || argv.get(0).isEmpty()) {
      throw new IllegalArgumentException("RUN needs a command");
    }
    if (argv.stream().anyMatch(a -> a.indexOf(0) >= 0)) {
      throw new IllegalArgumentException("command arguments cannot contain NUL");
    }
    for (String entry : env) {
      if (entry.indexOf('=') <= 0 || entry.indexOf(0) >= 0) {
        throw new IllegalArgumentException("environment entries must be KEY=value: " + entry);
      }
    }
    if (!workingDir.startsWith("/") || workingDir.indexOf(0) >= 0) {
      throw new IllegalArgumentException("working directory must be absolute: " + workingDir);
    }
    if (hostname.isEmpty() || hostname.length() > 64
        || hostname.chars().anyMatch(c -> c <= ' ' || c == '/')) {
      throw new IllegalArgumentException("invalid hostname: " + hostname);
    }
  }

  /** A root command in {@code /} with no environment, the default network and hostname. */
  public static RunSpec command(List<String> argv) {
    return new RunSpec(argv, List.of(), "/", RunUser.ROOT, NetworkMode.DEFAULT,
        DEFAULT_HOSTNAME, List.of(), List.of(), true, SecurityMode.SANDBOX);
  }

  public static RunSpec command(String... argv) {
    return command(List.of(argv));
  }

  public RunSpec withEnv(List<String> value) {
    return new RunSpec(argv, value, workingDir, user, network, hostname, extraHosts, mounts,
        networkFiles, security);
  }

  public RunSpec withWorkingDir(String value) {
    return new RunSpec(argv, env, value, user, network, hostname, extraHosts, mounts,
        networkFiles, security);
  }

  public RunSpec withUser(RunUser value) {
    return new RunSpec(argv, env, workingDir, value, network, hostname, extraHosts, mounts,
        networkFiles, security);
  }

  public RunSpec withNetwork(NetworkMode value) {
    return new RunSpec(argv, env, workingDir, user, value, hostname, extraHosts, mounts,
        networkFiles, security);
  }

  public RunSpec withHostname(String value) {
    return new RunSpec(argv, env, workingDir, user, network, value, extraHosts, mounts,
        networkFiles, security);
  }

  public RunSpec withExtraHosts(List<HostEntry> value) {
    return new RunSpec(argv, env, workingDir, user, network, hostname, value, mounts,
        networkFiles, security);
  }

  public RunSpec withMounts(List<RunMount> value) {
    return new RunSpec(argv, env, workingDir, user, network, hostname, extraHosts, value,
        networkFiles, security);
  }

  public RunSpec withNetworkFiles(boolean value) {
    return new RunSpec(argv, env, workingDir, user, network, hostname, extraHosts, mounts,
        value, security);
  }

  public RunSpec withSecurity(SecurityMode value) {
    return new RunSpec(argv, env, workingDir, user, network, hostname, extraHosts, mounts,
        networkFiles, value);
  }
}
