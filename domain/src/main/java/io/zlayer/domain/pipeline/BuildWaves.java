package io.zlayer.domain.pipeline;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Groups builds by dependency depth, as zlayer's pipeline executor does: wave 0 holds the builds
 * that depend on nothing, wave N those whose dependencies are all in earlier waves. Builds of a
 * wave are independent of each other and keep their input order.
 */
public final class BuildWaves {
  /** An unknown dependency or a cycle; the message names them. */
  public static final class DependencyException extends Exception {
    private static final long serialVersionUID = 1L;
    private final String image;

    DependencyException(String image, String message) {
      super(message);
      this.image = image;
    }

    /** The build whose {@code depends_on} is at fault. */
    public String image() {
      return image;
    }
  }

  private BuildWaves() {}

  /**
   * @param dependencies each build's name and the names it depends on, in order
   */
  public static List<List<String>> plan(Map<String, List<String>> dependencies)
      throws DependencyException {
    for (Map.Entry<String, List<String>> e : dependencies.entrySet()) {
      for (String dep : e.getValue()) {
        if (!dependencies.containsKey(dep)) {
          throw new DependencyException(e.getKey(), "image \"" + e.getKey()
              + "\" depends on unknown image \"" + dep + "\"");
        }
      }
    }
    Map<String, Integer> wave = new HashMap<>();
    List<List<String>> waves = new ArrayList<>();
    Set<String> remaining = new HashSet<>(dependencies.keySet());
    while (!remaining.isEmpty()) {
      List<String> next = new ArrayList<>();
      for (Map.Entry<String, List<String>> e : dependencies.entrySet()) {
        if (remaining.contains(e.getKey()) && wave.keySet().containsAll(e.getValue())) {
          next.add(e.getKey());
        }
      }
      if (next.isEmpty()) {
        List<String> cycle = cycle(dependencies, remaining);
        throw new DependencyException(cycle.get(0), "dependency cycle: "
            + String.join(" -> ", cycle));
      }
      for (String n : next) {
        wave.put(n, waves.size());
        remaining.remove(n);
      }
      waves.add(List.copyOf(next));
    }
    return List.copyOf(waves);
  }

  /** A cycle among the unplaced builds, first build repeated at the end. */
  private static List<String> cycle(Map<String, List<String>> deps, Set<String> remaining) {
    String start = null;
    for (String n : deps.keySet()) {
      if (remaining.contains(n)) {
        start = n;
        break;
      }
    }
    // every remaining build has a remaining dependency, so following them must revisit one
    Map<String, Integer> seenAt = new LinkedHashMap<>();
    List<String> path = new ArrayList<>();
    String current = start;
    while (!seenAt.containsKey(current)) {
      seenAt.put(current, path.size());
      path.add(current);
      String nextOne = null;
      for (String d : deps.get(current)) {
        if (remaining.contains(d)) {
          nextOne = d;
          break;
        }
      }
      current = nextOne;
    }
    List<String> cycle = new ArrayList<>(path.subList(seenAt.get(current), path.size()));
    cycle.add(current);
    return cycle;
  }
}
