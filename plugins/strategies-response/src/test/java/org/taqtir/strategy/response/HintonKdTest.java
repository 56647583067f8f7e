package org.taqtir.strategy.response;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.taqtir.api.BatchContext;
import org.taqtir.api.DistillationStrategy;
import org.taqtir.api.Params;
import org.taqtir.api.StepOutputs;
import org.taqtir.api.StrategyContext;

class HintonKdTest {

  private static final int B = 6;
  private static final int C = 5;

  private NDManager manager;

  @BeforeEach
  void open() {
    manager = NDManager.newBaseManager();
  }

  @AfterEach
  void close() {
    manager.close();
  }

  private static double[][] randomLogits(long seed, double scale) {
    Random r = new Random(seed);
    double[][] a = new double[B][C];
    for (double[] row : a) {
      for (int c = 0; c < C; c++) {
        row[c] = scale * r.nextGaussian();
      }
    }
    return a;
  }

  private static int[] labels() {
    return new int[] {0, 3, 4, 1, 2, 3};
  }

  private DistillationStrategy kd(double t, double alpha) {
    DistillationStrategy s =
        new HintonKdProvider()
            .create(new Params(Map.of("temperature", t, "alpha", alpha, "standardize", false)));
    s.prepare(new StrategyContext(manager, C, B, 1));
    return s;
  }

  private BatchContext batch(int[] labels) {
    NDArray y = manager.create(labels);
    return new BatchContext(manager, y, y.oneHot(C), manager.arange(labels.length), 0, 0);
  }

  private NDArray array(double[][] a, DataType type) {
    double[] flat = new double[a.length * C];
    for (int i = 0; i < a.length; i++) {
      System.arraycopy(a[i], 0, flat, i * C, C);
    }
    return manager.create(flat).reshape(a.length, C).toType(type, false);
  }

  private double loss(DistillationStrategy s, double[][] st, double[][] te, int[] y) {
    NDArray out =
        s.loss(
            new StepOutputs(array(st, DataType.FLOAT64), Map.of()),
            new StepOutputs(array(te, DataType.FLOAT64), Map.of()),
            batch(y));
    return out.toType(DataType.FLOAT64, false).getDouble();
  }

  @ParameterizedTest
  @CsvSource({"1.0, 1.0", "4.0, 0.9", "2.5, 0.0", "8.0, 0.5", "0.5, 0.3"})
  void matchesIndependentGoldenValues(double t, double alpha) {
    double[][] s = randomLogits(1, 3);
    double[][] te = randomLogits(2, 5);
    double expected = ReferenceLosses.hintonKd(s, te, labels(), t, alpha);
    assertEquals(expected, loss(kd(t, alpha), s, te, labels()), 1e-6 * Math.max(1, expected));
  }

  @Test
  void hardCodedGoldenValue() {
    // One sample, two classes, T=2, α=1: p = softmax([2,0]/2) = [e/(e+1), 1/(e+1)],
    // q = softmax([0,0]/2) = [1/2, 1/2]; loss = T²·Σ p·log(p/q).
    double e = Math.E;
    double p0 = e / (e + 1);
    double p1 = 1 / (e + 1);
    double expected = 4 * (p0 * Math.log(2 * p0) + p1 * Math.log(2 * p1));
    NDManager m = manager;
    DistillationStrategy s =
        new HintonKdProvider()
            .create(new Params(Map.of("temperature", 2.0, "alpha", 1.0, "standardize", false)));
    s.prepare(new StrategyContext(m, 2, 1, 1));
    NDArray y = m.create(new int[] {0});
    double got =
        s.loss(
                new StepOutputs(m.create(new float[] {0, 0}).reshape(1, 2), Map.of()),
                new StepOutputs(m.create(new float[] {2, 0}).reshape(1, 2), Map.of()),
                new BatchContext(m, y, y.oneHot(2), m.arange(1), 0, 0))
            .getFloat();
    assertEquals(expected, got, 1e-6);
    assertEquals(0.44378, expected, 1e-4, "sanity of the hand computation");
  }

  @Test
  void standardizedKdMatchesReferenceAndIgnoresEachSamplesLogitScaleAndShift() {
    double[][] s = randomLogits(12, 3);
    double[][] te = randomLogits(13, 5);
    double[][] zs = zscore(s);
    double[][] zt = zscore(te);
    DistillationStrategy k =
        new HintonKdProvider()
            .create(new Params(Map.of("temperature", 2.0, "alpha", 1.0, "standardize", true)));
    k.prepare(new StrategyContext(manager, C, B, 1));
    double expected = ReferenceLosses.hintonKd(zs, zt, labels(), 2, 1);
    assertEquals(expected, loss(k, s, te, labels()), 1e-6 * Math.max(1, expected));
    double[][] moved = new double[B][C];
    for (int i = 0; i < B; i++) {
      for (int c = 0; c < C; c++) {
        moved[i][c] = (i + 2) * s[i][c] - 7 * i;
      }
    }
    assertEquals(loss(k, s, te, labels()), loss(k, moved, te, labels()), 1e-5);
  }

  private static double[][] zscore(double[][] a) {
    double[][] z = new double[a.length][];
    for (int i = 0; i < a.length; i++) {
      double mean = 0;
      for (double v : a[i]) {
        mean += v / a[i].length;
      }
      double ss = 0;
      for (double v : a[i]) {
        ss += (v - mean) * (v - mean);
      }
      double std = Math.sqrt(ss / (a[i].length - 1));
      z[i] = new double[a[i].length];
      for (int c = 0; c < a[i].length; c++) {
        z[i][c] = (a[i][c] - mean) / (std + 1e-7);
      }
    }
    return z;
  }

