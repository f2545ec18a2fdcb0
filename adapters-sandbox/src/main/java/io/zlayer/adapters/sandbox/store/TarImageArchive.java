package io.zlayer.adapters.sandbox.store;

import io.zlayer.application.port.ArchiveFormat;
import io.zlayer.application.port.Blob;
import io.zlayer.application.port.BlobWriter;
import io.zlayer.application.port.ImageArchive;
import io.zlayer.application.port.ImageStore;
import io.zlayer.domain.error.ImageFormatException;
import io.zlayer.domain.error.InvalidReferenceException;
import io.zlayer.domain.error.StoreException;
import io.zlayer.domain.image.Descriptor;
import io.zlayer.domain.image.Digest;
import io.zlayer.domain.image.ImageConfig;
import io.zlayer.domain.image.ImageFormat;
import io.zlayer.domain.image.ImageIndex;
import io.zlayer.domain.image.ImageJson;
import io.zlayer.domain.image.ImageManifest;
import io.zlayer.domain.image.ImageReference;
import io.zlayer.domain.image.LayerCompression;
import io.zlayer.domain.image.Manifest;
import io.zlayer.domain.image.MediaTypes;
import io.zlayer.domain.image.Platform;
import io.zlayer.domain.json.Json;
import io.zlayer.domain.json.JsonSyntaxException;
import io.zlayer.domain.json.JsonValue;
import io.zlayer.domain.json.JsonValue.JsonArray;
import io.zlayer.domain.json.JsonValue.JsonObject;
import io.zlayer.domain.json.JsonValue.JsonString;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorInputStream;

/**
 * {@code zlayer save} and {@code zlayer load} on top of any {@link ImageStore}.
 *
 * <p>OCI format: the OCI image layout as a tar ({@code oci-layout}, {@code index.json},
 * {@code blobs/<alg>/<hex>}), each saved name on its index entry as
 * {@code org.opencontainers.image.ref.name} and {@code io.containerd.image.name} (the full
 * reference), which {@code skopeo copy oci-archive:<file>:<name>} and containerd both find.
 *
 * <p>Docker format: the {@code docker save} tarball. {@code manifest.json} lists, per image,
 * {@code Config}, {@code RepoTags} (familiar names) and {@code Layers}, which are paths in the tar
 * named like Docker 25 does ({@code blobs/sha256/<hex>}). Layers are the stored blobs as they are
 * (gzip or uncompressed; docker load has decompressed layers since 1.10); zstd layers, which older
 * Docker cannot read, are decompressed and named by their diff_id. A multi-platform index is
 * saved as its one stored platform, or the host's.
 *
 * <p>Load reads one pass over the tar (plain, gzip, bzip2 or zstd), streaming every file but the
 * small JSON metadata into the store through a {@link BlobWriter}; an entry named
 * {@code blobs/<alg>/<hex>} is verified against that digest before it is committed. Archives with
 * an {@code index.json} load as OCI layouts (Docker 25 writes both, and its index is exact);
 * otherwise {@code manifest.json} is read and an OCI manifest made for each image.
 */
public final class TarImageArchive implements ImageArchive {
  static final String CONTAINERD_NAME = "io.containerd.image.name";
  private static final FileTime EPOCH = FileTime.fromMillis(0);
  private static final long METADATA_LIMIT = 16L << 20;
  private static final long METADATA_TOTAL_LIMIT = 64L << 20;
  private static final byte[] OCI_LAYOUT =
      "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8);
  private static final Set<String> METADATA_NAMES =
      Set.of("index.json", "manifest.json", "oci-layout", "repositories");
  private static final Pattern LEGACY_V1_FILE = Pattern.compile("[^/]+/(json|VERSION)");

  private final ImageStore store;
  private final Platform host;

  public TarImageArchive(ImageStore store) {
    this(store, hostPlatform());
  }

  TarImageArchive(ImageStore store, Platform host) {
    this.store = store;
    this.host = host;
  }

  // ================================================================ save

  private record Named(ImageReference ref, Descriptor root) {}

  private interface TarBody {
    void write(TarArchiveOutputStream tar, Path directory) throws IOException, StoreException;
  }

