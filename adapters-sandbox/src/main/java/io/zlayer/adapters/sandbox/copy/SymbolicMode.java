package io.zlayer.adapters.sandbox.copy;

import java.util.ArrayList;
import java.util.List;

/**
 * A chmod(1) symbolic mode ({@code u+x,go=rX}) as BuildKit applies {@code --chmod}: BSD
 * setmode semantics (BuildKit's mode package, parsed with a umask of 0, so a clause without
 * {@code ugoa} affects everyone). {@code X} stands for the execute bits when the entry is a
 * directory or already executable by someone; it is honoured with {@code =} and {@code -} too,
 * as the Dockerfile reference documents ({@code u=rwX,go=rX} gives directories 755).
 */
final class SymbolicMode {
  private static final int IS_UID = 04000;
  private static final int IS_GID = 02000;
  private static final int IS_TXT = 01000;
  private static final int RWXU = 0700;
  private static final int RWXG = 0070;
  private static final int RWXO = 0007;
  private static final int STANDARD = IS_UID | IS_GID | RWXU | RWXG | RWXO;
  private static final int READ = 0444;
  private static final int WRITE = 0222;
  private static final int EXEC = 0111;
  private static final int ALL = 07777;

  private static final int SET = 1;
  private static final int CLEAR = 2;
  private static final int U_BITS = 4;
  private static final int G_BITS = 8;
  private static final int O_BITS = 16;

  /** One step: '+', '-', 'X' (set if executable), 'Y' (clear if executable), 'u'/'g'/'o'. */
  private record Command(char cmd, int flags, int bits) {}

  private final List<Command> commands;

  private SymbolicMode(List<Command> commands) {
    this.commands = List.copyOf(commands);
  }

  /** Parses an expression that {@code Chmod.Symbolic} already validated. */
  static SymbolicMode parse(String expression) {
    List<Command> out = new ArrayList<>();
    String s = expression;
    boolean equalOpDone = false;
    while (true) {
      int who = 0;
      while (!s.isEmpty() && "augo".indexOf(s.charAt(0)) >= 0) {
        switch (s.charAt(0)) {
          case 'a':
            who |= STANDARD;
            break;
          case 'u':
            who |= IS_UID | RWXU;
            break;
          case 'g':
            who |= IS_GID | RWXG;
            break;
          default:
            who |= RWXO;
            break;
        }
        s = s.substring(1);
      }
      boolean clauseDone = false;
      while (!clauseDone) {
        if (s.isEmpty()) {
          throw new IllegalArgumentException("not a symbolic mode: " + expression);
        }
        char op = s.charAt(0);
        s = s.substring(1);
        if (op == '=') {
          equalOpDone = false;
        } else if (op != '+' && op != '-') {
          throw new IllegalArgumentException("not a symbolic mode: " + expression);
        }
        who &= ~IS_TXT;
        int perm = 0;
        int permX = 0;
        while (true) {
          char b = s.isEmpty() ? 0 : s.charAt(0);
          if (b == 'r') {
            perm |= READ;
          } else if (b == 's') {
            if (who == 0 || (who & ~RWXO) != 0) {
              perm |= IS_UID | IS_GID;
            }
          } else if (b == 't') {
            if (who == 0 || (who & ~RWXO) != 0) {
              who |= IS_TXT;
              perm |= IS_TXT;
            }
          } else if (b == 'w') {
            perm |= WRITE;
          } else if (b == 'X') {
            permX = EXEC;
          } else if (b == 'x') {
            perm |= EXEC;
          } else if (b == 'u' || b == 'g' || b == 'o') {
            if (perm != 0) {
              add(out, op, who, perm);
              perm = 0;
            }
            if (op == '=') {
              equalOpDone = true;
            }
            if (permX != 0) {
              addX(out, op, who, permX);
              permX = 0;
            }
            addCopy(out, b, who, op);
          } else {
            if (perm != 0 || (op == '=' && !equalOpDone)) {
              if (op == '=') {
                equalOpDone = true;
              }
              add(out, op, who, perm);
              perm = 0;
            }
            if (permX != 0) {
              addX(out, op, who, permX);
            }
            break;
          }
          s = s.substring(1);
        }
        if (s.isEmpty()) {
          return new SymbolicMode(out);
        }
        if (s.charAt(0) == ',') {
          s = s.substring(1);
          clauseDone = true;
        }
      }
    }
  }

  private static void add(List<Command> out, char op, int who, int perm) {
    if (op == '=') {
      out.add(new Command('-', 0, who != 0 ? who : STANDARD));
      op = '+';
    }
    out.add(new Command(op, 0, who != 0 ? who & perm : perm));
  }

  private static void addX(List<Command> out, char op, int who, int permX) {
    int bits = who != 0 ? who & permX : permX;
    out.add(new Command(op == '-' ? 'Y' : 'X', 0, bits));
  }

  private static void addCopy(List<Command> out, char from, int who, char op) {
    int flags = 0;
    int bits;
    if (who != 0) {
      if ((who & 0400) != 0) {
        flags |= U_BITS;
      }
      if ((who & 0040) != 0) {
        flags |= G_BITS;
      }
      if ((who & 0004) != 0) {
        flags |= O_BITS;
      }
      bits = ALL;
    } else {
      flags = U_BITS | G_BITS | O_BITS;
      bits = ALL;
    }
    if (op == '+') {
      flags |= SET;
    } else if (op == '-') {
      flags |= CLEAR;
    } else {
      flags |= SET | CLEAR;
    }
    out.add(new Command(from, flags, bits));
  }

  /** The twelve permission bits after the change, for an entry with {@code permissions}. */
  int apply(int permissions, boolean directory) {
    int original = permissions & ALL;
    int mode = original;
    boolean executable = directory || (original & EXEC) != 0;
    for (Command c : commands) {
      switch (c.cmd) {
        case '+':
          mode |= c.bits;
          break;
        case '-':
          mode &= ~c.bits;
          break;
        case 'X':
          if (executable) {
            mode |= c.bits;
          }
          break;
        case 'Y':
          if (executable) {
            mode &= ~c.bits;
          }
          break;
        case 'u':
          mode = copyBits(c, mode, (mode & RWXU) >> 6);
          break;
        case 'g':
          mode = copyBits(c, mode, (mode & RWXG) >> 3);
          break;
        default:
          mode = copyBits(c, mode, mode & RWXO);
          break;
      }
    }
    return mode & ALL;
  }

  private static int copyBits(Command c, int mode, int value) {
    if ((c.flags & CLEAR) != 0) {
      int clear = (c.flags & SET) != 0 ? RWXO : value;
      if ((c.flags & U_BITS) != 0) {
        mode &= ~((clear << 6) & c.bits);
      }
      if ((c.flags & G_BITS) != 0) {
        mode &= ~((clear << 3) & c.bits);
      }
      if ((c.flags & O_BITS) != 0) {
        mode &= ~(clear & c.bits);
      }
    }
    if ((c.flags & SET) != 0) {
      if ((c.flags & U_BITS) != 0) {
        mode |= (value << 6) & c.bits;
      }
      if ((c.flags & G_BITS) != 0) {
        mode |= (value << 3) & c.bits;
      }
      if ((c.flags & O_BITS) != 0) {
        mode |= value & c.bits;
      }
    }
    return mode;
  }
}
