package io.zlayer.domain.dockerfile.parser;

import io.zlayer.domain.dockerfile.parser.InstructionArguments.ArgumentException;
import io.zlayer.domain.dockerfile.parser.InstructionArguments.Arguments;
import io.zlayer.domain.dockerfile.parser.InstructionArguments.SplitCommand;
import io.zlayer.domain.error.DockerfileException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * BuildKit's Dockerfile parser ({@code frontend/dockerfile/parser}): turns the text of a
 * Dockerfile into the raw AST of {@link Node}s, with BuildKit's rules for parser directives, line
 * continuations, comments, heredocs and the per-instruction argument forms.
 *
 * <p>Like BuildKit's parser it keeps instructions it does not know (with one empty argument);
 * rejecting them is the job of the typed instruction layer.
 *
 * <p>Text is handled with Go's byte semantics (see {@link GoText}); the {@code byte[]} overload
 * keeps invalid UTF-8 exactly as BuildKit does, so the dump of any file matches BuildKit's.
 *
 * <p>Differences from BuildKit, all on input BuildKit cannot build either: ONBUILD may be nested
 * at most {@value #MAX_ONBUILD_NESTING} levels deep (BuildKit's instruction layer forbids
 * {@code ONBUILD ONBUILD} altogether), and error lines are 1-based line numbers where BuildKit
 * sometimes reports the line before.
 */
public final class DockerfileParser {
  /** BuildKit reads lines with a {@code bufio.Scanner} whose token limit is 64 KiB. */
  static final int MAX_LINE_BYTES = 64 * 1024;

  static final int MAX_ONBUILD_NESTING = 64;

  private static final String EMPTY_CONTINUATION = "Empty continuation line found in: ";

  private final String text;
  private final String source;
  private final Directives directives = new Directives();

  private DockerfileParser(String canonicalText, String source) {
    this.text = canonicalText;
    this.source = source;
  }

  /** Parses a Dockerfile given as text. */
  public static ParseResult parse(String text) throws DockerfileException {
    return parse(text, null);
  }

  /**
   * Parses a Dockerfile given as text; {@code sourceName} (e.g. "Dockerfile") prefixes error
   * messages, or null for none.
   */
  public static ParseResult parse(String text, String sourceName) throws DockerfileException {
    return new DockerfileParser(GoText.canonical(text), sourceName).run();
  }

  /**
   * Parses a Dockerfile given as bytes. Valid UTF-8 becomes ordinary text; each byte of an
   * invalid sequence is kept as one char in U+DC80..U+DCFF (which {@link GoQuote} and
   * {@link AstDump} print back as {@code \xNN}, like BuildKit).
   */
  public static ParseResult parse(byte[] content, String sourceName) throws DockerfileException {
    return new DockerfileParser(GoText.decode(content), sourceName).run();
  }

  private DockerfileException error(int line, String detail) {
    return new DockerfileException(source, line, detail);
  }

  // ---- reading lines -----------------------------------------------------------------------

  /** Lines with their line endings kept, stopping (like Go's scanner) at an over-long line. */
  private final class Lines {
    private int pos;
    private int read;
    private int tooLongLine;

    /** The next line including its "\n", or null at the end or at an over-long line. */
    String next() {
      if (tooLongLine > 0 || pos >= text.length()) {
        return null;
      }
      int newline = text.indexOf('\n', pos);
      int contentEnd = newline < 0 ? text.length() : newline;
      int end = newline < 0 ? text.length() : newline + 1;
      int chars = contentEnd - pos;
      if (chars * 3 >= MAX_LINE_BYTES
          && GoText.byteLength(text.substring(pos, contentEnd)) >= MAX_LINE_BYTES) {
        tooLongLine = read + 1;
        return null;
      }
      String line = text.substring(pos, end);
      pos = end;
      read++;
      return line;
    }
  }

  // ---- parser directives -------------------------------------------------------------------

  /** BuildKit's {@code DirectiveParser} plus the escape token it sets. */
  private final class Directives {
    private boolean done;
    private final Set<String> seen = new HashSet<>();
    private final List<ParserDirective> found = new ArrayList<>();
    private char escape = '\\';

    /** Looks at a line (newline and, for first lines, leading space removed); true if directive. */
    boolean parseLine(String line, int lineNumber) throws DockerfileException {
      if (done) {
        return false;
      }
      if (!line.startsWith("#")) {
        done = true;
        return false;
      }
      String[] match = matchDirective(GoText.trimLeftSpace(line.substring(1)));
      if (match == null) {
        done = true;
        return false;
      }
      String name = GoText.toLower(match[0]);
      if (!name.equals("syntax") && !name.equals("escape") && !name.equals("check")) {
        done = true;
        return false;
      }
      if (!seen.add(name)) {
        throw error(lineNumber, "only one " + name + " parser directive can be used");
      }
      String value = match[1];
      if (name.equals("escape")) {
        if (!value.equals("`") && !value.equals("\\")) {
          throw error(lineNumber,
              "invalid escape token '" + printable(value) + "' does not match ` or \\");
        }
        escape = value.charAt(0);
      }
      found.add(new ParserDirective(name, value, lineNumber));
      return true;
    }
  }

