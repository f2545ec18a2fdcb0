package io.zlayer.domain.image;

import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The runtime defaults of an image: the OCI {@code config} object plus Docker's
 * {@code Healthcheck}, {@code OnBuild}, {@code Shell} and {@code ArgsEscaped}. Maps and sets are
 * sorted because Go serialises its maps in key order, and so do docker and buildah.
 *
 * <p>{@code entrypoint}, {@code cmd} and {@code shell} distinguish "not set" (empty Optional)
 * from "set to an empty list", as Docker does.
 */
public record ContainerConfig(
    Optional<String> user,
    SortedSet<String> exposedPorts,
    List<String> env,
    Optional<List<String>> entrypoint,
    Optional<List<String>> cmd,
    SortedSet<String> volumes,
    Optional<String> workingDir,
    SortedMap<String, String> labels,
    Optional<String> stopSignal,
    Optional<HealthConfig> healthcheck,
    List<String> onBuild,
    Optional<List<String>> shell,
    boolean argsEscaped) {

  public static final ContainerConfig EMPTY = new ContainerConfig(Optional.empty(),
      new TreeSet<>(), List.of(), Optional.empty(), Optional.empty(), new TreeSet<>(),
      Optional.empty(), new TreeMap<>(), Optional.empty(), Optional.empty(), List.of(),
      Optional.empty(), false);

  public ContainerConfig {
    exposedPorts = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(exposedPorts));
    env = List.copyOf(env);
    entrypoint = entrypoint.map(List::copyOf);
    cmd = cmd.map(List::copyOf);
    volumes = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(volumes));
    labels = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(labels));
    onBuild = List.copyOf(onBuild);
    shell = shell.map(List::copyOf);
  }

  /** The value of an environment variable, by Docker's rule (the last {@code KEY=} wins). */
  public Optional<String> envValue(String key) {
    String prefix = key + "=";
    Optional<String> found = Optional.empty();
    for (String e : env) {
      if (e.startsWith(prefix)) {
        found = Optional.of(e.substring(prefix.length()));
      } else if (e.equals(key)) {
        found = Optional.of("");
      }
    }
    return found;
  }

  /** A copy with {@code KEY=value} set, replacing an earlier value in place as Docker does. */
  public ContainerConfig withEnv(String key, String value) {
    List<String> out = new java.util.ArrayList<>();
    boolean replaced = false;
    for (String e : env) {
      String k = e.contains("=") ? e.substring(0, e.indexOf('=')) : e;
      if (k.equals(key)) {
        if (!replaced) {
          out.add(key + "=" + value);
          replaced = true;
        }
      } else {
        out.add(e);
      }
    }
    if (!replaced) {
      out.add(key + "=" + value);
    }
    return toBuilder().env(out).build();
  }

  public Builder toBuilder() {
    return new Builder(this);
  }

  /** A mutable builder, for the many single-field changes a build makes. */
  public static final class Builder {
    private Optional<String> user;
    private SortedSet<String> exposedPorts;
    private List<String> env;
    private Optional<List<String>> entrypoint;
    private Optional<List<String>> cmd;
    private SortedSet<String> volumes;
    private Optional<String> workingDir;
    private SortedMap<String, String> labels;
    private Optional<String> stopSignal;
    private Optional<HealthConfig> healthcheck;
    private List<String> onBuild;
    private Optional<List<String>> shell;
    private boolean argsEscaped;

    private Builder(ContainerConfig c) {
      user = c.user;
      exposedPorts = new TreeSet<>(c.exposedPorts);
      env = c.env;
      entrypoint = c.entrypoint;
      cmd = c.cmd;
      volumes = new TreeSet<>(c.volumes);
      workingDir = c.workingDir;
      labels = new TreeMap<>(c.labels);
      stopSignal = c.stopSignal;
      healthcheck = c.healthcheck;
      onBuild = c.onBuild;
      shell = c.shell;
      argsEscaped = c.argsEscaped;
    }

    public Builder user(Optional<String> v) {
      user = v;
      return this;
    }

    public Builder exposedPorts(SortedSet<String> v) {
      exposedPorts = v;
      return this;
    }

    public Builder env(List<String> v) {
      env = v;
      return this;
    }

    public Builder entrypoint(Optional<List<String>> v) {
      entrypoint = v;
      return this;
    }

    public Builder cmd(Optional<List<String>> v) {
      cmd = v;
      return this;
    }

    public Builder volumes(SortedSet<String> v) {
      volumes = v;
      return this;
    }

    public Builder workingDir(Optional<String> v) {
      workingDir = v;
      return this;
    }

    public Builder labels(SortedMap<String, String> v) {
      labels = v;
      return this;
    }

    public Builder stopSignal(Optional<String> v) {
      stopSignal = v;
      return this;
    }

    public Builder healthcheck(Optional<HealthConfig> v) {
      healthcheck = v;
      return this;
    }

    public Builder onBuild(List<String> v) {
      onBuild = v;
      return this;
    }

    public Builder shell(Optional<List<String>> v) {
      shell = v;
      return this;
    }

    public Builder argsEscaped(boolean v) {
      argsEscaped = v;
      return this;
    }

    public ContainerConfig build() {
      return new ContainerConfig(user, exposedPorts, env, entrypoint, cmd, volumes, workingDir,
          labels, stopSignal, healthcheck, onBuild, shell, argsEscaped);
    }
  }
}
