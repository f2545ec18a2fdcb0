package io.zlayer.domain.dockerfile.parser;

/**
 * A heredoc attached to an instruction, as BuildKit's {@code parser.Heredoc}.
 *
 * @param name the delimiter word (quotes removed)
 * @param content the body, each line ending in a newline; leading tabs removed when chomped
 * @param expand false when the delimiter was quoted ({@code <<"EOF"} or {@code <<'EOF'})
 * @param chomp true for {@code <<-EOF} (leading tabs stripped)
 */
public record Heredoc(String name, String content, boolean expand, boolean chomp) {}
