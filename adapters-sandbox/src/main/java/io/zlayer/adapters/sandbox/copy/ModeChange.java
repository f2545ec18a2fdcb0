package io.zlayer.adapters.sandbox.copy;

import io.zlayer.domain.dockerfile.instructions.Chmod;
import java.util.Optional;

/**
 * {@code --chmod} as BuildKit applies it to every copied file and directory: an octal mode
 * replaces the twelve permission bits, a symbolic one changes each entry's own.
 */
final class ModeChange {
  private static final ModeChange NONE = new ModeChange(-1, null);

  private final int octal;
  private final SymbolicMode symbolic;

  private ModeChange(int octal, SymbolicMode symbolic) {
    this.octal = octal;
    this.symbolic = symbolic;
  }

  static ModeChange of(Optional<Chmod> chmod) {
    if (chmod.isEmpty()) {
      return NONE;
    }
    Chmod c = chmod.get();
    if (c instanceof Chmod.Octal o) {
      return new ModeChange(o.mode() & 07777, null);
    }
    return new ModeChange(-1, SymbolicMode.parse(((Chmod.Symbolic) c).expression()));
  }

  boolean isPresent() {
    return octal >= 0 || symbolic != null;
  }

  /** The permission bits an entry with {@code permissions} gets. */
  int apply(int permissions, boolean directory) {
    if (octal >= 0) {
      return octal;
    }
    if (symbolic != null) {
      return symbolic.apply(permissions, directory);
    }
    return permissions & 07777;
  }
}