  private static boolean isRegexSpace(char c) {
    return c == '\t' || c == '\n' || c == '\f' || c == '\r' || c == ' ';
  }

  private static boolean isAsciiLetter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  /**
   * BuildKit's {@code ^([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$} (Go's {@code \s} is
   * {@code [\t\n\f\r ]}), matched by hand: returns {name, value} or null.
   */
  static String[] matchDirective(String s) {
    int n = s.length();
    if (n == 0 || !isAsciiLetter(s.charAt(0))) {
      return null;
    }
    int i = 1;
    while (i < n && (isAsciiLetter(s.charAt(i)) || (s.charAt(i) >= '0' && s.charAt(i) <= '9'))) {
      i++;
    }
    String name = s.substring(0, i);
    while (i < n && isRegexSpace(s.charAt(i))) {
      i++;
    }
    if (i >= n || s.charAt(i) != '=') {
      return null;
    }
    int afterEquals = i + 1;
    int valueStart = afterEquals;
    while (valueStart < n && isRegexSpace(s.charAt(valueStart))) {
      valueStart++;
    }
    if (valueStart == n) {
      // only whitespace after '=': the lazy group takes the last whitespace char
      return afterEquals == n ? null : new String[] {name, s.substring(n - 1)};
    }
    int valueEnd = n;
    while (valueEnd > valueStart && isRegexSpace(s.charAt(valueEnd - 1))) {
      valueEnd--;
    }
    return new String[] {name, s.substring(valueStart, valueEnd)};
  }

  // ---- the main loop -----------------------------------------------------------------------

  private ParseResult run() throws DockerfileException {
    Lines lines = new Lines();
    int currentLine = 0;
    List<Node> children = new ArrayList<>();
    List<ParseWarning> warnings = new ArrayList<>();
    List<String> comments = new ArrayList<>();
    String raw;
    while ((raw = lines.next()) != null) {
      String bytesRead = raw;
      if (currentLine == 0 && bytesRead.startsWith("\uFEFF")) {
        bytesRead = bytesRead.substring(1);
      }
      if (isComment(bytesRead)) {
        String comment = GoText.trimSpace(dropFirstByte(bytesRead));
        if (comment.isEmpty()) {
          comments.clear();
        } else {
          comments.add(comment);
        }
      }
      String token = GoText.trimLeftSpace(trimNewline(bytesRead));
      if (directives.parseLine(token, currentLine + 1) && !comments.isEmpty()) {
        comments.remove(comments.size() - 1);
      }
      token = trimComment(token);
      currentLine++;
      int startLine = currentLine;

      Continued first = trimContinuation(token, directives.escape);
      if (first.complete() && first.text().isEmpty()) {
        continue;
      }
      StringBuilder buf = new StringBuilder(first.text());
      boolean complete = first.complete();
      boolean hasEmptyContinuation = false;
      while (!complete) {
        String next = lines.next();
        if (next == null) {
          break;
        }
        String continued = trimComment(trimNewline(next));
        currentLine++;
        if (isComment(next)) {
          continue;
        }
        if (GoText.trimLeftSpace(continued).isEmpty()) {
          hasEmptyContinuation = true;
          continue;
        }
        Continued part = trimContinuation(continued, directives.escape);
        buf.append(part.text());
        complete = part.complete();
      }
      String line = buf.toString();
      if (hasEmptyContinuation) {
        warnings.add(new ParseWarning(currentLine, EMPTY_CONTINUATION + line));
      }

      Draft child;
      try {
        child = newNodeFromLine(line, 0);
      } catch (ArgumentException e) {
        throw error(startLine, printable(e.getMessage()));
      }

      List<Heredoc> heredocs = new ArrayList<>();
      if (child.canContainHeredoc() && line.contains("<<")) {
        for (HeredocStart start : heredocsFromLine(line, startLine)) {
          StringBuilder content = new StringBuilder();
          boolean terminated = false;
          String body;
          while ((body = lines.next()) != null) {
            currentLine++;
            String possibleTerminator = trimNewline(body);
            if (start.chomp()) {
              possibleTerminator = trimLeadingTabs(possibleTerminator);
            }
            if (possibleTerminator.equals(start.name())) {
              terminated = true;
              break;
            }
            content.append(body);
          }
          if (!terminated) {
            throw error(startLine, "unterminated heredoc <<" + (start.chomp() ? "-" : "")
                + printable(start.name()));
          }
          String bodyText = start.chomp() ? chompLeadingTabs(content) : content.toString();
          heredocs.add(new Heredoc(start.name(), bodyText, start.expand(), start.chomp()));
        }
      }
      children.add(child.toNode(startLine, currentLine, heredocs, comments));
      comments = new ArrayList<>();
    }

    if (children.isEmpty()) {
      throw error(0, "file with no instructions");
    }
    if (lines.tooLongLine > 0) {
      throw error(lines.tooLongLine,
          "dockerfile line greater than max allowed size of " + (MAX_LINE_BYTES - 1));
    }
    Node root = new Node("", List.of(), children, List.of(), false, "", List.of(),
        children.get(0).startLine(), children.get(children.size() - 1).endLine(), List.of());
    return new ParseResult(root, directives.escape, directives.found, warnings);
  }

