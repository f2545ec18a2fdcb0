package io.zlayer.adapters.cli;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;

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
      return commandNamed(arg).filter(c -> c != NEEDS_ALL);
    }
    return Optional.empty();
  }

  private static Optional<Class<?>> commandNamed(String name) {
    for (Class<?> subcommand : SUBCOMMANDS) {
      Command command = subcommand.getAnnotation(Command.class);
      if (command.name().equals(name) || List.of(command.aliases()).contains(name)) {
        return Optional.of(subcommand);
      }
    }
    return Optional.empty();
  }
}
