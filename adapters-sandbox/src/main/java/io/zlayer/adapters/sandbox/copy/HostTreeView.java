package io.zlayer.adapters.sandbox.copy;

import io.zlayer.adapters.sandbox.layer.FileMetadata;
import io.zlayer.domain.dockerfile.ignore.DockerIgnore;
import io.zlayer.domain.dockerfile.ignore.IgnoreDecision;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A directory on the host seen through an ignore file, the way BuildKit's context transfer
 * (fsutil) shows it: an excluded entry does not exist, except a directory that holds something
 * included (it is sent so that its content has a parent).
 */
final class HostTreeView implements SourceView {
  private final Path root;
  private final DockerIgnore ignore;
  private final boolean stableFiles;
  private final Map<String, IgnoreDecision> decisions = new HashMap<>();
  private final Map<String, Boolean> holdsIncluded = new HashMap<>();

  /**
   * @param stableFiles whether content hashes may be remembered across builds (the context: yes;
   *     a scratch checkout that is deleted afterwards: no)
   */
  HostTreeView(Path root, DockerIgnore ignore, boolean stableFiles) {
    this.root = root;
    this.ignore = ignore;
    this.stableFiles = stableFiles;
  }

  @Override
  public Optional<SourceEntry> stat(String path) throws IOException {
    Path real = path.isEmpty() ? root : root.resolve(path);
    Optional<FileMetadata> m = FileMetadata.readIfExists(real);
    if (m.isEmpty()) {
      return Optional.empty();
    }
    SourceEntry entry = new SourceEntry(path, real, m.get());
    return path.isEmpty() || visible(entry) ? Optional.of(entry) : Optional.empty();
  }

  @Override
  public String readLink(SourceEntry link) throws IOException {
    return Files.readSymbolicLink(link.real()).toString();
  }

  @Override
  public List<SourceEntry> list(SourceEntry directory) throws IOException {
    List<SourceEntry> visible = new ArrayList<>();
    for (SourceEntry child : rawChildren(directory)) {
      if (visible(child)) {
        visible.add(child);
      }
    }
    return visible;
  }

  @Override
  public boolean stableFiles() {
    return stableFiles;
  }

  private List<SourceEntry> rawChildren(SourceEntry directory) throws IOException {
    List<SourceEntry> children = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory.real())) {
      for (Path child : stream) {
        Optional<FileMetadata> m = FileMetadata.readIfExists(child);
        if (m.isPresent()) {
          children.add(new SourceEntry(GoPaths.join(directory.path(),
              child.getFileName().toString()), child, m.get()));
        }
      }
    }
    children.sort((a, b) -> Arrays.compareUnsigned(a.name().getBytes(StandardCharsets.UTF_8),
        b.name().getBytes(StandardCharsets.UTF_8)));
    return children;
  }

  private boolean visible(SourceEntry entry) throws IOException {
    if (ignore.isEmpty() || entry.path().isEmpty()) {
      return true;
    }
    IgnoreDecision d = decision(entry.path(), entry.isDirectory());
    if (!d.excluded()) {
      return true;
    }
    return entry.isDirectory() && holdsIncluded(entry, d);
  }

  /** The walk's decision for a path; its parents are directories. */
  private IgnoreDecision decision(String path, boolean directory) {
    IgnoreDecision known = decisions.get(path);
    if (known != null) {
      return known;
    }
    String parent = GoPaths.parent(path);
    IgnoreDecision parentDecision = parent.isEmpty() ? ignore.root() : decision(parent, true);
    IgnoreDecision d = ignore.decide(parentDecision, path, directory);
    decisions.put(path, d);
    return d;
  }

  /** Whether an excluded directory has something included below it. */
  private boolean holdsIncluded(SourceEntry dir, IgnoreDecision d) throws IOException {
    Boolean known = holdsIncluded.get(dir.path());
    if (known != null) {
      return known;
    }
    boolean found = false;
    if (!d.skipDirectory()) {
      for (SourceEntry child : rawChildren(dir)) {
        IgnoreDecision cd = decision(child.path(), child.isDirectory());
        if (!cd.excluded() || (child.isDirectory() && holdsIncluded(child, cd))) {
          found = true;
          break;
        }
      }
    }
    holdsIncluded.put(dir.path(), found);
    return found;
  }
}
