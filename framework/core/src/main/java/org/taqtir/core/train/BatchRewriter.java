package org.taqtir.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.function.Function;

/**
 * Replaces some training batches before their step, e.g. on-policy distillation, which trains on
 * what the student itself generates from the batch's prompts. Called outside the gradient
 * collector: nothing it computes is differentiated. A run with a rewriter sees its teacher live, on
 * the rewritten inputs.
 */
public interface BatchRewriter {

  /**
   * A rewritten batch.
   *
   * @param input the new inputs, in the model's input form
   * @param labels the new labels; negative labels are padding
   */
  record Batch(NDArray input, NDArray labels) {}

  /**
   * Rewrites one batch, or keeps it.
   *
   * @param epoch the epoch (0-based)
   * @param step the step in the epoch
   * @param input the batch's inputs
   * @param labels the batch's labels
   * @param student the student's logits for an input, in inference mode
   * @param manager the batch's manager
   * @return the new batch, or null to keep this one
   */
  Batch rewrite(
      int epoch,
      int step,
      NDArray input,
      NDArray labels,
      Function<NDArray, NDArray> student,
      NDManager manager);

  /**
   * Returns the seconds spent generating so far (reported apart from training time).
   *
   * @return seconds
   */
  double seconds();

  /**
   * Returns how many batches were rewritten so far.
   *
   * @return batches
   */
  long rewritten();
}
