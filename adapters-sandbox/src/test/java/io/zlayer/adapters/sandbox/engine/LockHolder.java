package io.zlayer.adapters.sandbox.engine;

import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Another process for {@link LockFilesTest}: holds an fcntl lock until its stdin closes. */
public final class LockHolder {
  private LockHolder() {}

  public static void main(String[] args) throws Exception {
    boolean shared = args.length > 1 && args[1].equals("shared");
    try (FileChannel channel = FileChannel.open(Path.of(args[0]), StandardOpenOption.CREATE,
        StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileLock lock = channel.lock(0, Long.MAX_VALUE, shared)) {
      System.out.println("locked");
      System.out.flush();
      while (System.in.read() >= 0) {
        // hold until the parent closes our stdin
      }
    }
  }
}
