package io.zlayer.adapters.sandbox.store;

import io.zlayer.application.port.Blob;
import io.zlayer.application.port.BlobWriter;
import io.zlayer.application.port.ImageStore;
import io.zlayer.domain.error.ImageFormatException;
import io.zlayer.domain.error.InvalidReferenceException;
import io.zlayer.domain.error.StoreException;
import io.zlayer.domain.image.Descriptor;
import io.zlayer.domain.image.Digest;
import io.zlayer.domain.image.ImageIndex;
import io.zlayer.domain.image.ImageJson;
import io.zlayer.domain.image.ImageReference;
import io.zlayer.domain.image.Manifest;
import io.zlayer.domain.image.MediaTypes;
import io.zlayer.domain.json.Json;
import io.zlayer.domain.json.JsonSyntaxException;
import io.zlayer.domain.json.JsonValue;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The local image store: an OCI image layout on disk, which skopeo, umoci, podman and buildah
 * read as {@code oci:<root>:<name>}.
 *
 * <ul>
 *   <li>{@code oci-layout}: {@code {"imageLayoutVersion":"1.0.0"}}
 *   <li>{@code index.json}: the roots; a named root carries
 *       {@code org.opencontainers.image.ref.name} = the full reference
 *   <li>{@code blobs/<alg>/<hex>}: content, named by its digest
 *   <li>{@code .zlayer/lock}: the store lock (OCI tools ignore {@code .zlayer})
 *   <li>{@code .zlayer/sessions/<id>.lock}, {@code <id>.leases}: one pair per writing process,
 *       see {@link BlobLease}
 *   <li>{@code .zlayer/ingest/<id>-<n>}: blobs being written by the process of lease {@code id}
 *   <li>{@code .zlayer/*.tmp}: index.json or oci-layout being replaced
 * </ul>
 *
 * <p><b>Crash safety.</b> A blob is written to an ingest file, hashed while written, fsynced,
 * checked against its expected digest and only then renamed into {@code blobs/}, so a blob file
 * always matches its name. index.json is replaced by writing a temp file, fsync, rename, fsync of
 * the directory, so it is always the old or the new one. A {@code kill -9} at any moment leaves at
 * most ingest and temp files, which prune removes.
 *
 * <p><b>Concurrency.</b> Reads need no lock: files only ever appear or are replaced by renames.
 * Every change of index.json, every blob rename and prune run under one exclusive lock, see
 * {@link StoreLock} (threads of this JVM, then an fcntl lock for other processes).
 *
 * <p><b>Prune and writers.</b> A writer puts blobs first and names them (tag or addRoot) later,
 * so between the two a blob is referenced by nothing, yet must survive a concurrent prune. Each
 * writing process therefore holds a lease ({@link BlobLease}): under the store lock, before a
 * blob becomes visible, its digest is leased, and so is every existing blob {@link #hasBlob}
 * reports (a writer that finds a blob skips writing it and references it later). Naming a root
 * ends one lease on each blob it reaches, since the root protects them now; leases are counted,
 * so two writers of one process sharing a blob each keep it until their own tag. Prune, under the
 * store lock, keeps the blobs every root reaches and every blob a live process leases, and
 * deletes the rest, the leases of ended processes and their ingest files. Blobs a process wrote
 * or found and never named stay leased until it exits. There is no grace period: liveness comes
 * from the kernel's fcntl locks, which die with their process however it dies. Naming a root
 * checks, under the lock, that everything it reaches is there, so a root never points at missing
 * content: the one race leases do not cover (a blob only read, not written or checked with
 * hasBlob, whose image is removed and pruned before the reader names a new root on it) ends in
 * a clear "incomplete" error, never in a broken image.
 *
 * <p>Tools writing the layout without our lock (skopeo copy into {@code oci:<root>}) are not
 * protected from a concurrent prune.
 */
public final class OciLayoutStore implements ImageStore {
  public static final String REF_NAME_ANNOTATION = "org.opencontainers.image.ref.name";
  /** {@link #readBlob} is for metadata; a layer this large must be streamed. */
  static final long READ_WHOLE_LIMIT = 64L << 20;

  private static final String META_DIRECTORY = ".zlayer";
  private static final String INGEST_DIRECTORY = "ingest";
  private static final byte[] OCI_LAYOUT =
      "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8);
  private static final AtomicLong INGEST_COUNTER = new AtomicLong();

  private final Path root;
  private final Path meta;
  private final Path indexFile;
  private volatile StoreLock lock;
  private volatile boolean layoutVerified;

  public OciLayoutStore(Path root) {
    this.root = root.toAbsolutePath().normalize();
    this.meta = this.root.resolve(META_DIRECTORY);
    this.indexFile = this.root.resolve("index.json");
  }

  /** {@code $ZLAYER_HOME/store}, else {@code <userHome>/.zlayer/store}. */
  public static Path defaultRoot(Map<String, String> env, String userHome) {
    String home = env.get("ZLAYER_HOME");
    Path base = home != null && !home.isBlank() ? Path.of(home) : Path.of(userHome, ".zlayer");
    return base.resolve("store").toAbsolutePath().normalize();
  }

  /** The store at {@link #defaultRoot}, e.g. {@code fromEnvironment(System.getenv(), home)}. */
  public static OciLayoutStore fromEnvironment(Map<String, String> env, String userHome) {
    return new OciLayoutStore(defaultRoot(env, userHome));
  }

  public Path root() {
    return root;
  }

  @Override
  public String location() {
    return "oci:" + root;
  }

  // ---------------------------------------------------------------- blobs

  @Override
  public boolean hasBlob(Digest digest) throws StoreException {
    Path file = blobPath(digest);
    if (!Files.isRegularFile(file)) {
      return false;
    }
    return locked("check blob " + digest, () -> {
      if (!Files.isRegularFile(file)) {
        return false;
      }
      // The caller may skip writing this blob and reference it later: keep it until then.
      lock().lease().add(digest);
      return true;
    });
  }

  @Override
  public Blob blob(Digest digest) throws StoreException {
    Path file = blobPath(digest);
    try {
      BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class);
      if (!attrs.isRegularFile()) {
        throw new StoreException("blob " + digest + " in " + where() + " is not a regular file");
      }
      return new LayoutBlob(digest, attrs.size(), file, where());
    } catch (NoSuchFileException e) {
      throw blobNotFound(digest);
    } catch (IOException e) {
      throw failure("read blob " + digest, e);
    }
  }

  @Override
  public byte[] readBlob(Digest digest) throws StoreException {
    Blob blob = blob(digest);
    if (blob.size() > READ_WHOLE_LIMIT) {
      throw new StoreException("blob " + digest + " in " + where() + " has " + blob.size()
          + " bytes, too many to read whole; stream it instead");
    }
    byte[] content;
    try {
      content = Files.readAllBytes(blobPath(digest));
    } catch (NoSuchFileException e) {
      throw blobNotFound(digest);
    } catch (IOException e) {
      throw failure("read blob " + digest, e);
    }
    MessageDigest hasher = digest.newHasher();
    Digest actual = new Digest(digest.algorithm(),
        HexFormat.of().formatHex(hasher.digest(content)));
    if (!actual.equals(digest)) {
      throw new StoreException(corruptMessage(digest, actual, where()));
    }
    return content;
  }

  @Override
  public Digest putBlob(byte[] content) throws StoreException {
    try (BlobWriter writer = newBlobWriter()) {
      try {
        writer.stream().write(content);
      } catch (IOException e) {
        throw failure("write a blob", e);
      }
      return writer.commit(Optional.empty());
    }
  }

  @Override
  public BlobWriter newBlobWriter() throws StoreException {
    String leaseId = locked("start a blob write", () -> lock().lease().id());
    Path ingest = meta.resolve(INGEST_DIRECTORY);
    Path temp = ingest.resolve(leaseId + "-" + INGEST_COUNTER.incrementAndGet());
    try {
      Files.createDirectories(ingest);
      FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW,
          StandardOpenOption.WRITE);
      return new LayoutBlobWriter(this, temp, channel);
    } catch (IOException e) {
      throw failure("start a blob write", e);
    }
  }

  /** Makes a verified ingest file the blob {@code digest}; called by {@link LayoutBlobWriter}. */
  void publish(Path temp, Digest digest) throws StoreException {
    Path target = blobPath(digest);
    locked("store blob " + digest, () -> {
      ensureLayout();
      // Lease before the blob becomes visible, so a prune after the rename keeps it.
      lock().lease().add(digest);
      Files.createDirectories(target.getParent());
      // Replacing an existing blob is harmless (same content) and repairs a damaged copy.
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      return null;
    });
    AtomicFiles.syncDirectory(target.getParent());
  }

  // ---------------------------------------------------------------- roots

  @Override
  public void tag(ImageReference name, Descriptor target) throws StoreException {
    String refName = name.toString();
    locked("tag " + refName, () -> {
      ensureLayout();
      ImageClosure.Result closure = ImageClosure.walk(closureSource(), target, true,
          "\"" + refName + "\"");
      Map<String, String> annotations = new HashMap<>(closure.root().annotations());
      annotations.put(REF_NAME_ANNOTATION, refName);
      Descriptor entry = closure.root().withAnnotations(annotations);
      StoredIndex index = readIndex();
      List<Descriptor> out = new ArrayList<>();
      boolean placed = false;
      for (Descriptor d : index.manifests()) {
        if (isNamed(d, name)) {
          if (!placed) {
            out.add(entry);
            placed = true;
          }
        } else {
          out.add(d);
        }
      }
      if (!placed) {
        out.add(entry);
      }
      writeIndex(index.with(out));
      endLease(closure.blobs().keySet());
      return null;
    });
  }

  @Override
  public Optional<Descriptor> resolve(ImageReference name) throws StoreException {
    for (Descriptor d : readIndex().manifests()) {
      if (isNamed(d, name)) {
        return Optional.of(withoutRefName(d));
      }
    }
    return Optional.empty();
  }

  @Override
  public List<StoredImage> list() throws StoreException {
    List<StoredImage> out = new ArrayList<>();
    for (Descriptor d : readIndex().manifests()) {
      out.add(new StoredImage(nameOf(d), withoutRefName(d)));
    }
    return List.copyOf(out);
  }

  @Override
  public boolean untag(ImageReference name) throws StoreException {
    if (!Files.exists(indexFile)) {
      return false;
    }
    return locked("untag " + name, () -> {
      StoredIndex index = readIndex();
      List<Descriptor> kept = new ArrayList<>();
      for (Descriptor d : index.manifests()) {
        if (!isNamed(d, name)) {
          kept.add(d);
        }
      }
      if (kept.size() == index.manifests().size()) {
        return false;
      }
      writeIndex(index.with(kept));
      return true;
    });
  }

  @Override
  public void addRoot(Descriptor target) throws StoreException {
    locked("record image " + target.digest(), () -> {
      ensureLayout();
      ImageClosure.Result closure = ImageClosure.walk(closureSource(), target, true,
          target.digest().toString());
      StoredIndex index = readIndex();
      boolean present = index.manifests().stream().anyMatch(d -> d.digest().equals(target.digest())
          && !d.annotations().containsKey(REF_NAME_ANNOTATION));
      if (!present) {
        List<Descriptor> out = new ArrayList<>(index.manifests());
        out.add(withoutRefName(closure.root()));
        writeIndex(index.with(out));
      }
      endLease(closure.blobs().keySet());
      return null;
    });
  }

  @Override
  public int removeRoots(Digest manifest) throws StoreException {
    if (!Files.exists(indexFile)) {
      return 0;
    }
    return locked("remove image " + manifest, () -> {
      StoredIndex index = readIndex();
      List<Descriptor> kept = new ArrayList<>();
      for (Descriptor d : index.manifests()) {
        if (!d.digest().equals(manifest)) {
          kept.add(d);
        }
      }
      int removed = index.manifests().size() - kept.size();
      if (removed > 0) {
        writeIndex(index.with(kept));
      }
      return removed;
    });
  }

  // ---------------------------------------------------------------- prune

  @Override
  public PruneReport prune() throws StoreException {
    if (!Files.isDirectory(meta) && !Files.exists(indexFile)) {
      return new PruneReport(0, 0);
    }
    return locked("prune", this::pruneLocked);
  }

  private PruneReport pruneLocked() throws IOException, StoreException {
    Optional<BlobLease> own = lock().existingLease();
    BlobLease.Others others = BlobLease.scanOthers(meta.resolve(BlobLease.DIRECTORY),
        own.map(BlobLease::id).orElse(""));
    long bytes = others.bytesFreed();
    Set<String> liveIds = new HashSet<>(others.liveIds());
    own.ifPresent(l -> liveIds.add(l.id()));
    for (Path f : children(meta.resolve(INGEST_DIRECTORY))) {
      String name = f.getFileName().toString();
      int dash = name.indexOf('-');
      String id = dash < 0 ? name : name.substring(0, dash);
      if (!liveIds.contains(id)) {
        bytes += BlobLease.deleteCounting(f);
      }
    }
    for (Path f : children(meta)) {
      // Replacements are only written under the lock we hold: any left is from a crash.
      if (f.getFileName().toString().endsWith(".tmp")) {
        bytes += BlobLease.deleteCounting(f);
      }
    }

    Set<Digest> keep = new HashSet<>(others.leased());
    own.ifPresent(l -> keep.addAll(l.digests()));
    for (Descriptor rootEntry : readIndex().manifests()) {
      keep.addAll(ImageClosure.walk(closureSource(), rootEntry, false,
          nameOf(rootEntry).map(n -> "\"" + n + "\"").orElse(rootEntry.digest().toString()))
          .blobs().keySet());
    }
    int removed = 0;
    for (Path algorithmDir : children(root.resolve("blobs"))) {
      if (!Files.isDirectory(algorithmDir)) {
        continue;
      }
      String algorithm = algorithmDir.getFileName().toString();
      for (Path f : children(algorithmDir)) {
        Digest d = digestOrNull(algorithm, f.getFileName().toString());
        if (d == null || keep.contains(d)) {
          continue; // not ours to judge (another tool's temp file), or still referenced
        }
        long size = BlobLease.deleteCounting(f);
        bytes += size;
        removed++;
      }
    }
    return new PruneReport(removed, bytes);
  }

  // ---------------------------------------------------------------- index.json

  /** index.json as read: the roots and the index's own annotations (kept when rewriting). */
  record StoredIndex(List<Descriptor> manifests, Map<String, String> annotations) {
    StoredIndex with(List<Descriptor> newManifests) {
      return new StoredIndex(List.copyOf(newManifests), annotations);
    }
  }

  private StoredIndex readIndex() throws StoreException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(indexFile);
    } catch (NoSuchFileException e) {
      return new StoredIndex(List.of(), Map.of());
    } catch (IOException e) {
      throw failure("read index.json", e);
    }
    Manifest m;
    try {
      m = ImageJson.parseManifest(bytes, MediaTypes.OCI_INDEX);
    } catch (ImageFormatException e) {
      throw new StoreException("index.json of " + where() + " is malformed: " + e.getMessage());
    }
    if (!(m instanceof ImageIndex index)) {
      throw new StoreException("index.json of " + where() + " is not an image index but "
          + m.mediaType());
    }
    return new StoredIndex(index.manifests(), index.annotations());
  }

  private void writeIndex(StoredIndex index) throws IOException {
    byte[] bytes = ImageJson.write(new ImageIndex(MediaTypes.OCI_INDEX, index.manifests(),
        index.annotations()));
    AtomicFiles.replace(indexFile, bytes, meta.resolve("index.json.tmp"));
  }

  /** Creates oci-layout, index.json and blobs/sha256 when missing; under the lock. */
  private void ensureLayout() throws IOException, StoreException {
    Path layoutFile = root.resolve("oci-layout");
    if (!Files.exists(layoutFile)) {
      AtomicFiles.replace(layoutFile, OCI_LAYOUT, meta.resolve("oci-layout.tmp"));
      layoutVerified = true;
    } else if (!layoutVerified) {
      verifyLayoutVersion(layoutFile);
      layoutVerified = true;
    }
    if (!Files.exists(indexFile)) {
      writeIndex(new StoredIndex(List.of(), Map.of()));
    }
    Files.createDirectories(root.resolve("blobs").resolve(Digest.SHA256));
  }

  private void verifyLayoutVersion(Path layoutFile) throws IOException, StoreException {
    String text = Files.readString(layoutFile, StandardCharsets.UTF_8);
    String version = null;
    try {
      JsonValue v = Json.parse(text);
      if (v instanceof JsonValue.JsonObject o
          && o.get("imageLayoutVersion").orElse(null) instanceof JsonValue.JsonString s) {
        version = s.value();
      }
    } catch (JsonSyntaxException e) {
      throw new StoreException("oci-layout of " + where() + " is malformed: " + e.getMessage());
    }
    if (!"1.0.0".equals(version)) {
      throw new StoreException(where() + " is an OCI image layout of version " + version
          + ", not 1.0.0");
    }
  }

  // ---------------------------------------------------------------- helpers

  private boolean isNamed(Descriptor entry, ImageReference name) {
    String refName = entry.annotations().get(REF_NAME_ANNOTATION);
    if (refName == null) {
      return false;
    }
    String wanted = name.toString();
    if (refName.equals(wanted)) {
      return true;
    }
    // Another tool may have written a short form ("alpine") for the same name.
    try {
      return ImageReference.parse(refName).toString().equals(wanted);
    } catch (InvalidReferenceException e) {
      return false;
    }
  }

  private static Optional<ImageReference> nameOf(Descriptor entry) {
    String refName = entry.annotations().get(REF_NAME_ANNOTATION);
    if (refName == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(ImageReference.parse(refName));
    } catch (InvalidReferenceException e) {
      return Optional.empty();
    }
  }

  private static Descriptor withoutRefName(Descriptor d) {
    if (!d.annotations().containsKey(REF_NAME_ANNOTATION)) {
      return d;
    }
    Map<String, String> rest = new HashMap<>(d.annotations());
    rest.remove(REF_NAME_ANNOTATION);
    return d.withAnnotations(rest);
  }

  private void endLease(Collection<Digest> nowReferenced) throws IOException, StoreException {
    Optional<BlobLease> lease = lock().existingLease();
    if (lease.isPresent()) {
      lease.get().release(nowReferenced);
    }
  }

  private ImageClosure.Source closureSource() {
    return new ImageClosure.Source() {
      @Override
      public OptionalLong size(Digest digest) throws StoreException {
        try {
          BasicFileAttributes a = Files.readAttributes(blobPath(digest),
              BasicFileAttributes.class);
          return a.isRegularFile() ? OptionalLong.of(a.size()) : OptionalLong.empty();
        } catch (NoSuchFileException e) {
          return OptionalLong.empty();
        } catch (IOException e) {
          throw failure("read blob " + digest, e);
        }
      }

      @Override
      public byte[] read(Digest digest) throws StoreException {
        return readBlob(digest);
      }

      @Override
      public String where() {
        return OciLayoutStore.this.where();
      }
    };
  }

  Path blobPath(Digest digest) {
    return root.resolve("blobs").resolve(digest.algorithm()).resolve(digest.hex());
  }

  private static Digest digestOrNull(String algorithm, String hex) {
    try {
      return new Digest(algorithm, hex);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static List<Path> children(Path dir) throws IOException {
    List<Path> out = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      ds.forEach(out::add);
    } catch (NoSuchFileException | NotDirectoryException e) {
      return out;
    }
    return out;
  }

  private StoreLock lock() throws IOException, StoreException {
    StoreLock l = lock;
    if (l == null) {
      if (Files.exists(root) && !Files.isDirectory(root)) {
        throw new StoreException(where() + " is not a directory");
      }
      l = StoreLock.of(meta);
      lock = l;
    }
    return l;
  }

  private <T> T locked(String what, StoreLock.Action<T> action) throws StoreException {
    try {
      return lock().exclusive(action);
    } catch (IOException e) {
      throw failure(what, e);
    }
  }

  /** "the local store (/root/.zlayer/store)" */
  String where() {
    return "the local store (" + root + ")";
  }

  StoreException failure(String what, IOException e) {
    return new StoreException("cannot " + what + " in " + where() + ": " + describe(e), e);
  }

  private StoreException blobNotFound(Digest digest) {
    return StoreException.notFound("blob " + digest + " is not in " + where(), null);
  }

  static String corruptMessage(Digest digest, Digest actual, String where) {
    return "blob " + digest + " in " + where + " is corrupt: its content hashes to " + actual;
  }

  /** One line, whatever the exception: java.nio puts only the path in some messages. */
  static String describe(IOException e) {
    if (e instanceof NoSuchFileException n) {
      return "no such file: " + n.getFile();
    }
    if (e instanceof AccessDeniedException a) {
      return "permission denied: " + a.getFile();
    }
    if (e instanceof FileSystemException f && f.getReason() != null) {
      return f.getReason() + ": " + f.getFile();
    }
    String m = e.getMessage();
    String text = m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    return text.replace('\n', ' ');
  }
}
