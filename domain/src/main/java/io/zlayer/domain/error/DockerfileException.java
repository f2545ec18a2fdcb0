package io.zlayer.domain.error;

import java.util.Optional;

/**
 * A problem in a build definition (Dockerfile, ignore file, expansion), located by source name
 * and 1-based line when known. Rendered as {@code Dockerfile:3: unknown instruction: FORM}, always
 * on one line.
 */
public final class DockerfileException extends ZlayerException {
  private final String source;
  private final int line;
  private final String detail;

  public DockerfileException(String detail) {
    this(null, 0, detail);
  }

  public DockerfileException(int line, String detail) {
    this(null, line, detail);
  }

  public DockerfileException(String source, int line, String detail) {
    super(render(source, line, oneLine(detail)));
    this.source = source;
    this.line = line;
    this.detail = oneLine(detail);
  }

  private static String render(String source, int line, String detail) {
    StringBuilder sb = new StringBuilder();
    if (source != null) {
      sb.append(source);
      if (line > 0) {
        sb.append(':').append(line);
      }
      sb.append(": ");
    } else if (line > 0) {
      sb.append("line ").append(line).append(": ");
    }
    return sb.append(detail).toString();
  }

  /**
   * The detail with line breaks and other control characters (tab excepted) written as Go
   * escapes ({@code \r}, {@code \x00}), so that quoting what the user wrote cannot break the
   * message over several lines.
   */
  private static String oneLine(String s) {
    StringBuilder out = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      String escape = switch (c) {
        case '\u0007' -> "\\a";
        case '\b' -> "\\b";
        case '\f' -> "\\f";
        case '\n' -> "\\n";
        case '\r' -> "\\r";
        case '\u000b' -> "\\v";
        case '\u0085', '\u2028', '\u2029' -> String.format("\\u%04x", (int) c);
        default -> (c < 0x20 && c != '\t') || c == 0x7f
            ? String.format("\\x%02x", (int) c) : null;
      };
      if (escape != null && out == null) {
        out = new StringBuilder(s.length() + 8).append(s, 0, i);
      }
      if (escape != null) {
        out.append(escape);
      } else if (out != null) {
        out.append(c);
      }
    }
    return out == null ? s : out.toString();
  }

  public Optional<String> source() {
    return Optional.ofNullable(source);
  }

  /** 1-based line, or 0 when unknown. */
  public int line() {
    return line;
  }

  public String detail() {
    return detail;
  }

  /** The same error attributed to a line, unless it already has one. */
  public DockerfileException atLine(int newLine) {
    if (line > 0) {
      return this;
    }
    DockerfileException e = new DockerfileException(source, newLine, detail);
    e.initCause(this);
    return e;
  }

  /** The same error attributed to a file (e.g. "Dockerfile"), unless it already has one. */
  public DockerfileException inSource(String newSource) {
    if (source != null) {
      return this;
    }
    DockerfileException e = new DockerfileException(newSource, line, detail);
    e.initCause(this);
    return e;
  }
}