  private static String trimNewline(String s) {
    int end = s.length();
    while (end > 0 && (s.charAt(end - 1) == '\n' || s.charAt(end - 1) == '\r')) {
      end--;
    }
    return s.substring(0, end);
  }

  private static String trimLeadingTabs(String s) {
    int i = 0;
    while (i < s.length() && s.charAt(i) == '\t') {
      i++;
    }
    return s.substring(i);
  }

  /** BuildKit's {@code ChompHeredocContent}: removes the tabs that start each line. */
  private static String chompLeadingTabs(CharSequence content) {
    StringBuilder sb = new StringBuilder(content.length());
    boolean lineStart = true;
    for (int i = 0; i < content.length(); i++) {
      char c = content.charAt(i);
      if (lineStart && c == '\t') {
        continue;
      }
      lineStart = c == '\n';
      sb.append(c);
    }
    return sb.toString();
  }

  private static boolean isComment(String line) {
    String trimmed = GoText.trimLeftSpace(line);
    return !trimmed.isEmpty() && trimmed.charAt(0) == '#';
  }

  private static String trimComment(String line) {
    return isComment(line) ? "" : line;
  }

  /** Go's {@code bytesRead[1:]}: drops the first byte, which may split a multi-byte rune. */
  private static String dropFirstByte(String s) {
    char c = s.charAt(0);
    if (c < 0x80 || GoText.isByteEscape(c)) {
      return s.substring(1);
    }
    int width = GoText.runeWidth(s, 0);
    byte[] bytes = GoText.toBytes(s.substring(0, width));
    return GoText.decode(bytes, 1, bytes.length) + s.substring(width);
  }

  private record Continued(String text, boolean complete) {}

  /**
   * BuildKit's continuation regex {@code ([^E])E[ \t]*$|^E[ \t]*$} (E the escape token): an
   * escape token that ends the line, not itself escaped, continues it.
   */
  private static Continued trimContinuation(String line, char escape) {
    int end = line.length();
    while (end > 0 && (line.charAt(end - 1) == ' ' || line.charAt(end - 1) == '\t')) {
      end--;
    }
    if (end == 0 || line.charAt(end - 1) != escape) {
      return new Continued(line, true);
    }
    if (end == 1) {
      return new Continued("", false);
    }
    if (line.charAt(end - 2) == escape) {
      return new Continued(line, true);
    }
    return new Continued(line.substring(0, end - 1), false);
  }

  // ---- instructions ------------------------------------------------------------------------

  /** An instruction before its lines, heredocs and comments are known. */
  private static final class Draft {
    final String keyword;
    final String original;
    final List<String> flags;
    final Arguments arguments;
    /** For ONBUILD: the nested instruction, carried by a holder node in {@code next}. */
    final Draft nested;

    Draft(String keyword, String original, List<String> flags, Arguments arguments,
        Draft nested) {
      this.keyword = keyword;
      this.original = original;
      this.flags = flags;
      this.arguments = arguments;
      this.nested = nested;
    }

    /** BuildKit's {@code canContainHeredoc}: RUN, COPY, ADD in shell form, or ONBUILD of one. */
    boolean canContainHeredoc() {
      Draft node = keyword.equals("onbuild") && nested != null ? nested : this;
      return (node.keyword.equals("run") || node.keyword.equals("copy")
          || node.keyword.equals("add")) && !node.arguments.json();
    }

    Node toNode(int startLine, int endLine, List<Heredoc> heredocs, List<String> comments) {
      List<Node> next;
      if (nested != null) {
        Node inner = nested.toNode(startLine, endLine, List.of(), List.of());
        next = List.of(new Node("", List.of(), List.of(inner), List.of(), false, "", List.of(),
            0, 0, List.of()));
      } else {
        next = arguments.words().stream().map(Node::leaf).toList();
      }
      return new Node(keyword, next, List.of(), heredocs, arguments.json(), original, flags,
          startLine, endLine, comments);
    }
  }

