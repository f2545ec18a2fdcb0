package io.zlayer.adapters.sandbox.layer;

import io.zlayer.domain.error.ImageFormatException;
import io.zlayer.domain.image.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Unpacks an OCI or Docker layer blob (gzip, zstd or plain, told by its magic bytes; bzip2 and
 * xz too, for ADD) either into an empty layer directory in overlayfs format ({@link #unpack}) or
 * onto a flat root filesystem ({@link #unpackInto}), computing the diff_id on the way.
 *
 * <p>Nothing in the archive can reach outside the directory: names are cleaned like Go's
 * {@code path.Clean} (a leading "/" is dropped, a ".." that climbs out is an error), parent
 * directories are resolved inside the root with symlinks followed there (containerd's
 * {@code fs.RootPath}), the final component is never followed, files are created with
 * CREATE_NEW after removing what was there, hard links must point inside and never to a
 * directory, and device nodes are only made by root (otherwise skipped with a warning).
 */
public final class LayerUnpacker {
  private final boolean createDevices;

  /** An unpacker that creates device nodes when it can (root of the initial namespace). */
  public LayerUnpacker() {
    this(true);
  }

  /** With {@code createDevices} false, device nodes are always skipped (with a warning). */
  public LayerUnpacker(boolean createDevices) {
    this.createDevices = createDevices && Privileges.canCreateDevices();
  }

  /**
   * What unpacking found: the diff_id (sha256 of the uncompressed tar, to check against the
   * image config), the digest and size of the blob as read, and what was left out.
   */
  public record Result(Digest diffId, Digest blobDigest, long blobSize, List<String> warnings) {
    public Result {
      warnings = List.copyOf(warnings);
    }
  }

  /**
   * Unpacks a layer into the empty directory {@code layerDir}, in overlayfs format: whiteouts
   * become 0/0 character devices, opaque markers the {@code user.overlay.opaque} attribute.
   * {@code lowers} (top first, may be empty) are the layers below: parents are resolved through
   * them and copied up from them, as an overlay mount would.
   *
   * @param source how messages name the blob, for instance "layer sha256:abc…"
   */
  public Result unpack(InputStream blob, String source, Path layerDir, LayerStack lowers)
      throws IOException, ImageFormatException {
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(layerDir)) {
      if (entries.iterator().hasNext()) {
        throw new IOException(source + ": layer directory " + layerDir + " is not empty");
      }
    }
    return run(blob, source, new LayerTarget(new LayerDirWriter(layerDir, lowers)));
  }

  /**
   * Applies a layer (or any tar archive) onto the flat root filesystem {@code root}: whiteouts
   * delete, opaque markers clear what this archive did not put there, and symlinks already in
   * the root are followed inside it for parent directories.
   */
  public Result unpackInto(InputStream archive, String source, Path root)
      throws IOException, ImageFormatException {
    return run(archive, source, new FlatTarget(root));
  }

  /**
   * Whether a file is a tar archive, plain or compressed (gzip, zstd, bzip2, xz), the way Docker
   * decides that {@code ADD file /dest} unpacks it: its first tar header must read.
   */
  public static boolean isTarArchive(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS);
        InputStream plain = CompressedStreams.decompressing(in, file.toString())) {
      return new TarReader(plain).next() != null;
    } catch (ImageFormatException | IOException e) {
      if (!Files.isReadable(file)) {
        throw new java.nio.file.AccessDeniedException(file.toString());
      }
      return false;
    }
  }

  private Result run(InputStream raw, String source, Target target)
      throws IOException, ImageFormatException {
    DigestingInputStream compressed = new DigestingInputStream(new SourceStream(raw));
    DigestingInputStream uncompressed;
    Session session;
    try {
      InputStream decoder;
      try {
        decoder = CompressedStreams.decompressing(compressed, source);
      } catch (SourceFailure e) {
        throw e;
      } catch (IOException e) {
        throw DecodedStream.corrupt(e); // a bad gzip header, say
      }
      uncompressed = new DigestingInputStream(new DecodedStream(decoder));
      TarReader reader = new TarReader(uncompressed);
      session = new Session(source, target, reader);
      TarHeader header;
      while ((header = reader.next()) != null) {
        try {
          session.entry(header);
        } catch (TarReader.TarFormatException | SourceFailure e) {
          throw e;
        } catch (IOException e) {
          throw new IOException(source + ": entry \"" + header.name() + "\": " + e, e);
        } catch (java.nio.file.InvalidPathException e) {
          throw new IOException(source + ": entry \"" + header.name() + "\" cannot be named"
              + " here: the JVM does not run in a UTF-8 locale (set LANG=C.UTF-8)", e);
        }
      }
      uncompressed.drain();
      compressed.drain();
      session.finish();
    } catch (TarReader.TarFormatException e) {
      throw new ImageFormatException(source + ": " + e.getMessage(), e);
    } catch (SourceFailure e) {
      throw e.original;
    }
    return new Result(uncompressed.digest(), compressed.digest(), compressed.count(),
        session.warnings);
  }

  /** An I/O failure of the blob's own stream (not of decoding it). */
  private static final class SourceFailure extends IOException {
    private static final long serialVersionUID = 1L;
    final transient IOException original;

    SourceFailure(IOException original) {
      super(original.getMessage(), original);
      this.original = original;
    }
  }

  /** Marks the failures of the stream being read, so decoding failures can be told apart. */
  private static final class SourceStream extends java.io.FilterInputStream {
    SourceStream(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      try {
        return in.read();
      } catch (IOException e) {
        throw new SourceFailure(e);
      }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      try {
        return in.read(b, off, len);
      } catch (IOException e) {
        throw new SourceFailure(e);
      }
    }
  }

  /** Turns decompression failures (corrupt or truncated data) into format errors. */
  private static final class DecodedStream extends java.io.FilterInputStream {
    DecodedStream(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      try {
        return in.read();
      } catch (SourceFailure e) {
        throw e;
      } catch (IOException e) {
        throw corrupt(e);
      }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      try {
        return in.read(b, off, len);
      } catch (SourceFailure e) {
        throw e;
      } catch (IOException e) {
        throw corrupt(e);
      }
    }

    private static TarReader.TarFormatException corrupt(IOException e) {
      String detail = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      return new TarReader.TarFormatException("corrupt or truncated compressed data ("
          + detail + ")");
    }
  }

  /** A device node or fifo waiting for the batched mknod. */
  private record PendingNode(FileType type, long major, long minor, TarHeader header) {}

  /** Deferred attributes of a directory: set last, children first. */
  private record DeferredDir(Path path, TarHeader header) {}

  private final class Session {
    private final String source;
    private final Target target;
    private final List<String> warnings = new ArrayList<>();
    private final boolean chown = Privileges.isRoot();
    private final Map<String, PendingNode> pendingNodes = new LinkedHashMap<>();
    private final LinkedHashMap<String, DeferredDir> dirs = new LinkedHashMap<>();
    private final List<ExtendedAttributes.Assignment> xattrs = new ArrayList<>();
    private final byte[] buffer = new byte[64 * 1024];
    private final TarReader reader;
    private final Map<String, String> resolvedParents = new java.util.HashMap<>();
    private boolean warnedOwnership;
    private boolean warnedDevices;

    Session(String source, Target target, TarReader reader) {
      this.source = source;
      this.target = target;
      this.reader = reader;
      target.session = this;
    }

    void entry(TarHeader h) throws IOException, ImageFormatException {
      String clean = PathNames.clean(h.name());
      if (clean == null) {
        throw error(h.name(), "escapes the root filesystem");
      }
      if (clean.isEmpty()) {
        if (h.kind() == TarHeader.Kind.DIRECTORY) {
          target.rootEntry(h);
        }
        return;
      }
      List<String> parts = PathNames.components(clean);
      for (int i = 0; i < parts.size(); i++) {
        String c = parts.get(i);
        boolean last = i == parts.size() - 1;
        if (c.startsWith(OverlayFormat.AUFS_META_PREFIX)
            && !(last && c.equals(OverlayFormat.OPAQUE_MARKER))) {
          return; // AUFS bookkeeping, never image content (Docker skips it too)
        }
      }
      String base = PathNames.base(clean);
      String parent = PathNames.parent(clean);
      if (base.equals(OverlayFormat.OPAQUE_MARKER)) {
        target.opaque(parent, h);
        forgetResolutions();
        return;
      }
      if (base.startsWith(OverlayFormat.WHITEOUT_PREFIX)) {
        String hidden = base.substring(OverlayFormat.WHITEOUT_PREFIX.length());
        if (hidden.isEmpty() || hidden.equals(".") || hidden.equals("..")) {
          throw error(h.name(), "is a whiteout for an invalid name");
        }
        target.whiteout(PathNames.join(parent, hidden), h);
        forgetResolutions();
        return;
      }
      create(clean, h);
    }

    private void create(String clean, TarHeader h) throws IOException, ImageFormatException {
      String p = resolveParent(clean, h.name());
      target.ensureParents(p, h.name());
      switch (h.kind()) {
        case DIRECTORY: {
          Path dir = target.prepare(p, true);
          if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectory(dir);
            target.createdDirectory(p, dir);
          }
          dirs.remove(p); // re-inserted last: a repeated entry's attributes win
          dirs.put(p, new DeferredDir(dir, h));
          queueXattrs(dir, FileType.DIRECTORY, h);
          break;
        }
        case REGULAR: {
          Path file = target.prepare(p, false);
          writeContent(file, h);
          metadata(file, FileType.REGULAR, h);
          queueXattrs(file, FileType.REGULAR, h);
          break;
        }
        case SYMLINK: {
          if (h.linkName().isEmpty()) {
            throw error(h.name(), "is a symlink with an empty target");
          }
          Path link = target.prepare(p, false);
          FileTrees.createSymlink(link, h.linkName());
          forgetResolutions();
          metadata(link, FileType.SYMLINK, h);
          queueXattrs(link, FileType.SYMLINK, h);
          break;
        }
        case HARD_LINK:
          hardLink(p, h);
          break;
        case CHAR_DEVICE:
        case BLOCK_DEVICE:
        case FIFO: {
          FileType type = h.kind() == TarHeader.Kind.FIFO ? FileType.FIFO
              : h.kind() == TarHeader.Kind.CHAR_DEVICE ? FileType.CHAR_DEVICE
              : FileType.BLOCK_DEVICE;
          if (type != FileType.FIFO && !createDevices) {
            if (!warnedDevices) {
              warnedDevices = true;
              warnings.add(source + ": device nodes skipped (only root of the initial user"
                  + " namespace creates them), first: " + PathNames.display(p));
            }
            return;
          }
          target.prepare(p, false);
          pendingNodes.put(p, new PendingNode(type, h.devMajor(), h.devMinor(), h));
          break;
        }
        default:
          throw new IllegalStateException("unexpected " + h.kind());
      }
      target.markUnpacked(p);
    }

    /** Writes the entry's data; a sparse file gets its fragments at their offsets, holes stay. */
    private void writeContent(Path file, TarHeader h) throws IOException {
      InputStream content = reader.content();
      try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE_NEW,
          StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
        if (h.sparse().isEmpty()) {
          copy(content, out, h.size(), h);
          return;
        }
        for (TarHeader.Fragment f : h.sparse()) {
          out.position(f.offset());
          copy(content, out, f.length(), h);
        }
        if (out.size() < h.size()) {
          out.write(ByteBuffer.wrap(new byte[1]), h.size() - 1); // extend over the final hole
        }
      }
    }

    private void copy(InputStream content, FileChannel out, long length, TarHeader h)
        throws IOException {
      long left = length;
      while (left > 0) {
        int n = content.read(buffer, 0, (int) Math.min(buffer.length, left));
        if (n < 0) {
          throw new TarReader.TarFormatException("the archive ends inside " + h.name());
        }
        ByteBuffer chunk = ByteBuffer.wrap(buffer, 0, n);
        while (chunk.hasRemaining()) {
          out.write(chunk);
        }
        left -= n;
      }
    }

    private void hardLink(String p, TarHeader h) throws IOException, ImageFormatException {
      String linkClean = PathNames.clean(h.linkName());
      if (linkClean == null) {
        throw error(h.name(), "is a hard link to \"" + h.linkName()
            + "\", which escapes the root filesystem");
      }
      if (linkClean.isEmpty()) {
        throw error(h.name(), "is a hard link to the root directory");
      }
      String source = resolveParent(linkClean, h.name());
      if (pendingNodes.containsKey(source)) {
        flushNodes();
      }
      Path existing = target.linkSource(source, h);
      if (source.equals(p)) {
        throw error(h.name(), "is a hard link to itself");
      }
      Path link = target.prepare(p, false);
      Files.createLink(link, existing);
    }

    /**
     * Resolves the parents of {@code clean} inside the root. Resolved parent directories are
     * remembered until a symlink could have appeared or gone ({@link #forgetResolutions}):
     * entries come directory by directory, so most lookups are answered here.
     */
    private String resolveParent(String clean, String name)
        throws IOException, ImageFormatException {
      String parent = PathNames.parent(clean);
      if (parent.isEmpty()) {
        return clean;
      }
      String resolved = resolvedParents.get(parent);
      if (resolved == null) {
        try {
          resolved = InRootResolver.resolve(target.tree(), parent, true);
        } catch (java.nio.file.FileSystemLoopException e) {
          throw error(name, "goes through more than " + InRootResolver.MAX_LINKS + " symlinks");
        }
        resolvedParents.put(parent, resolved);
      }
      return PathNames.join(resolved, PathNames.base(clean));
    }

    void forgetResolutions() {
      resolvedParents.clear();
    }

    private void metadata(Path path, FileType type, TarHeader h) throws IOException {
      boolean own = chown;
      if (!own && !warnedOwnership && (h.uid() != 0 || h.gid() != 0)) {
        warnedOwnership = true;
        warnings.add(source + ": not running as root, file owners are not kept");
      }
      boolean owned = FileTrees.applyMetadata(path, type, h.mtime(), h.uid(), h.gid(),
          h.permissions(), own);
      if (!owned && !warnedOwnership) {
        warnedOwnership = true;
        warnings.add(source + ": owner " + h.uid() + ":" + h.gid() + " of "
            + PathNames.display(PathNames.clean(h.name())) + " is not mapped in this user"
            + " namespace; such files keep the namespace's root as owner");
      }
    }

    private void queueXattrs(Path path, FileType type, TarHeader h) {
      Map<String, byte[]> keep = new TreeMap<>();
      for (Map.Entry<String, byte[]> e : h.xattrs().entrySet()) {
        String name = e.getKey();
        // overlay attributes from an archive would forge whiteouts and opaque directories
        if (!ExtendedAttributes.isPreserved(name)) {
          continue;
        }
        if (!name.startsWith("user.") && !chown) {
          continue; // security.* and trusted.* need root
        }
        keep.put(name, e.getValue());
      }
      if (!keep.isEmpty()) {
        xattrs.add(new ExtendedAttributes.Assignment(path, type, keep));
      }
    }

    /** Forgets what was queued for {@code p} and below: it is being removed. */
    void forget(String p) {
      pendingNodes.keySet().removeIf(k -> PathNames.isWithin(k, p));
      dirs.keySet().removeIf(k -> PathNames.isWithin(k, p));
      Path real = target.real(p);
      xattrs.removeIf(a -> a.path().startsWith(real));
    }

    boolean isPendingNode(String p) {
      return pendingNodes.containsKey(p);
    }

    private void flushNodes() throws IOException {
      if (pendingNodes.isEmpty()) {
        return;
      }
      DeviceNodes nodes = new DeviceNodes();
      for (Map.Entry<String, PendingNode> e : pendingNodes.entrySet()) {
        PendingNode n = e.getValue();
        nodes.add(target.real(e.getKey()), n.type, n.major, n.minor, n.header.permissions(),
            Optional.of(n.header.mtime()));
      }
      nodes.create();
      for (Map.Entry<String, PendingNode> e : pendingNodes.entrySet()) {
        PendingNode n = e.getValue();
        Path path = target.real(e.getKey());
        metadata(path, n.type, n.header);
        queueXattrs(path, n.type, n.header);
      }
      pendingNodes.clear();
    }

    void finish() throws IOException {
      flushNodes();
      target.finish();
      if (!xattrs.isEmpty()) {
        for (String w : ExtendedAttributes.write(xattrs)) {
          warnings.add(source + ": " + w);
        }
      }
      List<DeferredDir> ordered = new ArrayList<>(dirs.values());
      for (int i = ordered.size() - 1; i >= 0; i--) {
        DeferredDir d = ordered.get(i);
        metadata(d.path, FileType.DIRECTORY, d.header);
      }
      target.finishRoot();
    }

    ImageFormatException error(String name, String what) {
      return new ImageFormatException(source + ": entry \"" + name + "\" " + what);
    }
  }

  /** Where entries go: a layer directory over lowers, or a flat root. */
  private abstract static class Target {
    Session session;
    /** What this archive put in place: its entries and every directory above them. */
    final Set<String> unpacked = new HashSet<>();

    void markUnpacked(String p) {
      for (String q = p; !q.isEmpty() && unpacked.add(q); q = PathNames.parent(q)) {
        // the ancestors hold entries of this archive too
      }
    }

    abstract InRootResolver.Tree tree();

    abstract Path real(String p);

    /** Creates the missing parents of {@code p} as directories (copy-up in a layer). */
    abstract void ensureParents(String p, String name) throws IOException, ImageFormatException;

    /**
     * Clears {@code p} for a new entry: keeps an existing directory when a directory comes,
     * removes anything else. Returns the real path.
     */
    Path prepare(String p, boolean directory) throws IOException {
      Path real = real(p);
      Optional<FileMetadata> m = FileMetadata.readIfExists(real);
      if (!(directory && m.isPresent() && m.get().isDirectory())) {
        session.forget(p);
      }
      if (m.isPresent() && !(directory && m.get().isDirectory())) {
        FileTrees.deleteRecursively(real);
        session.forgetResolutions(); // whatever went may have held symlinks
      } else if (m.isEmpty() && shadowsSymlink(p)) {
        session.forgetResolutions();
      }
      return real;
    }

    /** Whether a new entry at {@code p} hides a symlink of a lower layer. */
    boolean shadowsSymlink(String p) throws IOException {
      return false;
    }

    void createdDirectory(String p, Path dir) throws IOException {}

    abstract void whiteout(String p, TarHeader h) throws IOException, ImageFormatException;

    abstract void opaque(String dir, TarHeader h) throws IOException, ImageFormatException;

    abstract Path linkSource(String p, TarHeader h) throws IOException, ImageFormatException;

    void rootEntry(TarHeader h) {}

    void finish() throws IOException {}

    void finishRoot() throws IOException {}

    ImageFormatException error(TarHeader h, String what) {
      return session.error(h.name(), what);
    }

    /** Parents of a clean path, from the top. */
    static List<String> parents(String p) {
      List<String> out = new ArrayList<>();
      String current = "";
      List<String> parts = PathNames.components(p);
      for (int i = 0; i < parts.size() - 1; i++) {
        current = PathNames.join(current, parts.get(i));
        out.add(current);
      }
      return out;
    }
  }

  /** A layer directory in overlayfs format, possibly over lower layers. */
  private static final class LayerTarget extends Target {
    private final LayerDirWriter writer;
    private final Set<String> pendingWhiteouts = new java.util.TreeSet<>();
    private final LayerStack merged;

    LayerTarget(LayerDirWriter writer) {
      this.writer = writer;
      this.merged = writer.merged();
    }

    @Override
    InRootResolver.Tree tree() {
      return new InRootResolver.Tree() {
        @Override
        public Optional<FileMetadata> stat(String path) throws IOException {
          if (isWhitedOut(path)) {
            return Optional.empty();
          }
          return merged.stat(path);
        }

        @Override
        public String readLink(String path) throws IOException {
          return merged.readLink(path);
        }
      };
    }

    private boolean isWhitedOut(String path) {
      for (String w : pendingWhiteouts) {
        if (PathNames.isWithin(path, w)) {
          return true;
        }
      }
      return false;
    }

    @Override
    Path real(String p) {
      return writer.upperDir().resolve(p);
    }

    @Override
    void ensureParents(String p, String name) throws IOException, ImageFormatException {
      for (String q : parents(p)) {
        Path u = real(q);
        Optional<FileMetadata> um = FileMetadata.readIfExists(u);
        if (um.isPresent() && um.get().isDirectory()) {
          continue;
        }
        if (um.isPresent() || session.isPendingNode(q)) {
          throw session.error(name, "needs " + PathNames.display(q)
              + " to be a directory, and it is not");
        }
        if (pendingWhiteouts.remove(q)) {
          Files.createDirectory(u);
          OverlayFormat.setOpaque(u); // created where this layer deleted the lower one
          implicitAttributes(u);
          continue;
        }
        Optional<StackEntry> below = merged.lookup(q);
        if (below.isPresent()) {
          if (!below.get().metadata().isDirectory()) {
            throw session.error(name, "needs " + PathNames.display(q)
                + " to be a directory, and it is not");
          }
          writer.copyEntryUp(below.get(), u);
          continue;
        }
        Files.createDirectory(u);
        implicitAttributes(u);
      }
    }

    private static void implicitAttributes(Path dir) throws IOException {
      FileTrees.applyMetadata(dir, FileType.DIRECTORY, null, 0, 0, 0755, Privileges.isRoot());
    }

    @Override
    boolean shadowsSymlink(String p) throws IOException {
      return !writer.lowerLayers().isEmpty()
          && merged.stat(p).map(FileMetadata::isSymlink).orElse(false);
    }

    @Override
    void createdDirectory(String p, Path dir) throws IOException {
      if (pendingWhiteouts.remove(p)) {
        OverlayFormat.setOpaque(dir);
      }
    }

    @Override
    void whiteout(String p, TarHeader h) throws IOException, ImageFormatException {
      String resolved = session.resolveParent(p, h.name());
      ensureParents(resolved, h.name());
      Path u = real(resolved);
      Optional<FileMetadata> um = FileMetadata.readIfExists(u);
      if (um.isPresent()) {
        if (um.get().isDirectory()) {
          OverlayFormat.setOpaque(u); // this layer's directory stays, the lower one goes
        }
        return;
      }
      if (session.isPendingNode(resolved)) {
        return;
      }
      pendingWhiteouts.add(resolved);
      whiteoutTimes.put(resolved, h.mtime());
    }

    private final Map<String, FileTime> whiteoutTimes = new TreeMap<>();

    @Override
    void opaque(String dir, TarHeader h) throws IOException, ImageFormatException {
      String resolved = dir.isEmpty() ? "" : session.resolveParent(dir + "/x", h.name());
      String d = PathNames.parent(resolved);
      if (d.isEmpty()) {
        return; // the root of a layer cannot be opaque in overlayfs
      }
      ensureParents(resolved, h.name());
      OverlayFormat.setOpaque(real(d));
    }

    @Override
    Path linkSource(String p, TarHeader h) throws IOException, ImageFormatException {
      Path u = real(p);
      Optional<FileMetadata> um = FileMetadata.readIfExists(u);
      if (um.isEmpty() && !isWhitedOut(p)) {
        Optional<StackEntry> below = merged.lookup(p);
        if (below.isPresent() && !below.get().metadata().isDirectory()) {
          ensureParents(p, h.name());
          writer.copyEntryUp(below.get(), u);
          um = FileMetadata.readIfExists(u);
        }
      }
      if (um.isEmpty() || um.get().isWhiteout()) {
        throw error(h, "is a hard link to \"" + h.linkName() + "\", which does not exist");
      }
      if (um.get().isDirectory()) {
        throw error(h, "is a hard link to the directory \"" + h.linkName() + "\"");
      }
      return u;
    }

    @Override
    void finish() throws IOException {
      DeviceNodes nodes = new DeviceNodes();
      for (String w : pendingWhiteouts) {
        Path u = real(w);
        if (FileMetadata.readIfExists(u).isEmpty()
            && Files.isDirectory(u.getParent(), LinkOption.NOFOLLOW_LINKS)) {
          nodes.addWhiteout(u, Optional.ofNullable(whiteoutTimes.get(w)));
        }
      }
      if (!nodes.isEmpty()) {
        try {
          nodes.create();
        } catch (IOException e) {
          throw new IOException(session.source + ": cannot create whiteouts (they need root or"
              + " a user namespace): " + e.getMessage(), e);
        }
      }
    }
  }

  /** A flat root filesystem: whiteouts delete, opaque markers clear. */
  private static final class FlatTarget extends Target {
    private final Path root;
    private TarHeader rootHeader;

    FlatTarget(Path root) {
      this.root = root;
    }

    @Override
    InRootResolver.Tree tree() {
      return new InRootResolver.Tree() {
        @Override
        public Optional<FileMetadata> stat(String path) throws IOException {
          return FileMetadata.readIfExists(real(path));
        }

        @Override
        public String readLink(String path) throws IOException {
          return Files.readSymbolicLink(real(path)).toString();
        }
      };
    }

    @Override
    Path real(String p) {
      return p.isEmpty() ? root : root.resolve(p);
    }

    @Override
    void ensureParents(String p, String name) throws IOException, ImageFormatException {
      for (String q : parents(p)) {
        Path u = real(q);
        Optional<FileMetadata> m = FileMetadata.readIfExists(u);
        if (m.isPresent() && m.get().isDirectory()) {
          continue;
        }
        if (m.isPresent() || session.isPendingNode(q)) {
          throw session.error(name, "needs " + PathNames.display(q)
              + " to be a directory, and it is not");
        }
        Files.createDirectory(u);
        FileTrees.applyMetadata(u, FileType.DIRECTORY, null, 0, 0, 0755, Privileges.isRoot());
      }
    }

    @Override
    void whiteout(String p, TarHeader h) throws IOException, ImageFormatException {
      String resolved = session.resolveParent(p, h.name());
      Path real = real(resolved);
      if (FileMetadata.readIfExists(real.getParent()).map(FileMetadata::isDirectory)
          .orElse(false)) {
        session.forget(resolved);
        FileTrees.deleteRecursively(real);
      }
    }

    @Override
    void opaque(String dir, TarHeader h) throws IOException, ImageFormatException {
      String d = dir.isEmpty() ? "" : PathNames.parent(session.resolveParent(dir + "/x",
          h.name()));
      Path real = real(d);
      if (!FileMetadata.readIfExists(real).map(FileMetadata::isDirectory).orElse(false)) {
        return;
      }
      clearExcept(d, real);
    }

    /** Deletes what this archive did not put below {@code dir}, at any depth. */
    private void clearExcept(String dir, Path real) throws IOException {
      try (DirectoryStream<Path> children = Files.newDirectoryStream(real)) {
        for (Path child : children) {
          String rel = PathNames.join(dir, child.getFileName().toString());
          if (!unpacked.contains(rel)) {
            session.forget(rel);
            FileTrees.deleteRecursively(child);
          } else if (FileMetadata.read(child).isDirectory()) {
            clearExcept(rel, child);
          }
        }
      }
    }

    @Override
    Path linkSource(String p, TarHeader h) throws IOException, ImageFormatException {
      Path real = real(p);
      Optional<FileMetadata> m = FileMetadata.readIfExists(real);
      if (m.isEmpty()) {
        throw error(h, "is a hard link to \"" + h.linkName() + "\", which does not exist");
      }
      if (m.get().isDirectory()) {
        throw error(h, "is a hard link to the directory \"" + h.linkName() + "\"");
      }
      return real;
    }

    @Override
    void rootEntry(TarHeader h) {
      rootHeader = h;
    }

    @Override
    void finishRoot() throws IOException {
      if (rootHeader != null) {
        FileTrees.applyMetadata(root, FileType.DIRECTORY, rootHeader.mtime(), rootHeader.uid(),
            rootHeader.gid(), rootHeader.permissions(), Privileges.isRoot());
      }
    }
  }
}
