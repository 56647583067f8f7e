package org.taqtir.api;

import ai.djl.ndarray.NDArray;
import java.util.List;
import java.util.Set;

/** A frozen model whose outputs a student imitates. Never receives gradients. */
public interface Teacher extends AutoCloseable {

  /**
   * Runs the teacher in inference mode.
   *
   * @param input a batch of shape {@code (B, ...input)}
   * @param taps the feature taps to return, a subset of {@link #taps()}
   * @return detached outputs whose arrays are attached to {@code input}'s manager (caller owns)
   */
  StepOutputs forward(NDArray input, Set<String> taps);

  /**
   * Runs the teacher on a batch whose samples are also named by their row in the original data
   * files. The core calls this overload whenever it knows the rows; a teacher that computes its
   * outputs from the input ignores {@code samples} (the default delegates to {@link
   * #forward(NDArray, Set)}), a teacher of precomputed outputs looks them up (see {@link
   * #indexed()}).
   *
   * @param input a batch of shape {@code (B, ...input)}
   * @param samples the rows of the batch's samples, or {@code null} when they have none (e.g. a
   *     corrupted copy of the test set)
   * @param taps the feature taps to return, a subset of {@link #taps()}
   * @return detached outputs whose arrays are attached to {@code input}'s manager (caller owns)
   * @throws IllegalArgumentException when the teacher is {@link #indexed()} and {@code samples} is
   *     {@code null} or names rows it has no outputs for
   */
  default StepOutputs forward(NDArray input, SampleRefs samples, Set<String> taps) {
    return forward(input, taps);
  }

  /**
   * Tells whether the outputs are looked up by sample row ({@link SampleRefs}) rather than computed
   * from the input, as for a file of precomputed logits. Such a teacher cannot see augmented or
   * corrupted inputs, so the core runs it only on samples with rows, and only with cached outputs.
   *
   * @return {@code true} for precomputed outputs; {@code false} by default
   */
  default boolean indexed() {
    return false;
  }

  /**
   * Returns the names of the features {@link #forward} can return.
   *
   * @return tap names, possibly empty
   */
  List<String> taps();

  /**
   * Identifies the teacher's function: equal fingerprints mean equal outputs on equal inputs. Keys
   * the teacher-output cache.
   *
   * @return a stable hex string, e.g. a SHA-256 of weights and architecture
   */
  String fingerprint();

  /**
   * Returns a short description for tables and logs.
   *
   * @return e.g. {@code "mlp 784-1200-1200-10 (runs/teachers/ab12...)"}
   */
  String describe();

  /**
   * Returns the number of trainable scalars of the teacher's model, for size comparisons.
   *
   * @return the parameter count, or -1 when the adapter cannot know it (e.g. precomputed outputs)
   */
  default long parameterCount() {
    return -1;
  }

  /** Frees the teacher's model and native memory. */
  @Override
  void close();
}
