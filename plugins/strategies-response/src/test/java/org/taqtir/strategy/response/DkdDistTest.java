package org.taqtir.strategy.response;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.taqtir.api.BatchContext;
import org.taqtir.api.DistillationStrategy;
import org.taqtir.api.Params;
import org.taqtir.api.StepOutputs;
import org.taqtir.api.StrategyContext;
import org.taqtir.api.StrategyProvider;

/** DKD and DIST against the double-precision references in {@link ReferenceLosses}. */
class DkdDistTest {

  private static final int B = 7;
  private static final int C = 6;
  private static final int[] LABELS = {0, 5, 2, 2, 4, 1, 3};

  private static double[][] logits(long seed, double scale) {
    Random r = new Random(seed);
    double[][] a = new double[B][C];
    for (double[] row : a) {
      for (int c = 0; c < C; c++) {
        row[c] = scale * r.nextGaussian();
      }
    }
    return a;
  }

  private static double loss(
      StrategyProvider p, Map<String, Object> params, double[][] s, double[][] t, int epoch) {
    try (NDManager m = NDManager.newBaseManager()) {
      DistillationStrategy strategy = p.create(new Params(params));
      strategy.prepare(new StrategyContext(m, C, B, 10));
      NDArray y = m.create(LABELS);
      BatchContext ctx = new BatchContext(m, y, y.oneHot(C), m.arange(0L, (long) B), epoch, 0);
      return strategy
          .loss(new StepOutputs(array(m, s), Map.of()), new StepOutputs(array(m, t), Map.of()), ctx)
          .toType(DataType.FLOAT64, false)
          .getDouble();
    }
  }

  private static NDArray array(NDManager m, double[][] a) {
    double[] flat = new double[B * C];
    for (int i = 0; i < B; i++) {
      System.arraycopy(a[i], 0, flat, i * C, C);
    }
    return m.create(flat).reshape(B, C);
  }

  @ParameterizedTest
  @CsvSource({"1.0, 8.0, 4.0", "0.5, 2.0, 1.0", "2.0, 0.0, 2.5", "0.0, 1.0, 8.0"})
  void dkdMatchesReference(double alpha, double beta, double t) {
    double[][] s = logits(1, 2);
    double[][] te = logits(2, 4);
    double expected = ReferenceLosses.dkd(s, te, LABELS, alpha, beta, t);
    Map<String, Object> p =
        Map.of(
            "alpha",
            alpha,
            "beta",
            beta,
            "temperature",
            t,
            "warmup_epochs",
            0,
            "standardize",
            false);
    assertEquals(expected, loss(new DkdProvider(), p, s, te, 0), 1e-6 * Math.max(1, expected));
  }

  @Test
  void dkdStaysFiniteForAConfidentTeacherAndStudent() {
    // p_gt within ~1e-12 of 1: log(1 - p_gt) from log(softmax) would lose every digit in float32.
    double[][] s = logits(3, 12);
    double[][] te = logits(4, 15);
    double expected = ReferenceLosses.dkd(s, te, LABELS, 1, 8, 1);
    Map<String, Object> p =
        Map.of(
            "alpha",
            1.0,
            "beta",
            8.0,
            "temperature",
            1.0,
            "warmup_epochs",
            0,
            "standardize",
            false);
    assertEquals(expected, loss(new DkdProvider(), p, s, te, 0), 1e-4 * Math.max(1, expected));
  }

  @Test
  void dkdWarmUpRampsLinearly() {
    double[][] s = logits(5, 2);
    double[][] te = logits(6, 3);
    Map<String, Object> p =
        Map.of(
            "alpha",
            1.0,
            "beta",
            8.0,
            "temperature",
            4.0,
            "warmup_epochs",
            4,
            "standardize",
            false);
    double full = ReferenceLosses.dkd(s, te, LABELS, 1, 8, 4);
    assertEquals(full / 4, loss(new DkdProvider(), p, s, te, 0), 1e-6 * full);
    assertEquals(full * 3 / 4, loss(new DkdProvider(), p, s, te, 2), 1e-6 * full);
    assertEquals(full, loss(new DkdProvider(), p, s, te, 9), 1e-6 * full);
  }

  @ParameterizedTest
  @CsvSource({"1.0, 1.0, 1.0", "2.0, 2.0, 4.0", "0.5, 0.0, 2.0"})
  void distMatchesReference(double beta, double gamma, double tau) {
    double[][] s = logits(7, 2);
    double[][] te = logits(8, 3);
    double expected = ReferenceLosses.dist(s, te, beta, gamma, tau);
    Map<String, Object> p = Map.of("beta", beta, "gamma", gamma, "tau", tau);
    assertEquals(expected, loss(new DistProvider(), p, s, te, 0), 1e-6 * Math.max(1, expected));
  }

  @Test
  void distIsInvariantToShiftingEveryLogitOfASample() {
    // softmax is shift-invariant per row, so the relations are too.
    double[][] s = logits(9, 2);
    double[][] te = logits(10, 3);
    double[][] shifted = new double[B][];
    for (int i = 0; i < B; i++) {
      shifted[i] = s[i].clone();
      for (int c = 0; c < C; c++) {
        shifted[i][c] += 3.0 * i;
      }
    }
    Map<String, Object> p = Map.of("beta", 1.0, "gamma", 1.0, "tau", 1.0);
    assertEquals(
        loss(new DistProvider(), p, s, te, 0), loss(new DistProvider(), p, shifted, te, 0), 1e-6);
  }
}
