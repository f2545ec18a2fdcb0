package io.zlayer.bootstrap;

/** Entry point of the {@code zlayer} command. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.out.println("zlayer 0.1.0-SNAPSHOT");
  }
}
