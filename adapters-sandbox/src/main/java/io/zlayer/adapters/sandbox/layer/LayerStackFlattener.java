package io.zlayer.adapters.sandbox.layer;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Materializes a {@link LayerStack} as one flat directory, for sandboxes that cannot mount
 * overlayfs.
 *
 * <p>{@link Mode#HARD_LINK} links regular files to the layer directories instead of copying
 * them (falling back to a copy across file systems). It is fast, but the flat tree then shares
 * inodes with the layers: a command that writes a file in place or changes its owner or mode
 * changes the layer too. Use it only for trees nothing writes to; use {@link Mode#COPY} for a
 * root a command runs in.
 */
public final class LayerStackFlattener {
  /** How regular files get into the flat tree. */
  public enum Mode {
    HARD_LINK,
    COPY
  }

  /** Writes the merged view of {@code stack} into the empty directory {@code target}. */
  public void flatten(LayerStack stack, Path target, Mode mode) throws IOException {
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(target)) {
      if (entries.iterator().hasNext()) {
        throw new IOException("flatten target " + target + " is not empty");
      }
    }
    Run run = new Run(stack, target, mode);
    run.directory("");
    run.finish();
  }

  private static final class Run {
    private final LayerStack stack;
    private final Path target;
    private final Mode mode;
    private final boolean root = Privileges.isRoot();
    private final Map<Integer, ExtendedAttributes.TreeAttributes> attributes = new HashMap<>();
    private final Map<List<Long>, Path> copies = new HashMap<>();
    private final List<ExtendedAttributes.Assignment> xattrs = new ArrayList<>();
    private final List<StackEntry> dirs = new ArrayList<>();
    private final List<StackEntry> nodes = new ArrayList<>();
    private final DeviceNodes deviceNodes = new DeviceNodes();

    Run(LayerStack stack, Path target, Mode mode) {
      this.stack = stack;
      this.target = target;
      this.mode = mode;
    }

    void directory(String dir) throws IOException {
      for (StackEntry e : stack.list(dir)) {
        Path dst = target.resolve(e.path());
        FileMetadata m = e.metadata();
        switch (m.type()) {
          case DIRECTORY:
            Files.createDirectory(dst);
            dirs.add(e);
            queueXattrs(e, dst);
            directory(e.path());
            break;
          case REGULAR:
            regular(e, dst);
            break;
          case SYMLINK:
            FileTrees.createSymlink(dst, Files.readSymbolicLink(e.realPath()).toString());
            apply(dst, m);
            break;
          case FIFO:
          case CHAR_DEVICE:
          case BLOCK_DEVICE:
            if (m.type() == FileType.FIFO || Privileges.canCreateDevices()) {
              deviceNodes.add(dst, m.type(), m.devMajor(), m.devMinor(), m.permissions(),
                  Optional.of(m.mtime()));
              nodes.add(e);
            }
            break;
          default:
            break; // sockets
        }
      }
    }

    private void regular(StackEntry e, Path dst) throws IOException {
      FileMetadata m = e.metadata();
      if (mode == Mode.HARD_LINK) {
        try {
          Files.createLink(dst, e.realPath());
          return;
        } catch (FileSystemException ex) {
          // another file system, or too many links: copy instead
        }
      }
      List<Long> inode = List.of(m.dev(), m.ino());
      Path first = m.nlink() > 1 ? copies.get(inode) : null;
      if (first != null) {
        Files.createLink(dst, first);
        return;
      }
      FileTrees.copyContent(e.realPath(), dst);
      apply(dst, m);
      queueXattrs(e, dst);
      if (m.nlink() > 1) {
        copies.put(inode, dst);
      }
    }

    private void queueXattrs(StackEntry e, Path dst) throws IOException {
      ExtendedAttributes.TreeAttributes tree = attributes.get(e.layer());
      if (tree == null) {
        tree = ExtendedAttributes.forTree(stack.layers().get(e.layer()));
        attributes.put(e.layer(), tree);
      }
      Path layerRoot = stack.layers().get(e.layer());
      String relative = layerRoot.relativize(e.realPath()).toString();
      Map<String, byte[]> keep = new TreeMap<>();
      tree.of(relative, e.realPath(), e.metadata()).forEach((k, v) -> {
        if (ExtendedAttributes.isPreserved(k)) {
          keep.put(k, v);
        }
      });
      if (!keep.isEmpty()) {
        xattrs.add(new ExtendedAttributes.Assignment(dst, e.metadata().type(), keep));
      }
    }

    private void apply(Path dst, FileMetadata m) throws IOException {
      FileTrees.applyMetadata(dst, m.type(), m.mtime(), Integer.toUnsignedLong(m.uid()),
          Integer.toUnsignedLong(m.gid()), m.permissions(), root);
    }

    void finish() throws IOException {
      deviceNodes.create();
      for (StackEntry e : nodes) {
        Path dst = target.resolve(e.path());
        apply(dst, e.metadata());
        queueXattrs(e, dst);
      }
      ExtendedAttributes.write(xattrs);
      for (int i = dirs.size() - 1; i >= 0; i--) {
        StackEntry e = dirs.get(i);
        apply(target.resolve(e.path()), e.metadata());
      }
      if (!stack.layers().isEmpty()) {
        apply(target, FileMetadata.read(stack.layers().get(0)));
      }
    }
  }
}
