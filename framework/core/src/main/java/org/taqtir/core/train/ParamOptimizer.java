package org.taqtir.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.taqtir.core.config.OptimizerConfig;

/**
 * In-place SGD-with-momentum and Adam updates over a fixed list of parameters, following PyTorch's
 * update rules ({@code torch.optim.SGD}, {@code torch.optim.Adam} with L2 weight decay).
 *
 * <p>Why not DJL's {@code Trainer.step()}: on this machine its optimiser path cost ~5 ms/step for a
 * 2.4 M-parameter model (gradient duplication, separate update kernels, a scan of every managed
 * array to zero gradients); updating each parameter in place with cached gradient handles removes
 * most of it (docs/performance.md, "What makes Taqtir fast"). Updates run outside any gradient
 * collector, so no autograd graph ever holds the scalars used here.
 */
final class ParamOptimizer {

  private final OptimizerConfig config;
  private final List<NDArray> weights = new ArrayList<>();
  // Per parameter, its gradient: null until the first backward pass that reaches it.
  private final List<NDArray> grads = new ArrayList<>();
  private final List<NDArray> first = new ArrayList<>();
  private final List<NDArray> second = new ArrayList<>();
  private final boolean adam;
  private final NDManager manager;
  private final NativeOps ops;
  // The update's scalars as arrays made once (the learning rate once per change): an op(Number)
  // call builds, wraps and frees a scalar every time, twice per parameter per step. They are the
  // scalars op(Number) would build (a double becomes a float64 0-d array), so updates are bitwise
  // the same.
  private final NDArray momentum;
  private final NDArray weightDecay;
  private final NDArray beta1;
  private final NDArray beta2;
  private final NDArray oneMinusBeta1;
  private final NDArray oneMinusBeta2;
  private NDArray learningRate;
  private double lr;
  private long t;
  // Adam's bias correction counts the steps that updated each parameter, as torch.optim.Adam's
  // per-parameter state['step'] does: a parameter whose gradient appears later starts from 1.
  private final long[] updates;

  ParamOptimizer(OptimizerConfig config, List<NDArray> params, NDManager manager, NativeOps ops) {
    this.config = config;
    this.adam = "adam".equals(config.type());
    this.manager = manager;
    this.ops = ops;
    this.lr = config.lr();
    this.learningRate = manager.create(lr);
    this.momentum = manager.create(config.momentum());
    this.weightDecay = manager.create(config.weightDecay());
    this.beta1 = manager.create(config.beta1());
    this.beta2 = manager.create(config.beta2());
    this.oneMinusBeta1 = manager.create(1 - config.beta1());
    this.oneMinusBeta2 = manager.create(1 - config.beta2());
    for (NDArray w : params) {
      weights.add(w);
      grads.add(null);
      first.add(manager.zeros(w.getShape(), w.getDataType()));
      if (adam) {
        second.add(manager.zeros(w.getShape(), w.getDataType()));
      }
    }
    this.updates = new long[weights.size()];
  }

  void setLearningRate(double lr) {
    if (lr != this.lr) {
      learningRate.close();
      learningRate = manager.create(lr);
    }
    this.lr = lr;
  }

  double learningRate() {
    return lr;
  }

  /** The moment buffers (momentum, or Adam's first then second moments), for checkpoints. */
  List<NDArray> moments() {
    List<NDArray> out = new ArrayList<>(first);
    out.addAll(second);
    return out;
  }

  /** Steps taken so far (Adam's bias correction depends on it). */
  long steps() {
    return t;
  }

  /**
   * Continues from a checkpoint: the moment buffers are restored by the caller. Every parameter's
   * Adam step count is set to {@code steps} (exact unless a parameter's first gradient came after
   * the first step).
   */
  void setSteps(long steps) {
    this.t = steps;
    Arrays.fill(updates, steps);
  }

  /**
   * Applies one update from the accumulated gradients, then zeroes them. A parameter that no
   * backward pass has reached yet (one of a loss term that starts in a later epoch) has no gradient
   * and is left alone, as {@code torch.optim} skips a parameter whose {@code .grad} is None; it is
   * updated from the first step after a backward pass reaches it.
   */
  void step() {
    t++;
    // The update must not be recorded by autograd. A GradientCollector restores the thread's
    // previous
    // grad mode when it closes, and libtorch's default on a thread that never set it is "enabled":
    // on any thread but the one that loaded the engine (a notebook cell's, a pool thread) the
    // in-place update of a leaf would fail ("a leaf Variable that requires grad is being used in an
    // in-place operation").
    ops.noGrad();
    double wd = config.weightDecay();
    for (int i = 0; i < weights.size(); i++) {
      NDArray w = weights.get(i);
      NDArray g = gradient(i);
      if (g == null) {
        continue;
      }
      if (wd != 0) {
        try (NDArray decay = w.mul(weightDecay)) {
          g.addi(decay);
        }
      }
      if (adam) {
        adamUpdate(w, g, first.get(i), second.get(i), ++updates[i]);
      } else {
        // buf = momentum * buf + g ; w -= lr * buf
        NDArray buf = first.get(i);
        buf.muli(momentum).addi(g);
        try (NDArray delta = buf.mul(learningRate)) {
          w.subi(delta);
        }
      }
      // zero_(): one write pass (g.subi(g) read g twice, and turned an infinite gradient into NaN).
      ops.zeroGradient(w, g);
      if (!ops.stableGradients()) {
        g.close();
      }
    }
  }

  /**
   * The gradient of parameter {@code i}, fetched once it exists. PyTorch keeps each {@code .grad}
   * tensor and accumulates into it in place (this optimiser zeroes it, never unsets it), so the
   * handle stays valid for the whole run. DJL's {@code getGradient()} cannot be used before: for a
   * parameter without gradient it returns a fresh zero array unrelated to the {@code .grad} a later
   * backward pass creates, and the parameter was then never updated.
   */
  private NDArray gradient(int i) {
    NDArray g = grads.get(i);
    if (g == null) {
      g = ops.gradient(weights.get(i));
      if (g != null && ops.stableGradients()) {
        grads.set(i, g);
      }
    }
    return g;
  }

  private void adamUpdate(NDArray w, NDArray g, NDArray m, NDArray v, long steps) {
    double b1 = config.beta1();
    double b2 = config.beta2();
    m.muli(beta1);
    try (NDArray gs = g.mul(oneMinusBeta1)) {
      m.addi(gs);
    }
    v.muli(beta2);
    try (NDArray g2 = g.square()) {
      g2.muli(oneMinusBeta2);
      v.addi(g2);
    }
    double bias1 = 1 - Math.pow(b1, steps);
    double bias2 = 1 - Math.pow(b2, steps);
    double stepSize = lr / bias1;
    try (NDArray scaled = v.div(bias2);
        NDArray denom = scaled.sqrt()) {
      denom.addi(config.eps());
      try (NDArray update = m.div(denom)) {
        update.muli(stepSize);
        w.subi(update);
      }
    }
  }
}