  /** BuildKit's {@code newNodeFromLine}: split off keyword and flags, dispatch the rest. */
  private Draft newNodeFromLine(String line, int depth) throws ArgumentException {
    char escape = directives.escape;
    SplitCommand split = InstructionArguments.splitCommand(line, escape);
    String keyword = GoText.toLower(split.keyword());
    String rest = split.args();
    Draft nested = null;
    Arguments arguments;
    switch (keyword) {
      case "add", "copy", "volume" -> arguments = InstructionArguments.maybeJsonToList(rest);
      case "run", "cmd", "entrypoint", "shell" -> arguments = InstructionArguments.maybeJson(rest);
      case "arg" -> arguments = InstructionArguments.nameOrNameValues(rest, escape);
      case "env" -> arguments = InstructionArguments.nameValues(rest, "ENV", escape);
      case "label" -> arguments = InstructionArguments.nameValues(rest, "LABEL", escape);
      case "expose", "from" -> arguments = InstructionArguments.whitespaceDelimited(rest);
      case "healthcheck" -> arguments = InstructionArguments.healthConfig(rest);
      case "maintainer", "stopsignal", "user", "workdir" ->
          arguments = InstructionArguments.string(rest);
      case "onbuild" -> {
        arguments = Arguments.NONE;
        if (!rest.isEmpty()) {
          if (depth >= MAX_ONBUILD_NESTING) {
            throw new ArgumentException(
                "ONBUILD nested more than " + MAX_ONBUILD_NESTING + " levels deep");
          }
          nested = newNodeFromLine(rest, depth + 1);
        }
      }
      // BuildKit's parseIgnore: unknown instructions keep one empty argument node
      default -> arguments = Arguments.of(List.of(""));
    }
    return new Draft(keyword, line, split.flags(), arguments, nested);
  }

  // ---- heredocs ----------------------------------------------------------------------------

  /** A heredoc named on an instruction line, before its body is read. */
  record HeredocStart(String name, boolean expand, boolean chomp) {}

  /** BuildKit's {@code heredocsFromLine}: every {@code [n]<<[-]WORD} word of the line. */
  private List<HeredocStart> heredocsFromLine(String line, int lineNumber)
      throws DockerfileException {
    List<String> words;
    try {
      words = new HeredocLexer(true, true).processWords(line);
    } catch (HeredocLexer.LexException e) {
      return List.of();
    }
    List<HeredocStart> out = new ArrayList<>();
    for (String word : words) {
      HeredocStart start;
      try {
        start = heredocWord(word);
      } catch (HeredocLexer.LexException e) {
        throw error(lineNumber, printable(e.getMessage()));
      }
      if (start != null) {
        out.add(start);
      }
    }
    return out;
  }

  /**
   * BuildKit's {@code ParseHeredoc}: a word {@code ^(\d*)<<(-?)\s*([^<]*)$} names a heredoc;
   * its delimiter is the rest with quotes removed, and any quote in it turns expansion off.
   * Returns null when the word is no heredoc.
   */
  static HeredocStart heredocWord(String word) throws HeredocLexer.LexException {
    int i = 0;
    while (i < word.length() && word.charAt(i) >= '0' && word.charAt(i) <= '9') {
      i++;
    }
    if (!word.startsWith("<<", i)) {
      return null;
    }
    i += 2;
    boolean chomp = i < word.length() && word.charAt(i) == '-';
    if (chomp) {
      i++;
    }
    while (i < word.length() && isRegexSpace(word.charAt(i))) {
      i++;
    }
    String rest = word.substring(i);
    if (rest.isEmpty() || rest.indexOf('<') >= 0) {
      return null;
    }
    List<String> words = new HeredocLexer(false, false).processWords(rest);
    if (words.size() != 1) {
      return null;
    }
    List<String> wordsRaw = new HeredocLexer(true, false).processWords(rest);
    if (wordsRaw.size() != words.size()) {
      throw new HeredocLexer.LexException(
          "internal lexing of heredoc produced inconsistent results: " + rest);
    }
    String name = words.get(0);
    boolean expand = quoteCount(name) == quoteCount(wordsRaw.get(0));
    return new HeredocStart(name, expand, chomp);
  }

  /** User text inside a message: control characters as Go escapes, so it stays one line. */
  static String printable(String s) {
    StringBuilder sb = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == 0x7F || c == 0x85 || c == 0x2028 || c == 0x2029) {
        if (sb == null) {
          sb = new StringBuilder(s.length() + 8).append(s, 0, i);
        }
        String quoted = GoQuote.quote(String.valueOf(c));
        sb.append(quoted, 1, quoted.length() - 1);
      } else if (sb != null) {
        sb.append(c);
      }
    }
    return sb == null ? s : sb.toString();
  }

  private static int quoteCount(String s) {
    int n = 0;
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) == '\'' || s.charAt(i) == '"') {
        n++;
      }
    }
    return n;
  }
}
