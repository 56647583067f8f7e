package org.taqtir.core.eval.loss;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Preservation targets (Wang 2026, "Knowledge Distillation Must Account for What It Loses"): what a
 * study declares must be kept, e.g. {@code agreement >= 0.95}, {@code ece <= teacher + 0.02},
 * {@code worst_class_acc >= 0.70}. Grammar: {@code <metric> (>=|<=|>|<) (<number> | teacher [(+|-)
 * <number>])}; the metric keys are those of {@link MethodEvaluation#metrics()}.
 */
public final class Targets {

  private static final Pattern FORM =
      Pattern.compile(
          "\\s*([a-z0-9_./]+)\\s*(>=|<=|>|<)\\s*(?:(teacher)\\s*(?:([+-])\\s*([0-9.eE+-]+))?|"
              + "([+-]?[0-9.eE+-]+))\\s*");

  /** The allowed form, for error messages. */
  public static final String FORM_TEXT =
      "<metric> (>=|<=|>|<) (<number> | teacher [+|- <number>]), e.g. 'ece <= teacher + 0.02'";

  private Targets() {}

  /**
   * A parsed target.
   *
   * @param text the expression as written
   * @param metric the metric key
   * @param op the comparison
   * @param relativeToTeacher whether the right side is the teacher's value of the metric
   * @param offset the number (added to the teacher's value when relative)
   */
  public record Target(
      String text, String metric, String op, boolean relativeToTeacher, double offset) {}

  /**
   * The outcome of one target.
   *
   * @param target the target
   * @param value the student's value
   * @param bound the right side's value
   * @param met whether it holds
   */
  public record Result(Target target, double value, double bound, boolean met) {}

  /**
   * Parses a target.
   *
   * @param text the expression
   * @return the target
   * @throws IllegalArgumentException when it does not match {@link #FORM_TEXT}
   */
  public static Target parse(String text) {
    Matcher m = FORM.matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "target '" + text + "' does not parse; expected " + FORM_TEXT);
    }
    try {
      if (m.group(3) != null) {
        double off = m.group(5) == null ? 0 : Double.parseDouble(m.group(5));
        return new Target(text, m.group(1), m.group(2), true, "-".equals(m.group(4)) ? -off : off);
      }
      return new Target(text, m.group(1), m.group(2), false, Double.parseDouble(m.group(6)));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "target '" + text + "' has a bad number; expected " + FORM_TEXT, e);
    }
  }

  /**
   * Checks a target.
   *
   * @param t the target
   * @param student the student's metrics
   * @param teacher the teacher's metrics (for relative targets)
   * @return the result; a metric the evaluation does not have fails with the list of known keys
   */
  public static Result check(Target t, Map<String, Double> student, Map<String, Double> teacher) {
    Double v = student.get(t.metric());
    if (v == null) {
      throw new IllegalArgumentException(
          "target '"
              + t.text()
              + "': unknown metric '"
              + t.metric()
              + "'; known: "
              + new java.util.TreeSet<>(student.keySet()));
    }
    double bound = t.offset();
    if (t.relativeToTeacher()) {
      Double tv = teacher.get(t.metric());
      if (tv == null) {
        throw new IllegalArgumentException(
            "target '"
                + t.text()
                + "': the teacher has no '"
                + t.metric()
                + "'; teacher metrics: "
                + new java.util.TreeSet<>(teacher.keySet()));
      }
      bound += tv;
    }
    boolean met =
        switch (t.op()) {
          case ">=" -> v >= bound;
          case "<=" -> v <= bound;
          case ">" -> v > bound;
          default -> v < bound;
        };
    return new Result(t, v, bound, met);
  }
}
