package io.zlayer.domain.image;

import io.zlayer.domain.error.InvalidReferenceException;
import java.util.Optional;

/** PLACEHOLDER with the final API; the full grammar lands from branch h/refs. */
public record ImageReference(String registry, String repository, Optional<String> tag,
    Optional<String> digest) {
  public static ImageReference parse(String s) throws InvalidReferenceException {
    String rest = s;
    Optional<String> digest = Optional.empty();
    int at = rest.indexOf('@');
    if (at >= 0) {
      digest = Optional.of(rest.substring(at + 1));
      rest = rest.substring(0, at);
    }
    Optional<String> tag = Optional.empty();
    int colon = rest.lastIndexOf(':');
    if (colon > rest.lastIndexOf('/')) {
      tag = Optional.of(rest.substring(colon + 1));
      rest = rest.substring(0, colon);
    }
    String registry = "docker.io";
    int slash = rest.indexOf('/');
    if (slash > 0) {
      String first = rest.substring(0, slash);
      if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
        registry = first;
        rest = rest.substring(slash + 1);
      }
    }
    if (registry.equals("docker.io") && !rest.contains("/")) {
      rest = "library/" + rest;
    }
    if (rest.isEmpty() || !rest.equals(rest.toLowerCase())) {
      throw new InvalidReferenceException(s, "repository name must be lowercase");
    }
    if (tag.isEmpty() && digest.isEmpty()) {
      tag = Optional.of("latest");
    }
    return new ImageReference(registry, rest, tag, digest);
  }

  public String fullName() {
    return registry + "/" + repository;
  }

  public ImageReference withTag(String t) {
    return new ImageReference(registry, repository, Optional.of(t), Optional.empty());
  }

  public ImageReference withDigest(String d) {
    return new ImageReference(registry, repository, Optional.empty(), Optional.of(d));
  }

  public String registryApiHost() {
    return registry.equals("docker.io") ? "registry-1.docker.io" : registry;
  }

  public boolean isLoopbackRegistry() {
    String host = registry.replaceAll(":\\d+$", "");
    return host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]");
  }

  public String familiarString() {
    return toString();
  }

  @Override
  public String toString() {
    return fullName() + tag.map(t -> ":" + t).orElse("") + digest.map(d -> "@" + d).orElse("");
  }
}
