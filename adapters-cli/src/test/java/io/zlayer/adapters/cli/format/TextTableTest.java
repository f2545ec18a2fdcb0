package io.zlayer.adapters.cli.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class TextTableTest {
  @Test
  void columnsAreTheWidestCellPlusThreeAndAtLeastTen() {
    StringWriter out = new StringWriter();
    new TextTable("REPOSITORY", "TAG", "IMAGE ID", "SIZE")
        .row("alpine", "latest", "c059bfaa849c", "5.59MB")
        .row("ghcr.io/acme/app", "1.2.3-rc.1", "0123456789ab", "1.24GB")
        .print(new PrintWriter(out));
    assertEquals(String.join("\n",
        "REPOSITORY         TAG          IMAGE ID       SIZE",
        "alpine             latest       c059bfaa849c   5.59MB",
        "ghcr.io/acme/app   1.2.3-rc.1   0123456789ab   1.24GB",
        ""), out.toString());
  }

  @Test
  void rowsMustHaveEveryCell() {
    assertThrows(IllegalArgumentException.class, () -> new TextTable("A", "B").row("x"));
  }
}
