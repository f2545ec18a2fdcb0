package io.zlayer.adapters.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

class CommandTreeTest {
  @Test
  void theNameTableIsTheCommandsAnnotations() {
    Map<String, Class<?>> expected = new HashMap<>();
    for (Class<?> c : CommandTree.SUBCOMMANDS) {
      Command command = c.getAnnotation(Command.class);
      expected.put(command.name(), c);
      for (String alias : command.aliases()) {
        expected.put(alias, c);
      }
    }
    assertEquals(expected, CommandTree.names());
    ZlayerCli cli = new CliHarness().cli(new StringWriter(), new StringWriter());
    assertEquals(expected.keySet(), cli.commandLine("--help").getSubcommands().keySet());
  }

  @Test
  void aPlainlyNamedCommandOrAliasIsPicked() {
    assertEquals(Optional.of(BuildCommand.class), CommandTree.namedCommand("build", "-t", "x"));
    assertEquals(Optional.of(BuildCommand.class), CommandTree.namedCommand("bud", "."));
    assertEquals(Optional.of(VersionCommand.class), CommandTree.namedCommand("version"));
    assertEquals(Optional.of(ImagesCommand.class),
        CommandTree.namedCommand("--debug", "-q", "images", "--help"));
    assertEquals(Optional.of(ManifestCommand.class),
        CommandTree.namedCommand("--quiet", "manifest", "create", "l"));
  }

  @Test
  void anythingElseGetsTheWholeTree() {
    for (String[] args : new String[][] {{}, {"--help"}, {"-h"}, {"help"}, {"-V"},
        {"completion", "bash"}, {"bulid"}, {"Build"}, {"image"}, {"--", "build"},
        {"--debug=true", "build"}, {"-qV"}, {"--debug", "--debug", "build"}, {"--bogus"},
        {"--debug"}}) {
      assertEquals(Optional.empty(), CommandTree.namedCommand(args), String.join(" ", args));
    }
  }

  @Test
  void theTreeHoldsOnlyTheNamedCommand() {
    CliHarness h = new CliHarness();
    ZlayerCli cli = h.cli(new StringWriter(), new StringWriter());
    assertEquals(Set.of("build", "bud"),
        cli.commandLine("--debug", "build", "--help").getSubcommands().keySet());
    CommandLine full = cli.commandLine("bulid");
    assertEquals(CommandTree.names().keySet(), full.getSubcommands().keySet());
  }

  /** Every command's help, errors, root flags: the pruned tree prints what the full one does. */
  @Test
  void outputIsTheSameAsWithTheFullTree() {
    List<String[]> lines = new ArrayList<>();
    for (Class<?> c : CommandTree.SUBCOMMANDS) {
      Command command = c.getAnnotation(Command.class);
      lines.add(new String[] {command.name(), "--help"});
      lines.add(new String[] {"--debug", command.name(), "-h"});
      for (String alias : command.aliases()) {
        lines.add(new String[] {alias, "--help"});
      }
    }
    lines.addAll(List.of(new String[][] {{}, {"--help"}, {"help"}, {"--version"}, {"version"},
        {"--debug", "version"}, {"-q", "version", "extra"}, {"--quiet", "images", "--help"},
        {"--debug", "images"},
        {"-q", "--debug", "images", "--no-trunk"}, {"imags"}, {"bulid", "-t", "x"},
        {"--debug", "--debug", "images"}, {"--debug=true", "build", "--help"}, {"build"},
        {"build", "--nope", "."}, {"build", "-t", "x", "--creds", "u:hunter2", "--nope", "."},
        {"pull", "--creds=u:hunter2", "-x", "alpine"}, {"manifest"}, {"manifest", "bogus"},
        {"manifest", "create", "--help"}, {"templates", "ls", "--help"}, {"dockerfile"},
        {"dockerfile", "ast", "--help"}, {"zimagefile", "convert", "--help"}, {"push"},
        {"tag", "a"}, {"images", "--format", "{{.Nope}}"}, {"completion", "bash"}}));
    for (String[] args : lines) {
      String line = String.join(" ", args);
      CliHarness.Result pruned = new CliHarness().run(args);
      CliHarness.Result full = new CliHarness().runOnFullTree(args);
      assertEquals(full, pruned, line);
      assertTrue(!full.out().isEmpty() || !full.err().isEmpty(), line);
    }
  }
}
