package io.zlayer.adapters.cli.format;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * Column-aligned text as Docker prints its tables (Go's {@code tabwriter} with a minimum cell
 * width of 10 and a padding of 3): every column but the last is padded to its widest cell plus
 * three spaces, and never narrower than ten.
 */
public final class TextTable {
  private static final int MIN_WIDTH = 10;
  private static final int PADDING = 3;

  private final List<List<String>> rows = new ArrayList<>();

  public TextTable(String... header) {
    rows.add(List.of(header));
  }

  public TextTable row(String... cells) {
    if (cells.length != rows.get(0).size()) {
      throw new IllegalArgumentException("expected " + rows.get(0).size() + " cells, got "
          + cells.length);
    }
    rows.add(List.of(cells));
    return this;
  }

  public void print(PrintWriter out) {
    int columns = rows.get(0).size();
    int[] widths = new int[columns];
    for (List<String> row : rows) {
      for (int c = 0; c < columns - 1; c++) {
        widths[c] = Math.max(widths[c], Math.max(MIN_WIDTH, row.get(c).length() + PADDING));
      }
    }
    for (List<String> row : rows) {
      StringBuilder line = new StringBuilder();
      for (int c = 0; c < columns; c++) {
        String cell = row.get(c);
        line.append(cell);
        if (c < columns - 1) {
          line.append(" ".repeat(widths[c] - cell.length()));
        }
      }
      out.println(line);
    }
  }
}
