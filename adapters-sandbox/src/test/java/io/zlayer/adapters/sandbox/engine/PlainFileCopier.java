package io.zlayer.adapters.sandbox.engine;

import io.zlayer.adapters.sandbox.copy.CopyReport;
import io.zlayer.adapters.sandbox.copy.CopyRequest;
import io.zlayer.adapters.sandbox.copy.FileCopier;
import io.zlayer.adapters.sandbox.copy.SourceTree;
import io.zlayer.adapters.sandbox.layer.EntryAttributes;
import io.zlayer.adapters.sandbox.layer.FileMetadata;
import io.zlayer.adapters.sandbox.layer.LayerDirWriter;
import io.zlayer.adapters.sandbox.layer.LayerStack;
import io.zlayer.adapters.sandbox.layer.StackEntry;
import io.zlayer.adapters.sandbox.run.user.ExecUser;
import io.zlayer.domain.error.BuildException;
import io.zlayer.domain.error.ZlayerException;
import io.zlayer.domain.image.Digest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test stand-in for the real COPY implementation: plain paths (no wildcards, no ADD
 * specials), regular files, directories (their contents) and symlinks, from the context (with
 * its ignore rules) or a layer stack, owned by root or {@code --chown}. It counts its calls so
 * tests can tell that a cached step copied nothing.
 */
final class PlainFileCopier implements FileCopier {
  final AtomicInteger copies = new AtomicInteger();
  final AtomicInteger digests = new AtomicInteger();

  /** One source entry: its path relative to the copied source, and how to read it. */
  private record Item(String relative, String type, int mode, String link, Reader content) {}

  @FunctionalInterface
  private interface Reader {
    InputStream open() throws IOException;
  }

