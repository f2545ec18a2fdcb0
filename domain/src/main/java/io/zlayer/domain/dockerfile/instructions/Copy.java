package io.zlayer.domain.dockerfile.instructions;

import io.zlayer.domain.error.DockerfileException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code COPY [--from=…] [--chown=…] [--chmod=…] [--link] [--parents] [--exclude=…]
 * <src>… <dest>}.
 *
 * @param sources source paths (patterns) as written, heredoc sources excluded
 * @param inlineSources heredoc sources ({@code COPY <<EOF /dest})
 * @param destination the destination path
 * @param from the {@code --from} stage name, index or image ({@code --from=} counts as absent)
 * @param chown the {@code --chown} user[:group]
 * @param chmod the {@code --chmod} mode, octal or symbolic; validated by {@link #expand}
 * @param link {@code --link}
 * @param parents {@code --parents}
 * @param excludes the {@code --exclude} patterns, in order
 */
public record Copy(
    SourceLocation location,
    String original,
    List<String> sources,
    List<SourceContent> inlineSources,
    String destination,
    Optional<String> from,
    Optional<String> chown,
    Optional<String> chmod,
    boolean link,
    boolean parents,
    List<String> excludes)
    implements Instruction, Expandable<Copy>, RawExpandable<Copy> {

  public Copy {
    Objects.requireNonNull(location, "location");
    Objects.requireNonNull(original, "original");
    Objects.requireNonNull(destination, "destination");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(chown, "chown");
    Objects.requireNonNull(chmod, "chmod");
    sources = List.copyOf(sources);
    inlineSources = List.copyOf(inlineSources);
    excludes = List.copyOf(excludes);
  }

  @Override
  public String keyword() {
    return "copy";
  }

  /** The parsed {@code --chmod}, if any (it may still hold variables before expansion). */
  public Optional<Chmod> chmodMode() throws DockerfileException {
    return chmod.isEmpty() ? Optional.empty() : Optional.of(Chmod.parse(chmod.get(), location));
  }

  /**
   * Expands {@code --chown}, {@code --chmod} (then validates it), {@code --from}, the exclude
   * patterns, the sources and the destination.
   */
  @Override
  public Copy expand(WordExpander expander) throws DockerfileException {
    Expansion x = new Expansion(expander, location);
    Optional<String> newChown = x.optional(chown);
    Optional<String> newChmod = x.optional(chmod);
    if (newChmod.isPresent()) {
      Chmod.parse(newChmod.get(), location);
    }
    Optional<String> newFrom = x.optional(from);
    List<String> newExcludes = x.each(excludes);
    List<String> newSources = x.each(sources);
    String newDestination = x.word(destination);
    return new Copy(location, original, newSources, inlineSources, newDestination, newFrom,
        newChown, newChmod, link, parents, newExcludes);
  }

  @Override
  public Copy expandRaw(WordExpander rawExpander) throws DockerfileException {
    return new Copy(location, original, sources, expandContents(inlineSources, rawExpander,
        location), destination, from, chown, chmod, link, parents, excludes);
  }

  static List<SourceContent> expandContents(
      List<SourceContent> contents, WordExpander rawExpander, SourceLocation location)
      throws DockerfileException {
    Expansion x = new Expansion(rawExpander, location);
    List<SourceContent> out = new ArrayList<>(contents.size());
    for (SourceContent c : contents) {
      out.add(c.expand() ? new SourceContent(c.path(), x.word(c.data()), true) : c);
    }
    return out;
  }
}
