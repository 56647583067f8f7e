package org.taqtir.kernel;

import io.github.spencerpark.jupyter.kernel.history.HistoryEntry;
import io.github.spencerpark.jupyter.kernel.history.HistoryManager;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** The cells this kernel ran, numbered by execution count; one session (index 0). */
final class CellHistory implements HistoryManager {

  private record Cell(int number, String input, String output) {}

  private final List<Cell> cells = new ArrayList<>();

  synchronized void add(int number, String input, String output) {
    cells.add(new Cell(number, input, output == null ? "" : output));
  }

  private static HistoryEntry entry(Cell c, Set<ResultFlag> flags) {
    return flags.contains(ResultFlag.INCLUDE_OUTPUT)
        ? new HistoryEntry(0, c.number(), c.input(), c.output())
        : new HistoryEntry(0, c.number(), c.input());
  }

  @Override
  public synchronized List<HistoryEntry> lookupRange(
      int session, int start, int stop, Set<ResultFlag> flags) {
    List<HistoryEntry> out = new ArrayList<>();
    if (session != 0) {
      return out;
    }
    for (Cell c : cells) {
      if (c.number() >= start && (stop <= 0 || c.number() < stop)) {
        out.add(entry(c, flags));
      }
    }
    return out;
  }

  @Override
  public synchronized List<HistoryEntry> lookupTail(int length, Set<ResultFlag> flags) {
    int from = length <= 0 ? 0 : Math.max(0, cells.size() - length);
    return cells.subList(from, cells.size()).stream().map(c -> entry(c, flags)).toList();
  }

  @Override
  public synchronized List<HistoryEntry> search(String pattern, int length, Set<ResultFlag> flags) {
    Pattern glob = glob(pattern == null ? "*" : pattern);
    List<HistoryEntry> out = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (int i = cells.size() - 1; i >= 0 && (length <= 0 || out.size() < length); i--) {
      Cell c = cells.get(i);
      if (glob.matcher(c.input()).matches()
          && (!flags.contains(ResultFlag.UNIQUE) || seen.add(c.input()))) {
        out.add(0, entry(c, flags));
      }
    }
    return out;
  }

  /** An sqlite GLOB as a regex: {@code *}, {@code ?}, {@code [...]} and {@code [^...]}. */
  static Pattern glob(String g) {
    StringBuilder re = new StringBuilder();
    for (int i = 0; i < g.length(); i++) {
      char ch = g.charAt(i);
      switch (ch) {
        case '*' -> re.append(".*");
        case '?' -> re.append('.');
        case '[' -> {
          int end = g.indexOf(']', i + 2);
          if (end < 0) {
            re.append("\\[");
          } else {
            String body = g.substring(i + 1, end);
            re.append('[')
                .append(body.startsWith("^") ? "^" + body.substring(1).replace("\\", "\\\\") : body)
                .append(']');
            i = end;
          }
        }
        default -> re.append(Pattern.quote(String.valueOf(ch)));
      }
    }
    return Pattern.compile(re.toString(), Pattern.DOTALL);
  }
}
