package io.zlayer.domain.build;

import io.zlayer.domain.dockerfile.instructions.WordExpander;
import io.zlayer.domain.dockerfile.shell.Expansion;
import io.zlayer.domain.dockerfile.shell.ShellLexer;
import io.zlayer.domain.dockerfile.shell.VariableLookup;
import io.zlayer.domain.error.DockerfileException;
import java.util.List;
import java.util.Set;

/**
 * The shell lexer as a {@link WordExpander}, remembering which set variables the expanded words
 * referred to (the cache facts of a step name the build arguments it used).
 */
final class RecordingExpander implements WordExpander {
  private final ShellLexer lexer;
  private final VariableLookup env;
  private final Set<String> matched;

  RecordingExpander(ShellLexer lexer, VariableLookup env, Set<String> matched) {
    this.lexer = lexer;
    this.env = env;
    this.matched = matched;
  }

  @Override
  public String expandWord(String word) throws DockerfileException {
    Expansion e = lexer.processWordWithMatches(word, env);
    matched.addAll(e.matched());
    return e.result();
  }

  @Override
  public List<String> expandWords(String word) throws DockerfileException {
    Expansion e = lexer.processWordWithMatches(word, env);
    matched.addAll(e.matched());
    return e.words();
  }
}
