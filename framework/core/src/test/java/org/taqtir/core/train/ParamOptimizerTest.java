package org.taqtir.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.taqtir.core.config.OptimizerConfig;

/**
 * The optimiser against PyTorch's update rules written out in double precision, on the loss L(w) =
 * Σ c_i · w_i² (gradient 2·c_i·w_i), several steps, with a learning-rate change midway.
 */
class ParamOptimizerTest {

  private static final float[] W0 = {1.0f, -2.0f, 0.5f};
  private static final double[] C = {0.5, 1.5, 3.0};

  private static float[] run(OptimizerConfig config, int steps) {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray w = m.create(W0.clone());
      w.setRequiresGradient(true);
      NDArray c = m.create(new float[] {(float) C[0], (float) C[1], (float) C[2]});
      ParamOptimizer opt = new ParamOptimizer(config, List.of(w), m, NativeOps.forEngine());
      for (int t = 0; t < steps; t++) {
        if (t == 3) {
          opt.setLearningRate(config.lr() / 2);
        }
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
          gc.backward(w.square().mul(c).sum());
        }
        opt.step();
      }
      float[] out = w.toFloatArray();
      float[] grad = w.getGradient().toFloatArray();
      assertArrayEquals(new float[3], grad, "gradients are zeroed after each step");
      return out;
    }
  }

  @Test
  void stepsOnAThreadThatNeverSetTheGradModeAsOnTheMainThread() throws Exception {
    OptimizerConfig sgd = OptimizerConfig.sgd(0.1, 0.9, 0);
    float[] here = run(sgd, 4);
    float[][] there = new float[1][];
    Throwable[] failure = new Throwable[1];
    // libtorch's grad mode is thread-local and "enabled" on a fresh thread (a notebook cell's)
    Thread t =
        new Thread(
            () -> {
              try {
                there[0] = run(sgd, 4);
              } catch (Throwable e) {
                failure[0] = e;
              }
            });
    t.start();
    t.join();
    if (failure[0] != null) {
      throw new AssertionError("the optimiser failed on a fresh thread", failure[0]);
    }
    assertArrayEquals(here, there[0]);
  }

  @Test
  void sgdWithMomentumAndWeightDecayFollowsTorch() {
    double lr = 0.1;
    double mu = 0.9;
    double wd = 0.01;
    double[] w = {W0[0], W0[1], W0[2]};
    double[] buf = new double[3];
    for (int t = 0; t < 6; t++) {
      double rate = t >= 3 ? lr / 2 : lr;
      for (int i = 0; i < 3; i++) {
        double g = 2 * C[i] * w[i] + wd * w[i];
        buf[i] = mu * buf[i] + g; // torch.optim.SGD (dampening 0, no Nesterov)
        w[i] -= rate * buf[i];
      }
    }
    float[] got = run(OptimizerConfig.sgd(lr, mu, wd), 6);
    for (int i = 0; i < 3; i++) {
      assertEquals(w[i], got[i], 1e-5);
    }
  }

  @Test
  void adamFollowsTorch() {
    double lr = 0.05;
    double b1 = 0.9;
    double b2 = 0.999;
    double eps = 1e-8;
    double[] w = {W0[0], W0[1], W0[2]};
    double[] m = new double[3];
    double[] v = new double[3];
    for (int t = 1; t <= 6; t++) {
      double rate = t > 3 ? lr / 2 : lr;
      for (int i = 0; i < 3; i++) {
        double g = 2 * C[i] * w[i];
        m[i] = b1 * m[i] + (1 - b1) * g;
        v[i] = b2 * v[i] + (1 - b2) * g * g;
        double mhat = m[i] / (1 - Math.pow(b1, t));
        double vhat = v[i] / (1 - Math.pow(b2, t));
        w[i] -= rate * mhat / (Math.sqrt(vhat) + eps);
      }
    }
    float[] got = run(OptimizerConfig.adam(lr, b1, b2, eps, 0), 6);
    for (int i = 0; i < 3; i++) {
      assertEquals(w[i], got[i], 1e-5);
    }
  }

  /**
   * A parameter no backward pass has reached yet (of a loss term that starts in a later epoch) has
   * no gradient: it is left alone, then updated from the first step after a backward reaches it.
   */
  @Test
  void aParameterWithoutGradientYetIsSkippedThenUpdated() {
    for (OptimizerConfig config :
        List.of(OptimizerConfig.sgd(0.5, 0.9, 0), OptimizerConfig.adam(0.5, 0.9, 0.999, 1e-8, 0))) {
      try (NDManager m = NDManager.newBaseManager()) {
        NDArray a = m.create(new float[] {1f, 2f});
        NDArray b = m.create(new float[] {3f, 4f});
        a.setRequiresGradient(true);
        b.setRequiresGradient(true);
        ParamOptimizer opt = new ParamOptimizer(config, List.of(a, b), m, NativeOps.forEngine());
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
          gc.backward(a.sum());
        }
        opt.step();
        assertArrayEquals(new float[] {0.5f, 1.5f}, a.toFloatArray(), 1e-6f, config.type());
        assertArrayEquals(new float[] {3f, 4f}, b.toFloatArray(), "no gradient yet: unchanged");
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
          gc.backward(a.sum().add(b.sum()));
        }
        opt.step();
        float[] after = b.toFloatArray();
        assertTrue(
            after[0] < 3f && after[1] < 4f,
            config.type() + ": updated once it has a gradient, got " + Arrays.toString(after));
      }
    }
  }

  /**
   * Adam counts steps per parameter, as torch.optim.Adam's state['step']: a parameter whose first
   * gradient arrives at the third step gets the full first-step update (lr · sign of its gradient).
   */
  @Test
  void adamCountsTheStepsOfEachParameter() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray a = m.create(new float[] {1f});
      NDArray b = m.create(new float[] {3f});
      a.setRequiresGradient(true);
      b.setRequiresGradient(true);
      ParamOptimizer opt =
          new ParamOptimizer(
              OptimizerConfig.adam(0.1, 0.9, 0.999, 1e-8, 0),
              List.of(a, b),
              m,
              NativeOps.forEngine());
      for (int t = 0; t < 3; t++) {
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
          gc.backward(t < 2 ? a.sum() : a.sum().add(b.mul(m.create(2f)).sum()));
        }
        opt.step();
      }
      // first Adam step: m = 0.1 g, v = 0.001 g^2, m/(1-0.9) / sqrt(v/(1-0.999)) = 1 -> b -= 0.1
      assertEquals(2.9f, b.toFloatArray()[0], 1e-5f);
    }
  }
}