  @Test
  void zeroWhenStudentEqualsTeacherAndNoLabelTerm() {
    double[][] s = randomLogits(3, 4);
    assertEquals(0, loss(kd(4, 1), s, s, labels()), 1e-9);
  }

  @Test
  void batchMeanNotSumNorMeanOverClasses() {
    double[][] s = randomLogits(4, 2);
    double[][] t = randomLogits(5, 2);
    double[][] s2 = new double[2 * B][];
    double[][] t2 = new double[2 * B][];
    int[] y2 = new int[2 * B];
    for (int i = 0; i < 2 * B; i++) {
      s2[i] = s[i % B];
      t2[i] = t[i % B];
      y2[i] = labels()[i % B];
    }
    DistillationStrategy k = kd(4, 0.9);
    assertEquals(loss(k, s, t, labels()), loss(k, s2, t2, y2), 1e-9);
  }

  @Test
  void temperatureSquaredScaling() {
    // For large T, T²·KL(T) tends to (1/2C)·Σ((s-mean s) - (t-mean t))² per sample: the T² keeps
    // the soft term's magnitude independent of T. Without T² the loss would shrink like 1/T².
    double[][] s = randomLogits(6, 1);
    double[][] t = randomLogits(7, 1);
    double at20 = loss(kd(20, 1), s, t, labels());
    double at40 = loss(kd(40, 1), s, t, labels());
    assertEquals(at20, at40, 0.01 * at20);
    double limit = 0;
    for (int i = 0; i < B; i++) {
      double ms = 0;
      double mt = 0;
      for (int c = 0; c < C; c++) {
        ms += s[i][c] / C;
        mt += t[i][c] / C;
      }
      for (int c = 0; c < C; c++) {
        double d = (s[i][c] - ms) - (t[i][c] - mt);
        limit += d * d / (2 * C);
      }
    }
    assertEquals(limit / B, at40, 0.01 * limit / B);
  }

  @Test
  void gradientMatchesFiniteDifferencesAndReachesOnlyTheStudent() {
    double t = 3;
    double alpha = 0.7;
    double[][] s = randomLogits(8, 2);
    double[][] te = randomLogits(9, 3);
    DistillationStrategy k = kd(t, alpha);
    NDArray student = array(s, DataType.FLOAT64);
    NDArray teacher = array(te, DataType.FLOAT64);
    student.setRequiresGradient(true);
    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
      NDArray l =
          k.loss(
              new StepOutputs(student, Map.of()),
              new StepOutputs(teacher, Map.of()),
              batch(labels()));
      gc.backward(l);
    }
    double[] grad = student.getGradient().toType(DataType.FLOAT64, false).toDoubleArray();
    assertFalse(teacher.hasGradient(), "teacher logits must never require gradients");
    double h = 1e-6;
    for (int i = 0; i < B; i++) {
      for (int c = 0; c < C; c++) {
        double[][] plus = copy(s);
        double[][] minus = copy(s);
        plus[i][c] += h;
        minus[i][c] -= h;
        double numeric =
            (ReferenceLosses.hintonKd(plus, te, labels(), t, alpha)
                    - ReferenceLosses.hintonKd(minus, te, labels(), t, alpha))
                / (2 * h);
        assertEquals(numeric, grad[i * C + c], 1e-6, "d loss / d s[" + i + "][" + c + "]");
      }
    }
    // Analytic form: α·T·(q_T − p_T)/B + (1−α)·(softmax(s) − y)/B.
    double[] q = ReferenceLosses.softmax(s[0], t);
    double[] p = ReferenceLosses.softmax(te[0], t);
    double[] q1 = ReferenceLosses.softmax(s[0], 1);
    double analytic = alpha * t * (q[0] - p[0]) / B + (1 - alpha) * (q1[0] - 1) / B;
    assertEquals(analytic, grad[0], 1e-6);
  }

  @Test
  void gradientIsBitwiseStableUnderGarbageCollection() {
    // DJL frees the temporary scalar of NDArray.op(Number) right away while autograd still needs
    // it; a GC between forward and backward then corrupts the gradient. Our constants are owned
    // NDArrays, so forcing GCs there must change nothing.
    double[][] s = randomLogits(10, 2);
    double[][] te = randomLogits(11, 3);
    float[] clean = gradient(s, te, false);
    for (int round = 0; round < 20; round++) {
      assertArrayEquals(clean, gradient(s, te, true), "round " + round);
    }
    for (float g : clean) {
      assertTrue(Float.isFinite(g));
    }
  }

  private float[] gradient(double[][] s, double[][] te, boolean gc) {
    try (NDManager m = manager.newSubManager()) {
      DistillationStrategy k =
          new HintonKdProvider()
              .create(new Params(Map.of("temperature", 4.0, "alpha", 0.9, "standardize", false)));
      k.prepare(new StrategyContext(m, C, B, 1));
      NDArray student = array(s, DataType.FLOAT32);
      student.attach(m);
      NDArray teacher = array(te, DataType.FLOAT32);
      teacher.attach(m);
      student.setRequiresGradient(true);
      NDArray y = m.create(labels());
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        NDArray l =
            k.loss(
                new StepOutputs(student, Map.of()),
                new StepOutputs(teacher, Map.of()),
                new BatchContext(m, y, y.oneHot(C), m.arange(B), 0, 0));
        if (gc) {
          for (int i = 0; i < 3; i++) {
            System.gc();
          }
        }
        collector.backward(l);
      }
      return student.getGradient().toFloatArray();
    }
  }

  private static double[][] copy(double[][] a) {
    double[][] c = new double[a.length][];
    for (int i = 0; i < a.length; i++) {
      c[i] = a[i].clone();
    }
    return c;
  }
}