  @Override
  public void save(List<ImageReference> refs, Path file, ArchiveFormat format)
      throws StoreException {
    if (refs.isEmpty()) {
      throw new IllegalArgumentException("no images to save");
    }
    List<Named> images = new ArrayList<>();
    for (ImageReference ref : refs) {
      Optional<Descriptor> root = store.resolve(ref);
      if (root.isEmpty()) {
        throw StoreException.notFound("image \"" + ref + "\" is not in the local store ("
            + storePath() + ")", "zlayer images lists what the store holds");
      }
      images.add(new Named(ref, root.get()));
    }
    if (format == ArchiveFormat.OCI) {
      writeArchive(file, (tar, dir) -> writeOci(tar, images));
    } else {
      writeArchive(file, (tar, dir) -> writeDocker(tar, images, dir));
    }
  }

  private void writeOci(TarArchiveOutputStream tar, List<Named> images)
      throws IOException, StoreException {
    Map<Digest, Descriptor> blobs = new LinkedHashMap<>();
    List<Descriptor> entries = new ArrayList<>();
    for (Named image : images) {
      ImageClosure.Result closure = ImageClosure.walk(storeSource("the local store ("
          + storePath() + ")"), image.root(), true, "\"" + image.ref() + "\"");
      closure.blobs().forEach(blobs::putIfAbsent);
      Map<String, String> annotations = new HashMap<>(closure.root().annotations());
      annotations.put(OciLayoutStore.REF_NAME_ANNOTATION, image.ref().toString());
      annotations.put(CONTAINERD_NAME, image.ref().toString());
      entries.add(closure.root().withAnnotations(annotations));
    }
    TarEntries out = new TarEntries(tar);
    out.file("oci-layout", OCI_LAYOUT);
    for (Digest d : blobs.keySet()) {
      out.blob(blobPath(d), store.blob(d));
    }
    out.file("index.json", ImageJson.write(new ImageIndex(MediaTypes.OCI_INDEX, entries,
        Map.of())));
  }

  /** One image of manifest.json: a manifest and every name that points at it. */
  private static final class DockerItem {
    final String label;
    final ImageManifest manifest;
    final Set<String> repoTags = new LinkedHashSet<>();

    DockerItem(String label, ImageManifest manifest) {
      this.label = label;
      this.manifest = manifest;
    }
  }

  private void writeDocker(TarArchiveOutputStream tar, List<Named> images, Path tempDir)
      throws IOException, StoreException {
    Map<Digest, DockerItem> items = new LinkedHashMap<>();
    for (Named image : images) {
      String label = "\"" + image.ref() + "\"";
      Descriptor chosen = singleImage(image.root(), label);
      DockerItem item = items.get(chosen.digest());
      if (item == null) {
        item = new DockerItem(label, (ImageManifest) parseStored(chosen, label));
        items.put(chosen.digest(), item);
      }
      if (image.ref().tag().isPresent()) {
        item.repoTags.add(image.ref().familiarName() + ":" + image.ref().tag().get());
      }
    }
    TarEntries out = new TarEntries(tar);
    List<JsonValue> manifestJson = new ArrayList<>();
    for (DockerItem item : items.values()) {
      Descriptor configDesc = item.manifest.config();
      if (!configDesc.mediaType().equals(MediaTypes.OCI_CONFIG)
          && !configDesc.mediaType().equals(MediaTypes.DOCKER_CONFIG)) {
        throw new StoreException("image " + item.label + " is not a container image (its config"
            + " is " + configDesc.mediaType() + "); save it in the OCI format");
      }
      byte[] configBytes = store.readBlob(configDesc.digest());
      ImageConfig config;
      try {
        config = ImageJson.parseConfig(configBytes);
      } catch (ImageFormatException e) {
        throw new StoreException("image " + item.label + ": its config " + configDesc.digest()
            + " is malformed: " + e.getMessage());
      }
      List<Descriptor> layers = item.manifest.layers();
      if (config.diffIds().size() != layers.size()) {
        throw new StoreException("image " + item.label + ": its config lists "
            + config.diffIds().size() + " diff_ids for " + layers.size() + " layers");
      }
      String configPath = blobPath(configDesc.digest());
      out.file(configPath, configBytes);
      List<JsonValue> layerPaths = new ArrayList<>();
      for (int i = 0; i < layers.size(); i++) {
        Descriptor layer = layers.get(i);
        Blob blob;
        try {
          blob = store.blob(layer.digest());
        } catch (StoreException e) {
          if (e.isNotFound()) {
            throw new StoreException("image " + item.label + ": layer " + layer.digest()
                + " is not in the local store (" + storePath() + "); a docker archive needs"
                + " every layer");
          }
          throw e;
        }
        String path;
        if (MediaTypes.layerCompression(layer.mediaType()) == LayerCompression.ZSTD) {
          Digest diffId = config.diffIds().get(i);
          path = blobPath(diffId);
          if (!out.has(path)) {
            out.decompressedZstd(path, blob, diffId, tempDir, item.label);
          }
        } else {
          path = blobPath(layer.digest());
          out.blob(path, blob);
        }
        layerPaths.add(new JsonString(path));
      }
      Map<String, JsonValue> entry = new LinkedHashMap<>();
      entry.put("Config", new JsonString(configPath));
      entry.put("RepoTags", item.repoTags.isEmpty() ? JsonValue.JsonNull.INSTANCE
          : new JsonArray(item.repoTags.stream().map(t -> (JsonValue) new JsonString(t))
              .toList()));
      entry.put("Layers", new JsonArray(layerPaths));
      manifestJson.add(new JsonObject(entry));
    }
    out.file("manifest.json", Json.write(new JsonArray(manifestJson))
        .getBytes(StandardCharsets.UTF_8));
  }

