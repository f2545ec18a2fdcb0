package io.zlayer.bootstrap.it;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * The file tree of an image: its layer tars applied in order, as an overlay applier does
 * (whiteouts and opaque directories of a layer hide the lower layers, a hard link is a regular
 * file with its target's content, missing parents are 0755 root directories). Read with
 * commons-compress, independently of zlayer's own layer code. One line per path: type, mode,
 * {@code uid:gid}, then the content's sha256 (files), the link target or the device numbers;
 * times are left out.
 */
final class FlattenedTree {
  private static final String WHITEOUT = ".wh.";
  private static final String OPAQUE = ".wh..wh..opq";

  private final SortedMap<String, String> entries;

  private FlattenedTree(SortedMap<String, String> entries) {
    this.entries = entries;
  }

  static FlattenedTree of(List<Path> layers) throws IOException {
    SortedMap<String, String> tree = new TreeMap<>();
    for (Path layer : layers) {
      apply(tree, layer);
    }
    addMissingParents(tree);
    return new FlattenedTree(tree);
  }

  SortedMap<String, String> entries() {
    return java.util.Collections.unmodifiableSortedMap(entries);
  }

  Optional<String> entry(String path) {
    return Optional.ofNullable(entries.get(path));
  }

  /** This tree with one path's entry replaced (or removed when {@code line} is empty). */
  FlattenedTree with(String path, Optional<String> line) {
    SortedMap<String, String> copy = new TreeMap<>(entries);
    line.ifPresentOrElse(l -> copy.put(path, l), () -> copy.remove(path));
    return new FlattenedTree(copy);
  }

  /** The paths whose entries differ, {@code path: left | right} ({@code -} for a missing one). */
  static List<String> differences(FlattenedTree left, FlattenedTree right) {
    Set<String> paths = new java.util.TreeSet<>(left.entries.keySet());
    paths.addAll(right.entries.keySet());
    List<String> out = new ArrayList<>();
    for (String p : paths) {
      String l = left.entries.getOrDefault(p, "-");
      String r = right.entries.getOrDefault(p, "-");
      if (!l.equals(r)) {
        out.add(p + ": " + l + " | " + r);
      }
    }
    return out;
  }

  private record Item(String path, String line, String hardLinkTarget) {}

  private static void apply(SortedMap<String, String> tree, Path layer) throws IOException {
    List<Item> additions = new ArrayList<>();
    Set<String> opaque = new LinkedHashSet<>();
    Set<String> deleted = new LinkedHashSet<>();
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(layer));
        TarArchiveInputStream tar = new TarArchiveInputStream(decompressed(raw, layer))) {
      TarArchiveEntry e;
      while ((e = tar.getNextEntry()) != null) {
        String path = normalize(e.getName());
        if (path.equals("/")) {
          continue;
        }
        String parent = parentOf(path);
        String base = path.substring(path.lastIndexOf('/') + 1);
        if (base.equals(OPAQUE)) {
          opaque.add(parent);
        } else if (base.startsWith(WHITEOUT)) {
          deleted.add(child(parent, base.substring(WHITEOUT.length())));
        } else if (e.isLink()) {
          additions.add(new Item(path, null, normalize(e.getLinkName())));
        } else {
          additions.add(new Item(path, describe(e, tar), null));
        }
      }
    }
    for (String dir : opaque) {
      tree.keySet().removeIf(p -> isUnder(p, dir));
    }
    for (String p : deleted) {
      tree.keySet().removeIf(q -> q.equals(p) || isUnder(q, p));
    }
    for (Item item : additions) {
      String line = item.line;
      if (item.hardLinkTarget != null) {
        line = tree.get(item.hardLinkTarget);
        if (line == null) {
          throw new IOException(layer + ": hard link " + item.path + " to missing "
              + item.hardLinkTarget);
        }
      }
      String old = tree.get(item.path);
      if (old != null && !(old.startsWith("dir ") && line.startsWith("dir "))) {
        tree.keySet().removeIf(q -> isUnder(q, item.path));
      }
      tree.put(item.path, line);
    }
  }

  private static InputStream decompressed(InputStream in, Path layer) throws IOException {
    in.mark(4);
    byte[] magic = in.readNBytes(4);
    in.reset();
    if (magic.length >= 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b) {
      return new GZIPInputStream(in);
    }
    if (magic.length == 4 && (magic[0] & 0xff) == 0x28 && (magic[1] & 0xff) == 0xb5
        && (magic[2] & 0xff) == 0x2f && (magic[3] & 0xff) == 0xfd) {
      throw new IOException(layer + ": zstd layers are not read here; build with gzip");
    }
    return in;
  }

  private static String describe(TarArchiveEntry e, InputStream content) throws IOException {
    String owner = String.format("%04o %d:%d", e.getMode() & 07777, e.getLongUserId(),
        e.getLongGroupId());
    if (e.isDirectory()) {
      return "dir " + owner;
    }
    if (e.isSymbolicLink()) {
      return "symlink " + owner + " -> " + e.getLinkName();
    }
    if (e.isCharacterDevice() || e.isBlockDevice()) {
      return (e.isCharacterDevice() ? "char " : "block ") + owner + " " + e.getDevMajor() + ","
          + e.getDevMinor();
    }
    if (e.isFIFO()) {
      return "fifo " + owner;
    }
    if (!e.isFile()) {
      throw new IOException("unexpected tar entry type: "
          + e.getName());
    }
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[65536];
      int n;
      while ((n = content.read(buf)) > 0) {
        sha.update(buf, 0, n);
      }
      return "file " + owner + " sha256:" + HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException impossible) {
      throw new IllegalStateException(impossible);
    }
  }

  private static void addMissingParents(SortedMap<String, String> tree) {
    for (String p : List.copyOf(tree.keySet())) {
      for (String parent = parentOf(p); !parent.equals("/"); parent = parentOf(parent)) {
        tree.putIfAbsent(parent, "dir 0755 0:0");
      }
    }
  }

  /** {@code ./a/b/}, {@code a/b} and {@code /a/b} all become {@code /a/b}. */
  static String normalize(String name) {
    String p = name;
    while (p.startsWith("./")) {
      p = p.substring(2);
    }
    if (p.equals(".")) {
      p = "";
    }
    while (p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    return p.startsWith("/") ? (p.isEmpty() ? "/" : p) : "/" + p;
  }

  private static String parentOf(String path) {
    int slash = path.lastIndexOf('/');
    return slash <= 0 ? "/" : path.substring(0, slash);
  }

  private static String child(String dir, String name) {
    return dir.equals("/") ? "/" + name : dir + "/" + name;
  }

  private static boolean isUnder(String path, String dir) {
    return dir.equals("/") ? !path.equals("/") : path.startsWith(dir + "/");
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder();
    for (Map.Entry<String, String> e : entries.entrySet()) {
      b.append(e.getKey()).append(": ").append(e.getValue()).append('\n');
    }
    return b.toString();
  }
}
