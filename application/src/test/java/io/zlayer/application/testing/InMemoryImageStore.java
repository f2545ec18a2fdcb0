package io.zlayer.application.testing;

import io.zlayer.application.port.Blob;
import io.zlayer.application.port.BlobWriter;
import io.zlayer.application.port.ImageStore;
import io.zlayer.domain.error.ImageFormatException;
import io.zlayer.domain.error.StoreException;
import io.zlayer.domain.image.Descriptor;
import io.zlayer.domain.image.Digest;
import io.zlayer.domain.image.ImageIndex;
import io.zlayer.domain.image.ImageJson;
import io.zlayer.domain.image.ImageManifest;
import io.zlayer.domain.image.Manifest;
import io.zlayer.domain.image.MediaTypes;
import io.zlayer.domain.image.ImageReference;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An {@link ImageStore} in memory, for hosts and tests that need no disk: content-addressed
 * blobs checked against their digest on every write and read, named and unnamed roots, prune by
 * reachability. Thread-safe; not shared between processes.
 */
public final class InMemoryImageStore implements ImageStore {
  private final Map<Digest, byte[]> blobs = new ConcurrentHashMap<>();
  private final List<StoredImage> roots = new ArrayList<>();

  @Override
  public boolean hasBlob(Digest digest) {
    return blobs.containsKey(digest);
  }

  @Override
  public Blob blob(Digest digest) throws StoreException {
    byte[] content = content(digest);
    return new Blob() {
      @Override
      public Digest digest() {
        return digest;
      }

      @Override
      public long size() {
        return content.length;
      }

      @Override
      public InputStream open() {
        return new VerifyingStream(new ByteArrayInputStream(content), digest);
      }
    };
  }

  @Override
  public byte[] readBlob(Digest digest) throws StoreException {
    byte[] content = content(digest);
    if (!Digest.sha256(content).equals(digest)) {
      throw new StoreException("blob " + digest + " in the in-memory store is corrupt");
    }
    return content.clone();
  }

  @Override
  public Digest putBlob(byte[] content) {
    Digest digest = Digest.sha256(content);
    blobs.putIfAbsent(digest, content.clone());
    return digest;
  }

  @Override
  public BlobWriter newBlobWriter() {
    return new MemoryBlobWriter();
  }

  @Override
  public synchronized void tag(ImageReference name, Descriptor target) throws StoreException {
    requireBlob(target.digest());
    roots.removeIf(r -> r.name().equals(Optional.of(name)));
    roots.add(new StoredImage(Optional.of(name), target));
  }

  @Override
  public synchronized Optional<Descriptor> resolve(ImageReference name) {
    return roots.stream().filter(r -> r.name().equals(Optional.of(name)))
        .map(StoredImage::target).findFirst();
  }

  @Override
  public synchronized List<StoredImage> list() {
    return List.copyOf(roots);
  }

  @Override
  public synchronized boolean untag(ImageReference name) {
    return roots.removeIf(r -> r.name().equals(Optional.of(name)));
  }

  @Override
  public synchronized void addRoot(Descriptor target) throws StoreException {
    requireBlob(target.digest());
    boolean known = roots.stream().anyMatch(r -> r.name().isEmpty()
        && r.target().digest().equals(target.digest()));
    if (!known) {
      roots.add(new StoredImage(Optional.empty(), target));
    }
  }

  @Override
  public synchronized int removeRoots(Digest manifest) {
    int before = roots.size();
    roots.removeIf(r -> r.target().digest().equals(manifest));
    return before - roots.size();
  }

  @Override
  public synchronized PruneReport prune() throws StoreException {
    Set<Digest> reachable = new HashSet<>();
    Deque<Descriptor> todo = new ArrayDeque<>();
    roots.forEach(r -> todo.add(r.target()));
    while (!todo.isEmpty()) {
      Descriptor d = todo.pop();
      if (!reachable.add(d.digest()) || !MediaTypes.isManifest(d.mediaType())) {
        continue;
      }
      Manifest m;
      try {
        m = ImageJson.parseManifest(readBlob(d.digest()), d.mediaType());
      } catch (ImageFormatException e) {
        throw new StoreException("root " + d.digest() + " is not a manifest: " + e.getMessage());
      }
      if (m instanceof ImageIndex index) {
        todo.addAll(index.manifests());
      } else {
        ImageManifest im = (ImageManifest) m;
        todo.add(im.config());
        todo.addAll(im.layers());
      }
    }
    int removed = 0;
    long freed = 0;
    for (Digest d : List.copyOf(blobs.keySet())) {
      if (!reachable.contains(d)) {
        freed += blobs.remove(d).length;
        removed++;
      }
    }
    return new PruneReport(removed, freed);
  }

  @Override
  public String location() {
    return "memory:" + Integer.toHexString(System.identityHashCode(this));
  }

  /** Replaces a blob's bytes behind the store's back, to see that reads notice. */
  public void corrupt(Digest digest, byte[] otherContent) {
    blobs.put(digest, otherContent.clone());
  }

  public int blobCount() {
    return blobs.size();
  }

  private byte[] content(Digest digest) throws StoreException {
    byte[] content = blobs.get(digest);
    if (content == null) {
      throw StoreException.notFound("blob " + digest + " is not in the in-memory store", null);
    }
    return content;
  }

  private void requireBlob(Digest digest) throws StoreException {
    if (!blobs.containsKey(digest)) {
      throw StoreException.notFound("cannot name " + digest + ": it is not in the store", null);
    }
  }

  /** Hashes what is read and fails at the end when the content is not the blob's. */
  private static final class VerifyingStream extends FilterInputStream {
    private final MessageDigest hasher = Digest.newSha256();
    private final Digest expected;
    private boolean checked;

    VerifyingStream(InputStream in, Digest expected) {
      super(in);
      this.expected = expected;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        hasher.update(b, off, n);
      } else if (n < 0 && !checked) {
        checked = true;
        Digest actual = Digest.ofSha256(hasher.digest());
        if (!actual.equals(expected)) {
          throw new IOException("blob " + expected + " is corrupt: its content is " + actual);
        }
      }
      return n;
    }
  }

  private final class MemoryBlobWriter implements BlobWriter {
    private ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private boolean done;

    @Override
    public OutputStream stream() {
      return buffer;
    }

    @Override
    public long written() {
      return buffer.size();
    }

    @Override
    public void reset() {
      buffer = new ByteArrayOutputStream();
    }

    @Override
    public Digest commit(Optional<Digest> expected) throws StoreException {
      if (done) {
        throw new StoreException("blob writer already committed or closed");
      }
      byte[] content = buffer.toByteArray();
      Digest actual = Digest.sha256(content);
      if (expected.isPresent() && !expected.get().equals(actual)) {
        throw new StoreException("digest mismatch: expected " + expected.get() + ", got "
            + actual);
      }
      done = true;
      blobs.putIfAbsent(actual, content);
      return actual;
    }

    @Override
    public void close() {
      done = true;
      buffer = new ByteArrayOutputStream();
    }
  }
}
