package org.taqtir.strategy.relation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.taqtir.api.BatchContext;
import org.taqtir.api.DistillationStrategy;
import org.taqtir.api.Params;
import org.taqtir.api.StepOutputs;
import org.taqtir.api.StrategyContext;
import org.taqtir.api.StrategyProvider;

/**
 * SP and RKD against naive double-precision loops written from the papers (RKD's angles from
 * explicit difference vectors, not the Gram-matrix identity the implementation uses).
 */
class RelationLossesTest {

  private static final int B = 6;

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

  private static double loss(
      StrategyProvider p, Map<String, Object> params, double[][] s, double[][] t) {
    try (NDManager m = NDManager.newBaseManager()) {
      Map<String, Object> all = new HashMap<>(params);
      all.put("student_layer", "a");
      all.put("teacher_layer", "b");
      Params resolved = p.params().defaults();
      Map<String, Object> values = new HashMap<>(resolved.values());
      values.putAll(all);
      DistillationStrategy k = p.create(new Params(values));
      k.prepare(new StrategyContext(m, 3, B, 1));
      NDArray y = m.create(new int[B]);
      BatchContext ctx = new BatchContext(m, y, y.oneHot(3), m.arange(0L, (long) B), 0, 0);
      return k.loss(out(m, "a", s), out(m, "b", t), ctx).getFloat();
    }
  }

  private static StepOutputs out(NDManager m, String tap, double[][] f) {
    int w = f[0].length;
    double[] flat = new double[B * w];
    for (int i = 0; i < B; i++) {
      System.arraycopy(f[i], 0, flat, i * w, w);
    }
    return new StepOutputs(
        m.zeros(new Shape(B, 3)),
        Map.of(
            tap,
            m.create(flat).reshape(B, w).toType(ai.djl.ndarray.types.DataType.FLOAT32, false)));
  }

  private static double[][] spMatrix(double[][] f) {
    double[][] g = new double[B][B];
    for (int i = 0; i < B; i++) {
      double norm = 0;
      for (int j = 0; j < B; j++) {
        for (int d = 0; d < f[i].length; d++) {
          g[i][j] += f[i][d] * f[j][d];
        }
        norm += g[i][j] * g[i][j];
      }
      for (int j = 0; j < B; j++) {
        g[i][j] /= Math.sqrt(norm);
      }
    }
    return g;
  }

  @Test
  void spMatchesReference() {
    double[][] s = features(1, 4);
    double[][] t = features(2, 9);
    double[][] gs = spMatrix(s);
    double[][] gt = spMatrix(t);
    double expected = 0;
    for (int i = 0; i < B; i++) {
      for (int j = 0; j < B; j++) {
        expected += (gt[i][j] - gs[i][j]) * (gt[i][j] - gs[i][j]) / (B * B);
      }
    }
    assertEquals(expected, loss(new SpProvider(), Map.of(), s, t), 1e-5 * expected);
  }

  @Test
  void ccMatchesTheRbfKernelComputedDirectly() {
    double[][] s = features(7, 4);
    double[][] t = features(8, 10);
    double[][] cs = rbf(s, 0.4);
    double[][] ct = rbf(t, 0.4);
    double expected = 0;
    for (int i = 0; i < B; i++) {
      for (int j = 0; j < B; j++) {
        expected += (ct[i][j] - cs[i][j]) * (ct[i][j] - cs[i][j]) / (B * B);
      }
    }
    assertEquals(expected, loss(new CcProvider(), Map.of("gamma", 0.4), s, t), 1e-5 * expected);
  }

  private static double[][] rbf(double[][] f, double gamma) {
    double[][] unit = new double[B][];
    for (int i = 0; i < B; i++) {
      double n = 0;
      for (double v : f[i]) {
        n += v * v;
      }
      unit[i] = new double[f[i].length];
      for (int d = 0; d < f[i].length; d++) {
        unit[i][d] = f[i][d] / Math.sqrt(n);
      }
    }
    double[][] c = new double[B][B];
    for (int i = 0; i < B; i++) {
      for (int j = 0; j < B; j++) {
        double d2 = 0;
        for (int d = 0; d < f[i].length; d++) {
          d2 += (unit[i][d] - unit[j][d]) * (unit[i][d] - unit[j][d]);
        }
        c[i][j] = Math.exp(-gamma * d2);
      }
    }
    return c;
  }

