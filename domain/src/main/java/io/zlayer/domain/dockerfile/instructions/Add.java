package io.zlayer.domain.dockerfile.instructions;

import io.zlayer.domain.error.DockerfileException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code ADD [--chown=…] [--chmod=…] [--link] [--keep-git-dir] [--checksum=…] [--unpack]
 * [--exclude=…] <src>… <dest>}.
 *
 * @param sources source paths or URLs as written, heredoc sources excluded
 * @param inlineSources heredoc sources
 * @param destination the destination path
 * @param chown the {@code --chown} user[:group]
 * @param chmod the {@code --chmod} mode, octal or symbolic; validated by {@link #expand}
 * @param link {@code --link}
 * @param keepGitDir {@code --keep-git-dir} (git sources only)
 * @param checksum the {@code --checksum} digest (remote sources only)
 * @param unpack {@code --unpack[=bool]} when given; absent means ADD's default behaviour
 * @param excludes the {@code --exclude} patterns, in order
 */
public record Add(
    SourceLocation location,
    String original,
    List<String> sources,
    List<SourceContent> inlineSources,
    String destination,
    Optional<String> chown,
    Optional<String> chmod,
    boolean link,
    boolean keepGitDir,
    Optional<String> checksum,
    Optional<Boolean> unpack,
    List<String> excludes)
    implements Instruction, Expandable<Add>, RawExpandable<Add> {

  public Add {
    Objects.requireNonNull(location, "location");
    Objects.requireNonNull(original, "original");
    Objects.requireNonNull(destination, "destination");
    Objects.requireNonNull(chown, "chown");
    Objects.requireNonNull(chmod, "chmod");
    Objects.requireNonNull(checksum, "checksum");
    Objects.requireNonNull(unpack, "unpack");
    sources = List.copyOf(sources);
    inlineSources = List.copyOf(inlineSources);
    excludes = List.copyOf(excludes);
  }

  @Override
  public String keyword() {
    return "add";
  }

  /** The parsed {@code --chmod}, if any (it may still hold variables before expansion). */
  public Optional<Chmod> chmodMode() throws DockerfileException {
    return chmod.isEmpty() ? Optional.empty() : Optional.of(Chmod.parse(chmod.get(), location));
  }

  /**
   * Expands {@code --chown}, {@code --chmod} (then validates it), {@code --checksum}, the exclude
   * patterns, the sources and the destination.
   */
  @Override
  public Add expand(WordExpander expander) throws DockerfileException {
    Expansion x = new Expansion(expander, location);
    Optional<String> newChown = x.optional(chown);
    Optional<String> newChmod = x.optional(chmod);
    if (newChmod.isPresent()) {
      Chmod.parse(newChmod.get(), location);
    }
    Optional<String> newChecksum = x.optional(checksum);
    List<String> newExcludes = x.each(excludes);
    List<String> newSources = x.each(sources);
    String newDestination = x.word(destination);
    return new Add(location, original, newSources, inlineSources, newDestination, newChown,
        newChmod, link, keepGitDir, newChecksum, unpack, newExcludes);
  }

  @Override
  public Add expandRaw(WordExpander rawExpander) throws DockerfileException {
    return new Add(location, original, sources,
        Copy.expandContents(inlineSources, rawExpander, location), destination, chown, chmod,
        link, keepGitDir, checksum, unpack, excludes);
  }
}
