package io.zlayer.adapters.registry;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The last line of defence against leaking secrets: every message and trace line a session
 * produces passes through {@link #scrub}, which masks the passwords, identity tokens, Basic
 * header values and bearer tokens the session has seen.
 */
final class SecretScrubber {
  private static final int KEEP = 64;
  private final Deque<String> secrets = new ArrayDeque<>();

  synchronized void add(String secret) {
    if (secret == null || secret.length() < 4 || secrets.contains(secret)) {
      return;
    }
    secrets.addFirst(secret);
    while (secrets.size() > KEEP) {
      secrets.removeLast();
    }
  }

  synchronized String scrub(String text) {
    if (text == null) {
      return null;
    }
    String out = text;
    for (String s : secrets) {
      if (out.contains(s)) {
        out = out.replace(s, "****");
      }
    }
    return out;
  }
}
