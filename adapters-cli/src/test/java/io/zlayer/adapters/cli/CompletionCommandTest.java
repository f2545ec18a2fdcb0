package io.zlayer.adapters.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompletionCommandTest {
  private final CliHarness h = new CliHarness();

  @TempDir
  Path dir;

  @Test
  void bashScriptRegistersTheCompletionFunction() {
    CliHarness.Result r = h.run("completion", "bash");
    assertEquals(0, r.code());
    assertTrue(r.out().startsWith("#!/usr/bin/env bash"), r.out());
    assertTrue(r.out().contains("complete -F _complete_zlayer"), r.out());
  }

  @Test
  void zshScriptLoadsBashcompinitFirst() {
    CliHarness.Result r = h.run("completion", "zsh");
    assertEquals(0, r.code());
    assertTrue(r.out().startsWith(CompletionCommand.ZSH_PRELUDE + "#!/usr/bin/env bash"));
  }

  @Test
  void unknownShell() {
    CliHarness.Result r = h.run("completion", "fish");
    assertEquals(1, r.code());
    assertEquals("error: Invalid value for positional parameter at index 0 (SHELL): \"fish\" is"
        + " not a supported shell, expected bash or zsh\n"
        + "Run 'zlayer completion --help' for usage.\n", r.err());
  }

  /** Sources the script in a real bash and asks it for completions. */
  private Set<String> complete(String script, String... words) throws Exception {
    File bash = new File("/bin/bash");
    Assumptions.assumeTrue(bash.canExecute() || "true".equals(System.getenv("CI")),
        "bash not found at /bin/bash, skipped");
    Path file = dir.resolve("zlayer_completion");
    Files.writeString(file, script);
    String line = String.join(" ", words);
    StringBuilder cmd = new StringBuilder("source '" + file + "' 2>/dev/null\n");
    cmd.append("COMP_WORDS=(");
    for (String w : words) {
      cmd.append("'").append(w).append("' ");
    }
    cmd.append(")\nCOMP_CWORD=").append(words.length - 1).append('\n');
    cmd.append("COMP_LINE='").append(line).append("'\nCOMP_POINT=").append(line.length())
        .append('\n');
    cmd.append("_complete_zlayer zlayer '").append(words[words.length - 1]).append("' '")
        .append(words[words.length - 2]).append("' 2>/dev/null\n");
    cmd.append("printf '%s\\n' \"${COMPREPLY[@]}\"\n");
    Process p = new ProcessBuilder("/bin/bash", "--norc", "--noprofile", "-c", cmd.toString())
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    Set<String> words1 = new TreeSet<>(Arrays.asList(out.trim().split("\\s+")));
    words1.remove("");
    return words1;
  }

  @Test
  void bashCompletesCommandsOptionsAndValues() throws Exception {
    String script = h.run("completion", "bash").out();
    assertEquals(Set.of("pipeline", "pull", "push", "prune"), complete(script, "zlayer", "p"));
    Set<String> options = complete(script, "zlayer", "pull", "--");
    assertTrue(options.containsAll(List.of("--creds", "--insecure-registry", "--platform",
        "--progress", "--tls-verify", "--help")), options.toString());
    assertEquals(Set.of("rawjson"), complete(script, "zlayer", "push", "--progress", "r"));
    assertEquals(Set.of("json"), complete(script, "zlayer", "images", "--format", "j"));
    assertEquals(Set.of("bash"), complete(script, "zlayer", "completion", "b"));
  }
}
