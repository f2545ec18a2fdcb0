package io.zlayer.domain.dockerfile.instructions;

import io.zlayer.domain.error.DockerfileException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stand-in for the shell lexer: replaces {@code $NAME} and {@code ${NAME}} from a map (unset
 * names become empty), fails on {@code ${?}}, and splits {@link #expandWords} on spaces. It
 * records every word it was asked to expand.
 */
final class FakeExpander implements WordExpander {
  private static final Pattern VARIABLE =
      Pattern.compile("\\$\\{([^}]*)}|\\$([A-Za-z_][A-Za-z0-9_]*)");
  private final Map<String, String> env = new HashMap<>();
  final List<String> seen = new ArrayList<>();

  FakeExpander(String... pairs) {
    for (int i = 0; i < pairs.length; i += 2) {
      env.put(pairs[i], pairs[i + 1]);
    }
  }

  @Override
  public String expandWord(String word) throws DockerfileException {
    seen.add(word);
    Matcher m = VARIABLE.matcher(word);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      String name = m.group(1) != null ? m.group(1) : m.group(2);
      if (name.equals("?")) {
        throw new DockerfileException("failed to process \"" + word + "\": bad substitution");
      }
      m.appendReplacement(sb, Matcher.quoteReplacement(env.getOrDefault(name, "")));
    }
    m.appendTail(sb);
    return sb.toString();
  }

  @Override
  public List<String> expandWords(String word) throws DockerfileException {
    String expanded = expandWord(word);
    return Arrays.stream(expanded.split(" ")).filter(w -> !w.isEmpty()).toList();
  }
}
