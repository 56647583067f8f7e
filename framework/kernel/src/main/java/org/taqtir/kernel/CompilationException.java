package org.taqtir.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import jdk.jshell.Diag;

/** A cell that does not compile: each error with its line, the source line and a caret. */
final class CompilationException extends Exception {
  private static final long serialVersionUID = 1L;

  private final transient List<String> lines;

  private CompilationException(String message, List<String> lines) {
    super(message);
    this.lines = List.copyOf(lines);
  }

  List<String> lines() {
    return lines;
  }

  /**
   * Describes a rejected snippet.
   *
   * @param cell the whole cell
   * @param start where the snippet starts in the cell
   * @param source the snippet as JShell compiled it
   * @param diags JShell's diagnostics
   */
  static CompilationException of(String cell, int start, String source, List<Diag> diags) {
    List<String> out = new ArrayList<>();
    String first = null;
    String[] cellLines = cell.split("\n", -1);
    for (Diag d : diags) {
      if (!d.isError()) {
        continue;
      }
      long pos = d.getPosition() < 0 ? d.getStartPosition() : d.getPosition();
      int at = (int) Math.max(0, Math.min(cell.length(), start + Math.max(0, pos)));
      int line = 0;
      int lineStart = 0;
      for (int i = 0; i < at; i++) {
        if (cell.charAt(i) == '\n') {
          line++;
          lineStart = i + 1;
        }
      }
      String msg = d.getMessage(Locale.ROOT).strip();
      String text = line < cellLines.length ? cellLines[line] : source;
      out.add(String.format(Locale.ROOT, "line %d: %s", line + 1, msg));
      out.add(text);
      out.add(" ".repeat(Math.max(0, Math.min(at - lineStart, text.length()))) + "^");
      if (first == null) {
        first =
            String.format(Locale.ROOT, "line %d: %s", line + 1, msg.lines().findFirst().orElse(""));
      }
    }
    if (first == null) {
      first = "the cell does not compile";
      out.add(first);
    }
    return new CompilationException(first, out);
  }
}
