package io.zlayer.adapters.sandbox.copy;

import io.zlayer.adapters.sandbox.layer.FileMetadata;
import io.zlayer.adapters.sandbox.layer.FileType;
import io.zlayer.adapters.sandbox.layer.LayerStack;
import io.zlayer.domain.build.StepAction.CopyFiles;
import io.zlayer.domain.dockerfile.ignore.DockerIgnore;
import io.zlayer.domain.dockerfile.instructions.SourceContent;
import io.zlayer.domain.error.BuildException;
import io.zlayer.domain.error.DockerfileException;
import io.zlayer.domain.error.ZlayerException;
import io.zlayer.domain.image.Digest;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.function.Supplier;

/**
 * COPY and ADD with Docker's semantics (BuildKit's Dockerfile frontend and file operation,
 * fsutil's copier), writing into the step's upper layer directory.
 *
 * <p>Sources: paths in the build context (cleaned against its root; one that climbs out is an
 * error; {@code .dockerignore}d entries do not exist; Go {@code filepath.Match} wildcards per
 * component; a symlink given as the source is followed inside the context, symlinks inside copied
 * directories are copied as symlinks), another stage's or image's filesystem ({@code --from},
 * whose owners are kept), heredoc files, and for ADD: local archives (unpacked unless
 * {@code --unpack=false}), URLs (downloaded, mode 0600, mtime from Last-Modified,
 * {@code --checksum} verified, unpacked only with {@code --unpack=true}) and git repositories
 * (with the {@code git} program). A directory source copies its content; a wildcard that matches
 * nothing copies nothing, but a step whose sources select nothing at all fails with the legacy
 * builder's "no source files were specified".
 *
 * <p>{@code --link} (without {@code --chmod}, as BuildKit) copies onto an empty filesystem: the
 * destination path is made of plain directories in the upper directory, nothing of the image is
 * looked at or copied up, and the upper directory then lies over the stage's layers like
 * BuildKit's merged layer.
 *
 * <p>The cache digest covers what the sources select (names, types, modes, link targets and
 * contents, not owners or times); content hashes of the context and of layer files are kept in
 * a stat cache in {@code hashCacheDir}, so an unchanged context is not read again.
 */
public final class DockerFileCopier implements FileCopier {
  private static final Duration RACY_WINDOW = Duration.ofSeconds(2);

  private final FileHashes hashes;
  private final UrlDownloads downloads;
  private final GitSources git;
  private final Path scratch;
  private final Path cacheDir;
  private final Map<String, UrlDownloads.Download> fetched = new ConcurrentHashMap<>();
  private final java.util.concurrent.atomic.AtomicBoolean pruned =
      new java.util.concurrent.atomic.AtomicBoolean();

  /** A copier keeping its content hashes, downloads and scratch files in {@code hashCacheDir}. */
  public DockerFileCopier(Path hashCacheDir) {
    this(hashCacheDir, UrlDownloads::defaultClient, RACY_WINDOW);
  }

  DockerFileCopier(Path hashCacheDir, HttpClient http, Duration racyWindow) {
    this(hashCacheDir, () -> http, racyWindow);
  }

  private DockerFileCopier(Path hashCacheDir, Supplier<HttpClient> http, Duration racyWindow) {
    this.cacheDir = hashCacheDir;
    this.hashes = new FileHashes(hashCacheDir, racyWindow);
    this.downloads = new UrlDownloads(hashCacheDir.resolve("downloads"), http);
    this.scratch = hashCacheDir.resolve("scratch");
    this.git = new GitSources(scratch);
  }

  /** How many files had their content read for digests (the stat cache's misses). */
  long filesHashed() {
    return hashes.filesRead();
  }

  @Override
  public Digest sourceDigest(CopyRequest request) throws ZlayerException, InterruptedException {
    try {
      Plan plan = plan(request);
      Digest digest = digest(plan);
      try {
        hashes.save();
      } catch (IOException e) {
        // the stat cache is an optimisation: a build does not fail because it cannot be kept
      }
      return digest;
    } catch (CopyFailure f) {
      throw failure(request, f);
    } catch (InterruptedIOException e) {
      throw new InterruptedException("interrupted while reading the sources");
    } catch (IOException e) {
      throw new BuildException(prefix(request) + describe(e), e);
    }
  }

