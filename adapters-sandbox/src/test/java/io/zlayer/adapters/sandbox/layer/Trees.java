package io.zlayer.adapters.sandbox.layer;

import io.zlayer.application.testing.RealParts;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/** Small helpers to build directory trees and look into tars in tests. */
final class Trees {
  private Trees() {}

  static Path write(Path root, String rel, String content) throws IOException {
    Path p = root.resolve(rel);
    Files.createDirectories(p.getParent());
    Files.writeString(p, content);
    return p;
  }

  static void sh(String script) throws IOException, InterruptedException {
    RealParts.run(null, "/bin/sh", "-c", script);
  }

  static void mtime(Path p, long seconds) throws IOException {
    Files.getFileAttributeView(p, java.nio.file.attribute.BasicFileAttributeView.class,
        LinkOption.NOFOLLOW_LINKS).setTimes(FileTime.from(Instant.ofEpochSecond(seconds)), null,
        null);
  }

  /** Sets every mtime under root (root too) to a fixed time, deepest first. */
  static void fixTimes(Path root, long seconds) throws IOException {
    List<Path> all = new ArrayList<>();
    try (Stream<Path> s = Files.walk(root)) {
      s.forEach(all::add);
    }
    for (int i = all.size() - 1; i >= 0; i--) {
      if (!FileMetadata.read(all.get(i)).type().isSpecial()) {
        mtime(all.get(i), seconds);
      }
    }
  }

  static byte[] tar(Path dir) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new LayerTarWriter().write(dir, out,
        LayerTarOptions.of(io.zlayer.domain.image.LayerCompression.NONE));
    return out.toByteArray();
  }

  static List<TarArchiveEntry> entries(byte[] tar) throws IOException {
    List<TarArchiveEntry> list = new ArrayList<>();
    try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
      TarArchiveEntry e;
      while ((e = in.getNextEntry()) != null) {
        list.add(e);
      }
    }
    return list;
  }

  static List<String> names(byte[] tar) throws IOException {
    List<String> names = new ArrayList<>();
    for (TarArchiveEntry e : entries(tar)) {
      names.add(e.getName());
    }
    return names;
  }

  /** Our own reader's view: name → header, in order. */
  static Map<String, TarHeader> headers(byte[] tar) throws IOException {
    Map<String, TarHeader> map = new java.util.LinkedHashMap<>();
    TarReader r = new TarReader(new ByteArrayInputStream(tar));
    TarHeader h;
    while ((h = r.next()) != null) {
      map.put(h.name(), h);
    }
    return map;
  }

  /** "path type perms uid:gid size [-> target]" for every entry under root, sorted. */
  static List<String> listing(Path root) throws IOException {
    TreeMap<String, String> lines = new TreeMap<>();
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        if (p.equals(root)) {
          continue;
        }
        FileMetadata m = FileMetadata.read(p);
        String rel = root.relativize(p).toString();
        String line = rel + " " + m.type() + " " + Integer.toOctalString(m.permissions()) + " "
            + m.uid() + ":" + m.gid() + " " + (m.isRegular() ? m.size() : 0);
        if (m.isSymlink()) {
          line += " -> " + Files.readSymbolicLink(p);
        }
        lines.put(rel, line);
      }
    }
    return new ArrayList<>(lines.values());
  }

  static String utf8(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }
}
