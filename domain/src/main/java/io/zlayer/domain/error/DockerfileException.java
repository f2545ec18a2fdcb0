package io.zlayer.domain.error;

import java.util.Optional;

/**
 * A problem in a build definition (Dockerfile, ignore file, expansion), located by source name
 * and 1-based line when known. Rendered as {@code Dockerfile:3: unknown instruction: FORM}.
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
    super(render(source, line, detail));
    this.source = source;
    this.line = line;
    this.detail = detail;
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
