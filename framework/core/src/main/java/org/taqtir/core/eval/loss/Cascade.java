package org.taqtir.core.eval.loss;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A student-first cascade with teacher fallback (Jitkrittum et al. 2023, "When Does
 * Confidence-Based Cascade Deferral Suffice?"): answer with the student, and defer to the teacher
 * when the student's confidence is below τ. The cascade always pays the student's cost and, on
 * deferral, the teacher's as well.
 */
public final class Cascade {

  private Cascade() {}

  /** How confidence is measured. */
  public enum Rule {
    /** max_c p_c. */
    MAX_PROB,
    /** p_(1) − p_(2), the margin between the two most probable classes. */
    MARGIN,
    /** Σ_c p_c log p_c, the negative entropy. */
    ENTROPY;

    /**
     * Parses a study value.
     *
     * @param key {@code max_prob}, {@code margin} or {@code entropy}
     * @return the rule
     */
    public static Rule of(String key) {
      return valueOf(key.toUpperCase(java.util.Locale.ROOT));
    }
  }

  /**
   * One operating point.
   *
   * @param tau the threshold: samples with confidence {@code < tau} are deferred
   * @param deferral the fraction deferred
   * @param accuracy the cascade's accuracy
   * @param costMs mean cost per sample in milliseconds
   */
  public record Point(double tau, double deferral, double accuracy, double costMs) {}

  /**
   * Returns each sample's confidence under a rule.
   *
   * @param p predictions
   * @param rule the rule
   * @return one confidence per sample; higher means more confident
   */
  public static double[] confidence(Predictions p, Rule rule) {
    int c = p.classes();
    double[] out = new double[p.size()];
    for (int i = 0; i < out.length; i++) {
      switch (rule) {
        case MAX_PROB -> out[i] = p.confidence(i);
        case MARGIN -> {
          double first = 0;
          double second = 0;
          for (int j = 0; j < c; j++) {
            double v = p.probs()[i * c + j];
            if (v > first) {
              second = first;
              first = v;
            } else if (v > second) {
              second = v;
            }
          }
          out[i] = first - second;
        }
        case ENTROPY -> {
          double h = 0;
          for (int j = 0; j < c; j++) {
            double v = p.probs()[i * c + j];
            if (v > 0) {
              h += v * Math.log(v);
            }
          }
          out[i] = h;
        }
      }
    }
    return out;
  }

  /**
   * Evaluates the cascade at one threshold.
   *
   * @param student student predictions
   * @param teacher teacher predictions
   * @param labels true classes
   * @param rule confidence rule
   * @param tau threshold
   * @param studentMs student cost per sample
   * @param teacherMs teacher cost per sample
   * @return the operating point
   */
  public static Point at(
      Predictions student,
      Predictions teacher,
      int[] labels,
      Rule rule,
      double tau,
      double studentMs,
      double teacherMs) {
    double[] conf = confidence(student, rule);
    int deferred = 0;
    int correct = 0;
    for (int i = 0; i < labels.length; i++) {
      boolean defer = conf[i] < tau;
      deferred += defer ? 1 : 0;
      int answer = defer ? teacher.argmax()[i] : student.argmax()[i];
      correct += answer == labels[i] ? 1 : 0;
    }
    double rate = (double) deferred / labels.length;
    return new Point(tau, rate, (double) correct / labels.length, studentMs + rate * teacherMs);
  }

  /**
   * The whole curve: one point per distinct confidence (deferring everything below it), plus "never
   * defer" and "always defer".
   *
   * @param student student predictions
   * @param teacher teacher predictions
   * @param labels true classes
   * @param rule confidence rule
   * @param studentMs student cost per sample
   * @param teacherMs teacher cost per sample
   * @return points in increasing deferral order
   */
  public static List<Point> curve(
      Predictions student,
      Predictions teacher,
      int[] labels,
      Rule rule,
      double studentMs,
      double teacherMs) {
    double[] conf = confidence(student, rule);
    Integer[] order = new Integer[labels.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Double.compare(conf[a], conf[b]));
    int correct = 0;
    for (int i = 0; i < labels.length; i++) {
      correct += student.argmax()[i] == labels[i] ? 1 : 0;
    }
    List<Point> out = new ArrayList<>();
    double min = conf[order[0]];
    out.add(new Point(min, 0, (double) correct / labels.length, studentMs));
    for (int k = 0; k < order.length; k++) {
      int i = order[k];
      correct +=
          (teacher.argmax()[i] == labels[i] ? 1 : 0) - (student.argmax()[i] == labels[i] ? 1 : 0);
      boolean lastOfTie = k == order.length - 1 || conf[order[k + 1]] > conf[i];
      if (lastOfTie) {
        double rate = (k + 1.0) / labels.length;
        double tau = k == order.length - 1 ? Math.nextUp(conf[i]) : conf[order[k + 1]];
        out.add(
            new Point(tau, rate, (double) correct / labels.length, studentMs + rate * teacherMs));
      }
    }
    return out;
  }

  /**
   * Chooses the threshold with the lowest deferral whose accuracy reaches a target (on validation
   * data: the test split never picks τ).
   *
   * @param curve a curve from {@link #curve}
   * @param targetAccuracy the accuracy to reach
   * @return the cheapest point reaching it, or the always-defer point when none does
   */
  public static Point chooseForAccuracy(List<Point> curve, double targetAccuracy) {
    for (Point p : curve) {
      if (p.accuracy() >= targetAccuracy) {
        return p;
      }
    }
    return curve.get(curve.size() - 1);
  }

  /**
   * Chooses the threshold for a cost budget (on validation data): the most accurate point whose
   * mean cost per sample is at most {@code maxCostMs}; among equally accurate points the one that
   * defers least.
   *
   * @param curve a curve from {@link #curve}
   * @param maxCostMs the budget, e.g. 0.3 × the teacher's batch-1 latency
   * @return the chosen point, or the never-defer point when even it exceeds the budget
   */
  public static Point chooseForBudget(List<Point> curve, double maxCostMs) {
    return mostAccurate(curve, p -> p.costMs() <= maxCostMs);
  }

  /**
   * Chooses the threshold for a maximum deferral rate (on validation data): the most accurate point
   * that defers at most {@code maxDeferral} of the samples; among equally accurate points the one
   * that defers least.
   *
   * @param curve a curve from {@link #curve}
   * @param maxDeferral the largest allowed fraction of samples sent to the teacher, in [0, 1]
   * @return the chosen point
   */
  public static Point chooseForDeferral(List<Point> curve, double maxDeferral) {
    return mostAccurate(curve, p -> p.deferral() <= maxDeferral);
  }

  private static Point mostAccurate(
      List<Point> curve, java.util.function.Predicate<Point> allowed) {
    Point best = curve.get(0);
    boolean found = false;
    for (Point p : curve) {
      if (allowed.test(p) && (!found || p.accuracy() > best.accuracy())) {
        best = p;
        found = true;
      }
    }
    return best;
  }

  /**
   * Oracle deferral at one rate: defer first the samples the student gets wrong and the teacher
   * right, then those both get wrong or both right, and last those only the student gets right; the
   * best accuracy any deferral rule could reach at that rate.
   *
   * @param student student predictions
   * @param teacher teacher predictions
   * @param labels true classes
   * @param rate the fraction of samples deferred, in [0, 1]
   * @return the oracle's accuracy
   */
  public static double oracleAt(
      Predictions student, Predictions teacher, int[] labels, double rate) {
    int n = labels.length;
    int gain = 0;
    int loss = 0;
    int correct = 0;
    for (int i = 0; i < n; i++) {
      boolean s = student.argmax()[i] == labels[i];
      boolean t = teacher.argmax()[i] == labels[i];
      correct += s ? 1 : 0;
      gain += !s && t ? 1 : 0;
      loss += s && !t ? 1 : 0;
    }
    int d = (int) Math.round(rate * n);
    int helped = Math.min(d, gain);
    // after the helpful and neutral samples, only harmful ones (student right, teacher wrong)
    // remain
    int hurt = Math.max(0, d - (n - loss));
    return (double) (correct + helped - hurt) / n;
  }

  /**
   * Random deferral at one rate: the expected accuracy when each sample is deferred with
   * probability {@code rate} regardless of confidence, {@code acc_s + rate · (acc_t − acc_s)}.
   *
   * @param student student predictions
   * @param teacher teacher predictions
   * @param labels true classes
   * @param rate the fraction deferred
   * @return the expected accuracy
   */
  public static double randomAt(
      Predictions student, Predictions teacher, int[] labels, double rate) {
    double s = 0;
    double t = 0;
    for (int i = 0; i < labels.length; i++) {
      s += student.argmax()[i] == labels[i] ? 1 : 0;
      t += teacher.argmax()[i] == labels[i] ? 1 : 0;
    }
    return (s + rate * (t - s)) / labels.length;
  }

  /**
   * Oracle deferral curve ({@link #oracleAt}) at 101 evenly spaced rates.
   *
   * @param student student predictions
   * @param teacher teacher predictions
   * @param labels true classes
   * @return {@code {deferralRate[], accuracy[]}}
   */
  public static double[][] oracle(Predictions student, Predictions teacher, int[] labels) {
    double[] rate = new double[101];
    double[] acc = new double[101];
    for (int k = 0; k <= 100; k++) {
      rate[k] = k / 100.0;
      acc[k] = oracleAt(student, teacher, labels, rate[k]);
    }
    return new double[][] {rate, acc};
  }
}
