package io.zlayer.domain.dockerfile.ignore;

import io.zlayer.domain.error.DockerfileException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The exclude patterns of a build context ({@code .dockerignore}), with BuildKit's semantics:
 * moby/patternmatcher's {@code ignorefile.ReadAll} for the file, its {@code PatternMatcher} for
 * matching, and fsutil's walker rules for when a directory can be skipped.
 *
 * <p>File syntax: one pattern per line; a line whose first character is {@code #} is a comment
 * (only then: {@code " #x"} is a pattern); lines are trimmed; blank lines are skipped; {@code
 * !pattern} is an exception that re-includes what earlier patterns excluded; patterns are
 * cleaned like Go's {@code filepath.Clean} and a leading {@code /} is dropped, so {@code /foo}
 * and {@code foo/} both mean {@code foo}. A lone {@code !} is an error. The last matching
 * pattern wins, and a pattern that matches a directory excludes everything below it (unless a
 * later exception matches).
 *
 * <p>What the ignore file applies to: like BuildKit (and unlike the legacy builder, which always
 * sent them), zlayer applies the patterns to every context path, the Dockerfile and the ignore
 * file included: if {@code .dockerignore} lists {@code Dockerfile}, {@code COPY Dockerfile .}
 * fails. The Dockerfile and the ignore file themselves are read directly by the build, outside
 * the filtered context, so excluding them never breaks the build definition.
 *
 * <p>Difference from patternmatcher: a pattern that passes Go's glob check but is not a valid Go
 * regexp ({@code [z-a]}, {@code \q}) is reported when the file is parsed; Docker reports it when
 * the first path reaches that pattern, which in practice is the same build failure.
 */
public final class DockerIgnore {

  /** The ignore file BuildKit reads from the root of the build context. */
  public static final String FILE_NAME = ".dockerignore";

  /** The suffix of a Dockerfile-specific ignore file ({@code app.Dockerfile.dockerignore}). */
  public static final String DOCKERFILE_SUFFIX = ".dockerignore";

  private static final DockerIgnore NONE = new DockerIgnore(List.of());

  private final List<IgnorePattern> patterns;
  private final boolean hasExceptions;
  private final boolean exceptionsArePlainPaths;

  private DockerIgnore(List<IgnorePattern> patterns) {
    this.patterns = List.copyOf(patterns);
    boolean exceptions = false;
    boolean plain = true;
    for (IgnorePattern p : patterns) {
      if (p.isException()) {
        exceptions = true;
        if (containsGlobChar(p.withoutTrailingGlob())) {
          plain = false;
        }
      }
    }
    this.hasExceptions = exceptions;
    this.exceptionsArePlainPaths = plain;
  }

  /** No patterns: nothing is excluded. */
  public static DockerIgnore none() {
    return NONE;
  }

  /**
   * Parses the text of an ignore file; {@code fileName} (e.g. {@code .dockerignore}) names it in
   * error messages, which carry the line: {@code .dockerignore:3: illegal exclusion pattern: "!"}.
   */
  public static DockerIgnore parse(String fileName, String content) throws DockerfileException {
    Objects.requireNonNull(fileName, "fileName");
    Objects.requireNonNull(content, "content");
    List<IgnorePattern> compiled = new ArrayList<>();
    int lineNumber = 0;
    for (String line : lines(content)) {
      lineNumber++;
      if (lineNumber == 1 && line.startsWith("\uFEFF")) {
        line = line.substring(1);
      }
      String pattern = readAllLine(line);
      if (pattern != null) {
        IgnorePattern p = compileEntry(fileName, lineNumber, pattern, line);
        if (p != null) {
          compiled.add(p);
        }
      }
    }
    return new DockerIgnore(compiled);
  }

  /**
   * Compiles patterns given as a list (patternmatcher's {@code New}, without the file's comment
   * handling and leading-slash removal); errors name the pattern's 1-based position.
   */
  public static DockerIgnore of(List<String> patterns) throws DockerfileException {
    List<IgnorePattern> compiled = new ArrayList<>();
    int index = 0;
    for (String pattern : patterns) {
      index++;
      IgnorePattern p = compileEntry("ignore pattern " + index, 0, pattern, pattern);
      if (p != null) {
        compiled.add(p);
      }
    }
    return new DockerIgnore(compiled);
  }

  /**
   * Which ignore file applies to a build, BuildKit's rule: {@code <Dockerfile>.dockerignore} next
   * to the Dockerfile when it exists (even if empty), else {@code .dockerignore} at the context
   * root when it exists.
   *
   * @param dockerfilePath the Dockerfile's path relative to the context root, slash-separated
   *     ({@code sub/Dockerfile.dev}); it may point outside the context ({@code ../Dockerfile})
   * @param exists whether a file exists at a path relative to the context root
   * @return the ignore file's path relative to the context root, e.g. {@code
   *     sub/Dockerfile.dev.dockerignore} or {@code .dockerignore}; empty when there is none
   */
  public static Optional<String> ignoreFileFor(String dockerfilePath, Predicate<String> exists) {
    String specific = SlashPaths.clean(dockerfilePath) + DOCKERFILE_SUFFIX;
    if (exists.test(specific)) {
      return Optional.of(specific);
    }
    return exists.test(FILE_NAME) ? Optional.of(FILE_NAME) : Optional.empty();
  }

  /** The compiled patterns, in file order. */
  public List<IgnorePattern> patterns() {
    return patterns;
  }

  public boolean isEmpty() {
    return patterns.isEmpty();
  }

  /** True when some pattern is an exception ({@code !pattern}); patternmatcher's Exclusions. */
  public boolean hasExceptions() {
    return hasExceptions;
  }

  /**
   * Whether a single context path is excluded (patternmatcher's {@code MatchesOrParentMatches},
   * which fsutil uses to open one path): the last pattern matching the path or one of its parent
   * directories decides. To build the context, walk it with {@link #decide} instead. {@code
   * path} is relative to the context root and slash-separated; it is cleaned first, and the root
   * itself ({@code .}) is never excluded.
   */
  public boolean matches(String path) {
    String file = SlashPaths.clean(path);
    if (file.equals(".")) {
      return false;
    }
    String parent = SlashPaths.dir(file);
    String[] parentDirs = parent.equals(".") ? new String[0] : parent.split("/", -1);
    boolean matched = false;
    for (IgnorePattern pattern : patterns) {
      // an include cannot change a match, an exception cannot change a non-match
      if (pattern.isException() != matched) {
        continue;
      }
      boolean match = pattern.matches(file) || matchesAParent(pattern, parentDirs);
      if (match) {
        matched = !pattern.isException();
      }
    }
    return matched;
  }

  /** The decision for the context root, to pass as the parent of top-level entries. */
  public IgnoreDecision root() {
    return new IgnoreDecision(false, false, new boolean[0]);
  }

  /**
   * The decision for one entry of a walk over the build context: patternmatcher's {@code
   * MatchesUsingParentResults} plus fsutil's directory skipping, which is how BuildKit decides
   * what to send. Walk top-down, pass each entry's parent directory's decision ({@link #root()}
   * for top-level entries), and give the path relative to the context root, slash-separated and
   * clean ({@code src/main}). Skipping a directory when {@link IgnoreDecision#skipDirectory()}
   * says so never changes what is sent.
   *
   * <p>Without exceptions this agrees with {@link #matches(String)}. With exceptions the two can
   * differ exactly as they do upstream: the walk does not evaluate an exception while nothing is
   * excluded yet, so with {@code **&#47;*.md} then {@code !**&#47;b}, {@code b/x.md} is not sent
   * although {@code matches("b/x.md")} is false. Use this method to build the context.
   */
  public IgnoreDecision decide(IgnoreDecision parent, String path, boolean directory) {
    boolean[] parentMatched = parent.matched();
    if (parentMatched.length != 0 && parentMatched.length != patterns.size()) {
      throw new IllegalArgumentException("decision of another DockerIgnore passed as parent");
    }
    boolean[] matchedNow = new boolean[patterns.size()];
    boolean matched = false;
    for (int i = 0; i < patterns.size(); i++) {
      IgnorePattern pattern = patterns.get(i);
      boolean match = parentMatched.length != 0 && parentMatched[i];
      if (!match) {
        if (pattern.isException() != matched) {
          continue;
        }
        match = pattern.matches(path);
        if (!match && parentMatched.length == 0) {
          String parentPath = SlashPaths.dir(path);
          if (!parentPath.equals(".")) {
            match = matchesAParent(pattern, parentPath.split("/", -1));
          }
        }
      }
      matchedNow[i] = match;
      if (match) {
        matched = !pattern.isException();
      }
    }
    boolean skip =
        matched && directory && exceptionsArePlainPaths && !exceptionMayReachInto(path);
    return new IgnoreDecision(matched, skip, matchedNow);
  }

  @Override
  public String toString() {
    return "DockerIgnore" + patterns;
  }

  // ---------------------------------------------------------------------------------------------

  private static boolean matchesAParent(IgnorePattern pattern, String[] parentDirs) {
    StringBuilder prefix = new StringBuilder();
    for (int i = 0; i < parentDirs.length; i++) {
      if (i > 0) {
        prefix.append('/');
      }
      prefix.append(parentDirs[i]);
      if (pattern.matches(prefix.toString())) {
        return true;
      }
    }
    return false;
  }

  /**
   * With only plain-path exceptions, an excluded directory needs walking only when an exception
   * lies below it ({@code !dir/keep} for {@code dir}).
   */
  private boolean exceptionMayReachInto(String directory) {
    String dirSlash = directory + "/";
    for (IgnorePattern p : patterns) {
      if (p.isException() && (p.withoutTrailingGlob() + "/").startsWith(dirSlash)) {
        return true;
      }
    }
    return false;
  }

  private static boolean containsGlobChar(String s) {
    for (int i = 0; i < s.length(); i++) {
      if ("*[]?^\\".indexOf(s.charAt(i)) >= 0) {
        return true;
      }
    }
    return false;
  }

  /** bufio.ScanLines: split at '\n', drop one trailing '\r', no empty last line. */
  private static List<String> lines(String content) {
    List<String> lines = new ArrayList<>();
    int start = 0;
    while (start < content.length()) {
      int nl = content.indexOf('\n', start);
      int end = nl < 0 ? content.length() : nl;
      String line = content.substring(start, end);
      if (line.endsWith("\r")) {
        line = line.substring(0, line.length() - 1);
      }
      lines.add(line);
      start = end + 1;
    }
    return lines;
  }

  /** One line of ignorefile.ReadAll; null for comments and blank lines. */
  private static String readAllLine(String line) {
    if (line.startsWith("#")) {
      return null;
    }
    String pattern = trimSpace(line);
    if (pattern.isEmpty()) {
      return null;
    }
    boolean invert = pattern.charAt(0) == '!';
    if (invert) {
      pattern = trimSpace(pattern.substring(1));
    }
    if (!pattern.isEmpty()) {
      pattern = SlashPaths.clean(pattern);
      if (pattern.length() > 1 && pattern.charAt(0) == '/') {
        pattern = pattern.substring(1);
      }
    }
    return invert ? "!" + pattern : pattern;
  }

  /** One entry of patternmatcher.New; null for blank entries. */
  private static IgnorePattern compileEntry(String source, int line, String raw, String written)
      throws DockerfileException {
    String p = trimSpace(raw);
    if (p.isEmpty()) {
      return null;
    }
    p = SlashPaths.clean(p);
    boolean exception = false;
    if (p.charAt(0) == '!') {
      if (p.length() == 1) {
        throw new DockerfileException(source, line, "illegal exclusion pattern: \"!\"");
      }
      exception = true;
      p = p.substring(1);
    }
    try {
      return IgnorePattern.compile(p, exception, line);
    } catch (GoRegexp.SyntaxException e) {
      String detail = e.getMessage().startsWith("syntax error in pattern")
          ? e.getMessage() : "syntax error in pattern: " + e.getMessage();
      throw new DockerfileException(source, line,
          detail + " (pattern \"" + trimSpace(written) + "\")");
    }
  }

  /** Go's strings.TrimSpace (Unicode White_Space, which differs from Java's strip()). */
  private static String trimSpace(String s) {
    int start = 0;
    int end = s.length();
    while (start < end && isGoSpace(s.charAt(start))) {
      start++;
    }
    while (end > start && isGoSpace(s.charAt(end - 1))) {
      end--;
    }
    return s.substring(start, end);
  }

  private static boolean isGoSpace(char c) {
    switch (c) {
      case '\t':
      case '\n':
      case 0x0b:
      case '\f':
      case '\r':
      case ' ':
      case 0x85:
      case 0xa0:
      case 0x1680:
      case 0x2028:
      case 0x2029:
      case 0x202f:
      case 0x205f:
      case 0x3000:
        return true;
      default:
        return c >= 0x2000 && c <= 0x200a;
    }
  }
}
