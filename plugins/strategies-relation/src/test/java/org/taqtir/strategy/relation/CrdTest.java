package org.taqtir.strategy.relation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.taqtir.api.BatchContext;
import org.taqtir.api.Params;
import org.taqtir.api.StepOutputs;
import org.taqtir.api.StrategyContext;

class CrdTest {

  private static Params params(double mb, int dim) {
    return new Params(
        Map.of(
            "student_layer", "a", "teacher_layer", "b", "dim", dim, "tau", 0.07, "memory_mb", mb));
  }

  @Test
  void queueSizeFollowsTheMemoryBoundAndIsReported() {
    var crd = (CrdProvider.Crd) new CrdProvider().create(params(16, 128));
    assertEquals(32768, crd.capacity());
    assertTrue(crd.toString().contains("queue K=32768 = 16.0 MB"), crd.toString());
    var small = (CrdProvider.Crd) new CrdProvider().create(params(0.01, 64));
    assertEquals(40, small.capacity(), "floor(0.01 MB / 256 B)");
    var e =
        assertThrows(
            IllegalArgumentException.class, () -> new CrdProvider().create(params(1e-6, 128)));
    assertTrue(e.getMessage().contains("holds no 128-d"), e.getMessage());
  }

  @Test
  void lossMatchesInfoNceAndTheQueueRollsAfterEachStep() {
    try (NDManager m = NDManager.newBaseManager()) {
      var crd =
          (CrdProvider.Crd) new CrdProvider().create(params(5 * 4 * 8 / (double) (1 << 20), 8));
      assertEquals(5, crd.capacity());
      crd.prepare(
          new StrategyContext(m, 3, 4, 1, Map.of("a", new Shape(6)), Map.of("b", new Shape(7))));
      NDArray fs = m.randomNormal(new Shape(4, 6));
      NDArray ft = m.randomNormal(new Shape(4, 7));
      NDArray y = m.create(new int[] {0, 1, 2, 0});
      BatchContext ctx = new BatchContext(m, y, y.oneHot(3), m.arange(0L, 4L), 0, 0);
      StepOutputs s = new StepOutputs(m.zeros(new Shape(4, 3)), Map.of("a", fs));
      StepOutputs t = new StepOutputs(m.zeros(new Shape(4, 3)), Map.of("b", ft));
      float[] q = crd.queueValues();
      double first = crd.loss(s, t, ctx).getFloat();
      // Independent InfoNCE from the heads and the queue the strategy holds.
      var p = crd.trainableParameters();
      float[] es = unit(fs.matMul(p.get(0)).add(p.get(1)));
      float[] et = unit(ft.matMul(p.get(2)).add(p.get(3)));
      double expected = 0;
      for (int i = 0; i < 4; i++) {
        double pos = dot(es, i, et, i) / 0.07;
        double z = Math.exp(pos);
        for (int k = 0; k < 5; k++) {
          z += Math.exp(dot(es, i, q, k) / 0.07);
        }
        expected += (Math.log(z) - pos) / 4;
      }
      assertEquals(expected, first, 1e-4 * expected);
      crd.afterStep();
      double second = crd.loss(s, t, ctx).getFloat();
      assertNotEquals(first, second, "the queue now holds this batch's teacher embeddings");
      crd.afterStep();
    }
  }

  @Test
  void queueAndPositionSurviveACheckpoint() {
    try (NDManager m = NDManager.newBaseManager()) {
      Params p = params(5 * 4 * 8 / (double) (1 << 20), 8);
      StrategyContext context =
          new StrategyContext(m, 3, 4, 1, Map.of("a", new Shape(6)), Map.of("b", new Shape(7)));
      var crd = (CrdProvider.Crd) new CrdProvider().create(p);
      crd.prepare(context);
      NDArray y = m.create(new int[] {0, 1, 2});
      BatchContext ctx = new BatchContext(m, y, y.oneHot(3), m.arange(0L, 3L), 0, 0);
      StepOutputs s =
          new StepOutputs(m.zeros(new Shape(3, 3)), Map.of("a", m.randomNormal(new Shape(3, 6))));
      StepOutputs t =
          new StepOutputs(m.zeros(new Shape(3, 3)), Map.of("b", m.randomNormal(new Shape(3, 7))));
      crd.loss(s, t, ctx);
      crd.afterStep(); // 3 of 5 rows replaced, write position 3
      byte[] state = crd.checkpointState();

      var resumed = (CrdProvider.Crd) new CrdProvider().create(p);
      resumed.prepare(context); // a fresh random queue
      resumed.restoreState(state);
      // the loop restores the trainable heads itself
      for (int i = 0; i < crd.trainableParameters().size(); i++) {
        resumed
            .trainableParameters()
            .get(i)
            .set(java.nio.FloatBuffer.wrap(crd.trainableParameters().get(i).toFloatArray()));
      }
      assertArrayEquals(crd.queueValues(), resumed.queueValues());
      assertArrayEquals(state, resumed.checkpointState(), "same queue, same position");
      // the next batch wraps around from position 3 in both
      crd.loss(s, t, ctx);
      crd.afterStep();
      resumed.loss(s, t, ctx);
      resumed.afterStep();
      assertArrayEquals(crd.queueValues(), resumed.queueValues());

      var other =
          (CrdProvider.Crd) new CrdProvider().create(params(5 * 4 * 16 / (double) (1 << 20), 16));
      other.prepare(context);
      var e = assertThrows(IllegalArgumentException.class, () -> other.restoreState(state));
      assertTrue(e.getMessage().contains("5 x 8"), e.getMessage());
    }
  }

  private static double dot(float[] a, int i, float[] b, int j) {
    double s = 0;
    for (int d = 0; d < 8; d++) {
      s += a[i * 8 + d] * b[j * 8 + d];
    }
    return s;
  }

  private static float[] unit(NDArray e) {
    float[] v = e.toFloatArray();
    int d = (int) e.getShape().get(1);
    for (int i = 0; i < v.length / d; i++) {
      double n = 0;
      for (int k = 0; k < d; k++) {
        n += v[i * d + k] * v[i * d + k];
      }
      for (int k = 0; k < d; k++) {
        v[i * d + k] /= (float) Math.sqrt(n);
      }
    }
    return v;
  }
}
