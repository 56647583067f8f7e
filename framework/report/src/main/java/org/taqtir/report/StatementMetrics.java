package org.taqtir.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the metric tables back out of a Distillation Loss Statement ({@code loss-statement.md}),
 * for results that were committed without their {@code loss-report.json} (several megabytes per
 * image study): each {@code ## <student> / <method>} section's rows {@code | key — description |
 * mean ± std | teacher |}. The statement prints four significant figures, so the values read are
 * the statement's rounding of the measured ones.
 */
public final class StatementMetrics {

  /**
   * One metric of one student × method.
   *
   * @param mean the mean over seeds
   * @param std the standard deviation over seeds, NaN when the statement gives none
   * @param teacher the teacher's value, NaN when the statement gives none
   */
  public record Value(double mean, double std, double teacher) {}

  private static final Pattern SECTION =
      Pattern.compile("^## (.+?)(?: \\(label-only baseline\\))?$");
  private static final Pattern ROW =
      Pattern.compile(
          "^\\| ([A-Za-z0-9_.]+) — [^|]*\\| *([-+0-9.eE]+)(?: ± ([-+0-9.eE]+))? *\\| *([-+0-9.eE]*) *\\|$");

  private StatementMetrics() {}

  /**
   * Reads a statement file.
   *
   * @param file a {@code loss-statement.md}
   * @return per {@code "<student> / <method>"} (in the statement's order), metric key to value
   * @throws UncheckedIOException when the file cannot be read
   * @throws IllegalArgumentException when it holds no metric table
   */
  public static Map<String, Map<String, Value>> read(Path file) {
    try {
      return parse(Files.readAllLines(file), file.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  static Map<String, Map<String, Value>> parse(List<String> lines, String source) {
    Map<String, Map<String, Value>> out = new LinkedHashMap<>();
    Map<String, Value> current = null;
    for (String line : lines) {
      Matcher s = SECTION.matcher(line);
      if (s.matches()) {
        current = s.group(1).contains(" / ") ? new LinkedHashMap<>() : null;
        if (current != null) {
          out.put(s.group(1), current);
        }
        continue;
      }
      Matcher r = ROW.matcher(line);
      if (current != null && r.matches()) {
        current.put(
            r.group(1),
            new Value(
                Double.parseDouble(r.group(2)),
                r.group(3) == null ? Double.NaN : Double.parseDouble(r.group(3)),
                r.group(4).isEmpty() ? Double.NaN : Double.parseDouble(r.group(4))));
      }
    }
    out.values().removeIf(Map::isEmpty);
    if (out.isEmpty()) {
      throw new IllegalArgumentException(
          source
              + ": no metric table (expected '## <student> / <method>' sections of"
              + " '| key — description | mean ± std | teacher |' rows)");
    }
    return out;
  }
}
