package io.zlayer.adapters.cli.progress;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The real terminal on Linux. Java 17 cannot ask whether standard error is a terminal
 * ({@code System.console()} only answers for "both stdin and stdout"), so this reads where
 * {@code /proc/self/fd/1} and {@code /proc/self/fd/2} point: a terminal is {@code /dev/pts/N},
 * {@code /dev/ttyX} or {@code /dev/console}. The size comes from {@code COLUMNS}/{@code LINES}
 * when exported, else from {@code stty size </dev/tty}, and is re-read at most once a second.
 */
public final class SystemTerminal implements Terminal {
  private static final Duration REFRESH = Duration.ofSeconds(1);

  private final Path fdDirectory;
  private final Map<String, String> env;
  private final Supplier<Optional<Size>> sizeProbe;
  private final Clock clock;
  private Size cachedSize;
  private Instant sizeReadAt;

  /** The process's own terminal. */
  public SystemTerminal(Map<String, String> env) {
    this(Path.of("/proc/self/fd"), env, SystemTerminal::sttySize, Clock.systemUTC());
  }

  /**
   * @param fdDirectory a directory of file-descriptor links like {@code /proc/self/fd}
   * @param sizeProbe asks the terminal for its size; empty when there is none
   */
  public SystemTerminal(Path fdDirectory, Map<String, String> env,
      Supplier<Optional<Size>> sizeProbe, Clock clock) {
    this.fdDirectory = fdDirectory;
    this.env = Map.copyOf(env);
    this.sizeProbe = sizeProbe;
    this.clock = clock;
  }

  @Override
  public boolean stdoutIsTerminal() {
    return isTerminal(1);
  }

  @Override
  public boolean stderrIsTerminal() {
    return isTerminal(2);
  }

  private boolean isTerminal(int fd) {
    try {
      return isTerminalDevice(Files.readSymbolicLink(fdDirectory.resolve(Integer.toString(fd)))
          .toString());
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    }
  }

  /** Whether a file-descriptor link target names a terminal device. */
  static boolean isTerminalDevice(String target) {
    return target.startsWith("/dev/pts/") && target.length() > "/dev/pts/".length()
        || target.startsWith("/dev/tty")
        || target.equals("/dev/console");
  }

  @Override
  public synchronized Size size() {
    Instant now = clock.instant();
    if (cachedSize == null || !now.isBefore(sizeReadAt.plus(REFRESH))) {
      cachedSize = readSize();
      sizeReadAt = now;
    }
    return cachedSize;
  }

  private Size readSize() {
    int columns = positive(env.get("COLUMNS"));
    int rows = positive(env.get("LINES"));
    if (columns == 0 || rows == 0) {
      Optional<Size> probed = sizeProbe.get();
      if (probed.isPresent()) {
        columns = columns == 0 ? probed.get().columns() : columns;
        rows = rows == 0 ? probed.get().rows() : rows;
      }
    }
    return new Size(columns == 0 ? DEFAULT_COLUMNS : columns, rows == 0 ? DEFAULT_ROWS : rows);
  }

  private static int positive(String value) {
    if (value == null) {
      return 0;
    }
    try {
      return Math.max(Integer.parseInt(value.trim()), 0);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** {@code stty size </dev/tty}: "rows columns", or empty without a controlling terminal. */
  static Optional<Size> sttySize() {
    File tty = new File("/dev/tty");
    if (!tty.canRead()) {
      return Optional.empty();
    }
    Process process = null;
    try {
      process = new ProcessBuilder("stty", "size").redirectInput(tty)
          .redirectError(ProcessBuilder.Redirect.DISCARD).start();
      if (!process.waitFor(1, TimeUnit.SECONDS) || process.exitValue() != 0) {
        return Optional.empty();
      }
      try (InputStream in = process.getInputStream()) {
        return parseSttySize(new String(in.readNBytes(64), StandardCharsets.US_ASCII));
      }
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    } finally {
      if (process != null) {
        process.destroy();
      }
    }
  }

  static Optional<Size> parseSttySize(String output) {
    String[] parts = output.trim().split("\\s+");
    if (parts.length != 2) {
      return Optional.empty();
    }
    try {
      int rows = Integer.parseInt(parts[0]);
      int columns = Integer.parseInt(parts[1]);
      return rows > 0 && columns > 0 ? Optional.of(new Size(columns, rows)) : Optional.empty();
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