  @Override
  public CopyReport copy(CopyRequest request) throws ZlayerException, InterruptedException {
    try {
      Plan plan = plan(request);
      return write(plan, request);
    } catch (CopyFailure f) {
      throw failure(request, f);
    } catch (InterruptedIOException e) {
      throw new InterruptedException("interrupted while copying");
    } catch (IOException e) {
      throw new BuildException(prefix(request) + describe(e), e);
    }
  }

  /**
   * Copies on this thread while another computes the source digest: on a cold build the two
   * reads of the sources overlap instead of adding up. Steps with URL or git sources (whose
   * downloads the two would share) do one after the other.
   */
  @Override
  public DigestedCopy copyAndDigest(CopyRequest request)
      throws ZlayerException, InterruptedException {
    CopyFiles step = request.step();
    if (step.sources().stream().anyMatch(src -> isGit(step, src) || isUrl(step, src))) {
      return FileCopier.super.copyAndDigest(request);
    }
    FutureTask<Digest> digest = new FutureTask<>(() -> sourceDigest(request));
    Thread hashing = new Thread(digest, "zlayer-copy-digest");
    hashing.setDaemon(true);
    hashing.start();
    CopyReport report;
    try {
      report = copy(request);
    } catch (ZlayerException | InterruptedException | RuntimeException e) {
      digest.cancel(true);
      throw e;
    }
    try {
      return new DigestedCopy(digest.get(), report);
    } catch (InterruptedException e) {
      digest.cancel(true);
      throw e;
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof ZlayerException z) {
        throw z;
      }
      if (cause instanceof InterruptedException i) {
        throw i;
      }
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(cause);
    }
  }

  // ------------------------------------------------------------------------------- planning

  /** What one step copies, in BuildKit's order: the sources as written, then the heredocs. */
  private record Plan(CopyFiles step, List<Item> items) {}

  private sealed interface Item permits Local, Url, Git, Inline {}

  /** A path of the context or a stage, after wildcards: its top entry with symlinks followed. */
  private record Local(TreeWalker walker, String match, SourceEntry entry, boolean keepOwners,
      boolean unpack) implements Item {}

  private record Url(String url, String fileName, Optional<String> checksum, boolean unpack)
      implements Item {}

  private record Git(GitSources.GitRef ref, boolean keepGitDir) implements Item {}

  private record Inline(String name, String data) implements Item {}

  private Plan plan(CopyRequest request) throws CopyFailure, IOException {
    pruneOnce();
    CopyFiles step = request.step();
    Optional<DockerIgnore> exclude = patterns(step.excludes());
    SourceView view = null;
    List<Item> items = new ArrayList<>();
    for (String src : step.sources()) {
      if (isGit(step, src)) {
        items.add(gitItem(src, step));
      } else if (isUrl(step, src)) {
        Optional<String> checksum = step.checksum().isPresent()
            ? Optional.of(UrlDownloads.parseChecksum(step.checksum().get())) : Optional.empty();
        items.add(new Url(src, UrlDownloads.fileName(src), checksum,
            step.unpack().orElse(false)));
      } else {
        if (view == null) {
          view = view(request.source());
        }
        items.addAll(locals(src, view, request.source() instanceof SourceTree.Context, step,
            exclude));
      }
    }
    for (SourceContent content : step.inlineSources()) {
      String name = GoPaths.base(GoPaths.rootRelative(content.path()));
      if (name.isEmpty()) {
        throw CopyFailure.of("invalid heredoc file name \"" + content.path() + "\"");
      }
      items.add(new Inline(name, content.data()));
    }
    if (items.isEmpty()) {
      throw CopyFailure.of("no source files were specified");
    }
    if (items.size() > 1 && !isDirectoryDestination(step.destination())
        && !items.stream().allMatch(DockerFileCopier::fillsADirectory)) {
      throw CopyFailure.bare("When using " + command(step) + " with more than one source file,"
          + " the destination must be a directory and end with a /");
    }
    return new Plan(step, items);
  }

  /** A git repository to fetch: ADD only. */
  private static boolean isGit(CopyFiles step, String src) {
    return step.add() && GitSources.isGit(src);
  }

  /** A URL to download (when not a git repository): ADD only. */
  private static boolean isUrl(CopyFiles step, String src) {
    return step.add() && (src.startsWith("http://") || src.startsWith("https://"));
  }

  /**
   * Whether an item lands as the content of the destination directory (a directory, a repository,
   * an archive to unpack): several of them may go to a destination without a trailing slash, as
   * BuildKit merges them there; several files may not (the legacy builder's rule, which the
   * Dockerfile reference states).
   */
  private static boolean fillsADirectory(Item item) {
    if (item instanceof Git) {
      return true;
    }
    if (item instanceof Local l) {
      return l.entry().isDirectory() || (l.unpack() && l.entry().metadata().isRegular()
          && ArchiveStreams.isTarArchive(l.entry().real()));
    }
    return false;
  }

  private static Item gitItem(String src, CopyFiles step) throws CopyFailure {
    GitSources.GitRef ref = GitSources.parse(src);
    if (ref.keepGitDir().isPresent() && step.keepGitDir() && !ref.keepGitDir().get()) {
      throw CopyFailure.of("inconsistent keep-git-dir configuration");
    }
    if (step.checksum().isPresent()) {
      if (ref.checksum().isPresent() && !ref.checksum().get().equals(step.checksum().get())) {
        throw CopyFailure.of("checksum mismatch \"" + step.checksum().get() + "\" != \""
            + ref.checksum().get() + "\"");
      }
      ref = new GitSources.GitRef(ref.source(), ref.remote(),
          ref.ref().isEmpty() ? step.checksum().get() : ref.ref(), ref.subdir(),
          ref.keepGitDir(), step.checksum(), ref.submodules());
    }
    return new Git(ref, ref.keepGitDir().orElse(step.keepGitDir()));
  }

  private static SourceView view(SourceTree source) throws CopyFailure {
    if (source instanceof SourceTree.Context c) {
      try {
        return new HostTreeView(c.dir().toRealPath(), c.ignore(), true);
      } catch (IOException e) {
        throw CopyFailure.of("the build context " + c.dir() + " cannot be read: "
            + describe(e), e);
      }
    }
    return new StackView(((SourceTree.Filesystem) source).stack());
  }

  /** One local source: its wildcard matches, or with --parents the copy of its pivot. */
  private static List<Item> locals(String src, SourceView view, boolean context, CopyFiles step,
      Optional<DockerIgnore> exclude) throws CopyFailure, IOException {
    if (context) {
      String p = src.startsWith("/") && src.length() > 1 ? src.substring(1) : src;
      if (p.startsWith("./")) {
        p = p.substring(2);
      }
      String clean = GoPaths.clean(p);
      if (clean.equals("..") || clean.startsWith("../")) {
        throw CopyFailure.of("forbidden path outside the build context: " + src);
      }
    }
    String from = src;
    Optional<DockerIgnore> include = Optional.empty();
    String required = null;
    if (step.parents()) {
      int pivot = src.indexOf("/./");
      String pattern;
      if (pivot < 0) {
        pattern = src;
        from = "/";
      } else {
        pattern = src.substring(pivot + 3);
        from = src.substring(0, pivot);
      }
      pattern = GoPaths.rootRelative(pattern);
      if (!pattern.isEmpty()) {
        include = patterns(List.of(pattern));
      }
      if (!GoGlob.containsWildcards(from) && !GoGlob.containsWildcards(pattern)) {
        required = GoPaths.join(GoPaths.rootRelative(from), pattern);
      }
    }
    InRootPaths.Lookup lookup = InRootPaths.of(view);
    List<String> matches = matches(view, lookup, GoPaths.rootRelative(from), src, context);
    if (required != null) {
      String resolved = InRootPaths.resolve(lookup, "", required, true);
      if (view.stat(resolved).isEmpty()) {
        throw notFound(required, context);
      }
    }
    boolean unpack = step.add() && step.unpack().orElse(true);
    List<Item> items = new ArrayList<>();
    for (String match : matches) {
      String resolved = InRootPaths.resolve(lookup, "", match, true);
      Optional<SourceEntry> entry = view.stat(resolved);
      if (entry.isEmpty()) {
        throw notFound(written(src), context);
      }
      TreeWalker walker = new TreeWalker(view, include, exclude, Set.of());
      items.add(new Local(walker, match, entry.get(), !context, unpack));
    }
    return items;
  }

  /**
   * fsutil's ResolveWildcards: the components before the first wildcard are a path (symlinks
   * followed), the rest a pattern matched against the paths below it; a matched directory is
   * not looked into.
   */
  private static List<String> matches(SourceView view, InRootPaths.Lookup lookup, String path,
      String written, boolean context) throws CopyFailure, IOException {
    List<String> components = GoPaths.components(path);
    int first = -1;
    for (int i = 0; i < components.size(); i++) {
      if (GoGlob.containsWildcards(components.get(i))) {
        first = i;
        break;
      }
    }
    if (first < 0) {
      return List.of(path);
    }
    String base = String.join("/", components.subList(0, first));
    String pattern = String.join("/", components.subList(first, components.size()));
    String resolvedBase = InRootPaths.resolve(lookup, "", base, true);
    Optional<SourceEntry> top = view.stat(resolvedBase);
    if (top.isEmpty()) {
      throw notFound(base.isEmpty() ? "." : base, context);
    }
    List<String> out = new ArrayList<>();
    if (top.get().isDirectory()) {
      collectMatches(view, top.get(), "", pattern, components.size() - first, resolvedBase, out);
    }
    return out;
  }

  private static void collectMatches(SourceView view, SourceEntry dir, String relative,
      String pattern, int depth, String base, List<String> out) throws IOException {
    for (SourceEntry child : view.list(dir)) {
      String rel = GoPaths.join(relative, child.name());
      if (GoGlob.matches(pattern, rel)) {
        out.add(GoPaths.join(base, rel));
      } else if (child.isDirectory() && GoPaths.components(rel).size() < depth) {
        collectMatches(view, child, rel, pattern, depth, base, out);
      }
    }
  }

  /** How Docker names a source in "not found": without a leading slash or "./". */
  private static String written(String src) {
    String p = src.startsWith("/") && src.length() > 1 ? src.substring(1) : src;
    return p.startsWith("./") ? p.substring(2) : p;
  }

  private static CopyFailure notFound(String path, boolean context) {
    String stat = "stat " + path + ": file does not exist";
    return CopyFailure.of(context
        ? "file not found in build context or excluded by .dockerignore: " + stat : stat);
  }

  private static Optional<DockerIgnore> patterns(List<String> patterns) throws CopyFailure {
    if (patterns.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(DockerIgnore.of(patterns));
    } catch (DockerfileException e) {
      throw CopyFailure.of("invalid exclude pattern: " + e.getMessage(), e);
    }
  }

  static boolean isDirectoryDestination(String destination) {
    return destination.endsWith("/") || destination.endsWith("/.");
  }

  // --------------------------------------------------------------------------------- digest

  private Digest digest(Plan plan) throws CopyFailure, IOException, InterruptedException {
    MessageDigest sha = Digest.newSha256();
    try (DataOutputStream out = new DataOutputStream(new DigestOutputStream(
        OutputStream.nullOutputStream(), sha))) {
      string(out, "zlayer-copy-sources-v1");
      for (Item item : plan.items()) {
        if (item instanceof Local l) {
          string(out, "local");
          string(out, l.match());
          out.writeBoolean(l.unpack());
          tree(out, l.walker(), l.entry());
        } else if (item instanceof Url u) {
          string(out, "url");
          string(out, u.url());
          string(out, u.fileName());
          out.writeBoolean(u.unpack());
          if (u.checksum().isPresent()) {
            string(out, u.checksum().get());
          } else {
            UrlDownloads.Download d = downloads.fetch(u.url());
            fetched.put(u.url(), d);
            string(out, "sha256:" + d.sha256());
          }
        } else if (item instanceof Git g) {
          string(out, "git");
          string(out, g.ref().remote());
          string(out, git.resolveCommit(g.ref()));
          string(out, g.ref().subdir());
          out.writeBoolean(g.keepGitDir());
        } else {
          Inline i = (Inline) item;
          string(out, "inline");
          string(out, i.name());
          string(out, i.data());
        }
      }
    }
    return Digest.ofSha256(sha.digest());
  }

  private record Walked(String relative, SourceEntry entry) {}

  /** Names, types, modes, link targets and contents of what a walk selects, in walk order. */
  private void tree(DataOutputStream out, TreeWalker walker, SourceEntry top)
      throws IOException, CopyFailure, InterruptedException {
    List<Walked> walked = new ArrayList<>();
    List<SourceEntry> files = new ArrayList<>();
    walker.walk(top, new TreeWalker.Visitor() {
      @Override
      public void enterDirectory(String relative, SourceEntry directory) {
        walked.add(new Walked(relative, directory));
      }

      @Override
      public void leaveDirectory(String relative, SourceEntry directory) {}

      @Override
      public void leaf(String relative, SourceEntry entry) {
        walked.add(new Walked(relative, entry));
        if (entry.metadata().isRegular()) {
          files.add(entry);
        }
      }
    });
    boolean stable = walker.view() == null || walker.view().stableFiles();
    Map<Path, byte[]> contents = hashes.hash(files, stable);
    out.writeInt(walked.size());
    for (Walked w : walked) {
      FileMetadata m = w.entry().metadata();
      string(out, w.relative());
      out.writeByte(m.type().ordinal());
      out.writeShort(m.permissions());
      switch (m.type()) {
        case REGULAR:
          out.write(contents.get(w.entry().real()));
          break;
        case SYMLINK:
          string(out, Files.readSymbolicLink(w.entry().real()).toString());
          break;
        case CHAR_DEVICE:
        case BLOCK_DEVICE:
          out.writeLong(m.rdev());
          break;
        default:
          break;
      }
    }
  }

  private static void string(DataOutputStream out, String value) throws IOException {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    out.writeInt(bytes.length);
    out.write(bytes);
  }

  // ---------------------------------------------------------------------------------- write

  private CopyReport write(Plan plan, CopyRequest request)
      throws CopyFailure, IOException, InterruptedException {
    CopyFiles step = plan.step();
    boolean link = step.link() && step.chmod().isEmpty();
    LayerStack lower = link ? LayerStack.empty() : request.destination();
    DestinationTree dest = new DestinationTree(request.upperDir(), lower,
        Owner.resolve(step.chown(), request.owners()), ModeChange.of(step.chmod()),
        request.timestamp());
    String destination = step.destination();
    for (Item item : plan.items()) {
      if (item instanceof Local l) {
        if (l.unpack() && l.entry().metadata().isRegular()
            && ArchiveStreams.isTarArchive(l.entry().real())) {
          extract(dest, l.entry().real(), GoPaths.base(l.match()), destination);
        } else {
          place(dest, l.walker(), l.entry(), GoPaths.base(l.match()), l.keepOwners(),
              destination);
        }
      } else if (item instanceof Url u) {
        UrlDownloads.Download d = fetched.remove(u.url());
        if (d == null) {
          d = downloads.fetch(u.url());
        }
        if (u.checksum().isPresent()) {
          UrlDownloads.verify(d, u.checksum().get());
        }
        if (u.unpack() && ArchiveStreams.isTarArchive(d.file())) {
          extract(dest, d.file(), u.fileName(), destination);
        } else {
          FileTime mtime = FileTime.from(d.lastModified().orElseGet(Instant::now));
          SourceEntry entry = synthetic(u.fileName(), d.file(), 0600, d.size(), mtime);
          place(dest, single(), entry, u.fileName(), false, destination);
        }
      } else if (item instanceof Git g) {
        copyGit(dest, g, step, destination);
      } else {
        copyInline(dest, (Inline) item, destination);
      }
    }
    dest.finish();
    return new CopyReport(dest.files(), dest.bytes());
  }

  /**
   * fsutil's Copy for one source: make the destination's parent (or itself, for "dir/"), follow
   * its symlinks, put a file into an existing directory under its own name, make a missing
   * directory destination, then copy the tree.
   */
  private static void place(DestinationTree dest, TreeWalker walker, SourceEntry top,
      String name, boolean keepOwners, String destination) throws IOException, CopyFailure {
    String clean = GoPaths.rootRelative(destination);
    dest.mkdirAll(isDirectoryDestination(destination) ? clean : GoPaths.parent(clean));
    String dst = dest.resolve(clean);
    Optional<FileMetadata> at = dest.lookup(dst);
    if (!top.isDirectory() && at.isPresent() && at.get().isDirectory()) {
      dst = GoPaths.join(dst, name);
    }
    dest.mkdirAll(top.isDirectory() && at.isEmpty() ? dst : GoPaths.parent(dst));
    walker.walk(top, dest.copyTo(dst, keepOwners));
  }

  private static void extract(DestinationTree dest, Path archive, String name,
      String destination) throws IOException, CopyFailure {
    String root = dest.mkdirAll(GoPaths.rootRelative(destination));
    try (InputStream in = ArchiveStreams.open(archive)) {
      new ArchiveExtractor(dest).extract(in, name, root);
    }
  }

  private void copyGit(DestinationTree dest, Git g, CopyFiles step, String destination)
      throws CopyFailure, IOException, InterruptedException {
    String commit = git.resolveCommit(g.ref());
    Path checkout = git.checkout(g.ref(), commit);
    try {
      HostTreeView view = new HostTreeView(checkout, DockerIgnore.none(), false);
      String sub = GoPaths.rootRelative(g.ref().subdir());
      String resolved = sub.isEmpty() ? ""
          : InRootPaths.resolve(InRootPaths.of(view), "", sub, true);
      Optional<SourceEntry> top = view.stat(resolved);
      if (top.isEmpty() || !top.get().isDirectory()) {
        throw CopyFailure.of("git source " + GitSources.redacted(g.ref().remote())
            + ": subdirectory " + g.ref().subdir() + " not found");
      }
      Set<String> skip = g.keepGitDir() || !sub.isEmpty() ? Set.of() : Set.of(".git");
      TreeWalker walker = new TreeWalker(view, Optional.empty(), patterns(step.excludes()),
          skip);
      place(dest, walker, top.get(), "", false, destination);
    } finally {
      HostFiles.deleteRecursively(checkout);
    }
  }

  private void copyInline(DestinationTree dest, Inline inline, String destination)
      throws IOException, CopyFailure {
    Files.createDirectories(scratch);
    Path file = Files.createTempFile(scratch, "heredoc-", ".tmp");
    try {
      Files.writeString(file, inline.data(), StandardCharsets.UTF_8);
      FileTime now = FileTime.from(Instant.now());
      SourceEntry entry = synthetic(inline.name(), file, 0644, Files.size(file), now);
      place(dest, single(), entry, inline.name(), false, destination);
    } finally {
      Files.deleteIfExists(file);
    }
  }

  /** A walker for a single file (which has nothing below it to filter). */
  private static TreeWalker single() {
    return new TreeWalker(null, Optional.empty(), Optional.empty(), Set.of());
  }

  private static SourceEntry synthetic(String name, Path file, int permissions, long size,
      FileTime mtime) {
    return new SourceEntry(name, file, new FileMetadata(FileType.REGULAR, permissions, 0, 0,
        size, mtime, mtime, 0, 0, 1, 0));
  }

  /**
   * Removes downloads and scratch files that earlier builds left behind (more than a day old):
   * a download is only kept between the digest and the copy of one build.
   */
  private void pruneOnce() {
    if (!pruned.compareAndSet(false, true)) {
      return;
    }
    Instant dayAgo = Instant.now().minus(Duration.ofDays(1));
    for (Path dir : List.of(cacheDir.resolve("downloads"), scratch)) {
      if (!Files.isDirectory(dir)) {
        continue;
      }
      try (java.util.stream.Stream<Path> entries = Files.list(dir)) {
        for (Path p : (Iterable<Path>) entries::iterator) {
          if (FileMetadata.read(p).mtime().toInstant().isBefore(dayAgo)) {
            HostFiles.deleteRecursively(p);
          }
        }
      } catch (IOException e) {
        // leftovers only cost disk space
      }
    }
  }

  // ------------------------------------------------------------------------------- messages

  private static String command(CopyFiles step) {
    return step.add() ? "ADD" : "COPY";
  }

  private static String prefix(CopyRequest request) {
    return request.location() + ": " + command(request.step()) + " failed: ";
  }

  private static BuildException failure(CopyRequest request, CopyFailure f) {
    String message = f.isBare() ? request.location() + ": " + f.getMessage()
        : prefix(request) + f.getMessage();
    return new BuildException(message, f.getCause());
  }

  static String describe(IOException e) {
    if (e instanceof FileSystemException fs) {
      String reason = fs.getReason() == null ? e.getClass().getSimpleName() : fs.getReason();
      return fs.getFile() == null ? reason : fs.getFile() + ": " + reason;
    }
    return UrlDownloads.describe(e);
  }
}
