package org.taqtir.text.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LmComparisonsTest {

  private static final int WINDOWS = 400;
  private static final int T = 8;

  /** A run whose window losses are drawn around `level` nats per token. */
  private static LmOutputs.Detail run(double level, long seed, int[] argmax) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] nll = new double[WINDOWS];
    for (int w = 0; w < WINDOWS; w++) {
      nll[w] = T * (level + 0.3 * r.nextGaussian());
    }
    return new LmOutputs.Detail(nll, argmax, 1.0);
  }

  private static LmOutputs.Detail shifted(LmOutputs.Detail d, double perToken) {
    double[] nll = d.windowNll().clone();
    for (int w = 0; w < nll.length; w++) {
      nll[w] += T * perToken;
    }
    return new LmOutputs.Detail(nll, d.argmax(), d.charsPerToken());
  }

  @Test
  void aConstantShiftIsMeasuredExactlyAndItsIntervalExcludesZero() {
    int[] none = new int[WINDOWS * T];
    List<LmOutputs.Detail> base = List.of(run(1.5, 1, none), run(1.5, 2, none), run(1.5, 3, none));
    // every window of every seed worse by 0.1 nats per token: 0.1 / ln 2 bits per character
    List<LmOutputs.Detail> worse = base.stream().map(d -> shifted(d, 0.1)).toList();
    LmComparisons.Delta d = LmComparisons.delta(worse, base);
    double bits = 0.1 / Math.log(2);
    assertEquals(bits, d.mean(), 1e-9);
    assertEquals(0, d.std(), 1e-9);
    assertEquals(bits, d.lo(), 1e-9);
    assertEquals(bits, d.hi(), 1e-9);
  }

  @Test
  void independentNoiseGivesAnIntervalAroundTheTrueDifference() {
    int[] none = new int[WINDOWS * T];
    List<LmOutputs.Detail> a = List.of(run(1.50, 11, none), run(1.50, 12, none));
    List<LmOutputs.Detail> b = List.of(run(1.50, 21, none), run(1.50, 22, none));
    LmComparisons.Delta same = LmComparisons.delta(a, b);
    assertTrue(same.lo() < 0 && same.hi() > 0, "no difference: the interval holds 0, " + same);
    List<LmOutputs.Detail> c = List.of(run(1.60, 31, none), run(1.60, 32, none));
    LmComparisons.Delta worse = LmComparisons.delta(c, b);
    assertTrue(worse.lo() > 0, "0.1 nats/token worse: " + worse);
    // one teacher paired with every seed
    LmComparisons.Delta vsOne = LmComparisons.delta(c, List.of(b.get(0)));
    assertTrue(vsOne.lo() > 0, vsOne.toString());
  }

  @Test
  void modelsScoredOnOtherWindowsAreNotCompared() {
    LmOutputs.Detail a = run(1.5, 1, new int[WINDOWS * T]);
    LmOutputs.Detail other =
        new LmOutputs.Detail(new double[WINDOWS / 2], new int[WINDOWS / 2 * T], 1.0);
    assertNull(LmComparisons.delta(List.of(a), List.of(other)));
    LmOutputs.Detail bpe = new LmOutputs.Detail(a.windowNll(), a.argmax(), 2.5);
    assertNull(LmComparisons.delta(List.of(a), List.of(bpe)), "another tokenizer");
  }

  @Test
  void churnIsTheShareOfPositionsWhoseTopTokenDiffersAveragedOverSeedPairs() {
    int[] x = {1, 2, 3, 4};
    int[] y = {1, 2, 3, 5}; // 1 of 4 differs from x
    int[] z = {9, 2, 3, 5}; // 2 of 4 differ from x, 1 of 4 from y
    LmOutputs.Detail dx = new LmOutputs.Detail(new double[1], x, 1);
    LmOutputs.Detail dy = new LmOutputs.Detail(new double[1], y, 1);
    LmOutputs.Detail dz = new LmOutputs.Detail(new double[1], z, 1);
    assertEquals((0.25 + 0.5 + 0.25) / 3, LmComparisons.churn(List.of(dx, dy, dz)), 1e-12);
    assertTrue(Double.isNaN(LmComparisons.churn(List.of(dx))));
  }
}
