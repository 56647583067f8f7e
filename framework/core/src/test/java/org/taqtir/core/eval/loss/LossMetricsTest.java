package org.taqtir.core.eval.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Every metric on small cases whose expected values are worked out by hand in the comments. */
class LossMetricsTest {

  /** Two classes; logits chosen so the probabilities are exactly as listed (p = sigmoid(d)). */
  private static Predictions twoClass(double... p1) {
    double[] probs = new double[p1.length * 2];
    int[] arg = new int[p1.length];
    for (int i = 0; i < p1.length; i++) {
      probs[2 * i] = 1 - p1[i];
      probs[2 * i + 1] = p1[i];
      arg[i] = p1[i] > 0.5 ? 1 : 0;
    }
    return new Predictions(probs, arg, 2);
  }

  @Test
  void eceOnATextbookExample() {
    // Four samples with confidence 0.9 (bin 14: (14/15, 1] holds 0.95 only; 0.9 is in bin 13),
    // labels make bin-13 accuracy 3/4 and bin-14 (0.95, one sample) accuracy 0.
    Predictions p = twoClass(0.9, 0.9, 0.9, 0.9, 0.95);
    int[] y = {1, 1, 1, 0, 0};
    LossMetrics.Calibration c = LossMetrics.calibration(p, y);
    // ECE = 4/5·|0.75 − 0.9| + 1/5·|0 − 0.95| = 0.12 + 0.19 = 0.31
    assertEquals(0.31, c.ece(), 1e-12);
    // MCE = max(0.15, 0.95)
    assertEquals(0.95, c.mce(), 1e-12);
    // over-confidence: both bins have conf > acc, so it equals ECE
    assertEquals(0.31, c.overconfidence(), 1e-12);
    // NLL = −(3·ln 0.9 + ln 0.1 + ln 0.05) / 5
    assertEquals(-(3 * Math.log(0.9) + Math.log(0.1) + Math.log(0.05)) / 5, c.nll(), 1e-12);
    // Brier per sample: 2·(1−p_y)²: 3·2·0.01 + 2·0.81 + 2·0.9025 = 0.06 + 1.62 + 1.805 = 3.485 → /5
    assertEquals(3.485 / 5, c.brier(), 1e-12);
    assertEquals(4, c.binCount()[13]);
    assertEquals(1, c.binCount()[14]);
  }

  @Test
  void agreementKlTopKAndTransferRates() {
    Predictions teacher = twoClass(0.8, 0.3, 0.6, 0.1);
    Predictions student = twoClass(0.7, 0.6, 0.2, 0.4);
    int[] y = {1, 1, 0, 0};
    // predictions: teacher 1 0 1 0, student 1 1 0 0 → agree on samples 0 and 3
    assertEquals(0.5, LossMetrics.agreement(teacher, student), 1e-12);
    double kl0 = 0.8 * Math.log(0.8 / 0.7) + 0.2 * Math.log(0.2 / 0.3);
    double kl1 = 0.3 * Math.log(0.3 / 0.6) + 0.7 * Math.log(0.7 / 0.4);
    double kl2 = 0.6 * Math.log(0.6 / 0.2) + 0.4 * Math.log(0.4 / 0.8);
    double kl3 = 0.1 * Math.log(0.1 / 0.4) + 0.9 * Math.log(0.9 / 0.6);
    assertEquals((kl0 + kl1 + kl2 + kl3) / 4, LossMetrics.kl(teacher, student), 1e-12);
    assertEquals(1.0, LossMetrics.topK(student, y, 2), 1e-12);
    // teacher wrong on samples 1 and 2; the student repeats neither mistake (it predicts 1, 0)
    LossMetrics.Rate inherited = LossMetrics.inheritedErrors(student, teacher, y);
    assertEquals(0, inherited.numerator());
    assertEquals(2, inherited.denominator());
    Predictions baseline = twoClass(0.9, 0.9, 0.1, 0.9);
    // teacher wrong & baseline right: samples 1, 2 → student right on both → negative transfer 0
    assertEquals(0.0, LossMetrics.negativeTransfer(student, teacher, baseline, y).value());
    // teacher right & baseline wrong: sample 3 → student right → positive transfer 1
    assertEquals(1.0, LossMetrics.positiveTransfer(student, teacher, baseline, y).value());
    assertTrue(Double.isNaN(LossMetrics.negativeTransfer(teacher, teacher, teacher, y).value()));
  }

