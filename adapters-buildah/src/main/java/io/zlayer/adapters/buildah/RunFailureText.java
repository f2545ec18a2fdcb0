package io.zlayer.adapters.buildah;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a failed RUN reads. {@code buildah run} writes its own lines after the command's output
 * ({@code subprocess exited with status 3}, {@code Error: exit status 3}); they are buildah's
 * report, not the command's output, and the reason is worded as the sandbox backend (and
 * BuildKit) word it: {@code exit code 3}.
 */
final class RunFailureText {
  private static final Pattern BUILDAH_LINE = Pattern.compile(
      "subprocess exited (with status \\d+|on \\w+)|Error: exit status \\d+");
  private static final Pattern EXIT_STATUS = Pattern.compile("exit status (\\d+)");

  private RunFailureText() {}

  /** Whether {@code line} is buildah's own report of how the command ended. */
  static boolean isBuildahReport(String line) {
    return BUILDAH_LINE.matcher(line.strip()).matches();
  }

  /** The failure's reason: {@code exit code N} when the command itself exited non-zero. */
  static String reason(CommandFailure failure) {
    String reason = failure.reason();
    Matcher m = EXIT_STATUS.matcher(reason);
    return m.matches() ? "exit code " + m.group(1) : reason;
  }
}
