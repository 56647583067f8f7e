package org.taqtir.strategy.response;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.taqtir.api.BatchContext;
import org.taqtir.api.DistillationStrategy;
import org.taqtir.api.Params;
import org.taqtir.api.StepOutputs;
import org.taqtir.api.StrategyContext;

class NkdTest {

  private static final int B = 5;
  private static final int C = 4;
  private static final int[] Y = {3, 0, 1, 1, 2};

  /** −1/B Σ [ t_g·log y_g + γλ² Σ_{c≠g} T̂_c log Ŝ_c ], written from the paper's formula. */
  private static double reference(double[][] s, double[][] t, double gamma, double lambda) {
    double total = 0;
    for (int i = 0; i < B; i++) {
      int g = Y[i];
      double[] y = ReferenceLosses.softmax(s[i], 1);
      double[] p = ReferenceLosses.softmax(t[i], 1);
      double[] sn = new double[C - 1];
      double[] tn = new double[C - 1];
      for (int c = 0, j = 0; c < C; c++) {
        if (c != g) {
          sn[j] = s[i][c];
          tn[j++] = t[i][c];
        }
      }
      double[] shat = ReferenceLosses.softmax(sn, lambda);
      double[] that = ReferenceLosses.softmax(tn, lambda);
      double nonTarget = 0;
      for (int j = 0; j < C - 1; j++) {
        nonTarget += that[j] * Math.log(shat[j]);
      }
      total += p[g] * Math.log(y[g]) + gamma * lambda * lambda * nonTarget;
    }
    return -total / B;
  }

  @ParameterizedTest
  @CsvSource({"1.5, 1.0", "1.0, 2.0", "0.0, 1.0"})
  void matchesReference(double gamma, double lambda) {
    Random r = new Random(4);
    double[][] s = new double[B][C];
    double[][] t = new double[B][C];
    double[] flatS = new double[B * C];
    double[] flatT = new double[B * C];
    for (int i = 0; i < B; i++) {
      for (int c = 0; c < C; c++) {
        s[i][c] = 2 * r.nextGaussian();
        t[i][c] = 3 * r.nextGaussian();
        flatS[i * C + c] = s[i][c];
        flatT[i * C + c] = t[i][c];
      }
    }
    try (NDManager m = NDManager.newBaseManager()) {
      DistillationStrategy k =
          new NkdProvider().create(new Params(Map.of("gamma", gamma, "temperature", lambda)));
      k.prepare(new StrategyContext(m, C, B, 1));
      NDArray y = m.create(Y);
      double got =
          k.loss(
                  new StepOutputs(m.create(flatS).reshape(B, C), Map.of()),
                  new StepOutputs(m.create(flatT).reshape(B, C), Map.of()),
                  new BatchContext(m, y, y.oneHot(C), m.arange(0L, (long) B), 0, 0))
              .toType(DataType.FLOAT64, false)
              .getDouble();
      double expected = reference(s, t, gamma, lambda);
      assertEquals(expected, got, 1e-6 * Math.max(1, Math.abs(expected)));
    }
  }
}
