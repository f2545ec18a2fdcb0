package io.zlayer.adapters.sandbox.layer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Extended attributes of every namespace. The JDK reaches only {@code user.*}; the rest
 * ({@code security.capability} above all) goes through the {@code getfattr}/{@code setfattr}
 * programs of the attr package, one process for a whole tree. Without them only {@code user.*}
 * attributes are seen, which {@link #seesAllNamespaces()} tells.
 */
final class ExtendedAttributes {
  private static final String GETFATTR = findProgram("getfattr");
  private static final String SETFATTR = findProgram("setfattr");
  private static final String USER = "user.";

  private ExtendedAttributes() {}

  /** Whether security.*, trusted.* and system.* attributes are read and written too. */
  static boolean seesAllNamespaces() {
    return GETFATTR != null && SETFATTR != null;
  }

  /** overlayfs's own bookkeeping (opaque, origin, impure, uuid, redirect...). */
  static boolean isOverlay(String name) {
    return name.startsWith("user.overlay.") || name.startsWith("trusted.overlay.");
  }

  /**
   * Whether an attribute belongs in a layer. SELinux labels are the host's policy, never the
   * image's content, so they are dropped like overlayfs's own attributes.
   */
  static boolean isPreserved(String name) {
    return !isOverlay(name) && !name.equals("security.selinux");
  }

  /** The attributes of the entries of a tree, keyed by path relative to the tree's root. */
  interface TreeAttributes {
    /** All attributes of one entry (empty map when none). */
    Map<String, byte[]> of(String relative, Path path, FileMetadata metadata) throws IOException;
  }

  /** Reads every entry's attributes under {@code root} in one go when the tools are there. */
  static TreeAttributes forTree(Path root) throws IOException {
    if (GETFATTR == null) {
      return (relative, path, metadata) -> readUser(path, metadata);
    }
    Map<String, Map<String, byte[]>> all = dump(root, true);
    return (relative, path, metadata) -> all.getOrDefault(relative, Map.of());
  }

  /** All attributes of one entry (only {@code user.*} without the tools). */
  static Map<String, byte[]> read(Path path, FileMetadata metadata) throws IOException {
    if (GETFATTR == null) {
      return readUser(path, metadata);
    }
    return dump(path, false).getOrDefault("", Map.of());
  }

  private static Map<String, byte[]> readUser(Path path, FileMetadata metadata)
      throws IOException {
    if (!metadata.isRegular() && !metadata.isDirectory()) {
      return Map.of(); // the kernel allows user.* only on regular files and directories
    }
    UserDefinedFileAttributeView view = Files.getFileAttributeView(path,
        UserDefinedFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
    List<String> names;
    try {
      names = view.list();
    } catch (FileSystemException e) {
      if (e.getMessage() != null && e.getMessage().contains("not supported")) {
        return Map.of();
      }
      throw e;
    }
    if (names.isEmpty()) {
      return Map.of();
    }
    Map<String, byte[]> values = new TreeMap<>();
    for (String name : names) {
      ByteBuffer buffer = ByteBuffer.allocate(view.size(name));
      view.read(name, buffer);
      values.put(USER + name, buffer.array());
    }
    return values;
  }

  /** Runs getfattr over {@code path} (recursively or not) and parses its dump. */
  private static Map<String, Map<String, byte[]>> dump(Path path, boolean recursive)
      throws IOException {
    String root = path.toAbsolutePath().normalize().toString();
    List<String> command = new ArrayList<>(List.of(GETFATTR, "-P", "-h", "-d", "-m", "-",
        "-e", "hex", "--absolute-names"));
    if (recursive) {
      command.add("-R");
    }
    command.add("--");
    command.add(root);
    byte[] output = run(command);
    return parseDump(output, root);
  }

  static Map<String, Map<String, byte[]>> parseDump(byte[] output, String root)
      throws IOException {
    Map<String, Map<String, byte[]>> result = new HashMap<>();
    byte[] rootBytes = root.getBytes(StandardCharsets.UTF_8);
    Map<String, byte[]> current = null;
    int start = 0;
    for (int i = 0; i <= output.length; i++) {
      if (i < output.length && output[i] != '\n') {
        continue;
      }
      byte[] line = java.util.Arrays.copyOfRange(output, start, i);
      start = i + 1;
      if (line.length == 0) {
        current = null;
        continue;
      }
      if (startsWith(line, "# file: ")) {
        byte[] file = unquote(line, 8, line.length);
        String relative = relativeTo(file, rootBytes);
        current = new TreeMap<>();
        result.put(relative, Collections.unmodifiableMap(current));
        continue;
      }
      if (current == null || line[0] == '#') {
        continue;
      }
      int eq = indexOf(line, (byte) '=');
      String name = new String(unquote(line, 0, eq < 0 ? line.length : eq),
          StandardCharsets.UTF_8);
      byte[] value = new byte[0];
      if (eq >= 0) {
        String text = new String(line, eq + 1, line.length - eq - 1, StandardCharsets.US_ASCII);
        if (!text.startsWith("0x")) {
          throw new IOException("getfattr printed an unexpected value for " + name);
        }
        value = HexFormat.of().parseHex(text.substring(2));
      }
      current.put(name, value);
    }
    return result;
  }

  private static String relativeTo(byte[] file, byte[] root) throws IOException {
    if (file.length == root.length && startsWith(file, root)) {
      return "";
    }
    int offset = root.length == 1 ? 1 : root.length + 1; // root "/" has no extra separator
    if (file.length < offset || !startsWith(file, root)
        || (root.length > 1 && file[root.length] != '/')) {
      throw new IOException("getfattr printed a path outside "
          + new String(root, StandardCharsets.UTF_8));
    }
    return new String(file, offset, file.length - offset, StandardCharsets.UTF_8);
  }

  /** Undoes getfattr's quoting: {@code \ooo} octal escapes and nothing else. */
  private static byte[] unquote(byte[] line, int from, int to) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(to - from);
    for (int i = from; i < to; i++) {
      byte b = line[i];
      if (b == '\\' && isOctal(line, i + 1, to)) {
        out.write(((line[i + 1] - '0') << 6) | ((line[i + 2] - '0') << 3) | (line[i + 3] - '0'));
        i += 3;
      } else {
        out.write(b);
      }
    }
    return out.toByteArray();
  }

  private static boolean isOctal(byte[] line, int from, int to) {
    if (from + 3 > to) {
      return false;
    }
    for (int i = from; i < from + 3; i++) {
      if (line[i] < '0' || line[i] > '7') {
        return false;
      }
    }
    return true;
  }

  /** Quotes a path or name the way setfattr's restore unquotes it. */
  private static void quote(byte[] raw, ByteArrayOutputStream out) {
    for (byte b : raw) {
      int c = b & 0xff;
      if (c <= ' ' || c == '\\' || c == '=' || c >= 0x7f) {
        out.write('\\');
        out.write('0' + ((c >> 6) & 7));
        out.write('0' + ((c >> 3) & 7));
        out.write('0' + (c & 7));
      } else {
        out.write(c);
      }
    }
  }

  /** One entry's attributes to set. */
  record Assignment(Path path, FileType type, Map<String, byte[]> values) {}

  /**
   * Sets attributes; {@code user.*} through the JDK, the others through one setfattr run. Never
   * follows a final symlink. Returns one line per attribute that could not be set.
   */
  static List<String> write(List<Assignment> assignments) throws IOException {
    List<String> warnings = new ArrayList<>();
    ByteArrayOutputStream restore = new ByteArrayOutputStream();
    for (Assignment a : assignments) {
      ByteArrayOutputStream block = new ByteArrayOutputStream();
      for (Map.Entry<String, byte[]> e : new TreeMap<>(a.values()).entrySet()) {
        String name = e.getKey();
        if (name.startsWith(USER) && (a.type() == FileType.REGULAR
            || a.type() == FileType.DIRECTORY)) {
          Files.getFileAttributeView(a.path(), UserDefinedFileAttributeView.class,
              LinkOption.NOFOLLOW_LINKS).write(name.substring(USER.length()),
              ByteBuffer.wrap(e.getValue()));
        } else if (SETFATTR == null) {
          warnings.add(a.path() + ": extended attribute " + name
              + " not set (the setfattr program is not installed)");
        } else {
          quote(name.getBytes(StandardCharsets.UTF_8), block);
          block.write('=');
          block.writeBytes(("0x" + HexFormat.of().formatHex(e.getValue()))
              .getBytes(StandardCharsets.US_ASCII));
          block.write('\n');
        }
      }
      if (block.size() > 0) {
        restore.writeBytes("# file: ".getBytes(StandardCharsets.US_ASCII));
        quote(a.path().toAbsolutePath().toString().getBytes(StandardCharsets.UTF_8), restore);
        restore.write('\n');
        restore.writeBytes(block.toByteArray());
        restore.write('\n');
      }
    }
    if (restore.size() > 0) {
      Path dumpFile = Files.createTempFile("zlayer-xattrs", ".txt");
      try {
        Files.write(dumpFile, restore.toByteArray());
        String output = new String(runAllowingFailure(
            List.of(SETFATTR, "-h", "--restore=" + dumpFile), dumpFile), StandardCharsets.UTF_8);
        output.lines().filter(l -> !l.isBlank()).forEach(warnings::add);
      } finally {
        Files.deleteIfExists(dumpFile);
      }
    }
    return warnings;
  }

  private static byte[] run(List<String> command) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().put("LC_ALL", "C");
    pb.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    Path errors = Files.createTempFile("zlayer-getfattr", ".err");
    try {
      pb.redirectError(errors.toFile());
      Process p = pb.start();
      byte[] out = p.getInputStream().readAllBytes();
      int code = waitFor(p);
      if (code != 0) {
        String err = Files.readString(errors).strip().lines().findFirst().orElse("");
        throw new IOException(command.get(0) + " failed (exit " + code + "): " + err);
      }
      return out;
    } finally {
      Files.deleteIfExists(errors);
    }
  }

  private static byte[] runAllowingFailure(List<String> command, Path stdin) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().put("LC_ALL", "C");
    pb.redirectInput(ProcessBuilder.Redirect.from(stdin.toFile()));
    Process p = pb.start();
    byte[] out = p.getInputStream().readAllBytes();
    waitFor(p);
    return out;
  }

  private static int waitFor(Process p) throws IOException {
    try {
      if (!p.waitFor(10, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new IOException("timed out waiting for " + p.info().command().orElse("a process"));
      }
      return p.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  private static boolean startsWith(byte[] data, String prefix) {
    return startsWith(data, prefix.getBytes(StandardCharsets.US_ASCII));
  }

  private static boolean startsWith(byte[] data, byte[] prefix) {
    if (data.length < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (data[i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  private static int indexOf(byte[] data, byte b) {
    for (int i = 0; i < data.length; i++) {
      if (data[i] == b) {
        return i;
      }
    }
    return -1;
  }

  static String findProgram(String name) {
    String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
    for (String dir : (path + ":/usr/sbin:/sbin:/usr/bin:/bin").split(":")) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
        return Path.of(dir, name).toString();
      }
    }
    return null;
  }
}
