package io.zlayer.adapters.cli;

import java.util.Arrays;
import java.util.Iterator;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/** {@code zlayer completion bash|zsh}. */
@Command(name = "completion", description = "Print the shell completion script for bash or zsh.",
    footer = {"", "Examples:",
        "  source <(zlayer completion bash)             # this shell only",
        "  zlayer completion bash > /etc/bash_completion.d/zlayer",
        "  echo 'source <(zlayer completion zsh)' >> ~/.zshrc"})
final class CompletionCommand implements Callable<Integer> {
  enum Shell {
    BASH,
    ZSH
  }

  /** Loads zsh's bash-completion emulation, which the generated script then runs under. */
  static final String ZSH_PRELUDE = "#compdef zlayer\n"
      + "# zsh runs zlayer's bash completion through bashcompinit\n"
      + "if ! type compdef > /dev/null 2>&1; then\n"
      + "  autoload -U +X compinit && compinit\n"
      + "fi\n"
      + "autoload -U +X bashcompinit && bashcompinit\n";

  private final CliContext ctx;

  @Spec
  CommandSpec spec;

  @Parameters(paramLabel = "SHELL", converter = ShellConverter.class,
      completionCandidates = ShellCandidates.class, description = "bash or zsh.")
  Shell shell;

  @Mixin
  HelpOption help;

  CompletionCommand(CliContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public Integer call() {
    String script = AutoComplete.bash(spec.root().name(), spec.root().commandLine());
    if (shell == Shell.ZSH) {
      script = ZSH_PRELUDE + script;
    }
    ctx.out().print(script);
    if (!script.endsWith("\n")) {
      ctx.out().println();
    }
    return 0;
  }

  static final class ShellConverter implements ITypeConverter<Shell> {
    @Override
    public Shell convert(String value) {
      for (Shell s : Shell.values()) {
        if (s.name().equalsIgnoreCase(value)) {
          return s;
        }
      }
      throw new TypeConversionException("\"" + value + "\" is not a supported shell, expected"
          + " bash or zsh");
    }
  }

  static final class ShellCandidates implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return Arrays.stream(Shell.values()).map(s -> s.name().toLowerCase(Locale.ROOT))
          .iterator();
    }
  }
}
