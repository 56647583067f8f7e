package org.taqtir.core.eval.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.taqtir.core.config.EvaluationConfig;

/** Choosing τ for a cost budget or a deferral cap, and the oracle/random references, by hand. */
class CascadeChoiceTest {

  // A validation curve: student 1 ms, teacher 10 ms per sample; cost = 1 + 10 · deferral.
  private static final List<Cascade.Point> CURVE =
      List.of(
          new Cascade.Point(0.1, 0.0, 0.80, 1.0),
          new Cascade.Point(0.3, 0.1, 0.86, 2.0),
          new Cascade.Point(0.5, 0.2, 0.86, 3.0),
          new Cascade.Point(0.7, 0.3, 0.90, 4.0),
          new Cascade.Point(0.9, 0.5, 0.89, 6.0),
          new Cascade.Point(1.0, 1.0, 0.91, 11.0));

  @Test
  void budgetPicksTheMostAccuratePointWithinTheCostAndTheLeastDeferralOnTies() {
    // budget 0.3 × 10 ms = 3 ms: points 0..2 qualify; best accuracy 0.86 first reached at 0.1
    assertEquals(0.3, Cascade.chooseForBudget(CURVE, 3.0).tau());
    // 4.5 ms: point 3 (0.90) beats point 4 (0.89, too costly anyway)
    assertEquals(0.7, Cascade.chooseForBudget(CURVE, 4.5).tau());
    // a budget below the student's own cost: never defer
    assertEquals(0.1, Cascade.chooseForBudget(CURVE, 0.5).tau());
    // unlimited: the always-defer point is the most accurate here
    assertEquals(1.0, Cascade.chooseForBudget(CURVE, 100).tau());
  }

  @Test
  void deferralCapPicksTheMostAccuratePointDeferringAtMostThatFraction() {
    assertEquals(0.1, Cascade.chooseForDeferral(CURVE, 0.0).tau());
    assertEquals(0.3, Cascade.chooseForDeferral(CURVE, 0.25).tau());
    assertEquals(0.7, Cascade.chooseForDeferral(CURVE, 0.6).tau());
  }

  @Test
  void theEvaluationUsesTheRuleTheStudyAsksFor() {
    EvaluationConfig d = EvaluationConfig.defaults();
    EvaluationConfig budget = withChoice(d, 0.3, Double.NaN);
    EvaluationConfig cap = withChoice(d, Double.NaN, 0.25);
    // teacher 10 ms: 0.3 × 10 = 3 ms
    assertEquals(0.3, LossEvaluator.choose(CURVE, budget, 0.99, 10).tau());
    assertEquals(0.3, LossEvaluator.choose(CURVE, cap, 0.99, 10).tau());
    // target accuracy 0.88: the first point reaching it
    assertEquals(0.7, LossEvaluator.choose(CURVE, d, 0.88, 10).tau());
  }

  private static EvaluationConfig withChoice(EvaluationConfig d, double budget, double cap) {
    return new EvaluationConfig(
        d.test(),
        d.select(),
        d.lossStatement(),
        d.corruptions(),
        d.corruptionSeed(),
        d.bootstrap(),
        d.cascadeRule(),
        d.targetAccuracy(),
        d.targets(),
        d.failOnTargets(),
        budget,
        cap);
  }

  @Test
  void oracleAndRandomDeferralAtOneRate() {
    // 10 samples: student right on 0..5, teacher right on 3..8; labels all 0.
    int n = 10;
    int[] y = new int[n];
    int[] s = new int[n];
    int[] t = new int[n];
    for (int i = 0; i < n; i++) {
      s[i] = i <= 5 ? 0 : 1;
      t[i] = i >= 3 && i <= 8 ? 0 : 1;
    }
    Predictions ps = new Predictions(null, s, 2);
    Predictions pt = new Predictions(null, t, 2);
    // gain (student wrong, teacher right) = {6, 7, 8}; harmful (student right, teacher wrong)
    // = {0, 1, 2}; neutral = {3, 4, 5, 9}
    assertEquals(0.6, Cascade.oracleAt(ps, pt, y, 0.0), 1e-12);
    assertEquals(0.8, Cascade.oracleAt(ps, pt, y, 0.2), 1e-12); // 2 helped
    assertEquals(0.9, Cascade.oracleAt(ps, pt, y, 0.5), 1e-12); // 3 helped, 2 neutral
    assertEquals(0.8, Cascade.oracleAt(ps, pt, y, 0.8), 1e-12); // 3 helped, 4 neutral, 1 hurt
    assertEquals(0.6, Cascade.oracleAt(ps, pt, y, 1.0), 1e-12); // the teacher alone
    // random: 0.6 + r · (0.6 − 0.6)
    assertEquals(0.6, Cascade.randomAt(ps, pt, y, 0.5), 1e-12);
    t[0] = 0; // teacher now 7/10
    assertEquals(0.65, Cascade.randomAt(ps, new Predictions(null, t, 2), y, 0.5), 1e-12);
  }

  @Test
  void pairedAccuracyDeltaAndUnderconfidence() {
    // seed 1: a right on 3 of 4, b on 1 of 4; seed 2: a on 2 of 4, b on 2 of 4 → Δ = (0.5 + 0) / 2
    int[] y = {0, 0, 0, 0};
    Predictions a1 = new Predictions(null, new int[] {0, 0, 0, 1}, 2);
    Predictions b1 = new Predictions(null, new int[] {0, 1, 1, 1}, 2);
    Predictions a2 = new Predictions(null, new int[] {0, 0, 1, 1}, 2);
    Predictions b2 = new Predictions(null, new int[] {1, 1, 0, 0}, 2);
    LossMetrics.Interval d =
        LossMetrics.accuracyDelta(
            new Predictions[] {a1, a2}, new Predictions[] {b1, b2}, y, 2000, 3);
    assertEquals(0.25, d.delta(), 1e-12);
    assertTrue(d.lo() <= d.delta() && d.delta() <= d.hi(), d.toString());
    // per-sample differences averaged over the seed pairs are {0.5, 1, 0, −0.5}: every resample
    // mean lies in [−0.5, 1], and with 4 samples the interval is wide
    assertTrue(d.lo() >= -0.5 && d.hi() <= 1 && d.lo() < 0 && d.hi() > 0.5, d.toString());

    // under-confidence: one bin at confidence 0.6 with accuracy 1 → ECE 0.4, all of it under
    double[] probs = {0.6, 0.4, 0.6, 0.4};
    LossMetrics.Calibration c =
        LossMetrics.calibration(new Predictions(probs, new int[] {0, 0}, 2), new int[] {0, 0});
    assertEquals(0.4, c.ece(), 1e-12);
    assertEquals(0.0, c.overconfidence(), 1e-12);
    assertEquals(0.4, c.underconfidence(), 1e-12);
  }
}
