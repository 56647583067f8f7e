package org.taqtir.strategy.feature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.taqtir.api.BatchContext;
import org.taqtir.api.DistillationStrategy;
import org.taqtir.api.Params;
import org.taqtir.api.StepOutputs;
import org.taqtir.api.StrategyContext;

/** FitNets and PKT against loops written from the papers' formulas in double precision. */
class FeatureLossesTest {

  private static final int B = 5;

  private static double[][] features(long seed, int width) {
    Random r = new Random(seed);
    double[][] f = new double[B][width];
    for (double[] row : f) {
      for (int j = 0; j < width; j++) {
        row[j] = r.nextGaussian();
      }
    }
    return f;
  }

  private static NDArray array(NDManager m, double[][] a) {
    int w = a[0].length;
    double[] flat = new double[B * w];
    for (int i = 0; i < B; i++) {
      System.arraycopy(a[i], 0, flat, i * w, w);
    }
    return m.create(flat).reshape(B, w).toType(DataType.FLOAT32, false);
  }

  private static BatchContext batch(NDManager m) {
    NDArray y = m.create(new int[] {0, 1, 2, 0, 1});
    return new BatchContext(m, y, y.oneHot(3), m.arange(0L, (long) B), 0, 0);
  }

  private static StepOutputs outputs(NDManager m, String tap, double[][] f) {
    return new StepOutputs(m.zeros(new Shape(B, 3)), Map.of(tap, array(m, f)));
  }

  @Test
  void fitnetsIsTheMseOfTheLinearlyMappedStudentFeature() {
    double[][] s = features(1, 4);
    double[][] t = features(2, 3);
    double[] w = new double[4 * 3];
    double[] b = {0.1, -0.2, 0.3};
    for (int i = 0; i < w.length; i++) {
      w[i] = 0.05 * (i - 6);
    }
    double expected = 0;
    for (int i = 0; i < B; i++) {
      for (int j = 0; j < 3; j++) {
        double r = b[j];
        for (int k = 0; k < 4; k++) {
          r += s[i][k] * w[k * 3 + j];
        }
        expected += (r - t[i][j]) * (r - t[i][j]) / (B * 3);
      }
    }
    try (NDManager m = NDManager.newBaseManager()) {
      DistillationStrategy f =
          new FitNetsProvider()
              .create(
                  new Params(
                      Map.of("student_layer", "a", "teacher_layer", "b", "regressor", "linear")));
      f.prepare(
          new StrategyContext(m, 3, B, 1, Map.of("a", new Shape(4)), Map.of("b", new Shape(3))));
      f.trainableParameters().get(0).set(toFloat(w));
      f.trainableParameters().get(1).set(toFloat(b));
      double got = f.loss(outputs(m, "a", s), outputs(m, "b", t), batch(m)).getFloat();
      assertEquals(expected, got, 1e-5 * expected);
    }
  }

  @Test
  void fitnetsWithoutRegressorRefusesMismatchedWidthsBeforeTraining() {
    try (NDManager m = NDManager.newBaseManager()) {
      DistillationStrategy f =
          new FitNetsProvider()
              .create(
                  new Params(
                      Map.of(
                          "student_layer",
                          "hidden1",
                          "teacher_layer",
                          "hidden2",
                          "regressor",
                          "none")));
      var e =
          assertThrows(
              IllegalArgumentException.class,
              () ->
                  f.prepare(
                      new StrategyContext(
                          m,
                          10,
                          8,
                          1,
                          Map.of("hidden1", new Shape(128)),
                          Map.of("hidden2", new Shape(1200)))));
      assertTrue(
          e.getMessage().contains("hidden1 (128) and teacher tap hidden2 (1200)"), e.getMessage());
    }
  }

  @Test
  void pktMatchesReference() {
    double[][] s = features(3, 6);
    double[][] t = features(4, 9);
    double[][] p = conditional(t);
    double[][] q = conditional(s);
    double expected = 0;
    for (int i = 0; i < B; i++) {
      for (int j = 0; j < B; j++) {
        expected += p[i][j] * Math.log((p[i][j] + 1e-7) / (q[i][j] + 1e-7)) / (B * B);
      }
    }
    try (NDManager m = NDManager.newBaseManager()) {
      DistillationStrategy k =
          new PktProvider().create(new Params(Map.of("student_layer", "a", "teacher_layer", "b")));
      k.prepare(new StrategyContext(m, 3, B, 1));
      double got = k.loss(outputs(m, "a", s), outputs(m, "b", t), batch(m)).getFloat();
      assertEquals(expected, got, 1e-5 * Math.max(1e-3, expected));
      assertTrue(expected > 0);
    }
  }

  @Test
  void vidIsTheGaussianNllUnderTheInitialVariance() {
    double[][] s = features(5, 3);
    double[][] t = features(6, 2);
    try (NDManager m = NDManager.newBaseManager()) {
      DistillationStrategy v =
          new VidProvider()
              .create(
                  new Params(
                      Map.of("student_layer", "a", "teacher_layer", "b", "init_variance", 2.0)));
      v.prepare(
          new StrategyContext(m, 3, B, 1, Map.of("a", new Shape(3)), Map.of("b", new Shape(2))));
      double[] w = {0.5, -0.25, 0.1, 0.3, -0.4, 0.2};
      v.trainableParameters().get(0).set(toFloat(w));
      double expected = 0;
      for (int i = 0; i < B; i++) {
        for (int j = 0; j < 2; j++) {
          double mu = 0;
          for (int k = 0; k < 3; k++) {
            mu += s[i][k] * w[k * 2 + j];
          }
          // σ² = 2.0 exactly by construction of α
          expected += 0.5 * ((t[i][j] - mu) * (t[i][j] - mu) / 2.0 + Math.log(2.0)) / (B * 2);
        }
      }
      double got = v.loss(outputs(m, "a", s), outputs(m, "b", t), batch(m)).getFloat();
      assertEquals(expected, got, 1e-5 * Math.abs(expected));
    }
  }

  /** Row-normalised (cos + 1) / 2 kernel over the batch. */
  private static double[][] conditional(double[][] f) {
    double[][] k = new double[B][B];
    for (int i = 0; i < B; i++) {
      double rowSum = 0;
      for (int j = 0; j < B; j++) {
        double dot = 0;
        double ni = 0;
        double nj = 0;
        for (int d = 0; d < f[i].length; d++) {
          dot += f[i][d] * f[j][d];
          ni += f[i][d] * f[i][d];
          nj += f[j][d] * f[j][d];
        }
        k[i][j] = (dot / ((Math.sqrt(ni) + 1e-7) * (Math.sqrt(nj) + 1e-7)) + 1) / 2;
        rowSum += k[i][j];
      }
      for (int j = 0; j < B; j++) {
        k[i][j] /= rowSum;
      }
    }
    return k;
  }

  private static float[] toFloat(double[] a) {
    float[] f = new float[a.length];
    for (int i = 0; i < a.length; i++) {
      f[i] = (float) a[i];
    }
    return f;
  }
}