  private static double huber(double x) {
    double a = Math.abs(x);
    return a < 1 ? 0.5 * a * a : a - 0.5;
  }

  private static double[][] distances(double[][] e) {
    double[][] d = new double[B][B];
    double sum = 0;
    for (int i = 0; i < B; i++) {
      for (int j = 0; j < B; j++) {
        double s = 0;
        for (int k = 0; k < e[i].length; k++) {
          s += (e[i][k] - e[j][k]) * (e[i][k] - e[j][k]);
        }
        d[i][j] = Math.sqrt(s);
        sum += d[i][j];
      }
    }
    double mean = sum / (B * (B - 1));
    for (double[] row : d) {
      for (int j = 0; j < B; j++) {
        row[j] /= mean;
      }
    }
    return d;
  }

  private static double angle(double[][] e, int i, int j, int k) {
    int w = e[0].length;
    double[] a = new double[w];
    double[] b = new double[w];
    double na = 0;
    double nb = 0;
    for (int d = 0; d < w; d++) {
      a[d] = e[j][d] - e[i][d];
      b[d] = e[k][d] - e[i][d];
      na += a[d] * a[d];
      nb += b[d] * b[d];
    }
    if (na == 0 || nb == 0) {
      return 0;
    }
    double dot = 0;
    for (int d = 0; d < w; d++) {
      dot += a[d] * b[d];
    }
    return dot / Math.sqrt(na * nb);
  }

  private static double rkdReference(double[][] s, double[][] t, double wd, double wa) {
    double[][] ds = distances(s);
    double[][] dt = distances(t);
    double dist = 0;
    double ang = 0;
    for (int i = 0; i < B; i++) {
      for (int j = 0; j < B; j++) {
        dist += huber(ds[i][j] - dt[i][j]) / (B * B);
        for (int k = 0; k < B; k++) {
          ang += huber(angle(s, i, j, k) - angle(t, i, j, k)) / (B * B * B);
        }
      }
    }
    return wd * dist + wa * ang;
  }

  @Test
  void rkdMatchesTheNaiveDifferenceVectorComputation() {
    double[][] s = features(3, 5);
    double[][] t = features(4, 12);
    double distanceOnly = rkdReference(s, t, 1, 0);
    assertEquals(
        distanceOnly,
        loss(new RkdProvider(), Map.of("distance_weight", 1.0, "angle_weight", 0.0), s, t),
        1e-4 * distanceOnly);
    double angleOnly = rkdReference(s, t, 0, 1);
    assertEquals(
        angleOnly,
        loss(new RkdProvider(), Map.of("distance_weight", 0.0, "angle_weight", 1.0), s, t),
        1e-4 * angleOnly);
    double expected = rkdReference(s, t, 25, 50);
    assertEquals(expected, loss(new RkdProvider(), Map.of(), s, t), 1e-4 * expected);
  }

  @Test
  void rkdIsInvariantToScalingAndTranslatingTheEmbeddings() {
    double[][] s = features(5, 4);
    double[][] t = features(6, 7);
    double[][] moved = new double[B][4];
    for (int i = 0; i < B; i++) {
      for (int d = 0; d < 4; d++) {
        moved[i][d] = 3 * s[i][d] + 1.5;
      }
    }
    assertEquals(
        loss(new RkdProvider(), Map.of(), s, t), loss(new RkdProvider(), Map.of(), moved, t), 1e-3);
  }

  @Test
  void rkdRefusesAnOversizedBatchBeforeTraining() {
    try (NDManager m = NDManager.newBaseManager()) {
      DistillationStrategy k = new RkdProvider().create(new RkdProvider().params().defaults());
      var e =
          assertThrows(
              IllegalArgumentException.class, () -> k.prepare(new StrategyContext(m, 10, 1024, 1)));
      assertTrue(e.getMessage().contains("batch_size 1024 exceeds max_batch 512"), e.getMessage());
    }
  }
}