  /** The image manifest a docker archive holds for a root: itself, or one platform of an index. */
  private Descriptor singleImage(Descriptor root, String label) throws StoreException {
    Manifest m = parseStored(root, label);
    if (m instanceof ImageManifest) {
      return root;
    }
    ImageIndex index = (ImageIndex) m;
    List<Descriptor> stored = new ArrayList<>();
    for (Descriptor child : index.manifests()) {
      if (MediaTypes.isImageManifest(child.mediaType()) && isStored(child.digest())) {
        stored.add(child);
      }
    }
    if (stored.size() == 1) {
      return stored.get(0);
    }
    for (Descriptor child : stored) {
      if (child.platform().map(host::matches).orElse(false)) {
        return child;
      }
    }
    throw new StoreException("image " + label + " is a multi-platform index with " + stored.size()
        + " platforms in the local store and none for " + host.os() + "/" + host.architecture()
        + "; a docker archive holds one platform, save it in the OCI format");
  }

  private Manifest parseStored(Descriptor d, String label) throws StoreException {
    try {
      return ImageJson.parseManifest(store.readBlob(d.digest()), d.mediaType());
    } catch (ImageFormatException e) {
      throw new StoreException("image " + label + ": manifest " + d.digest() + " is malformed: "
          + e.getMessage());
    }
  }

  /** Writes through a temp file beside {@code file}, renamed over it once complete. */
  private void writeArchive(Path file, TarBody body) throws StoreException {
    Path target = file.toAbsolutePath();
    // A device or a pipe (/dev/stdout) is written directly: it cannot be renamed over.
    boolean special = Files.exists(target) && !Files.isRegularFile(target);
    Path dir = target.getParent();
    if (!Files.isDirectory(dir)) {
      throw new StoreException("cannot write image archive " + target + ": the directory " + dir
          + " does not exist");
    }
    Path temp = special ? target : dir.resolve("." + target.getFileName() + "."
        + HexFormat.of().formatHex(randomBytes()) + ".partial");
    try {
      try (FileChannel channel = special
              ? FileChannel.open(target, StandardOpenOption.WRITE)
              : FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
          OutputStream os = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
          TarArchiveOutputStream tar = newTar(os)) {
        body.write(tar, dir);
        tar.finish();
        os.flush();
        if (!special) {
          channel.force(true);
        }
      }
      if (!special) {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        AtomicFiles.syncDirectory(dir);
      }
    } catch (IOException e) {
      deleteQuietly(special ? null : temp);
      throw new StoreException("cannot write image archive " + target + ": "
          + OciLayoutStore.describe(e), e);
    } catch (StoreException | RuntimeException e) {
      deleteQuietly(special ? null : temp);
      throw e;
    }
  }

  private static TarArchiveOutputStream newTar(OutputStream os) {
    TarArchiveOutputStream tar = new TarArchiveOutputStream(os);
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    tar.setAddPaxHeadersForNonAsciiNames(true);
    return tar;
  }

  /** Writes entries once each, with their parent directories, reproducibly. */
  private final class TarEntries {
    private final TarArchiveOutputStream tar;
    private final Set<String> written = new HashSet<>();

