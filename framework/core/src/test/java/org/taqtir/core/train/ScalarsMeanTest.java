package org.taqtir.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.taqtir.api.Scalars;

/**
 * {@link Scalars#mean} replaces {@code NDArray.mean()} in the strategies' losses for speed; it must
 * not change a single bit of the loss or of the gradient that reaches the student.
 */
class ScalarsMeanTest {

  @Test
  void equalsMeanBitForBitInValueAndGradient() {
    try (NDManager m = NDManager.newBaseManager()) {
      Engine.getInstance().setRandomSeed(11);
      Scalars scalars = new Scalars(m);
      long[][] shapes = {{1}, {7}, {128, 10}, {3, 5, 7}, {113, 1200}, {64, 64, 64}};
      for (long[] dims : shapes) {
        Shape shape = new Shape(dims);
        for (int trial = 0; trial < 5; trial++) {
          NDArray a = m.randomNormal(0, 3, shape, DataType.FLOAT32);
          NDArray t = m.randomNormal(shape);
          float[] viaMean = valuesAndGradient(m, a, t, NDArray::mean);
          float[] viaScalars = valuesAndGradient(m, a, t, scalars::mean);
          assertArrayEquals(viaMean, viaScalars, "shape " + shape + ", trial " + trial);
        }
      }
    }
  }

  /**
   * Every element of reduce((a − t)²), then every element of d/da of Σ w·reduce((a − t)²) for fixed
   * random weights w (so the gradient reaching the mean is not uniform).
   */
  private static float[] valuesAndGradient(
      NDManager m, NDArray a0, NDArray t, Function<NDArray, NDArray> reduce) {
    try (NDManager s = m.newSubManager()) {
      NDArray a = a0.duplicate();
      a.attach(s);
      a.setRequiresGradient(true);
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        NDArray reduced = reduce.apply(a.sub(t).square());
        // From a local generator: reseeding the engine here would make every later trial draw
        // the same a and t.
        Random random = new Random(5);
        float[] weights = new float[Math.toIntExact(reduced.size())];
        for (int i = 0; i < weights.length; i++) {
          weights[i] = (float) random.nextGaussian();
        }
        NDArray w = s.create(weights, reduced.getShape());
        gc.backward(reduced.mul(w).sum());
        float[] v = reduced.toFloatArray();
        float[] g = a.getGradient().toFloatArray();
        float[] out = new float[v.length + g.length];
        System.arraycopy(v, 0, out, 0, v.length);
        System.arraycopy(g, 0, out, v.length, g.length);
        return out;
      }
    }
  }

  @Test
  void axisMeanEqualsMeanOverThatAxisBitForBit() {
    try (NDManager m = NDManager.newBaseManager()) {
      Engine.getInstance().setRandomSeed(12);
      Scalars scalars = new Scalars(m);
      long[][] shapes = {{5, 3}, {7, 7, 9, 9}, {128, 24, 7, 7}};
      for (long[] dims : shapes) {
        Shape shape = new Shape(dims);
        for (int axis = 0; axis < 2; axis++) {
          int ax = axis;
          NDArray a = m.randomNormal(0, 3, shape, DataType.FLOAT32);
          NDArray t = m.randomNormal(shape);
          float[] viaMean = valuesAndGradient(m, a, t, x -> x.mean(new int[] {ax}));
          float[] viaScalars = valuesAndGradient(m, a, t, x -> scalars.mean(x, ax));
          assertArrayEquals(viaMean, viaScalars, "shape " + shape + ", axis " + axis);
        }
      }
    }
  }

  @Test
  void isTheArithmeticMean() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x = m.create(new float[] {1, 2, 3, 4, 5, 6}, new Shape(2, 3));
      assertEquals(3.5f, new Scalars(m).mean(x).toFloatArray()[0]);
      assertEquals(0, new Scalars(m).mean(x).getShape().dimension());
      assertArrayEquals(new float[] {2.5f, 3.5f, 4.5f}, new Scalars(m).mean(x, 0).toFloatArray());
    }
  }
}
