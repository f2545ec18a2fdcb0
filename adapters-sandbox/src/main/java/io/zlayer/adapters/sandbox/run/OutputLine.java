package io.zlayer.adapters.sandbox.run;

/** One line a RUN step printed, without its line ending. */
public record OutputLine(Stream stream, String text) {
  public enum Stream {
    STDOUT,
    STDERR
  }
}