    TarEntries(TarArchiveOutputStream tar) {
      this.tar = tar;
    }

    boolean has(String path) {
      return written.contains(path);
    }

    void file(String path, byte[] content) throws IOException {
      if (!begin(path, content.length)) {
        return;
      }
      tar.write(content);
      tar.closeArchiveEntry();
    }

    void blob(String path, Blob blob) throws IOException {
      if (!begin(path, blob.size())) {
        return;
      }
      try (InputStream in = blob.open()) {
        in.transferTo(tar);
      }
      tar.closeArchiveEntry();
    }

    void decompressedZstd(String path, Blob blob, Digest diffId, Path tempDir, String label)
        throws IOException, StoreException {
      Path temp = Files.createTempFile(tempDir, ".zlayer-layer-", ".tar");
      try {
        MessageDigest hasher = diffId.newHasher();
        try (InputStream in = new ZstdCompressorInputStream(
                new BufferedInputStream(blob.open(), 1 << 16));
            OutputStream os = Files.newOutputStream(temp)) {
          byte[] buf = new byte[1 << 16];
          for (int n; (n = in.read(buf)) > 0; ) {
            hasher.update(buf, 0, n);
            os.write(buf, 0, n);
          }
        }
        String hex = HexFormat.of().formatHex(hasher.digest());
        if (!hex.equals(diffId.hex())) {
          throw new StoreException("image " + label + ": layer " + blob.digest()
              + " does not decompress to its diff_id " + diffId);
        }
        begin(path, Files.size(temp));
        Files.copy(temp, tar);
        tar.closeArchiveEntry();
      } finally {
        Files.deleteIfExists(temp);
      }
    }

    private boolean begin(String path, long size) throws IOException {
      if (!written.add(path)) {
        return false;
      }
      int slash = path.lastIndexOf('/');
      if (slash > 0) {
        directory(path.substring(0, slash));
      }
      TarArchiveEntry e = entry(path, false);
      e.setSize(size);
      tar.putArchiveEntry(e);
      return true;
    }

    private void directory(String path) throws IOException {
      if (written.contains(path + "/")) {
        return;
      }
      int slash = path.lastIndexOf('/');
      if (slash > 0) {
        directory(path.substring(0, slash));
      }
      written.add(path + "/");
      tar.putArchiveEntry(entry(path + "/", true));
      tar.closeArchiveEntry();
    }

    private TarArchiveEntry entry(String name, boolean dir) {
      TarArchiveEntry e = new TarArchiveEntry(name);
      e.setMode(dir ? 040755 : 0100644);
      e.setModTime(EPOCH);
      e.setUserId(0);
      e.setGroupId(0);
      e.setUserName("");
      e.setGroupName("");
      return e;
    }
  }

  // ================================================================ load

  /** A file of the archive now in the store, with its compression when it was seen. */
  private record ArchivedFile(Digest digest, long size, Optional<StreamCompression> compression) {}

  /** What one pass over the archive found. */
  private static final class Contents {
    final Path archive;
    final Map<String, byte[]> metadata = new HashMap<>();
    final Map<String, ArchivedFile> files = new HashMap<>();
    final Map<String, String> links = new HashMap<>();
    long metadataBytes;

    Contents(Path archive) {
      this.archive = archive;
    }

    /** Follows links; the result is a key of {@link #files} or {@link #metadata}, or null. */
    String resolve(String path) {
      String p = path;
      for (int hops = 0; hops < 32 && p != null; hops++) {
        if (files.containsKey(p) || metadata.containsKey(p)) {
          return p;
        }
        p = links.get(p);
      }
      return null;
    }
  }

