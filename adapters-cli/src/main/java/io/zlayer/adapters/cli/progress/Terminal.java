package io.zlayer.adapters.cli.progress;

/**
 * What the CLI knows about the terminal it writes to: whether standard output and standard
 * error are terminals, and the current size. Tests and embedding hosts pass a {@link #fixed}
 * terminal; {@code zlayer} itself uses {@link SystemTerminal}.
 */
public interface Terminal {
  /** Columns assumed when the size cannot be found out. */
  int DEFAULT_COLUMNS = 80;

  /** Rows assumed when the size cannot be found out. */
  int DEFAULT_ROWS = 24;

  boolean stdoutIsTerminal();

  boolean stderrIsTerminal();

  /**
   * The current size. Cheap enough to call a few times a second: implementations cache and
   * refresh it themselves, so a resized window is noticed within about a second.
   */
  Size size();

  /** A terminal size in character cells. */
  record Size(int columns, int rows) {
    public Size {
      if (columns <= 0 || rows <= 0) {
        throw new IllegalArgumentException("terminal size must be positive: " + columns + "x"
            + rows);
      }
    }
  }

  /** A terminal whose answers never change. */
  static Terminal fixed(boolean stdoutIsTerminal, boolean stderrIsTerminal, int columns, int rows) {
    Size size = new Size(columns, rows);
    return new Terminal() {
      @Override
      public boolean stdoutIsTerminal() {
        return stdoutIsTerminal;
      }

      @Override
      public boolean stderrIsTerminal() {
        return stderrIsTerminal;
      }

      @Override
      public Size size() {
        return size;
      }
    };
  }
}
