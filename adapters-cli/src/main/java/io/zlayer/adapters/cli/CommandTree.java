package io.zlayer.adapters.cli;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import picocli.CommandLine;

/**
 * picocli's command tree for one command line. picocli builds the model of every command it is
 * given by reflection, which for all of zlayer's commands is most of its start-up time; so when
 * the arguments plainly name one subcommand (after the root's own flags), the tree holds only
 * that one. Anything else (no command, help, completion, an unknown or misspelled name, a root
 * flag in another spelling) gets the whole tree, so that the root usage, completion scripts and
 * "Did you mean" suggestions see every command.
 */
final class CommandTree {
  /** zlayer's commands, in the order the root usage lists them. */
  static final List<Class<?>> SUBCOMMANDS = List.of(BuildCommand.class, PullCommand.class,
      PushCommand.class, TagCommand.class, ImagesCommand.class, InspectCommand.class,
      RmiCommand.class, PruneCommand.class, SaveCommand.class, LoadCommand.class,
      ManifestCommand.class, DockerfileCommand.class, PipelineCommand.class,
      TemplatesCommand.class, ZImagefileCommand.class, CompletionCommand.class,
      VersionCommand.class);

  /**
   * The names and aliases of {@link #SUBCOMMANDS}, as their {@code @Command} annotations say
   * (a test checks): reading those annotations costs more than picocli's work on one command.
   */
  private static final Map<String, Class<?>> BY_NAME = Map.ofEntries(
      Map.entry("build", BuildCommand.class), Map.entry("bud", BuildCommand.class),
      Map.entry("pull", PullCommand.class), Map.entry("push", PushCommand.class),
      Map.entry("tag", TagCommand.class), Map.entry("images", ImagesCommand.class),
      Map.entry("inspect", InspectCommand.class), Map.entry("rmi", RmiCommand.class),
      Map.entry("prune", PruneCommand.class), Map.entry("save", SaveCommand.class),
      Map.entry("load", LoadCommand.class), Map.entry("manifest", ManifestCommand.class),
      Map.entry("dockerfile", DockerfileCommand.class),
      Map.entry("pipeline", PipelineCommand.class),
      Map.entry("templates", TemplatesCommand.class),
      Map.entry("zimagefile", ZImagefileCommand.class),
      Map.entry("completion", CompletionCommand.class),
      Map.entry("version", VersionCommand.class));

  /** The root's flags that may precede a command on a pruned tree, as the root declares them. */
  private static final Set<String> ROOT_FLAGS = Set.of("--debug", "-q", "--quiet");

  /** Needs the full tree even when named: it writes the completion script of every command. */
  private static final Class<?> NEEDS_ALL = CompletionCommand.class;

  private CommandTree() {}

  /** The tree for {@code args}: only the command they name, or all of them. */
  static CommandLine forArgs(CliContext context, String... args) {
    return build(context, namedCommand(args).map(List::<Class<?>>of).orElse(SUBCOMMANDS));
  }

  /** The root with every command. */
  static CommandLine full(CliContext context) {
    return build(context, SUBCOMMANDS);
  }

  private static CommandLine build(CliContext context, List<Class<?>> subcommands) {
    CommandLine root = new CommandLine(new RootCommand(context), new CommandFactory(context));
    for (Class<?> subcommand : subcommands) {
      root.addSubcommand(subcommand);
    }
    return root;
  }

  /**
   * The command {@code args} name: their first argument after the root flags when it is exactly
   * a command's name or alias. Empty when unsure.
   */
  static Optional<Class<?>> namedCommand(String... args) {
    Set<String> flagsSeen = new HashSet<>();
    for (String arg : args) {
      if (ROOT_FLAGS.contains(arg)) {
        if (!flagsSeen.add(arg)) {
          return Optional.empty(); // picocli's "specified only once" error comes from the root
        }
        continue;
      }
      if (arg.startsWith("-")) {
        return Optional.empty();
      }
      return Optional.<Class<?>>ofNullable(BY_NAME.get(arg)).filter(c -> c != NEEDS_ALL);
    }
    return Optional.empty();
  }

  /** Every name and alias, with its command. */
  static Map<String, Class<?>> names() {
    return BY_NAME;
  }
}