  @Override
  public List<ImageReference> load(Path file) throws StoreException, ImageFormatException {
    Path source = file.toAbsolutePath();
    Contents contents = new Contents(source);
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(source), 1 << 16)) {
      readEntries(new TarArchiveInputStream(decompressed(raw, source)), contents);
    } catch (NoSuchFileException e) {
      throw StoreException.notFound("image archive " + source + " does not exist", null);
    } catch (IOException e) {
      throw new StoreException("cannot read image archive " + source + ": "
          + OciLayoutStore.describe(e), e);
    }
    List<Pending> pending;
    if (contents.metadata.containsKey("index.json")) {
      pending = ociImages(contents);
    } else if (contents.metadata.containsKey("manifest.json")) {
      pending = dockerImages(contents);
    } else {
      throw new ImageFormatException(source + " is not an image archive: it has neither"
          + " index.json (OCI layout) nor manifest.json (docker save)");
    }
    ImageClosure.Source archiveSource = storeSource("the archive " + source);
    for (Pending p : pending) {
      // The store would say "not in the local store"; the truth is the archive lacks it.
      try {
        ImageClosure.walk(archiveSource, p.target(), true, p.label());
      } catch (StoreException e) {
        throw new ImageFormatException(e.getMessage());
      }
    }
    Set<ImageReference> loaded = new LinkedHashSet<>();
    for (Pending p : pending) {
      if (p.names().isEmpty()) {
        store.addRoot(p.target());
      }
      for (ImageReference name : p.names()) {
        store.tag(name, p.target());
        loaded.add(name);
      }
    }
    return List.copyOf(loaded);
  }

  private record Pending(Descriptor target, List<ImageReference> names, String label) {}

  private static InputStream decompressed(InputStream raw, Path source)
      throws IOException, ImageFormatException {
    raw.mark(StreamCompression.MAGIC_LENGTH);
    byte[] head = raw.readNBytes(StreamCompression.MAGIC_LENGTH);
    raw.reset();
    switch (StreamCompression.sniff(head)) {
      case GZIP:
        return GzipCompressorInputStream.builder().setInputStream(raw)
            .setDecompressConcatenated(true).get();
      case BZIP2:
        return new BZip2CompressorInputStream(raw, true);
      case ZSTD:
        return new ZstdCompressorInputStream(raw);
      case XZ:
        throw new ImageFormatException("image archive " + source + " is xz-compressed, which"
            + " zlayer cannot read; decompress it first (xz -d)");
      default:
        return raw;
    }
  }

  private void readEntries(TarArchiveInputStream tar, Contents contents)
      throws IOException, StoreException, ImageFormatException {
    Path source = contents.archive;
    boolean any = false;
    for (TarArchiveEntry e = nextEntry(tar, source); e != null; e = nextEntry(tar, source)) {
      any = true;
      String name = ArchiveEntryNames.safe(e.getName(), source);
      if (name.isEmpty() || e.isDirectory()) {
        continue;
      }
      if (e.isSymbolicLink() || e.isLink()) {
        contents.links.put(name, ArchiveEntryNames.linkTarget(name, e.getLinkName(),
            e.isSymbolicLink(), source));
        continue;
      }
      if (!e.isFile()) {
        throw new ImageFormatException("image archive " + source + ": entry \"" + name
            + "\" is a device or pipe, which image archives do not contain");
      }
      if (METADATA_NAMES.contains(name) || (name.endsWith(".json") && !name.startsWith("blobs/"))) {
        contents.metadata.put(name, readMetadata(tar, e, name, contents));
      } else if (!LEGACY_V1_FILE.matcher(name).matches()) {
        contents.files.put(name, importFile(tar, name, blobDigest(name), source));
      }
    }
    if (!any) {
      throw new ImageFormatException(source + " is not an image archive: it is empty or not a"
          + " tar file");
    }
  }

  private static TarArchiveEntry nextEntry(TarArchiveInputStream tar, Path source)
      throws ImageFormatException {
    try {
      return tar.getNextEntry();
    } catch (IOException e) {
      throw new ImageFormatException(source + " is not a readable tar archive: "
          + OciLayoutStore.describe(e));
    }
  }

  private static byte[] readMetadata(TarArchiveInputStream tar, TarArchiveEntry e, String name,
      Contents contents) throws IOException, ImageFormatException {
    contents.metadataBytes += e.getSize();
    if (e.getSize() > METADATA_LIMIT || contents.metadataBytes > METADATA_TOTAL_LIMIT) {
      throw new ImageFormatException("image archive " + contents.archive + ": \"" + name
          + "\" is too large for image metadata (" + e.getSize() + " bytes)");
    }
    return tar.readAllBytes();
  }

  /** {@code blobs/<alg>/<hex>} names its digest. */
  private static Optional<Digest> blobDigest(String name) {
    String[] parts = name.split("/");
    if (parts.length != 3 || !parts[0].equals("blobs")) {
      return Optional.empty();
    }
    try {
      return Optional.of(new Digest(parts[1], parts[2]));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private ArchivedFile importFile(InputStream in, String name, Optional<Digest> expected,
      Path source) throws StoreException, ImageFormatException {
    if (expected.isPresent() && store.hasBlob(expected.get())) {
      // Stored (and verified) before; the tar stream skips this entry's content.
      return new ArchivedFile(expected.get(), store.blob(expected.get()).size(),
          Optional.empty());
    }
    MessageDigest hasher = expected.map(Digest::newHasher).orElse(null);
    try (BlobWriter writer = store.newBlobWriter()) {
      OutputStream out = writer.stream();
      byte[] head = in.readNBytes(StreamCompression.MAGIC_LENGTH);
      StreamCompression compression = StreamCompression.sniff(head);
      byte[] buf = new byte[1 << 16];
      System.arraycopy(head, 0, buf, 0, head.length);
      int n = head.length;
      do {
        if (n > 0) {
          out.write(buf, 0, n);
          if (hasher != null) {
            hasher.update(buf, 0, n);
          }
        }
        n = in.read(buf);
      } while (n >= 0);
      if (hasher != null) {
        Digest actual = new Digest(expected.get().algorithm(),
            HexFormat.of().formatHex(hasher.digest()));
        if (!actual.equals(expected.get())) {
          // The writer is closed uncommitted: nothing of it becomes visible.
          throw new ImageFormatException("image archive " + source + ": \"" + name
              + "\" does not match its digest (its content hashes to " + actual + ")");
        }
      }
      Digest stored = writer.commit(expected);
      return new ArchivedFile(stored, writer.written(), Optional.of(compression));
    } catch (IOException e) {
      throw new StoreException("cannot import \"" + name + "\" of image archive " + source + ": "
          + OciLayoutStore.describe(e), e);
    }
  }

  // ---------------------------------------------------------------- OCI layout archives

  private List<Pending> ociImages(Contents contents) throws StoreException, ImageFormatException {
    Path source = contents.archive;
    Manifest m;
    try {
      m = ImageJson.parseManifest(contents.metadata.get("index.json"), MediaTypes.OCI_INDEX);
    } catch (ImageFormatException e) {
      throw new ImageFormatException("image archive " + source + ": index.json is malformed: "
          + e.getMessage());
    }
    if (!(m instanceof ImageIndex index)) {
      throw new ImageFormatException("image archive " + source + ": index.json is not an image"
          + " index");
    }
    boolean dockerToo = contents.metadata.containsKey("manifest.json");
    Map<Digest, List<String>> tagsByConfig = new HashMap<>();
    if (dockerToo) {
      for (DockerEntry item : dockerEntries(contents)) {
        String path = contents.resolve(item.config());
        if (path != null && contents.files.containsKey(path)) {
          tagsByConfig.computeIfAbsent(contents.files.get(path).digest(), k -> new ArrayList<>())
              .addAll(item.repoTags());
        }
      }
    }
    List<Pending> out = new ArrayList<>();
    for (Descriptor entry : index.manifests()) {
      String label = entry.digest().toString();
      if (!isStored(entry.digest())) {
        throw new ImageFormatException("image archive " + source + ": index.json lists "
            + entry.digest() + ", which the archive does not contain");
      }
      Set<String> names = new LinkedHashSet<>();
      String containerdName = entry.annotations().get(CONTAINERD_NAME);
      String refName = entry.annotations().get(OciLayoutStore.REF_NAME_ANNOTATION);
      if (containerdName != null) {
        names.add(containerdName);
      } else if (refName != null && (!dockerToo || refName.matches(".*[/:@].*"))) {
        // With a manifest.json beside it (Docker 25), a bare ref.name is only the tag.
        names.add(refName);
      }
      if (dockerToo && MediaTypes.isImageManifest(entry.mediaType())) {
        Manifest image;
        try {
          image = ImageJson.parseManifest(store.readBlob(entry.digest()), entry.mediaType());
        } catch (ImageFormatException e) {
          throw new ImageFormatException("image archive " + source + ": manifest "
              + entry.digest() + " is malformed: " + e.getMessage());
        }
        if (image instanceof ImageManifest im) {
          names.addAll(tagsByConfig.getOrDefault(im.config().digest(), List.of()));
        }
      }
      Map<String, String> annotations = new HashMap<>(entry.annotations());
      annotations.remove(OciLayoutStore.REF_NAME_ANNOTATION);
      annotations.remove(CONTAINERD_NAME);
      List<ImageReference> refs = references(names, source);
      if (!refs.isEmpty()) {
        label = "\"" + refs.get(0) + "\"";
      }
      out.add(new Pending(entry.withAnnotations(annotations), refs, label));
    }
    return out;
  }

  // ---------------------------------------------------------------- docker save archives

  private record DockerEntry(String config, List<String> repoTags, List<String> layers) {}

  private List<Pending> dockerImages(Contents contents)
      throws StoreException, ImageFormatException {
    Path source = contents.archive;
    List<Pending> out = new ArrayList<>();
    for (DockerEntry item : dockerEntries(contents)) {
      String configPath = contents.resolve(item.config());
      if (configPath == null) {
        throw new ImageFormatException("image archive " + source + ": manifest.json names the"
            + " config \"" + item.config() + "\", which the archive does not contain");
      }
      byte[] configBytes;
      Digest configDigest;
      if (contents.metadata.containsKey(configPath)) {
        configBytes = contents.metadata.get(configPath);
        configDigest = store.putBlob(configBytes);
      } else {
        configDigest = contents.files.get(configPath).digest();
        configBytes = store.readBlob(configDigest);
      }
      String label = item.repoTags().isEmpty() ? "with config " + configDigest
          : "\"" + item.repoTags().get(0) + "\"";
      ImageConfig config;
      try {
        config = ImageJson.parseConfig(configBytes);
      } catch (ImageFormatException e) {
        throw new ImageFormatException("image archive " + source + ": the config of image "
            + label + " is malformed: " + e.getMessage());
      }
      if (config.diffIds().size() != item.layers().size()) {
        throw new ImageFormatException("image archive " + source + ": image " + label + " has "
            + item.layers().size() + " layers but its config lists " + config.diffIds().size()
            + " diff_ids");
      }
      List<Descriptor> layers = new ArrayList<>();
      for (int i = 0; i < item.layers().size(); i++) {
        String path = contents.resolve(item.layers().get(i));
        ArchivedFile layer = path == null ? null : contents.files.get(path);
        if (layer == null) {
          throw new ImageFormatException("image archive " + source + ": manifest.json names the"
              + " layer \"" + item.layers().get(i) + "\", which the archive does not contain");
        }
        StreamCompression compression = layer.compression().isPresent()
            ? layer.compression().get() : storedCompression(layer.digest());
        Optional<LayerCompression> known = compression.asLayerCompression();
        if (known.isEmpty()) {
          throw new ImageFormatException("image archive " + source + ": layer \""
              + item.layers().get(i) + "\" is " + compression.name().toLowerCase(Locale.ROOT)
              + "-compressed; OCI images only carry plain, gzip or zstd layers");
        }
        if (known.get() == LayerCompression.NONE
            && !layer.digest().equals(config.diffIds().get(i))) {
          throw new ImageFormatException("image archive " + source + ": layer \""
              + item.layers().get(i) + "\" of image " + label + " is " + layer.digest()
              + " but the config says its diff_id is " + config.diffIds().get(i));
        }
        layers.add(Descriptor.of(MediaTypes.layerType(ImageFormat.OCI, known.get()),
            layer.digest(), layer.size()));
      }
      ImageManifest manifest = new ImageManifest(MediaTypes.OCI_MANIFEST,
          Descriptor.of(MediaTypes.OCI_CONFIG, configDigest, configBytes.length), layers);
      byte[] manifestBytes = ImageJson.write(manifest);
      Digest manifestDigest = store.putBlob(manifestBytes);
      out.add(new Pending(Descriptor.of(MediaTypes.OCI_MANIFEST, manifestDigest,
          manifestBytes.length), references(item.repoTags(), source), label));
    }
    return out;
  }

  private StreamCompression storedCompression(Digest digest) throws StoreException {
    try (InputStream in = store.blob(digest).open()) {
      return StreamCompression.sniff(in.readNBytes(StreamCompression.MAGIC_LENGTH));
    } catch (IOException e) {
      throw new StoreException("cannot read blob " + digest + " of the local store ("
          + storePath() + "): " + OciLayoutStore.describe(e), e);
    }
  }

  private static List<DockerEntry> dockerEntries(Contents contents) throws ImageFormatException {
    Path source = contents.archive;
    String what = "image archive " + source + ": manifest.json";
    JsonValue root;
    try {
      root = Json.parse(new String(contents.metadata.get("manifest.json"),
          StandardCharsets.UTF_8));
    } catch (JsonSyntaxException e) {
      throw new ImageFormatException(what + " is malformed: " + e.getMessage());
    }
    if (!(root instanceof JsonArray items)) {
      throw new ImageFormatException(what + " is not a JSON array");
    }
    List<DockerEntry> out = new ArrayList<>();
    for (JsonValue v : items.items()) {
      if (!(v instanceof JsonObject o)) {
        throw new ImageFormatException(what + " has an entry that is not an object");
      }
      if (!(o.get("Config").orElse(null) instanceof JsonString config)) {
        throw new ImageFormatException(what + " has an entry without a Config path");
      }
      out.add(new DockerEntry(config.value(), strings(o, "RepoTags", what),
          strings(o, "Layers", what)));
    }
    return out;
  }

  private static List<String> strings(JsonObject o, String key, String what)
      throws ImageFormatException {
    JsonValue v = o.get(key).orElse(JsonValue.JsonNull.INSTANCE);
    if (v instanceof JsonValue.JsonNull) {
      return List.of();
    }
    if (!(v instanceof JsonArray a)) {
      throw new ImageFormatException(what + ": " + key + " is not an array");
    }
    List<String> out = new ArrayList<>();
    for (JsonValue item : a.items()) {
      if (!(item instanceof JsonString s)) {
        throw new ImageFormatException(what + ": " + key + " holds a non-string");
      }
      out.add(s.value());
    }
    return out;
  }

  private static List<ImageReference> references(Iterable<String> names, Path source)
      throws ImageFormatException {
    Set<ImageReference> out = new LinkedHashSet<>();
    for (String name : names) {
      try {
        out.add(ImageReference.parse(name));
      } catch (InvalidReferenceException e) {
        throw new ImageFormatException("image archive " + source + " names an image \"" + name
            + "\" that is not a valid reference: " + e.getMessage());
      }
    }
    return List.copyOf(out);
  }

  // ================================================================ shared

  private ImageClosure.Source storeSource(String where) {
    return new ImageClosure.Source() {
      @Override
      public OptionalLong size(Digest digest) throws StoreException {
        try {
          return OptionalLong.of(store.blob(digest).size());
        } catch (StoreException e) {
          if (e.isNotFound()) {
            return OptionalLong.empty();
          }
          throw e;
        }
      }

      @Override
      public byte[] read(Digest digest) throws StoreException {
        return store.readBlob(digest);
      }

      @Override
      public String where() {
        return where;
      }
    };
  }

  /** Whether the store has a blob; unlike hasBlob, this read does not lease it. */
  private boolean isStored(Digest digest) throws StoreException {
    try {
      store.blob(digest);
      return true;
    } catch (StoreException e) {
      if (e.isNotFound()) {
        return false;
      }
      throw e;
    }
  }

  private String storePath() {
    String location = store.location();
    return location.startsWith("oci:") ? location.substring(4) : location;
  }

  private static String blobPath(Digest d) {
    return "blobs/" + d.algorithm() + "/" + d.hex();
  }

  private static byte[] randomBytes() {
    byte[] b = new byte[6];
    TempNameRandom.INSTANCE.nextBytes(b);
    return b;
  }

  /** Made at first use: seeding it loads the security providers, which most commands never need. */
  private static final class TempNameRandom {
    static final SecureRandom INSTANCE = new SecureRandom();
  }

  private static void deleteQuietly(Path p) {
    if (p == null) {
      return;
    }
    try {
      Files.deleteIfExists(p);
    } catch (IOException e) {
      // a stray .partial file is harmless and clearly named
    }
  }

  /** The platform {@code docker load} on this machine wants, in Go's names. */
  static Platform hostPlatform() {
    String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
    String goArch = switch (arch) {
      case "amd64", "x86_64" -> "amd64";
      case "aarch64", "arm64" -> "arm64";
      case "x86", "i386", "i486", "i586", "i686" -> "386";
      case "arm" -> "arm";
      default -> arch;
    };
    return new Platform("linux", goArch, Optional.empty(), Optional.empty());
  }
}
