package org.taqtir.api;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Per-batch information a strategy may read besides model outputs.
 *
 * @param manager the batch's manager: arrays a strategy creates for this batch go here and are
 *     freed when the batch ends
 * @param labels class indices, shape {@code (B)}, integer type
 * @param oneHot the labels one-hot encoded as float32, shape {@code (B, classes)}
 * @param indices the samples' indices in the training set, shape {@code (B)}, int64 (read only if
 *     the strategy declares {@link Capability#NEEDS_SAMPLE_INDICES})
 * @param epoch zero-based epoch
 * @param step zero-based global optimisation step
 */
public record BatchContext(
    NDManager manager, NDArray labels, NDArray oneHot, NDArray indices, int epoch, long step) {

  /**
   * Returns the batch size.
   *
   * @return the number of samples in the batch
   */
  public int size() {
    return (int) labels.getShape().get(0);
  }
}
