package org.taqtir.core.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.training.GradientCollector;

/**
 * The few operations of the training loop that have a faster path on the PyTorch engine than
 * through DJL's public API. The loop and the optimiser call only these; {@link #forEngine()} picks
 * the PyTorch implementation ({@link PtNativeOps}, which calls libtorch's JNI bindings directly)
 * when the engine is PyTorch, and the plain DJL path otherwise, or when the system property {@value
 * #PROPERTY} is {@code djl}. Both give the same numbers: {@code NativeOpsTest} trains with each and
 * compares every metric bit for bit.
 *
 * <p>The PyTorch path uses {@code ai.djl.pytorch.jni.JniUtils}, an internal DJL class: it is pinned
 * to DJL 0.35.1 (the version this build declares) and tested against it.
 */
interface NativeOps {

  /** System property that forces the plain DJL path ({@code djl}). */
  String PROPERTY = "taqtir.native.ops";

  /**
   * Back-propagates a scalar loss from inside a gradient collector.
   *
   * @param loss the loss, shape {@code ()}
   * @param collector the open collector
   * @param seed a 0-d float32 one, owned by the run (the fast path passes it as {@code dL/dL})
   */
  void backward(NDArray loss, GradientCollector collector, NDArray seed);

  /**
   * Returns a parameter's gradient array.
   *
   * @param weight a parameter that requires gradients
   * @return its gradient; {@code null} when no backward pass has reached the parameter yet (as
   *     {@code .grad is None} in PyTorch), where the engine can tell
   */
  NDArray gradient(NDArray weight);

  /**
   * Tells whether {@link #gradient} returns the parameter's own gradient storage, updated in place
   * by every later backward pass, so the optimiser may fetch it once and keep it.
   *
   * @return {@code true} on the PyTorch path; the DJL path fetches it every step
   */
  boolean stableGradients();

  /**
   * Sets a parameter's gradient to zero in place, in one write pass.
   *
   * @param weight the parameter
   * @param gradient its gradient, from {@link #gradient}
   */
  void zeroGradient(NDArray weight, NDArray gradient);

  /** Turns autograd recording off on this thread, before an in-place optimiser update. */
  void noGrad();

  /**
   * Copies rows of a table by index (libtorch's {@code index_select} through DJL's embedding op on
   * PyTorch: row by row, twice as fast as advanced indexing).
   *
   * @param table {@code (N, values)}
   * @param rows int64 row indices {@code (B)}
   * @return {@code (B, values)}, attached to {@code table}'s manager
   */
  NDArray gatherRows(NDArray table, NDArray rows);

  /**
   * Returns the operations for the current engine.
   *
   * @return the PyTorch fast path, or the plain DJL path
   */
  static NativeOps forEngine() {
    if (!"djl".equals(System.getProperty(PROPERTY))
        && "PyTorch".equals(Engine.getInstance().getEngineName())) {
      return new PtNativeOps();
    }
    return new DjlOps();
  }

  /** The engine-independent path: DJL's public API only. */
  final class DjlOps implements NativeOps {

    @Override
    public void backward(NDArray loss, GradientCollector collector, NDArray seed) {
      collector.backward(loss);
    }

    /**
     * DJL's public API gives a fresh zero array for a parameter no backward pass has reached, so on
     * this path such a parameter takes (zero-gradient) optimiser steps from the first step: a loss
     * term that starts in a later epoch counts Adam's bias-correction steps from the run's start.
     */
    @Override
    public NDArray gradient(NDArray weight) {
      return weight.getGradient();
    }

    @Override
    public boolean stableGradients() {
      return false;
    }

    @Override
    public void zeroGradient(NDArray weight, NDArray gradient) {
      gradient.muli(0);
    }

    @Override
    public void noGrad() {}

    @Override
    public NDArray gatherRows(NDArray table, NDArray rows) {
      return table.get(new ai.djl.ndarray.index.NDIndex("{}", rows));
    }
  }

  /** Whether a loss can take libtorch's direct backward call: a float32 scalar. */
  static boolean scalarFloat(NDArray loss) {
    return loss.getShape().isScalar() && loss.getDataType() == DataType.FLOAT32;
  }

  /** The embedding op's dense row gather, shared by both paths where the engine has it. */
  static NDArray embeddingGather(NDArray table, NDArray rows) {
    return table.getNDArrayInternal().embedding(rows, table, SparseFormat.DENSE).singletonOrThrow();
  }
}
