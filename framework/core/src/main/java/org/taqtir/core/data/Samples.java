package org.taqtir.core.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.taqtir.api.SampleRefs;

/**
 * A split as the training loop sees it, whatever the task: {@code N} samples, each an input of a
 * fixed shape and an integer target (a class, or one token per position of a sequence). The loop
 * keeps the inputs resident in one native array per run and gathers each batch's rows from it, so
 * no buffer is allocated per batch.
 *
 * <p>Inputs are stored as {@code uint8} (pixels, decoded per batch as {@code value / 255f}), {@code
 * float32} (features) or {@code int32} (token ids, passed to the model as they are).
 */
public interface Samples {

  /**
   * Returns the number of samples.
   *
   * @return N
   */
  int size();

  /**
   * Returns one sample's input shape, without the batch dimension.
   *
   * @return e.g. {@code (1, 28, 28)} or {@code (64)}
   */
  long[] sampleDims();

  /**
   * Returns the number of output classes (the vocabulary size for a sequence task).
   *
   * @return the width of the model's logits' last axis
   */
  int numClasses();

  /**
   * Puts the inputs in one native array, one row per sample.
   *
   * @param manager where the array goes (the caller owns it)
   * @return {@code (N, values per sample)}, uint8, float32 or int32
   */
  NDArray residentInputs(NDManager manager);

  /**
   * Returns the inputs of some samples as a model takes them (pixels decoded), in a new array.
   *
   * @param manager where the array goes
   * @param from first sample, inclusive
   * @param to last sample, exclusive
   * @return {@code (to - from, sample...)}
   */
  NDArray inputs(NDManager manager, int from, int to);

  /**
   * Returns the targets: one class index per sample, or one per position of each sample's target
   * sequence, row-major.
   *
   * @return {@code N × targetWidth()} values in {@code [0, numClasses())}; do not modify
   */
  int[] targets();

  /**
   * Returns the number of targets per sample: 1 for a class, {@code T} for a sequence.
   *
   * @return the target width
   */
  default int targetWidth() {
    return 1;
  }

  /**
   * Returns a content hash of the inputs and targets.
   *
   * @return hex SHA-256
   */
  String contentHash();

  /**
   * Names samples by their row in the source files, for teachers that look their outputs up.
   *
   * @param from first sample, inclusive
   * @param to last sample, exclusive
   * @return the rows, or {@code null} when the samples have none
   */
  default SampleRefs refs(int from, int to) {
    return null;
  }
}