  @Override
  public Digest sourceDigest(CopyRequest request) throws ZlayerException {
    digests.incrementAndGet();
    MessageDigest sha = Digest.newSha256();
    try {
      for (String source : request.step().sources()) {
        for (Item item : items(request, source)) {
          sha.update((item.relative() + "\0" + item.type() + "\0" + item.mode() + "\0"
              + item.link() + "\0").getBytes(StandardCharsets.UTF_8));
          if (item.content() != null) {
            try (InputStream in = item.content().open()) {
              sha.update(in.readAllBytes());
            }
          }
        }
      }
      for (var inline : request.step().inlineSources()) {
        sha.update((inline.path() + "\0" + inline.data()).getBytes(StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new BuildException(request.location() + ": " + e.getMessage(), e);
    }
    return new Digest(Digest.SHA256, HexFormat.of().formatHex(sha.digest()));
  }

  @Override
  public CopyReport copy(CopyRequest request) throws ZlayerException {
    copies.incrementAndGet();
    LayerDirWriter writer = new LayerDirWriter(request.upperDir(), request.destination());
    long files = 0;
    long bytes = 0;
    try {
      int uid = 0;
      int gid = 0;
      if (request.step().chown().isPresent()) {
        ExecUser owner = request.owners().resolve(request.step().chown().get());
        uid = owner.uid();
        gid = owner.gid();
      }
      FileTime mtime = FileTime.from(request.timestamp().orElse(Instant.parse(
          "2025-01-01T00:00:00Z")));
      String destination = request.step().destination();
      boolean intoDir = destination.endsWith("/") || request.step().sources().size() > 1;
      for (String source : request.step().sources()) {
        List<Item> items = items(request, source);
        boolean directory = items.size() > 0 && items.get(0).relative().isEmpty()
            && items.get(0).type().equals("dir");
        String base = directory || !intoDir ? strip(destination)
            : strip(destination) + "/" + name(source);
        writer.mkdirs(parent(base), uid, gid, 0755);
        for (Item item : items) {
          String target = item.relative().isEmpty() ? base : base + "/" + item.relative();
          EntryAttributes attributes = new EntryAttributes(uid, gid, item.mode(), mtime);
          switch (item.type()) {
            case "dir":
              if (target.isEmpty()) {
                continue;
              }
              writer.directory(target, attributes);
              break;
            case "link":
              writer.symlink(target, item.link(), attributes);
              break;
            default:
              try (InputStream in = item.content().open()) {
                byte[] data = in.readAllBytes();
                writer.writeFile(target, new ByteArrayInputStream(data), attributes);
                bytes += data.length;
              }
              files++;
          }
        }
      }
      for (var inline : request.step().inlineSources()) {
        String target = strip(destination) + "/" + inline.path();
        writer.writeFile(target, new ByteArrayInputStream(
            inline.data().getBytes(StandardCharsets.UTF_8)),
            new EntryAttributes(uid, gid, 0644, mtime));
        files++;
      }
    } catch (IOException e) {
      throw new BuildException(request.location() + ": " + e.getMessage(), e);
    }
    return new CopyReport(files, bytes);
  }

  private static String strip(String path) {
    String p = BuildRun.cleanRelative(path);
    return p.isEmpty() ? "" : "/" + p;
  }

  private static String name(String source) {
    String clean = BuildRun.cleanRelative(source);
    return clean.substring(clean.lastIndexOf('/') + 1);
  }

  private static String parent(String path) {
    int slash = path.lastIndexOf('/');
    return slash <= 0 ? "/" : path.substring(0, slash);
  }

  private static List<Item> items(CopyRequest request, String source) throws IOException {
    String clean = BuildRun.cleanRelative(source);
    List<Item> out = new ArrayList<>();
    if (request.source() instanceof SourceTree.Context context) {
      Path root = context.dir();
      Path start = clean.isEmpty() ? root : root.resolve(clean);
      if (!Files.exists(start, LinkOption.NOFOLLOW_LINKS)
          || !clean.isEmpty() && context.ignore().matches(clean)) {
        throw new IOException("COPY source " + source + " not found in the build context");
      }
      walkContext(context, start, clean, "", out);
    } else {
      LayerStack stack = ((SourceTree.Filesystem) request.source()).stack();
      String resolved = stack.resolve(clean);
      Optional<StackEntry> entry = stack.lookup(resolved);
      if (entry.isEmpty()) {
        throw new IOException("COPY source " + source + " not found");
      }
      walkStack(stack, entry.get(), "", out);
    }
    return out;
  }

  private static void walkContext(SourceTree.Context context, Path path, String contextPath,
      String relative, List<Item> out) throws IOException {
    FileMetadata m = FileMetadata.read(path);
    if (m.isSymlink()) {
      out.add(new Item(relative, "link", 0777, Files.readSymbolicLink(path).toString(), null));
    } else if (m.isDirectory()) {
      out.add(new Item(relative, "dir", m.permissions(), "", null));
      TreeMap<String, Path> children = new TreeMap<>();
      try (DirectoryStream<Path> stream = Files.newDirectoryStream(path)) {
        stream.forEach(c -> children.put(c.getFileName().toString(), c));
      }
      for (var child : children.entrySet()) {
        String childContext = contextPath.isEmpty() ? child.getKey()
            : contextPath + "/" + child.getKey();
        if (context.ignore().matches(childContext)) {
          continue;
        }
        walkContext(context, child.getValue(), childContext,
            relative.isEmpty() ? child.getKey() : relative + "/" + child.getKey(), out);
      }
    } else {
      out.add(new Item(relative, "file", m.permissions(), "",
          () -> Files.newInputStream(path, LinkOption.NOFOLLOW_LINKS)));
    }
  }

  private static void walkStack(LayerStack stack, StackEntry entry, String relative,
      List<Item> out) throws IOException {
    FileMetadata m = entry.metadata();
    if (m.isSymlink()) {
      out.add(new Item(relative, "link", 0777,
          Files.readSymbolicLink(entry.realPath()).toString(), null));
    } else if (m.isDirectory()) {
      out.add(new Item(relative, "dir", m.permissions(), "", null));
      for (StackEntry child : stack.list(entry.path())) {
        walkStack(stack, child, relative.isEmpty() ? child.name()
            : relative + "/" + child.name(), out);
      }
    } else {
      out.add(new Item(relative, "file", m.permissions(), "",
          () -> Files.newInputStream(entry.realPath(), LinkOption.NOFOLLOW_LINKS)));
    }
  }
}
