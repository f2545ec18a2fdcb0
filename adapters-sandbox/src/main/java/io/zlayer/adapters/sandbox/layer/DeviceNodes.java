package io.zlayer.adapters.sandbox.layer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Creates device nodes, fifos and overlay whiteouts. The JDK cannot call mknod(2), so this runs
 * the {@code mknod} program, many nodes per process: one {@code sh} loop per batch.
 */
final class DeviceNodes {
  // touch -h sets the time through utimensat without opening the node (opening a fifo blocks,
  // opening a device node reaches the host's device).
  private static final String SCRIPT = "while [ $# -gt 0 ]; do"
      + " if [ \"$2\" = p ]; then mknod -m \"$5\" -- \"$1\" p || exit 1;"
      + " else mknod -m \"$5\" -- \"$1\" \"$2\" \"$3\" \"$4\" || exit 1; fi;"
      + " if [ \"$6\" != - ]; then touch -h -m -d \"$6\" -- \"$1\" || exit 1; fi;"
      + " shift 6; done";
  private static final int FIELDS = 6;
  private static final int MAX_ARGUMENT_BYTES = 96 * 1024;

  private final List<String> arguments = new ArrayList<>();

  /** Queues a node; nothing exists on disk before {@link #create()}. */
  void add(Path path, FileType type, long major, long minor, int permissions,
      Optional<FileTime> mtime) {
    String kind;
    switch (type) {
      case CHAR_DEVICE:
        kind = "c";
        break;
      case BLOCK_DEVICE:
        kind = "b";
        break;
      case FIFO:
        kind = "p";
        break;
      default:
        throw new IllegalArgumentException("mknod cannot create a " + type);
    }
    List<String> args = List.of(path.toString(), kind, Long.toString(major),
        Long.toString(minor), Integer.toOctalString(permissions & 07777),
        mtime.map(DeviceNodes::touchTime).orElse("-"));
    arguments.addAll(args);
  }

  /** Queues an overlayfs whiteout (character device 0/0, mode 0). */
  void addWhiteout(Path path, Optional<FileTime> mtime) {
    add(path, FileType.CHAR_DEVICE, 0, 0, 0, mtime);
  }

  private static String touchTime(FileTime time) {
    Instant t = time.toInstant();
    return "@" + java.math.BigDecimal.valueOf(t.getEpochSecond())
        .add(java.math.BigDecimal.valueOf(t.getNano(), 9)).toPlainString();
  }

  boolean isEmpty() {
    return arguments.isEmpty();
  }

  /** Creates every queued node, in order; fails on the first that cannot be made. */
  void create() throws IOException {
    int from = 0;
    while (from < arguments.size()) {
      int to = from;
      int bytes = 0;
      while (to < arguments.size() && (to == from || bytes < MAX_ARGUMENT_BYTES)) {
        for (int i = 0; i < FIELDS; i++) {
          bytes += arguments.get(to + i).getBytes(StandardCharsets.UTF_8).length + 1;
        }
        to += FIELDS;
      }
      run(arguments.subList(from, to));
      from = to;
    }
    arguments.clear();
  }

  private static void run(List<String> batch) throws IOException {
    List<String> command = new ArrayList<>(List.of("/bin/sh", "-c", SCRIPT, "mknod"));
    command.addAll(batch);
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().put("LC_ALL", "C");
    Process p = pb.start();
    p.getOutputStream().close();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (!p.waitFor(5, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new IOException("mknod timed out");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while running mknod", e);
    }
    if (p.exitValue() != 0) {
      throw new IOException(output.strip().lines().findFirst().orElse(
          "mknod failed (exit " + p.exitValue() + ")"));
    }
  }
}
