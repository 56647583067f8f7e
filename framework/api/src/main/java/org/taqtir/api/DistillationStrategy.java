package org.taqtir.api;

import ai.djl.ndarray.NDArray;

/**
 * One loss term of a student's objective. The training loop sums {@code weight_i * loss_i} over the
 * strategies of a method and back-propagates through the student only.
 *
 * <p>Lifecycle: {@link #prepare(StrategyContext)} once, then {@link #loss} per batch inside the
 * student's gradient collector, then {@link #close()}.
 */
public interface DistillationStrategy extends AutoCloseable {

  /**
   * Creates constants (as NDArrays in the context's manager) and any state before training.
   *
   * @param context the run's long-lived resources and sizes
   */
  default void prepare(StrategyContext context) {}

  /**
   * Computes this term's loss for one batch.
   *
   * @param student the student's outputs, attached to the gradient graph
   * @param teacher the teacher's detached outputs, or {@code null} when the strategy does not
   *     declare {@link Capability#NEEDS_TEACHER}
   * @param batch labels, indices and the batch manager
   * @return a scalar loss (shape {@code ()}), attached to the student's graph, owned by the batch
   *     manager; must not use {@code NDArray.op(Number)} overloads on graph arrays
   */
  NDArray loss(StepOutputs student, StepOutputs teacher, BatchContext batch);

  /**
   * Returns per-sample values this strategy derives from the teacher's outputs alone, without the
   * student and without gradients (e.g. the softened teacher distribution {@code softmax(t/T)}).
   * When the teacher's outputs are cached, the training loop computes them once per run over all
   * cached rows, chunk by chunk, and hands each batch its rows; {@link #loss} then finds them in
   * {@link StepOutputs#targets()} under the returned names, so it does not recompute them every
   * step. With a live teacher the targets are empty and {@link #loss} computes them itself ({@link
   * StepOutputs#targetsOr}).
   *
   * <p>Row {@code i} of every result must depend on row {@code i} of the teacher's outputs only
   * (row-wise operations, no batch statistics), so that cached and live runs agree bit for bit.
   * Called after {@link #prepare}, outside any gradient collector.
   *
   * @param teacher the teacher's outputs for some samples: logits and this strategy's teacher taps
   * @param manager where to create the results
   * @return arrays with one row per sample, by name; empty for strategies that derive nothing (the
   *     default)
   */
  default java.util.Map<String, NDArray> teacherTargets(
      StepOutputs teacher, ai.djl.ndarray.NDManager manager) {
    return java.util.Map.of();
  }

  /**
   * Returns the strategy's own trainable arrays (adapters, projection heads), created in {@link
   * #prepare} with gradients required; the loop optimises them together with the student.
   *
   * @return the arrays, empty for strategies without adapters
   */
  default java.util.List<NDArray> trainableParameters() {
    return java.util.List.of();
  }

  /**
   * Called after each optimiser step, outside any gradient collector: the place to update state
   * (e.g. enqueue the batch's embeddings into a negative queue) without modifying, in place, an
   * array the step's backward pass needed.
   */
  default void afterStep() {}

  /**
   * Returns the strategy's state beyond its {@link #trainableParameters()} (e.g. a negative queue
   * and its write position), serialised, for the per-epoch checkpoint a killed run resumes from.
   * Called after an epoch, outside any gradient collector.
   *
   * <p>A strategy that declares {@link Capability#STATEFUL} and returns {@code null} here cannot be
   * checkpointed: the loop then writes no checkpoint for its runs, and a resumed study trains them
   * again from the first epoch.
   *
   * @return the state, or {@code null} when there is none to save (the default)
   */
  default byte[] checkpointState() {
    return null;
  }

  /**
   * Restores what {@link #checkpointState()} returned, after {@link #prepare} and before the first
   * resumed step; the trainable parameters are restored by the loop.
   *
   * @param state bytes from {@link #checkpointState()} of the same strategy and parameters
   */
  default void restoreState(byte[] state) {}

  /** Frees state; the arrays created in {@link StrategyContext#manager()} are freed by the loop. */
  @Override
  default void close() {}
}