  @Test
  void temperatureScalingRecoversTheTemperatureThatGeneratedTheLabels() {
    // Labels drawn from softmax(z / 2): the NLL-optimal temperature is close to 2.
    Random r = new Random(3);
    int n = 20000;
    float[] logits = new float[n * 3];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      double[] p = new double[3];
      double z = 0;
      for (int c = 0; c < 3; c++) {
        logits[i * 3 + c] = (float) (3 * r.nextGaussian());
        p[c] = Math.exp(logits[i * 3 + c] / 2.0);
        z += p[c];
      }
      double u = r.nextDouble() * z;
      y[i] = u < p[0] ? 0 : u < p[0] + p[1] ? 1 : 2;
    }
    assertEquals(2.0, LossMetrics.fitTemperature(logits, y, 3), 0.1);
  }

  @Test
  void classDeltaIsPairedAndItsIntervalCoversIt() {
    int[] y = {0, 0, 0, 0, 1, 1, 1, 1};
    Predictions student = new Predictions(new double[16], new int[] {0, 0, 0, 1, 1, 1, 1, 1}, 2);
    Predictions baseline = new Predictions(new double[16], new int[] {0, 0, 0, 0, 0, 1, 1, 1}, 2);
    var d =
        LossMetrics.classDelta(
            new Predictions[] {student}, new Predictions[] {baseline}, y, 2000, 1);
    // class 0: 3/4 − 4/4 = −0.25; class 1: 4/4 − 3/4 = +0.25
    assertArrayEquals(new double[] {-0.25, 0.25}, d.delta(), 1e-12);
    assertTrue(d.lo()[0] <= -0.25 && d.hi()[0] <= 0, "resamples can only lose");
    assertTrue(d.lo()[1] >= 0 && d.hi()[1] >= 0.25);
    var again =
        LossMetrics.classDelta(
            new Predictions[] {student}, new Predictions[] {baseline}, y, 2000, 1);
    assertArrayEquals(d.lo(), again.lo(), "deterministic for a seed");
  }

  @Test
  void cascadeEndpointsEqualTheStudentAndTheTeacher() {
    Random r = new Random(5);
    int n = 500;
    float[] s = new float[n * 4];
    float[] t = new float[n * 4];
    int[] y = new int[n];
    for (int i = 0; i < s.length; i++) {
      s[i] = (float) r.nextGaussian();
      t[i] = (float) r.nextGaussian();
    }
    for (int i = 0; i < n; i++) {
      y[i] = r.nextInt(4);
      t[i * 4 + y[i]] += 2;
      s[i * 4 + y[i]] += 1;
    }
    Predictions ps = Predictions.of(s, 4, 1);
    Predictions pt = Predictions.of(t, 4, 1);
    double studentAcc = LossMetrics.agreement(ps, new Predictions(null, y, 4));
    double teacherAcc = LossMetrics.agreement(pt, new Predictions(null, y, 4));
    for (Cascade.Rule rule : Cascade.Rule.values()) {
      var never = Cascade.at(ps, pt, y, rule, Double.NEGATIVE_INFINITY, 1, 10);
      var always = Cascade.at(ps, pt, y, rule, Double.POSITIVE_INFINITY, 1, 10);
      assertEquals(studentAcc, never.accuracy(), 1e-12, rule + " τ below every confidence");
      assertEquals(0, never.deferral());
      assertEquals(1, never.costMs(), 1e-12);
      assertEquals(teacherAcc, always.accuracy(), 1e-12, rule + " τ above every confidence");
      assertEquals(11, always.costMs(), 1e-12);
      List<Cascade.Point> curve = Cascade.curve(ps, pt, y, rule, 1, 10);
      assertEquals(studentAcc, curve.get(0).accuracy(), 1e-12);
      assertEquals(teacherAcc, curve.get(curve.size() - 1).accuracy(), 1e-12);
      for (Cascade.Point p : curve) {
        var direct = Cascade.at(ps, pt, y, rule, p.tau(), 1, 10);
        assertEquals(direct.accuracy(), p.accuracy(), 1e-12, "curve point at τ = " + p.tau());
      }
    }
    double[][] oracle = Cascade.oracle(ps, pt, y);
    assertEquals(studentAcc, oracle[1][0], 1e-12);
    assertEquals(teacherAcc, oracle[1][100], 1e-12);
  }

  @Test
  void targetsParseAndCheck() {
    var t = Targets.parse("ece <= teacher + 0.02");
    assertTrue(t.relativeToTeacher());
    var ok = Targets.check(t, Map.of("ece", 0.03), Map.of("ece", 0.015));
    assertTrue(ok.met());
    assertEquals(0.035, ok.bound(), 1e-12);
    assertFalse(
        Targets.check(Targets.parse("agreement >= 0.95"), Map.of("agreement", 0.94), Map.of())
            .met());
    assertTrue(
        Targets.check(
                Targets.parse("acc > teacher - 0.05"), Map.of("acc", 0.85), Map.of("acc", 0.89))
            .met());
    var bad = assertThrows(IllegalArgumentException.class, () -> Targets.parse("ece is small"));
    assertTrue(bad.getMessage().contains("expected <metric> (>=|<=|>|<)"), bad.getMessage());
    var unknown =
        assertThrows(
            IllegalArgumentException.class,
            () -> Targets.check(Targets.parse("foo >= 1"), Map.of("acc", 1.0), Map.of()));
    assertTrue(unknown.getMessage().contains("unknown metric 'foo'; known: [acc]"));
  }
}
